"""Requests (anmodninger) and capacity: what IMDi asks of municipalities and what they have left."""

from datetime import date, timedelta

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views import View
from django_tables2 import RequestConfig

from core import policy
from core.models import Municipality
from core.params import id_param, year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import letters, planning, selectors, services
from ..filtersets import MunicipalityFilterSet, RequestFilterSet
from ..forms import AdjustRequestForm, RequestForm
from ..models import MunicipalDecision, MunicipalityContact, NationalNeed, RequestedPlaces, RequestLetter
from ..request_forms import ContactForm, ImdiDecisionForm, PlanForm, parse_places
from ..tables import CapacityTable, RequestTable
from ..widgets import quick_selects
from .common import export_query


class RequestLetterTable(RequestTable):
    """The requests with the letter (sent when, to whom, the PDF) and each year's reply status."""

    letter = tables.Column("Brev", empty_values=(), orderable=False)
    reply = tables.Column("Svar fra kommunen", empty_values=(), orderable=False)

    class Meta(RequestTable.Meta):
        sequence = ("municipality", "sent_on", "reply_deadline", "years", "letter", "reply", "adjusted_at", "adjust")

    def __init__(self, *args, decided=None, **kwargs):
        self.decided = decided or {}
        super().__init__(*args, **kwargs)

    def render_letter(self, record):
        letter = getattr(record, "letter", None)
        if letter is None:
            if self.can_adjust:
                return format_html('Ikke sendt · <a href="{}">Send brev <span class="visually-hidden">til {}</span></a>',
                                   reverse("settlement:request_send", args=[record.pk]), record.municipality.name)
            return "Ikke sendt"
        if letter.sent_at is None:
            return "Venter på utsending"
        return format_html('<span data-testid="letter-sent">Sendt {} til {}</span> · <a href="{}">PDF</a>',
                           date_format(timezone.localtime(letter.sent_at), "d.m.Y"), letter.recipient_email,
                           reverse("settlement:request_letter", args=[record.pk]))

    def value_letter(self, record):
        letter = getattr(record, "letter", None)
        return f"{letter.sent_at:%Y-%m-%d} {letter.recipient_email}" if letter and letter.sent_at else ""

    def _statuses(self, record):
        return [(y.year, planning.reply_status(y.persons, self.decided.get((record.municipality_id, y.year))))
                for y in record.years.all()]

    def render_reply(self, record):
        return format_html_join(" · ", '<span data-reply="{}">{}: {}</span>',
                                ((status.value, year, status.label) for year, status in self._statuses(record)))

    def value_reply(self, record):
        return " · ".join(f"{year}: {status.label}" for year, status in self._statuses(record))


class RequestListView(RoleRequiredMixin, View):
    permission = "settlement.view_cases"

    def get(self, request):
        filterset = RequestFilterSet(request.GET, queryset=selectors.requests_for(self.actor).select_related("letter"))
        decided = {(m, y): places for m, y, places in selectors.decisions_for(self.actor).filter(
            municipality__in=filterset.qs.values("municipality_id")).values_list("municipality_id", "year", "places")}
        table = RequestLetterTable(filterset.qs, can_adjust=self.actor.is_imdi, decided=decided)
        if request.GET.get("format") == "csv":
            return table.csv("anmodninger.csv")
        RequestConfig(request).configure(table)
        return render(request, "settlement/requests.html", {"filter": filterset, "table": table, "csv_query": export_query(request)})


class RequestCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "settlement.manage_requests"

    def get(self, request):
        today = timezone.localdate()
        form = quick_selects(RequestForm(initial={"sent_on": today, "reply_deadline": today + timedelta(days=60),
                                                  "first_year": today.year + 1}), "municipality")
        return render(request, "settlement/request_form.html", {"form": form})

    def post(self, request):
        form = quick_selects(RequestForm(request.POST), "municipality")
        if form.is_valid():
            d = form.cleaned_data
            if self.call_service(form, lambda: services.create_settlement_request(
                self.actor, municipality=d["municipality"], sent_on=d["sent_on"], reply_deadline=d["reply_deadline"],
                years=form.years(), note=d["note"],
            ))[0]:
                # Registered, not sent: "sendt" only once a letter has left (RequestLetter.sent_at).
                messages.success(request, f"Anmodningen til {d['municipality'].name} er registrert. "
                                          "Send brevet fra listen over anmodninger.")
                return redirect("settlement:requests")
        return render(request, "settlement/request_form.html", {"form": form}, status=400)


