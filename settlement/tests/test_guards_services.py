"""Guards that the first guard tests left untested, found by `make mutation` (issue 9)."""

import pytest

from core.errors import error_codes
from settlement import services
from settlement.models import Category


@pytest.mark.parametrize("who", ["ministry", "oslo"])
def test_register_household_refuses_the_role_before_looking_at_the_data(actors, who):
    """An outsider learns nothing about what the form would need: the role is refused before any validation."""
    with pytest.raises(Exception) as exc:
        services.register_household(actors[who], persons=[], category=Category.values[0])
    assert error_codes(exc.value) == {"role_not_allowed"}
