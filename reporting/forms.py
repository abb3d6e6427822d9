from django import forms
from django.utils import timezone

from .models import MONTH_NAMES, Indicator, ReportKind


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
    indicator = forms.ModelChoiceField(label="Styringsparameter", queryset=Indicator.objects.filter(computation=""))
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    value = forms.DecimalField(label="Verdi", max_digits=10, decimal_places=2)
    note = forms.CharField(label="Kilde/merknad", required=False, max_length=300)
