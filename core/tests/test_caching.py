"""core.caching: a figure cached by the version of the data it reads is computed again after any write with history."""

import pytest
from django.contrib.auth import get_user_model

from core.caching import cached_by_version, history_version
from core.models import UserProfile


@pytest.mark.django_db
def test_a_write_with_history_moves_the_version_and_the_cached_figure():
    User = get_user_model()
    calls = []

    def figure():
        calls.append(1)
        return UserProfile.objects.count()

    assert history_version(UserProfile) == (None,)
    assert cached_by_version("t", "k", [UserProfile], figure) == 0
    assert cached_by_version("t", "k", [UserProfile], figure) == 0
    assert len(calls) == 1  # the second read came from the cache
    assert cached_by_version("t", "other key", [UserProfile], figure) == 0 and len(calls) == 2
    UserProfile.objects.create(user=User.objects.create(username="a"), role="admin")
    assert history_version(UserProfile) != (None,)
    assert cached_by_version("t", "k", [UserProfile], figure) == 1 and len(calls) == 3
