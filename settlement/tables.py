"""The settlement lists as django-tables2 tables: one class per list defines the columns of the page and of its
CSV download alike (Table.as_values), with sorting and paging from RequestConfig."""

from datetime import datetime
from types import SimpleNamespace

import django_tables2 as tables
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core import formatting
from core.csv import csv_response

MAX_SIGNATURES = 1024


def signature_once_per_function():
    """django-tables2 calls inspect.signature on a cell's render method for every cell (utils.call_with_appropriate):
    half the time of a 50-row table (25 of 43 ms for the work queue, issue 14). A function's parameters never change,
    so the answer is kept per function (and whether it came bound, which drops `self`)."""
    from django_tables2 import utils

    if getattr(utils.signature, "cached", False):
        return
    uncached = utils.signature
    known = {}

    def signature(fn):
        key = (getattr(fn, "__func__", fn), hasattr(fn, "__self__"))
        try:
            return known[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable: asked every time, as before
            return uncached(fn)
        found = uncached(fn)
        if len(known) < MAX_SIGNATURES:  # bounded: a callable made per request must not grow it for ever
            known[key] = found
        return found

    signature.cached = True
    utils.signature = signature


class NumberColumn(tables.Column):
    """A count: "1 234" on the page (core.formatting), the plain number in the CSV."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formatting.number(value)

    def value(self, value):
        return value


class DateColumn(tables.DateColumn):
    def __init__(self, verbose_name=None, **kwargs):
        kwargs.setdefault("format", "d.m.Y")
        self.date_format = kwargs["format"]
        super().__init__(verbose_name=verbose_name, **kwargs)

    def render(self, value, bound_column, **kwargs):
        """What django-tables2's `{{ value|date:format|default:default }}` gives, without compiling that template
        for every cell (50 compilations a work-queue page, issue 14): local time for an aware datetime."""
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        try:
            return date_format(value, self.date_format) or bound_column.default
        except (AttributeError, TypeError):
            return bound_column.default


class PageTemplateColumn(tables.TemplateColumn):
    """A TemplateColumn rendered in the page's own context (actor, csrf_token and request are already there).
    django-tables2 renders each cell as a new RequestContext, which ran every context processor, the menu's URL
    checks included, once per row: a third of the inbox's time (issue 14). Outside `render_table` (no page
    context) it renders as before."""

    def render(self, record, table, value, bound_column, **kwargs):
        page_context = getattr(table, "context", None)
        if page_context is None or self.template_code:
            return super().render(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        context = self.get_context_data(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        with page_context.update(context):
            return get_template(self.template_name).template.render(page_context)


class ProposalAnswerColumn(PageTemplateColumn):
    """The inbox's answer forms. Two rows' unbound forms differ only in the proposal's and the household's numbers
    (the forms' prefixes, the hidden field, the buttons' hidden text): they are rendered once a page with stand-ins
    and the numbers put in per row, 1-2 ms a row less (issue 14). A row whose form came back with errors is
    rendered on its own, as before."""

    PROPOSAL, HOUSEHOLD = "PROPOSAL0STANDIN", "HOUSEHOLD0STANDIN"

    def render(self, record, table, value, bound_column, **kwargs):
        forms = (record.accept_form, record.decline_form)
        if getattr(table, "context", None) is None or any(f.is_bound for f in forms):
            return super().render(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        stencil = getattr(table, "_answer_stencil", None)
        if stencil is None:
            stand_in = SimpleNamespace(pk=self.PROPOSAL, household_id=self.HOUSEHOLD,
                                       accept_form=type(forms[0])(prefix=f"a{self.PROPOSAL}"),
                                       decline_form=type(forms[1])(prefix=f"d{self.PROPOSAL}"))
            stencil = table._answer_stencil = str(super().render(
                record=stand_in, table=table, value=value, bound_column=bound_column, **kwargs))
        return mark_safe(stencil.replace(self.PROPOSAL, str(int(record.pk)))
                         .replace(self.HOUSEHOLD, str(int(record.household_id))))


class SettlementTable(tables.Table):
    """Norwegian paging, sort state announced (aria-sort), and `csv()` writing the same columns as the page."""

    class Meta:
        template_name = "settlement/includes/table.html"
        # position: the visually hidden texts in cells are placed inside the table, so they never widen the page.
        attrs = {"class": "data-table", "style": "position:relative"}
        per_page = 50

    count_nouns = "rad,rader"  # the singular and plural the paging line counts in

    def csv(self, filename: str):
        response, writer = csv_response(filename)
        for row in self.as_values():
            writer.writerow(["" if v is None else v for v in row])
        return response


def _household_link(record):
    return format_html('<a href="{}">#{}</a>', reverse("settlement:household", args=[record.pk]), record.pk)


def _head(record):
    return next(iter(record.persons.all()), None)


class HouseholdTable(SettlementTable):
    """Arbeidskø: households in the flow, longest-waiting first."""

    count_nouns = "husstand,husstander"

    pk = tables.Column("Husstand", linkify=False)
    head = tables.Column("Hovedperson", empty_values=(), orderable=False)
    duf = tables.Column("DUF-nummer", empty_values=(), orderable=False)
    size = NumberColumn("Personer")
    category = tables.Column("Kategori")
    composition = tables.Column("Sammensetning")
    status = tables.Column("Status")
    region = tables.Column("Region", accessor="region__name")
    reception_centre = tables.Column("Mottak", accessor="reception_centre__name", default="–")
    municipality = tables.Column("Kommune", accessor="municipality__name", default="–")
    waiting_since = DateColumn("Venter siden")
    days = tables.Column("Dager ventet", empty_values=(), order_by=("-waiting_since",),
                         attrs={"th": {"class": "num"}, "td": {"class": "num"}})
    long = tables.Column("Lengeventende", empty_values=(), orderable=False)
    # The settlement interview (bosettingssamtale): its latest date and how complete it is (services.interviews).
    interview = tables.Column("Samtale", empty_values=(), orderable=False)
    interview_completeness = tables.Column("Kartlagt", empty_values=(), orderable=False,
                                           attrs={"th": {"class": "num"}, "td": {"class": "num"}})

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen husstander passer filteret."

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_pk(self, record):
        return _household_link(record)

    def value_pk(self, record):
        return record.pk

    def render_head(self, record):
        head = _head(record)
        return head.full_name if head else "–"

    def value_head(self, record):
        head = _head(record)
        return head.full_name if head else ""

    def render_duf(self, record):
        head = _head(record)
        return head.duf_number if head else "–"

    def value_duf(self, record):
        head = _head(record)
        return head.duf_number if head else ""

    def render_status(self, record):
        return format_html('<span class="badge {}">{}</span>', record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_days(self, record):
        return formatting.number(record.waiting_days(self.today))

    def value_days(self, record):
        return record.waiting_days(self.today)

    def render_long(self, record):
        return format_html('<span class="badge long">{}</span>', "Lengeventende") if record.is_long_waiting(self.today) else ""

    def value_long(self, record):
        return "ja" if record.is_long_waiting(self.today) else "nei"

    def value_waiting_since(self, value):
        return value.isoformat()

    def _interview(self, record):
        """Worked out once a row: two columns show it, on the page and in the CSV."""
        from .services.interviews import interview_status

        state = getattr(record, "_interview_state", None)
        if state is None:
            state = record._interview_state = interview_status(record, self.today)
        return state

    def render_interview(self, record):
        state = self._interview(record)
        if state.missing:
            label = "Unntak" if state.waived else "Mangler"
            return format_html('<span class="badge {}">{}</span>{}', "" if state.waived else "long", label,
                               f" ({state.interviewed} av {state.expected})" if state.interviewed else "")
        return state.held_on.strftime("%d.%m.%Y") if state.held_on else "–"

    def value_interview(self, record):
        state = self._interview(record)
        if state.missing:
            return "unntak" if state.waived else "mangler"
        return state.held_on.isoformat() if state.held_on else ""

    def render_interview_completeness(self, record):
        state = self._interview(record)
        return f"{state.completeness}\u00a0%" if state.required and state.completeness is not None else "–"

    def value_interview_completeness(self, record):
        state = self._interview(record)
        return state.completeness if state.required and state.completeness is not None else ""


class DistributionListTable(SettlementTable):
    """Fordelingslister with their answers so far."""

    count_nouns = "liste,lister"

    pk = tables.Column("Liste")
    municipality = tables.Column("Kommune", accessor="municipality__name")
    year = tables.Column("År")
    created_at = DateColumn("Sendt")
    reply_deadline = DateColumn("Svarfrist")
    households = NumberColumn("Husstander")
    persons = NumberColumn("Personer")
    pending = NumberColumn("Venter")
    accepted = NumberColumn("Akseptert")
    declined = NumberColumn("Avslått")

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen fordelingslister passer søket."
        order_by = ("-created_at",)

    def render_pk(self, record):
        return format_html('<a href="{}">#{}</a>', reverse("settlement:distribution_list", args=[record.pk]), record.pk)

    def value_pk(self, record):
        return record.pk

    def render_reply_deadline(self, record):
        overdue = record.pending and record.reply_deadline < timezone.localdate()
        badge = format_html(' <span class="badge long">Frist passert</span>') if overdue else ""
        return format_html("{}{}", record.reply_deadline.strftime("%d.%m.%Y"), badge)

    def value_reply_deadline(self, record):
        return record.reply_deadline.isoformat()

    def value_created_at(self, record):
        return timezone.localtime(record.created_at).date().isoformat()


class CapacityTable(SettlementTable):
    """Kapasitet per kommune: rows are {"m": Municipality, "cap": Capacity, "requested": int | None}."""

    count_nouns = "kommune,kommuner"

    number = tables.Column("Kommunenr", accessor="m__number")
    name = tables.Column("Kommune", accessor="m__name")
    region = tables.Column("Region", accessor="m__region__name")
    requested = NumberColumn("Anmodet", default="")
    decided = NumberColumn("Vedtatt", accessor="cap__decided")
    decided_minors = NumberColumn("Herav EM", accessor="cap__decided_minors")
    proposed = NumberColumn("Foreslått", accessor="cap__proposed")
    accepted = NumberColumn("Akseptert", accessor="cap__accepted")
    assigned = NumberColumn("Søkt ut", accessor="cap__assigned")
    settled = NumberColumn("Bosatt", accessor="cap__settled")
    remaining = NumberColumn("Ledig", accessor="cap__remaining")
    propose = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen kommuner passer filteret."
        # 50 a page as the other lists (was 100: 1,300 cells, the page's largest cost at demo scale 5, issue 14);
        # the totals are still of every municipality in the filter.
        per_page = 50

    def __init__(self, *args, year=None, **kwargs):
        self.year = year
        super().__init__(*args, **kwargs)

    def render_decided(self, record):
        return formatting.number(record["cap"].decided) if record["cap"].has_decision else "–"

    def value_decided(self, record):
        return record["cap"].decided if record["cap"].has_decision else ""

    def render_requested(self, value):
        return formatting.number(value) if value is not None else "–"

    def render_propose(self, record):
        if record["cap"].available_to_propose <= 0:
            return ""
        url = reverse("settlement:distribution_list_new")
        return format_html('<a href="{}?municipality_id={}&amp;year={}">Foreslå <span class="visually-hidden">for {}</span></a>',
                           url, record["m"].pk, self.year, record["m"].name)


class RequestTable(SettlementTable):
    """Anmodninger om bosetting."""

    count_nouns = "anmodning,anmodninger"

    municipality = tables.Column("Kommune", accessor="municipality__name")
    sent_on = DateColumn("Sendt")
    reply_deadline = DateColumn("Svarfrist")
    years = tables.Column("År: personer (herav EM)", empty_values=(), orderable=False)
    adjusted_at = DateColumn("Justert", default="")
    adjust = tables.Column("", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen anmodninger passer søket."
        order_by = ("-sent_on",)

    def __init__(self, *args, can_adjust=False, **kwargs):
        self.can_adjust = can_adjust
        super().__init__(*args, **kwargs)
        if not can_adjust:
            self.columns.hide("adjust")

    def render_years(self, record):
        return " · ".join(f"{y.year}: {formatting.number(y.persons)} ({formatting.number(y.unaccompanied_minors)})"
                          for y in record.years.all())

    def render_adjust(self, record):
        return format_html('<a href="{}">Juster <span class="visually-hidden">anmodningen til {}</span></a>',
                           reverse("settlement:request_adjust", args=[record.pk]), record.municipality.name)


class ProposalTable(SettlementTable):
    """The municipality's inbox: proposals waiting for an answer (answered on each row)."""

    count_nouns = "forslag,forslag"

    household = tables.Column("Husstand", accessor="household__pk")
    persons_list = tables.Column("Personer", empty_values=(), orderable=False)
    size = NumberColumn("Antall", accessor="household__size")
    composition = tables.Column("Sammensetning", accessor="household__composition")
    year = tables.Column("Bosettingsår", accessor="household__settlement_year")
    deadline = DateColumn("Svarfrist", accessor="distribution_list__reply_deadline")
    answer = ProposalAnswerColumn(template_name="settlement/includes/proposal_answer.html", verbose_name="Svar",
                                   orderable=False, exclude_from_export=True)

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen forslag passer søket."
        row_attrs = {"id": lambda record: f"proposal-{record.pk}"}
        per_page = 25

    def render_household(self, record):
        return _household_link(record.household)

    def value_household(self, record):
        return record.household_id

    def render_composition(self, record):
        return record.household.get_composition_display()

    def render_persons_list(self, record):
        return format_html_join(", ", "{} ({}, {})", ((p.full_name, p.birth_date.year, p.get_nationality_display())
                                                      for p in record.household.persons.all()))

    def value_persons_list(self, record):
        return ", ".join(p.full_name for p in record.household.persons.all())


