"""Agreement pages: the list, one agreement with its follow-up, the follow-up dashboard, and
settlement in municipalities with and without an agreement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from core.errors import Forbidden
from core.models import Municipality
from core import formatting, policy
from core.disclosure import DerivedRule, sees_small_counts, suppress_rows
from core.params import id_param, year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin
from settlement.widgets import quick_selects

from . import selectors, services
from .forms import (
    ActionItemForm, AgreementForm, AnnualReportForm, ContactForm, GrantLinkForm, MeetingForm, TemplateForm, TemplateItemForm,
)
from .models import ActionItem, AgreementGrant
from .tables import PER_PAGE, AgreementFilter, AgreementTable, table_csv

# The new agreement's pickers, the municipalities' 838 options among them, written in one pass (issue 14).
PICKERS = ("template", "agreement_type", "region", "municipalities", "agencies", "parties")


class AgreementListView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "agreements.view"

    def table(self, request, paginate=True):
        agreements = selectors.agreements_for(self.actor).prefetch_related("municipalities", "agencies")
        filterset = AgreementFilter(request.GET, queryset=agreements)
        table = AgreementTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": PER_PAGE} if paginate else False).configure(table)
        return filterset, table

    def render_page(self, request, form=None, status=200):
        filterset, table = self.table(request)
        return render(request, "agreements/list.html", {"table": table, "filter": filterset, "form": form}, status=status)

    def get(self, request):
        if request.GET.get("format") == "csv":
            return table_csv(self.table(request, paginate=False)[1], "samarbeidsavtaler.csv")
        form = (quick_selects(AgreementForm(initial={"region": self.actor.region_id}, templates=selectors.templates_for(self.actor)),
                              *PICKERS) if policy.can(self.actor, "agreements.manage") else None)
        return self.render_page(request, form)

    def post(self, request):
        policy.require(self.actor, "agreements.manage")
        form = quick_selects(AgreementForm(request.POST, templates=selectors.templates_for(self.actor)), *PICKERS)
        if form.is_valid():
            d = form.cleaned_data
            parties = {"municipalities": d["municipalities"], "agencies": d["agencies"], "parties": d["parties"]}
            if d["template"]:
                ok, agreement = self.call_service(
                    form, services.create_agreement_from_template, self.actor, d["template"], title=d["title"],
                    region=d["region"], start_date=d["start_date"], end_date=d["end_date"], signed_by=d["signed_by"], **parties)
            else:
                party = services._party_label(d["municipalities"], d["agencies"], d["parties"])
                ok, agreement = self.call_service(
                    form, services.create_agreement, self.actor, title=d["title"], agreement_type=d["agreement_type"], region=d["region"],
                    start_date=d["start_date"], end_date=d["end_date"], purpose=d["purpose"], goals=d["goals"].splitlines(),
                    signed_by=d["signed_by"], meeting_topics=d["meeting_topics"],
                    commitments=[("IMDi", d["imdi_commitments"]), (party, d["party_commitments"])], **parties,
                )
            if ok:
                messages.success(request, "Avtalen er registrert.")
                return redirect("agreements:detail", pk=agreement.pk)
        return self.render_page(request, form, status=400)


class AgreementDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "agreements.view"
    form_classes = {"item": ActionItemForm, "meeting": MeetingForm, "report": AnnualReportForm, "grant": GrantLinkForm}

    def make_form(self, name, agreement, data=None, initial=None):
        cls = self.form_classes[name]
        return cls(data, initial=initial, agreement=agreement) if cls is GrantLinkForm else cls(data, initial=initial)

    def render_page(self, request, agreement, bound=None, status=200):
        today = timezone.localdate()
        forms = {name: (bound[1] if bound and bound[0] == name else self.make_form(name, agreement, initial={"year": today.year - 1}))
                 for name in self.form_classes}
        missed = [y for a, y in selectors.missed_reports(type(agreement).objects.filter(pk=agreement.pk), today)]
        return render(request, "agreements/detail.html", {
            "a": agreement, "today": today, "forms": forms, "missed": missed,
            "plan": selectors.action_plan(agreement), "topics_missing": selectors.topics_missing(agreement, today.year),
            "evaluation_points": [p for p in agreement.evaluation_points.splitlines() if p.strip()],
            "grant_links": agreement.grant_links.select_related("application__grant_year__scheme"),
            "items": agreement.action_items.select_related("responsible"), "meetings": agreement.meetings.all(),
            "reports": agreement.annual_reports.all(), "goals": agreement.goals.all(), "commitments": agreement.commitments.all(),
            "can_edit": policy.can(self.actor, "agreements.manage"), "is_party": self.actor.is_municipality and self.actor.can_write,
        }, status=status)

    def get(self, request, pk):
        agreement = get_object_or_404(selectors.agreements_for(self.actor), pk=pk)
        return self.render_page(request, agreement)

    def post(self, request, pk):
        agreement = get_object_or_404(selectors.agreements_for(self.actor), pk=pk)
        action = request.POST.get("action")
        if action == "complete":
            item = get_object_or_404(ActionItem, pk=id_param(request.POST, "item"), agreement=agreement)
            # No form here: the refusal (already done, say a second click) goes to the page as a message.
            try:
                services.complete_action_item(self.actor, item)
                messages.success(request, "Tiltaket er fullført.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("agreements:detail", pk=pk)
        if action == "unlink":
            link = get_object_or_404(AgreementGrant, pk=id_param(request.POST, "link"), agreement=agreement)
            services.unlink_grant(self.actor, link)
            messages.success(request, "Koblingen til tilskuddet er fjernet.")
            return redirect("agreements:detail", pk=pk)
        if action not in self.form_classes:
            raise Forbidden("Ukjent handling.", code="unknown_action")
        if action == "grant":
            policy.require(self.actor, "agreements.manage")  # before the form: the list of applications is IMDi's
        form = self.make_form(action, agreement, request.POST)
        calls = {
            "item": lambda d: services.add_action_item(self.actor, agreement, **d),
            "meeting": lambda d: services.record_meeting(self.actor, agreement, **d),
            "report": lambda d: services.submit_annual_report(self.actor, agreement, **d),
            "grant": lambda d: services.link_grant(self.actor, agreement, **d),
        }
        if form.is_valid() and self.call_service(form, calls[action], form.cleaned_data)[0]:
            messages.success(request, "Lagret.")
            return redirect("agreements:detail", pk=pk)
        return self.render_page(request, agreement, bound=(action, form), status=400)


class FollowUpView(RoleRequiredMixin, View):
    """Oppfølging: what is overdue, missing or quiet, for the agreements in the user's scope."""

    permission = "agreements.view_follow_up"

    def get(self, request):
        today = timezone.localdate()
        agreements = selectors.agreements_for(self.actor)
        overdue = list(selectors.overdue_action_items(agreements, today))
        for item in overdue:
            item.days_over = (today - item.due_date).days  # "Dager over: 61", not "2 måneder"
        quiet = list(selectors.without_recent_meeting(agreements, today))
        reminded = selectors.quiet_reminders(quiet)
        for a in quiet:
            a.reminded_on = reminded.get(a.pk)
        return render(request, "agreements/follow_up.html", {
            "today": today,
            "overdue": overdue,
            "missed": selectors.missed_reports(agreements, today),
            "quiet": quiet,
            "can_view_contacts": policy.can(self.actor, "agreements.view_contacts"),
        })