class RequestAdjustView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "settlement.manage_requests"

    def get_request(self, pk):
        return get_object_or_404(selectors.requests_for(self.actor), pk=pk)

    def get(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request_years=req.years.all())
        history = req.history.select_related("history_user").order_by("-history_date")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": history})

    def post(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request.POST, request_years=req.years.all())
        if form.is_valid() and self.call_service(form, lambda: services.adjust_settlement_request(
            self.actor, req, years=form.years(), note=form.cleaned_data["note"]
        ))[0]:
            messages.success(request, "Anmodningen er justert.")
            return redirect("settlement:requests")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": []}, status=400)


class CapacityView(RoleRequiredMixin, View):
    """Kapasitet: requested, decided, used and remaining places per municipality for a year."""

    permission = "settlement.view_capacity"

    def get(self, request):
        year = year_param(request.GET)
        data = request.GET.copy()
        if "region" not in data and self.actor.is_caseworker:
            # A caseworker starts on the own region; the filter shows it, and the CSV link carries it.
            data["region"] = str(self.actor.region_id)
        filterset = MunicipalityFilterSet(data, queryset=Municipality.objects.select_related("region").order_by("region__name", "name"))
        municipalities = list(filterset.qs)
        caps = selectors.shown_capacities([m.pk for m in municipalities], year)
        requested = dict(RequestedPlaces.objects.filter(year=year, municipality__in=[m.pk for m in municipalities])
                         .values_list("municipality_id", "persons"))
        rows = [{"m": m, "cap": caps[m.pk], "requested": requested.get(m.pk)} for m in municipalities]
        table = CapacityTable(rows, year=year)
        if request.GET.get("format") == "csv":
            return table.csv(f"kapasitet-{year}.csv")
        RequestConfig(request).configure(table)
        totals = {k: sum(getattr(r["cap"], k) for r in rows) for k in ("decided", "proposed", "accepted", "assigned", "settled", "remaining")}
        totals["requested"] = sum(r["requested"] or 0 for r in rows)
        query = data.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return render(request, "settlement/capacity.html", {
            "filter": filterset, "table": table, "year": year, "totals": totals, "csv_query": query.urlencode(),
        })


# --- Request planning and letters, contacts, decisions registered by IMDi (issue 12) -------------------------

def _region_municipalities(actor, region=None, on=None):
    """The municipalities the actor may write to: a caseworker's region, the admin's chosen region or all."""
    qs = Municipality.objects.select_related("region").order_by("name")
    if on is not None:
        qs = qs.valid_on(on)
    if actor.is_caseworker:
        return qs.filter(region_id=actor.region_id)
    return qs.filter(region=region) if region is not None else qs


