"""A paginator whose total is cached by the data's version (issue 14)."""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.caching import cached_by_version

from .models import Household, Person, Proposal


def _queryset(object_list):
    # django-tables2 pages its BoundRows, whose data (TableQuerysetData) holds the queryset.
    found = getattr(getattr(object_list, "data", None), "data", object_list)
    return found if isinstance(found, QuerySet) else None


class VersionedCountPaginator(Paginator):
    """The page's total, a COUNT over the whole filtered list (5-10 ms at demo scale 5, a DISTINCT one for the work
    queue), cached by the list's SQL and the version of households and persons (core.caching): any write through
    the services moves the version, so the total shown is never older than the data. For lists of households and
    persons, and of the models in `versioned`."""

    versioned = ()

    @cached_property
    def count(self):
        qs = _queryset(self.object_list)
        uncached = lambda: super(VersionedCountPaginator, self).count  # noqa: E731
        if qs is None:
            return uncached()
        try:
            sql, params = qs.query.sql_with_params()
        except EmptyResultSet:
            return uncached()
        return cached_by_version("settlement-count", (sql, params), (Household, Person, *self.versioned), uncached)


class ProposalCountPaginator(VersionedCountPaginator):
    """The municipality's inbox: proposals' own history moves the version too."""

    versioned = (Proposal,)
