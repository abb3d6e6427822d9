"""Grant forms: the claim period, the application, and the application workflow's steps."""

from django import forms
from django.utils import timezone

from . import selectors
from .models import GrantYear


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="Kvartal", min_value=1, max_value=4)


class ApplicationForm(forms.Form):
    grant_year = forms.ModelChoiceField(label="Ordning", queryset=GrantYear.objects.none())
    applicant_name = forms.CharField(label="Søker (organisasjon)", required=False, max_length=200)
    title = forms.CharField(label="Prosjekt", max_length=200)
    description = forms.CharField(label="Beskrivelse", widget=forms.Textarea(attrs={"rows": 4}))
    amount_requested = forms.DecimalField(label="Søkt beløp (kr)", max_digits=12, decimal_places=2)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant_year"].queryset = selectors.open_application_years(timezone.localdate().year)
        if actor is not None and actor.is_municipality:
            del self.fields["applicant_name"]  # a municipality applies in its own name


class AssessForm(forms.Form):
    assessment = forms.CharField(label="Vurdering", widget=forms.Textarea(attrs={"rows": 3}))
    recommended_amount = forms.DecimalField(label="Anbefalt beløp (kr)", required=False, max_digits=12, decimal_places=2)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="Vedtak", choices=[("grant", "Innvilg"), ("reject", "Avslå")])
    amount = forms.DecimalField(label="Innvilget beløp (kr)", required=False, max_digits=12, decimal_places=2)
    reason = forms.CharField(label="Begrunnelse", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    report = forms.CharField(label="Rapport: hva ble gjort og oppnådd", widget=forms.Textarea(attrs={"rows": 4}))
    amount_used = forms.DecimalField(label="Brukt beløp (kr)", max_digits=12, decimal_places=2)


class PayForm(forms.Form):
    """Registering the payment of a granted application takes no input."""


class DisputeForm(forms.Form):
    reason = forms.CharField(label="Hva er feil i linjen?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="For eksempel riktig bosettingsdato, eller at personen ikke er bosatt i kommunen.")


class ResolveDisputeForm(forms.Form):
    corrected_settled_on = forms.DateField(label="Rettet bosettingsdato", required=False,
                                           widget=forms.DateInput(attrs={"type": "date"}),
                                           help_text="La feltet stå uendret hvis dataene er rettet på husstandssiden.")
    resolution = forms.CharField(label="Svar til kommunen (hva er rettet)", max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class RejectDisputeForm(forms.Form):
    resolution = forms.CharField(label="Begrunnelse (hvorfor linjen er riktig)", max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class ProgrammeForm(forms.Form):
    programme_start = forms.DateField(label="Introduksjonsprogram start", required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    programme_end = forms.DateField(label="Introduksjonsprogram slutt", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))


class HoursForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="Kvartal", min_value=1, max_value=4)
    hours = forms.IntegerField(label="Timer norskopplæring", min_value=0, max_value=600)


class SelfSettlementForm(forms.Form):
    household = forms.IntegerField(label="Husstand", min_value=1, max_value=2**31 - 1)
    municipality = forms.ModelChoiceField(label="Kommune", queryset=None)

    def __init__(self, *args, **kwargs):
        from core.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name", "number")
