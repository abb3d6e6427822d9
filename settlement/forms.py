"""Web forms. They parse and present input; the rules live in settlement.services."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from core.bounds import MAX_HOUSEHOLD_SIZE, MAX_PLACES
from core.forms import DateInput
from core.models import Municipality, ReceptionCentre, Region

from .models import DUF_VALIDATOR, NATIONALITIES, Category, DeclineReason, ExitReason, MunicipalDecision, Sex


class DecisionForm(forms.Form):
    """The municipality's decision (vedtak) for one year."""

    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    places = forms.IntegerField(label="Vedtatt antall personer", help_text="Totalt antall personer kommunen vil bosette.",
                                max_value=MAX_PLACES)
    unaccompanied_minors = forms.IntegerField(label="Herav enslige mindreårige", initial=0, max_value=MAX_PLACES)
    decided_on = forms.DateField(label="Vedtaksdato", widget=DateInput())
    housing_plan = forms.CharField(
        label="Plan for boliganskaffelse", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kommunen bør ha en plan for bolig når den vedtar bosetting (Husbanken, KS og IMDi).",
    )

    def clean_places(self):
        value = self.cleaned_data["places"]
        if value < 0:
            raise forms.ValidationError("Antallet kan ikke være negativt.", code="negative_count")
        return value

    def clean_unaccompanied_minors(self):
        value = self.cleaned_data["unaccompanied_minors"]
        if value < 0:
            raise forms.ValidationError("Antallet kan ikke være negativt.", code="negative_count")
        return value

    @classmethod
    def initial_for(cls, decision: MunicipalDecision | None, year: int):
        if decision is None:
            return {"year": year, "decided_on": timezone.localdate(), "unaccompanied_minors": 0}
        return {
            "year": decision.year, "places": decision.places, "unaccompanied_minors": decision.unaccompanied_minors,
            "decided_on": decision.decided_on, "housing_plan": decision.housing_plan,
        }