class TemplateListView(RoleRequiredMixin, ServiceFormMixin, View):
    """Avtalemaler: the templates an office may use, each with its yearly action plan, and forms to add them."""

    permission = "agreements.view_templates"

    def render_page(self, request, form=None, item_form=None, item_template=None, status=200):
        templates = list(selectors.templates_for(self.actor))
        for t in templates:  # one plan form per template, with its own field ids
            t.item_form = item_form if item_form is not None and t.pk == item_template else TemplateItemForm(auto_id=f"id_plan{t.pk}_%s")
        return render(request, "agreements/templates.html", {
            "templates": templates,
            "form": form or TemplateForm(initial={"region": self.actor.region_id}), "item_template": item_template,
            "can_edit": policy.can(self.actor, "agreements.manage_templates"),
        }, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        policy.require(self.actor, "agreements.manage_templates")
        if request.POST.get("action") == "item":
            template = get_object_or_404(selectors.templates_for(self.actor), pk=id_param(request.POST, "template"))
            form = TemplateItemForm(request.POST, auto_id=f"id_plan{template.pk}_%s")
            if form.is_valid() and self.call_service(form, services.add_template_item, self.actor, template, **form.cleaned_data)[0]:
                messages.success(request, "Tiltaket er lagt til i handlingsplanen.")
                return redirect("agreements:templates")
            return self.render_page(request, item_form=form, item_template=template.pk, status=400)
        form = TemplateForm(request.POST)
        if form.is_valid() and self.call_service(form, services.create_template, self.actor, **form.cleaned_data)[0]:
            messages.success(request, "Malen er lagret.")
            return redirect("agreements:templates")
        return self.render_page(request, form=form, status=400)


class WithoutAgreementView(RoleRequiredMixin, ServiceFormMixin, View):
    """Kommuner uten avtale: the follow-up list of municipalities without an agreement, and the contact log
    (evaluation lines 3623-3629)."""

    permission = "agreements.view_contacts"

    def municipalities(self, today):
        return policy.restrict(Municipality.objects.valid_on(today), self.actor, region="region_id").order_by("name")

    def render_page(self, request, form=None, status=200):
        today = timezone.localdate()
        rows = list(selectors.municipalities_without_agreement(self.actor, today))
        return render(request, "agreements/without_agreement.html", {
            "today": today, "rows": rows, "never": sum(1 for m in rows if m.last_contact is None),
            "contacts": selectors.contacts_for(self.actor)[:50],
            "form": form or ContactForm(municipalities=self.municipalities(today), initial={"contacted_on": today}),
            "can_record": policy.can(self.actor, "agreements.record_contact"),
        }, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        policy.require(self.actor, "agreements.record_contact")
        form = ContactForm(request.POST, municipalities=self.municipalities(timezone.localdate()))
        if form.is_valid() and self.call_service(form, services.record_contact, self.actor, **form.cleaned_data)[0]:
            messages.success(request, "Kontakten er registrert.")
            return redirect("agreements:without_agreement")
        return self.render_page(request, form=form, status=400)


COMPARISON_KEYS = ("label", "municipalities", "population", "requested", "decided", "settled",
                   "decided_share_of_requested", "settled_share_of_decided", "settled_per_1000")


class ComparisonView(RoleRequiredMixin, View):
    """Settlement in municipalities with an agreement against those without."""

    permission = "agreements.view_comparison"

    def get(self, request):
        year = year_param(request.GET)
        rows = [{key: getattr(g, key) for key in COMPARISON_KEYS} for g in selectors.settlement_by_agreement(year)]
        if not sees_small_counts(self.actor):
            # Settled counts under five, and the shares and rates computed from them, are hidden (issue 9).
            rows = suppress_rows(rows, ["settled"], rules=[
                DerivedRule(("settled_share_of_decided", "settled_per_1000"), inputs=("settled",))])
        chart = {"labels": [r["label"] for r in rows],
                 "settled_per_1000": [r["settled_per_1000"] for r in rows],
                 "decided_share": [r["decided_share_of_requested"] for r in rows],
                 "settled_share": [r["settled_share_of_decided"] for r in rows]}
        return render(request, "agreements/comparison.html", {"groups": rows, "shown": [_shown(r) for r in rows], "year": year, "chart": chart})


def _shown(row: dict) -> dict:
    """The row as printed: figures in Norwegian notation (core.formatting), the disclosure markers ("<5", ":") as
    they are."""
    def fmt(value, fn):
        return value if isinstance(value, str) else fn(value)

    return {**row, "population": fmt(row["population"], formatting.number),
            **{k: fmt(row[k], formatting.number) for k in ("municipalities", "requested", "decided", "settled")},
            **{k: fmt(row[k], formatting.percent) for k in ("decided_share_of_requested", "settled_share_of_decided")},
            "settled_per_1000": fmt(row["settled_per_1000"], lambda v: formatting.number(v, 2))}