class AssignedTable(SettlementTable):
    """Households accepted or assigned to the municipality (akseptert – venter på utsøking; søkt ut)."""

    count_nouns = "husstand,husstander"

    pk = tables.Column("Husstand")
    persons_list = tables.Column("Personer", empty_values=(), orderable=False)
    size = NumberColumn("Antall")
    composition = tables.Column("Sammensetning")
    settlement_year = tables.Column("Bosettingsår")
    assigned_on = DateColumn("Søkt ut", default="–")

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen husstander passer søket."
        row_attrs = {"id": lambda record: f"household-{record.pk}"}
        per_page = 25

    def render_pk(self, record):
        return _household_link(record)

    def value_pk(self, record):
        return record.pk

    def render_persons_list(self, record):
        return ", ".join(p.full_name for p in record.persons.all())

    value_persons_list = render_persons_list


class SettlementRegistrationTable(AssignedTable):
    """Søkt ut: settlement dates are registered on each row."""

    register = PageTemplateColumn(template_name="settlement/includes/settle_row.html", verbose_name="Bosettingsdato",
                                     orderable=False, exclude_from_export=True)

    class Meta(AssignedTable.Meta):
        empty_text = "Ingen husstander venter på registrering av bosetting."
        order_by = ("assigned_on",)


class DecisionHistoryTable(SettlementTable):
    """The municipality's decisions as they were changed, newest first (the current one included)."""

    count_nouns = "endring,endringer"

    history_date = tables.DateTimeColumn(verbose_name="Tidspunkt", format="d.m.Y H:i", default="–")
    year = tables.Column("År")
    places = NumberColumn("Vedtatt")
    unaccompanied_minors = NumberColumn("Herav EM")
    history_type = tables.Column("Endring")
    history_user = tables.Column("Registrert av", empty_values=(), orderable=False)

    class Meta(SettlementTable.Meta):
        empty_text = "Ingen endringer registrert."
        orderable = False  # the order is the history's own (views.municipality.decision_history)
        per_page = 25

    def render_history_type(self, record):
        return {"+": "Registrert", "~": "Endret", "-": "Slettet", "=": "Gjeldende vedtak"}.get(record.history_type, record.history_type)

    def render_history_user(self, record):
        user = record.history_user
        return (user.get_full_name() or user.username) if user else "–"
