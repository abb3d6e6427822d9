from django import forms
from django.apps import apps

from core.forms import DateInput
from core.models import Agency, Municipality, Region

from .models import AgreementType, MeetingTopic, PartyOrganisation

TOPICS = forms.CheckboxSelectMultiple


class AgreementForm(forms.Form):
    template = forms.ModelChoiceField(label="Lag fra mal", queryset=None, required=False,
                                      help_text="Malen gir type, formål, mål, forpliktelser, møtetemaer og handlingsplan.")
    title = forms.CharField(label="Navn", max_length=200)
    agreement_type = forms.ChoiceField(label="Type", choices=[("", "---------")] + AgreementType.choices, required=False)
    region = forms.ModelChoiceField(label="Ansvarlig regionkontor", queryset=Region.objects.all(), required=False)
    municipalities = forms.ModelMultipleChoiceField(label="Kommuner", queryset=Municipality.objects.order_by("name"), required=False)
    agencies = forms.ModelMultipleChoiceField(label="Etater", queryset=Agency.objects.all(), required=False)
    parties = forms.ModelMultipleChoiceField(
        label="Andre parter", queryset=PartyOrganisation.objects.all(), required=False,
        help_text="Statsforvalteren (Fylkesmannen), KS, fylkeskommuner og bydeler i Oslo.")
    start_date = forms.DateField(label="Gjelder fra", widget=DateInput())
    end_date = forms.DateField(label="Gjelder til", widget=DateInput())
    purpose = forms.CharField(label="Formål", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    goals = forms.CharField(label="Mål (ett per linje)", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    imdi_commitments = forms.CharField(label="IMDis forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    party_commitments = forms.CharField(label="Kommunens/etatens forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    meeting_topics = forms.MultipleChoiceField(label="Faste møtetemaer hvert år", choices=MeetingTopic.choices, widget=TOPICS,
                                               required=False)
    signed_by = forms.CharField(label="Signert av", required=False, max_length=200)

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates if templates is not None else self.fields["parties"].queryset.none()

    def clean(self):
        data = super().clean()
        if not data.get("template"):
            # Without a template the type and the purpose are typed in.
            if not data.get("agreement_type"):
                self.add_error("agreement_type", forms.ValidationError("Velg type eller en mal.", code="required"))
            if not (data.get("purpose") or "").strip():
                self.add_error("purpose", forms.ValidationError("Skriv formålet eller velg en mal.", code="required"))
        return data


class ActionItemForm(forms.Form):
    title = forms.CharField(label="Tiltak", max_length=200)
    owner = forms.CharField(label="Ansvarlig part", max_length=120)
    due_date = forms.DateField(label="Frist", widget=DateInput())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Møtedato", widget=DateInput())
    topics = forms.MultipleChoiceField(label="Temaer", choices=MeetingTopic.choices, widget=TOPICS, required=False)
    participants = forms.CharField(label="Deltakere", required=False, max_length=300)
    minutes = forms.CharField(label="Referat", widget=forms.Textarea(attrs={"rows": 3}))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    summary = forms.CharField(label="Status og resultater", widget=forms.Textarea(attrs={"rows": 3}))


def grant_applications():
    """grants.GrantApplication through the app registry: grants and agreements are independent apps."""
    return apps.get_model("grants", "GrantApplication").objects.select_related("grant_year__scheme", "municipality")


class GrantLinkForm(forms.Form):
    application = forms.ModelChoiceField(label="Søknad om tilskudd", queryset=None)
    note = forms.CharField(label="Merknad", required=False, max_length=300)

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        applications = grant_applications()
        if agreement is not None:
            applications = applications.filter(municipality__in=agreement.municipalities.all())
        self.fields["application"].queryset = applications.order_by("-grant_year__year", "title")
        self.fields["application"].label_from_instance = (
            lambda a: f"{a.grant_year.scheme.name} {a.grant_year.year}: {a.title} ({a.applicant_name}, {a.get_status_display()})")


class TemplateForm(forms.Form):
    name = forms.CharField(label="Navn på malen", max_length=200)
    agreement_type = forms.ChoiceField(label="Type", choices=AgreementType.choices)
    region = forms.ModelChoiceField(label="Regionkontor", queryset=Region.objects.all(), required=False,
                                    help_text="Tomt: nasjonal mal (nasjonal administrator).")
    purpose = forms.CharField(label="Formål", widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(label="Mål (ett per linje)", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    imdi_commitments = forms.CharField(label="IMDis forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    party_commitments = forms.CharField(label="Partens forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    meeting_topics = forms.MultipleChoiceField(label="Faste møtetemaer hvert år", choices=MeetingTopic.choices, widget=TOPICS,
                                               required=False)
    evaluation_points = forms.CharField(label="Årlig evaluering: punkter (ett per linje)", widget=forms.Textarea(attrs={"rows": 2}),
                                        required=False)


class TemplateItemForm(forms.Form):
    year = forms.IntegerField(label="Avtaleår (1 = første år)")
    due_month = forms.IntegerField(label="Frist (måned 1–12)")
    title = forms.CharField(label="Tiltak", max_length=200)
    owner = forms.CharField(label="Ansvarlig part", max_length=120)


class ContactForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Kommune", queryset=None)
    contacted_on = forms.DateField(label="Dato", widget=DateInput())
    contact = forms.CharField(label="Kontaktperson (navn og rolle)", max_length=200)
    topic = forms.ChoiceField(label="Tema", choices=MeetingTopic.choices)
    note = forms.CharField(label="Notat", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities if municipalities is not None else Municipality.objects.none()