class RequestPlanView(RoleRequiredMixin, ServiceFormMixin, View):
    """Anmodningsplan: the national need split by the stated key, adjusted per municipality and sent as letters."""

    permission = "settlement.manage_requests"

    def initial(self):
        today = timezone.localdate()
        first = today.year + 1
        needs = {n.year: n for n in NationalNeed.objects.filter(year__lte=first + 2).order_by("year")}
        initial = {"first_year": first, "reply_deadline": today + timedelta(days=60)}
        last = None
        for i in (1, 2, 3):
            # A year without a fixed need: the forecast starts from the latest known need.
            last = needs.get(first + i - 1) or last or (needs[max(needs)] if needs else None)
            initial[f"need_{i}"] = last.total if last else 0
            initial[f"minors_need_{i}"] = last.unaccompanied_minors if last else 0
        return initial

    def rows(self, form):
        """The proposal for every valid municipality, and the rows the actor sees and may send."""
        first = form.cleaned_data["first_year"]
        years = list(range(first, first + services.MAX_REQUEST_YEARS))
        everyone = list(Municipality.objects.valid_on(date(first, 1, 1)).order_by("number"))
        proposal = planning.propose(form.needs(), form.key(), planning.bases_for(first, everyone))
        shown = list(_region_municipalities(self.actor, form.cleaned_data.get("region"), date(first, 1, 1)))
        ids = [m.pk for m in shown]
        asked = set(RequestedPlaces.objects.filter(municipality_id__in=ids, year__in=years).values_list("municipality_id", flat=True))
        recipients = {c.municipality_id: c for c in MunicipalityContact.objects.filter(
            municipality_id__in=ids, receives_request_letter=True)}
        rows = [{"m": m, "years": [(y, *proposal.get(m.pk, {}).get(y, (0, 0))) for y in years],
                 "asked": m.pk in asked, "recipient": recipients.get(m.pk)} for m in shown]
        totals = [(y, sum(r["years"][i][1] for r in rows), planning.target(form.needs()[y][0], form.key().factor))
                  for i, y in enumerate(years)]
        return years, rows, totals

    KEY_FIELDS = {"first_year", "need_1", "minors_need_1", "need_2", "minors_need_2", "need_3", "minors_need_3",
                  "weight_population", "weight_previous_settlement", "weight_decided", "factor"}

    def render_page(self, request, form, places=None, status=200):
        context = {"form": form, "rows": None}
        if form.is_bound and not form.is_valid():
            status = 400
        # The table shows whenever the need and the key are usable, also after the service refused the round.
        usable = form.is_bound and self.KEY_FIELDS <= set(getattr(form, "cleaned_data", {}))
        if usable and form.key().problems():
            for field, (message, code) in form.key().problems().items():
                form.add_error("factor" if field == "factor" else f"weight_{field}", ValidationError(message, code=code))
            status = 400
        elif usable:
            years, rows, totals = self.rows(form)
            for r in rows:
                r["send"] = r["recipient"] is not None
            if places is not None:  # after an error the caseworker's figures and ticks stay in the table
                for r in rows:
                    r["send"] = r["m"].pk in places
                    if r["m"].pk in places:
                        r["years"] = [(y, *places[r["m"].pk][y]) for y in years]
            context.update(years=years, rows=rows, totals=totals, colspan=1 + 2 * len(years))
        return render(request, "settlement/request_plan.html", context, status=status)

    def get(self, request):
        if "first_year" in request.GET:
            return self.render_page(request, PlanForm(request.GET, actor=self.actor))
        return self.render_page(request, PlanForm(initial=self.initial(), actor=self.actor))

    def post(self, request):
        form = PlanForm(request.POST, actor=self.actor)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        first = form.cleaned_data["first_year"]
        years = list(range(first, first + services.MAX_REQUEST_YEARS))
        shown = _region_municipalities(self.actor, form.cleaned_data.get("region"), date(first, 1, 1))
        asked = set(RequestedPlaces.objects.filter(year__in=years).values_list("municipality_id", flat=True))
        # The rows ticked for sending (a municipality without a letter recipient is offered unticked).
        ticked = set(request.POST.getlist("send"))
        ids = [pk for pk in shown.values_list("pk", flat=True) if pk not in asked and str(pk) in ticked]
        places, errors = parse_places(request.POST, ids, years)
        if errors:
            form.add_error(None, ValidationError(" ".join(errors), code="invalid_count"))
            return self.render_page(request, form, places=places, status=400)
        ok, sent = self.call_service(form, lambda: services.send_request_letters(
            self.actor, first_year=first, key=form.key(), needs=form.needs(), places=places,
            reply_deadline=form.cleaned_data["reply_deadline"], note=form.cleaned_data["note"]))
        if not ok:
            return self.render_page(request, form, places=places, status=400)
        messages.success(request, f"{len(sent)} anmodninger er registrert, og brevene sendes på e-post til kommunenes "
                                  "administrative ledelse.")
        return redirect("settlement:requests")


class RequestSendView(RoleRequiredMixin, ServiceFormMixin, View):
    """Send the letter for a request registered by hand (after a confirmation)."""

    permission = "settlement.manage_requests"

    def get_request(self, pk):
        return get_object_or_404(selectors.requests_for(self.actor).select_related("municipality"), pk=pk)

    def render_page(self, request, req, errors=(), status=200):
        return render(request, "settlement/request_send.html", {
            "req": req, "recipient": services.letter_recipient(req.municipality), "errors": errors,
            "letter": RequestLetter.objects.filter(request=req).first()}, status=status)

    def get(self, request, pk):
        return self.render_page(request, self.get_request(pk))

    def post(self, request, pk):
        req = self.get_request(pk)
        try:
            services.send_request_letter(self.actor, req)
        except ValidationError as exc:
            return self.render_page(request, req, errors=exc.messages, status=400)
        messages.success(request, f"Brevet til {req.municipality.name} er lagt til utsending.")
        return redirect("settlement:requests")


