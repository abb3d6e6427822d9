from django import forms

from core.forms import DateInput
from core.models import Agency, Municipality, Region

from .models import AgreementType


class AgreementForm(forms.Form):
    title = forms.CharField(label="Navn", max_length=200)
    agreement_type = forms.ChoiceField(label="Type", choices=AgreementType.choices)
    region = forms.ModelChoiceField(label="Ansvarlig regionkontor", queryset=Region.objects.all(), required=False)
    municipalities = forms.ModelMultipleChoiceField(label="Kommuner", queryset=Municipality.objects.order_by("name"), required=False)
    agencies = forms.ModelMultipleChoiceField(label="Etater", queryset=Agency.objects.all(), required=False)
    start_date = forms.DateField(label="Gjelder fra", widget=DateInput())
    end_date = forms.DateField(label="Gjelder til", widget=DateInput())
    purpose = forms.CharField(label="Formål", widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(label="Mål (ett per linje)", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    imdi_commitments = forms.CharField(label="IMDis forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    party_commitments = forms.CharField(label="Kommunens/etatens forpliktelser", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    signed_by = forms.CharField(label="Signert av", required=False, max_length=200)


class ActionItemForm(forms.Form):
    title = forms.CharField(label="Tiltak", max_length=200)
    owner = forms.CharField(label="Ansvarlig part", max_length=120)
    due_date = forms.DateField(label="Frist", widget=DateInput())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Møtedato", widget=DateInput())
    participants = forms.CharField(label="Deltakere", required=False, max_length=300)
    minutes = forms.CharField(label="Referat", widget=forms.Textarea(attrs={"rows": 3}))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    summary = forms.CharField(label="Status og resultater", widget=forms.Textarea(attrs={"rows": 3}))