class AcceptForm(forms.Form):
    comment = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label="Grunn til avslag", choices=[("", "— velg —")] + DeclineReason.choices)
    comment = forms.CharField(label="Kommentar", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    assigned_on = forms.DateField(label="Dato søkt ut", widget=DateInput())


class ExitForm(forms.Form):
    # No reason preselected: taking a household out of the flow must be a choice (issue 13).
    reason = forms.ChoiceField(label="Årsak", choices=[("", "— velg årsak —")] + ExitReason.choices)
    exited_on = forms.DateField(label="Dato", widget=DateInput())
    note = forms.CharField(label="Merknad", required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Begrunnelse", required=False)


class SettlementDatesForm(forms.Form):
    """One date field per person not yet registered as settled."""

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = [p for p in persons if p.settled_on is None]
        for p in self.persons:
            self.fields[f"person_{p.pk}"] = forms.DateField(
                label=f"{p.full_name} (f. {p.birth_date:%d.%m.%Y})", required=False, widget=DateInput()
            )

    def clean(self):
        cleaned = super().clean()
        if self.persons and not any(cleaned.get(f"person_{p.pk}") for p in self.persons):
            raise forms.ValidationError("Oppgi bosettingsdato for minst én person.", code="no_dates")
        return cleaned

    def dates(self) -> dict:
        return {p.pk: self.cleaned_data[f"person_{p.pk}"] for p in self.persons if self.cleaned_data.get(f"person_{p.pk}")}


class DistributionListForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Kommune", queryset=Municipality.objects.select_related("region").order_by("name")
    )
    year = forms.IntegerField(label="Bosettingsår", min_value=2000, max_value=2100)
    reply_deadline = forms.DateField(label="Svarfrist", widget=DateInput())
    note = forms.CharField(label="Merknad til kommunen", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    households = forms.TypedMultipleChoiceField(label="Husstander", coerce=int, required=False)

    def __init__(self, *args, household_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [(h.pk, str(h)) for h in household_choices]

    @staticmethod
    def default_initial():
        today = timezone.localdate()
        return {"year": today.year, "reply_deadline": today + timedelta(days=14)}


class RequestForm(forms.Form):
    """A settlement request (anmodning) for up to three consecutive years."""

    municipality = forms.ModelChoiceField(label="Kommune", queryset=Municipality.objects.order_by("name"))
    sent_on = forms.DateField(label="Sendt", widget=DateInput())
    reply_deadline = forms.DateField(label="Svarfrist", widget=DateInput())
    first_year = forms.IntegerField(label="Første år", min_value=2000, max_value=2100)
    persons_1 = forms.IntegerField(label="Personer år 1", min_value=0, max_value=MAX_PLACES)
    minors_1 = forms.IntegerField(label="Herav enslige mindreårige år 1", min_value=0, max_value=MAX_PLACES, initial=0)
    persons_2 = forms.IntegerField(label="Personer år 2", min_value=0, max_value=MAX_PLACES, required=False)
    minors_2 = forms.IntegerField(label="Herav enslige mindreårige år 2", min_value=0, max_value=MAX_PLACES, required=False)
    persons_3 = forms.IntegerField(label="Personer år 3", min_value=0, max_value=MAX_PLACES, required=False)
    minors_3 = forms.IntegerField(label="Herav enslige mindreårige år 3", min_value=0, max_value=MAX_PLACES, required=False)
    note = forms.CharField(label="Merknad", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def years(self) -> dict[int, tuple[int, int]]:
        first = self.cleaned_data["first_year"]
        result = {}
        for i in (1, 2, 3):
            persons = self.cleaned_data.get(f"persons_{i}")
            if persons is not None:
                result[first + i - 1] = (persons, self.cleaned_data.get(f"minors_{i}") or 0)
        return result


class AdjustRequestForm(forms.Form):
    note = forms.CharField(label="Begrunnelse for justering", required=False)

    def __init__(self, *args, request_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.request_years = list(request_years)
        for rp in self.request_years:
            self.fields[f"persons_{rp.year}"] = forms.IntegerField(label=f"Personer {rp.year}", min_value=0,
                                                                   max_value=MAX_PLACES, initial=rp.persons)
            self.fields[f"minors_{rp.year}"] = forms.IntegerField(
                label=f"Herav enslige mindreårige {rp.year}", min_value=0, max_value=MAX_PLACES, initial=rp.unaccompanied_minors
            )

    def years(self):
        return {rp.year: (self.cleaned_data[f"persons_{rp.year}"], self.cleaned_data[f"minors_{rp.year}"]) for rp in self.request_years}


class HouseholdForm(forms.Form):
    """A settlement-ready household registered by IMDi (UDI sends most through the API)."""

    category = forms.ChoiceField(label="Kategori", choices=Category.choices)
    reception_centre = forms.ModelChoiceField(label="Mottak", queryset=ReceptionCentre.objects.all(), required=False)
    region = forms.ModelChoiceField(label="Ansvarlig regionkontor", queryset=Region.objects.all(), required=False,
                                    help_text="Tomt: mottakets region (enslige mindreårige: IMDi Nord).")
    settlement_ready_on = forms.DateField(label="Bosettingsklar fra", widget=DateInput(), required=False)
    special_needs = forms.CharField(label="Særskilte behov", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    tied_municipality = forms.ModelChoiceField(label="Tilknytning til kommune", queryset=Municipality.objects.order_by("name"),
                                               required=False)
    ties_note = forms.CharField(label="Om tilknytningen", required=False, max_length=200)


class PersonForm(forms.Form):
    duf_number = forms.CharField(label="DUF-nummer", max_length=12, validators=[DUF_VALIDATOR])
    first_name = forms.CharField(label="Fornavn", max_length=80)
    last_name = forms.CharField(label="Etternavn", max_length=80)
    birth_date = forms.DateField(label="Fødselsdato", widget=DateInput())
    # An empty first choice, so the spare rows of the formset stay unchanged until someone fills them in.
    sex = forms.ChoiceField(label="Kjønn", choices=[("", "—")] + Sex.choices)
    nationality = forms.ChoiceField(label="Nasjonalitet", choices=[("", "—")] + sorted(NATIONALITIES.items(), key=lambda kv: kv[1]))
    residence_permit_date = forms.DateField(label="Vedtak om opphold", widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("birth_date") and cleaned.get("residence_permit_date") and cleaned["birth_date"] > cleaned["residence_permit_date"]:
            raise forms.ValidationError("Fødselsdato kan ikke være etter vedtak om opphold.", code="birth_after_permit")
        return cleaned


# validate_max: without it a posted 13th person was accepted (issue 9); the service refuses it too.
# One empty row to start with; "Legg til person" adds rows up to the bound (static/imdi/persons.js, or the
# server without JavaScript: HouseholdCreateView.add_person).
PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=1, validate_min=True, max_num=MAX_HOUSEHOLD_SIZE,
                                      validate_max=True)
