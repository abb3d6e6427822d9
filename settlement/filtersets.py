import django_filters
from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from core.models import ReceptionCentre, Region
from core.params import MAX_ID

from .models import Category, Composition, Household, HouseholdStatus
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
    status = django_filters.MultipleChoiceFilter(label="Status", choices=HouseholdStatus.choices)
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