class RequestLetterView(RoleRequiredMixin, View):
    """The letter as it was sent (the PDF kept at sending); IMDi and the municipality it was sent to."""

    permission = "settlement.view_cases"

    def get(self, request, pk):
        req = get_object_or_404(selectors.requests_for(self.actor), pk=pk)
        letter = RequestLetter.objects.filter(request=req, sent_at__isnull=False).first()
        if letter is None:
            raise Http404("Brevet er ikke sendt.")
        # The PDF as it was attached; a letter recorded without one (the demo's) is made again from the record.
        pdf = bytes(letter.pdf) if letter.pdf else letters.request_letter_pdf(letter)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letters.letter_filename(letter)}"'
        return response


class ContactListView(RoleRequiredMixin, ServiceFormMixin, View):
    """Kontaktregister: who in each municipality receives IMDi's request letter."""

    permission = "settlement.manage_contacts"

    def municipalities(self):
        return _region_municipalities(self.actor, on=timezone.localdate())

    def contacts(self):
        return policy.restrict(MunicipalityContact.objects.select_related("municipality"), self.actor,
                               region="municipality__region_id")

    def render_page(self, request, form, status=200):
        return render(request, "settlement/request_contacts.html", {"form": form, "contacts": self.contacts()},
                      status=status)

    def get(self, request):
        return self.render_page(request, ContactForm(municipalities=self.municipalities(),
                                                     initial={"receives_request_letter": True}))

    def post(self, request):
        form = ContactForm(request.POST, municipalities=self.municipalities())
        if form.is_valid() and self.call_service(form, lambda: services.save_contact(self.actor, **form.cleaned_data))[0]:
            messages.success(request, f"Kontaktpersonen i {form.cleaned_data['municipality'].name} er lagret.")
            return redirect("settlement:contacts")
        return self.render_page(request, form, status=400)


class ContactEditView(ContactListView):
    def get_contact(self, pk):
        return get_object_or_404(self.contacts(), pk=pk)

    def get(self, request, pk):
        contact = self.get_contact(pk)
        return render(request, "settlement/request_contact.html", {
            "contact": contact, "form": ContactForm(instance=contact, municipalities=self.municipalities())})

    def post(self, request, pk):
        contact = self.get_contact(pk)
        if request.POST.get("action") == "delete":
            services.delete_contact(self.actor, contact)
            messages.success(request, "Kontaktpersonen er slettet.")
            return redirect("settlement:contacts")
        form = ContactForm(request.POST, instance=contact, municipalities=self.municipalities())
        if form.is_valid() and self.call_service(form, lambda: services.save_contact(
                self.actor, contact=contact, **form.cleaned_data))[0]:
            messages.success(request, "Kontaktpersonen er lagret.")
            return redirect("settlement:contacts")
        return render(request, "settlement/request_contact.html", {"contact": contact, "form": form}, status=400)


class DecisionRegisterView(RoleRequiredMixin, ServiceFormMixin, View):
    """IMDi registers a municipality's decision (vedtak) on its behalf, with the decision's date and reference."""

    permission = "settlement.register_decision_for_municipality"

    def municipalities(self):
        return _region_municipalities(self.actor, on=timezone.localdate())

    def render_page(self, request, form, status=200):
        recent = selectors.decisions_for(self.actor).filter(registered_by_imdi=True).order_by("-registered_at")[:20]
        return render(request, "settlement/request_decision.html", {"form": form, "recent": recent}, status=status)

    def get(self, request):
        year = year_param(request.GET)
        initial = {"year": year, "decided_on": timezone.localdate(), "unaccompanied_minors": 0}
        municipality_id = id_param(request.GET, "municipality")
        municipality = self.municipalities().filter(pk=municipality_id).first() if municipality_id else None
        if municipality is not None:
            initial["municipality"] = municipality.pk
            decision = MunicipalDecision.objects.filter(municipality=municipality, year=year).first()
            if decision is not None:
                initial.update(places=decision.places, unaccompanied_minors=decision.unaccompanied_minors,
                               decided_on=decision.decided_on, reference=decision.reference,
                               housing_plan=decision.housing_plan)
        return self.render_page(request, ImdiDecisionForm(initial=initial, municipalities=self.municipalities()))

    def post(self, request):
        form = ImdiDecisionForm(request.POST, municipalities=self.municipalities())
        if form.is_valid() and self.call_service(form, lambda: services.record_decision(self.actor, **form.cleaned_data))[0]:
            d = form.cleaned_data
            messages.success(request, f"Vedtaket for {d['municipality'].name} {d['year']} er registrert på kommunens vegne.")
            return redirect(reverse("settlement:decision_register") + f"?year={d['year']}")
        return self.render_page(request, form, status=400)
