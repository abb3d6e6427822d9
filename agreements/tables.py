"""The agreement list as one component (django-tables2 + django-filter): columns defined once for the page
(sortable, paged) and its CSV download (core.csv)."""

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from core.csv import csv_response
from core.models import Region

from .models import AgreementType, PartnershipAgreement

PER_PAGE = 25
STATUSES = [("active", "Aktiv"), ("expired", "Utløpt"), ("future", "Ikke startet")]


def status_of(agreement, today) -> str:
    if agreement.end_date < today:
        return "expired"
    return "future" if agreement.start_date > today else "active"


def table_csv(table: tables.Table, filename: str):
    """The table's own columns and every filtered row (not only the page shown) as a Norwegian CSV."""
    response, writer = csv_response(filename)
    writer.writerows(table.as_values())
    return response


class FilterForm(forms.Form):
    """The filter's fields get ids of their own: the page also holds the new-agreement form, whose region field had
    the same id (its label pointed at the filter's select)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Søk", method="search")
    type = django_filters.ChoiceFilter(label="Type", field_name="agreement_type", choices=AgreementType.choices,
                                       empty_label="Alle")
    region = django_filters.ModelChoiceFilter(label="Region", queryset=Region.objects.order_by("name"),
                                              empty_label="Alle")
    status = django_filters.ChoiceFilter(label="Status", choices=STATUSES, empty_label="Alle", method="by_status")

    class Meta:
        model = PartnershipAgreement
        fields = ["q", "type", "region", "status"]
        form = FilterForm

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(municipalities__name__icontains=value)
                               | Q(agencies__code__icontains=value) | Q(purpose__icontains=value)).distinct()

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        return {"active": queryset.filter(start_date__lte=today, end_date__gte=today),
                "expired": queryset.filter(end_date__lt=today),
                "future": queryset.filter(start_date__gt=today)}.get(value, queryset)


class AgreementTable(tables.Table):
    label = "Avtaler"  # names the scrolling region for screen readers
    title = tables.Column("Avtale", linkify=("agreements:detail", [tables.A("pk")]))
    agreement_type = tables.Column("Type")
    parties = tables.Column("Parter", accessor="pk", orderable=False)
    region = tables.Column("Region", default="Nasjonal", order_by=("region__name",))
    start_date = tables.DateColumn("d.m.Y", verbose_name="Gjelder fra")
    end_date = tables.DateColumn("d.m.Y", verbose_name="Gjelder til")
    status = tables.Column("Status", accessor="end_date", orderable=False)

    class Meta:
        model = PartnershipAgreement
        fields = ()
        sequence = ("title", "agreement_type", "parties", "region", "start_date", "end_date", "status")
        template_name = "core/table.html"
        attrs = {"class": "data-table"}
        order_by = "-start_date"
        empty_text = "Ingen avtaler passer søket."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def _parties(self, record) -> str:
        names = [m.name for m in record.municipalities.all()] + [a.code.upper() for a in record.agencies.all()]
        return ", ".join(names)

    def render_parties(self, record):
        return self._parties(record)

    def value_parties(self, record):
        return self._parties(record)

    def value_region(self, record):
        return record.region.name if record.region_id else "Nasjonal"

    def render_region(self, record):
        return self.value_region(record)

    def value_start_date(self, value):
        return value

    def value_end_date(self, value):
        return value

    def value_status(self, record):
        return dict(STATUSES)[status_of(record, self.today)]

    def render_status(self, record):
        status = status_of(record, self.today)
        css = {"active": "badge settled", "expired": "badge exited", "future": "badge"}[status]
        return format_html('<span class="{}">{}</span>', css, dict(STATUSES)[status])
