import django_filters
from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from core.models import Municipality, ReceptionCentre, Region
from core.params import MAX_ID

from .models import Category, Composition, DistributionList, Household, HouseholdStatus, Proposal, ProposalStatus, SettlementRequest
from .selectors import long_waiting_q

WAITING_CHOICES = [
    ("long", "Lengeventende"),
    ("3", "Mer enn 3 måneder"),
    ("6", "Mer enn 6 måneder"),
    ("12", "Mer enn 12 måneder"),
]


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Søk (DUF-nr. eller navn)", method="filter_q")
    region = django_filters.ModelChoiceFilter(label="Region", queryset=Region.objects.all())
    # A column of the household itself: no join, so no DISTINCT over every column (issue 14).
    status = django_filters.MultipleChoiceFilter(label="Status", choices=HouseholdStatus.choices, distinct=False)
    category = django_filters.ChoiceFilter(label="Kategori", choices=Category.choices, empty_label="Alle")
    composition = django_filters.ChoiceFilter(label="Sammensetning", choices=Composition.choices, empty_label="Alle")
    reception_centre = django_filters.ModelChoiceFilter(label="Mottak", queryset=ReceptionCentre.objects.all())
    waiting = django_filters.ChoiceFilter(label="Ventetid", choices=WAITING_CHOICES, method="filter_waiting", empty_label="Alle")

    class Meta:
        model = Household
        fields = ["q", "region", "status", "category", "composition", "reception_centre", "waiting"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.isascii() and value.isdigit():  # not "²", which isdigit() accepts and int() refuses
            by_id = Q(pk=int(value)) if len(value) <= 10 and int(value) <= MAX_ID else Q(pk__in=[])
            return queryset.filter(Q(persons__duf_number__startswith=value[:12]) | by_id).distinct()
        return queryset.filter(
            Q(persons__first_name__icontains=value) | Q(persons__last_name__icontains=value)
        ).distinct()

    def filter_waiting(self, queryset, name, value):
        today = timezone.localdate()
        if value == "long":
            return queryset.filter(long_waiting_q(today))
        return queryset.filter(waiting_since__lt=today - relativedelta(months=int(value)))


def _search_households(queryset, value, prefix=""):
    """Household number, DUF number (prefix) or a member's name, under `prefix` (e.g. "household__")."""
    value = value.strip()
    if not value:
        return queryset
    if value.isascii() and value.isdigit():
        by_id = Q(**{f"{prefix}pk": int(value)}) if len(value) <= 10 and int(value) <= MAX_ID else Q(pk__in=[])
        return queryset.filter(Q(**{f"{prefix}persons__duf_number__startswith": value[:12]}) | by_id).distinct()
    return queryset.filter(Q(**{f"{prefix}persons__first_name__icontains": value})
                           | Q(**{f"{prefix}persons__last_name__icontains": value})).distinct()


class HouseholdSearchFilterSet(django_filters.FilterSet):
    """The municipality's lists of its households: one search box."""

    q = django_filters.CharFilter(label="Søk (husstandsnr., DUF-nr. eller navn)", method="filter_q")

    class Meta:
        model = Household
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return _search_households(queryset, value)


class ProposalFilterSet(django_filters.FilterSet):
    """The inbox: search the proposed households."""

    q = django_filters.CharFilter(label="Søk (husstandsnr., DUF-nr. eller navn)", method="filter_q")

    class Meta:
        model = Proposal
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return _search_households(queryset, value, prefix="household__")


LIST_STATE_CHOICES = [("pending", "Venter på svar"), ("overdue", "Frist passert"), ("answered", "Besvart")]


class DistributionListFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Søk (listenr. eller kommune)", method="filter_q")
    year = django_filters.NumberFilter(label="År", min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(label="Svar", choices=LIST_STATE_CHOICES, method="filter_state", empty_label="Alle")

    class Meta:
        model = DistributionList
        fields = ["q", "year", "state"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if value.isascii() and value.isdigit():
            return queryset.filter(pk=int(value)) if len(value) <= 10 and int(value) <= MAX_ID else queryset.none()
        return queryset.filter(municipality__name__icontains=value) if value else queryset

    def filter_state(self, queryset, name, value):
        pending = Q(proposals__status=ProposalStatus.PENDING)
        if value == "answered":
            return queryset.exclude(pending)
        queryset = queryset.filter(pending).distinct()
        return queryset.filter(reply_deadline__lt=timezone.localdate()) if value == "overdue" else queryset


class RequestFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Søk (kommune)", field_name="municipality__name", lookup_expr="icontains")
    year = django_filters.NumberFilter(label="År", field_name="years__year", min_value=2000, max_value=2100, distinct=True)

    class Meta:
        model = SettlementRequest
        fields = ["q", "year"]


class MunicipalityFilterSet(django_filters.FilterSet):
    """Kapasitet: which municipalities to show (the page and its CSV use the same filter)."""

    q = django_filters.CharFilter(label="Søk (kommune eller nr.)", method="filter_q")
    region = django_filters.ModelChoiceFilter(label="Region", queryset=Region.objects.all(), empty_label="Alle regioner")

    class Meta:
        model = Municipality
        fields = ["q", "region"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(number__startswith=value)) if value else queryset
