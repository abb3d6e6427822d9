"""Grant lists as one component each (django-tables2 + django-filter): the columns are defined once and serve the
page (sortable, paged, figures through core.formatting) and its CSV download (raw figures, core.csv)."""

import django_filters
import django_tables2 as tables
from django.db.models import Q
from django.utils.html import format_html

from core import formatting
from core.csv import csv_response

from .models import ApplicationStatus, ClaimStatus, GrantApplication, GrantClaim

PER_PAGE = 25
NUM = {"th": {"class": "num"}, "td": {"class": "num"}}


class AmountColumn(tables.Column):
    """Kroner: "260 000" on the page, the plain number in the CSV (decimal comma from core.csv)."""

    def __init__(self, *args, decimals=0, **kwargs):
        self.decimals = decimals
        kwargs.setdefault("attrs", NUM)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.number(value, self.decimals)

    def value(self, value):
        return value


class NorwegianTable(tables.Table):
    label = "Tabell"

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "data-table"}
        per_page = PER_PAGE


def table_csv(table: tables.Table, filename: str):
    """The table's own columns and every filtered row (not only the page shown) as a Norwegian CSV."""
    response, writer = csv_response(filename)
    writer.writerows(table.as_values())
    return response


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Søk", method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query) if value.strip() else queryset


class ApplicationFilter(SearchFilter):
    search_fields = ("title", "applicant_name", "municipality__name", "grant_year__scheme__name")
    status = django_filters.ChoiceFilter(label="Status", choices=ApplicationStatus.choices, empty_label="Alle")
    year = django_filters.NumberFilter(label="År", field_name="grant_year__year", min_value=2000, max_value=2100)

    class Meta:
        model = GrantApplication
        fields = ["q", "status", "year"]


class ClaimFilter(SearchFilter):
    search_fields = ("municipality__name", "municipality__number")
    year = django_filters.NumberFilter(label="År", min_value=2000, max_value=2100)
    quarter = django_filters.ChoiceFilter(label="Kvartal", choices=[(q, f"{q}. kvartal") for q in range(1, 5)],
                                          empty_label="Alle")
    status = django_filters.ChoiceFilter(label="Status", choices=ClaimStatus.choices, empty_label="Alle")

    class Meta:
        model = GrantClaim
        fields = ["q", "year", "quarter", "status"]


class ApplicationTable(NorwegianTable):
    label = "Søknader"  # names the scrolling region for screen readers
    applicant_name = tables.Column("Søker")
    title = tables.Column("Prosjekt", linkify=("grants:application", [tables.A("pk")]))
    scheme = tables.Column("Ordning", accessor="grant_year__scheme__name", order_by=("grant_year__scheme__name",))
    year = tables.Column("År", accessor="grant_year__year")
    amount_requested = AmountColumn("Søkt (kr)")
    amount_granted = AmountColumn("Innvilget (kr)", default="–")
    status = tables.Column("Status")
    submitted_at = tables.DateColumn("d.m.Y", verbose_name="Mottatt")

    class Meta(NorwegianTable.Meta):
        model = GrantApplication
        fields = ()
        sequence = ("applicant_name", "title", "scheme", "year", "amount_requested", "amount_granted", "status",
                    "submitted_at")
        order_by = "-submitted_at"
        empty_text = "Ingen søknader passer søket."

    def value_submitted_at(self, value):
        return value


class ClaimTable(NorwegianTable):
    label = "Krav"
    municipality = tables.Column("Kommune", order_by=("municipality__name",))
    period = tables.Column("Periode", accessor="year", order_by=("year", "quarter"))
    total = AmountColumn("Sum (kr)", decimals=2)
    status = tables.Column("Status")
    calculated_at = tables.DateTimeColumn("d.m.Y H:i", verbose_name="Beregnet")
    links = tables.Column("Dokumenter", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(NorwegianTable.Meta):
        model = GrantClaim
        fields = ()
        sequence = ("municipality", "period", "total", "status", "calculated_at", "links")
        order_by = ("-period", "municipality")
        empty_text = "Ingen krav passer søket."

    def render_period(self, record):
        return f"{record.year} K{record.quarter}"

    def value_period(self, record):
        return f"{record.year} K{record.quarter}"

    def value_calculated_at(self, value):
        return value

    def render_links(self, record):
        from django.urls import reverse

        version = f" v{record.version}" if record.version > 1 else ""
        link = format_html('<a href="{}">Åpne <span class="sr-only">krav {} {} K{}{}</span></a>', reverse("grants:claim", args=[record.pk]),
                           record.municipality.name, record.year, record.quarter, version)
        if record.status in (ClaimStatus.APPROVED, ClaimStatus.PAID):  # letters only for approved claims
            link += format_html(' · <a href="{}">Vedtaksbrev</a>', reverse("grants:claim_letter", args=[record.pk]))
        return link
