from django import forms
from django.utils import timezone

from .models import MONTH_NAMES, Assessment, Goal, Indicator, ReportKind, Unit


class SnapshotRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Rapport", choices=ReportKind.choices)
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="Måned", coerce=int, required=False, empty_value=None,
                                   choices=[("", "—")] + [(i + 1, name) for i, name in enumerate(MONTH_NAMES)])

    @staticmethod
    def default_initial():
        today = timezone.localdate()
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        return {"kind": ReportKind.MONTHLY, "year": year, "month": month}


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label="Styringsparameter",
                                       queryset=Indicator.objects.filter(computation="").exclude(unit=Unit.QUALITATIVE))
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    sex = forms.ChoiceField(label="Kjønn", required=False, choices=[("", "Alle"), ("F", "Kvinner"), ("M", "Menn")])
    value = forms.DecimalField(label="Verdi", max_digits=10, decimal_places=2)
    part_year = forms.CharField(label="Delår", required=False, max_length=40, help_text="Tom for helår, ellers f.eks. «pr. oktober».")
    note = forms.CharField(label="Kilde/merknad", required=False, max_length=300)


class VerdictForm(forms.Form):
    """A verdict on a goal or a steering parameter for a period, e.g. the evaluation's table 9.1."""

    goal = forms.ChoiceField(label="Delmål", choices=Goal.choices)
    indicator = forms.ModelChoiceField(label="Styringsparameter (tom for hele delmålet)", required=False,
                                       queryset=Indicator.objects.all())
    period = forms.CharField(label="Periode", max_length=20)
    assessment = forms.ChoiceField(label="Vurdering", choices=Assessment.choices)
    note = forms.CharField(label="Begrunnelse", required=False, max_length=300)
    source = forms.CharField(label="Kilde", required=False, max_length=200)
