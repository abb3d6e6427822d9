"""Forms for request planning and letters, the contact register and decisions IMDi registers (issue 12)."""

from django import forms

from core.bounds import MAX_PLACES
from core.forms import DateInput
from core.models import Municipality, Region

from .forms import DecisionForm
from .models import ContactTitle, MunicipalityContact
from .planning import MAX_FACTOR, MAX_WEIGHT, Key


def _weight(label, initial, help_text=""):
    return forms.DecimalField(label=label, min_value=0, max_value=MAX_WEIGHT, max_digits=4, decimal_places=2,
                              initial=initial, help_text=help_text)


class PlanForm(forms.Form):
    """The stated key and the national need per year that the proposal is computed from."""

    first_year = forms.IntegerField(label="Første år", min_value=2000, max_value=2100)
    need_1 = forms.IntegerField(label="Nasjonalt behov år 1 (personer)", min_value=0, max_value=100_000)
    minors_need_1 = forms.IntegerField(label="Herav enslige mindreårige år 1", min_value=0, max_value=100_000)
    need_2 = forms.IntegerField(label="Behov år 2 (prognose)", min_value=0, max_value=100_000)
    minors_need_2 = forms.IntegerField(label="Herav enslige mindreårige år 2", min_value=0, max_value=100_000)
    need_3 = forms.IntegerField(label="Behov år 3 (prognose)", min_value=0, max_value=100_000)
    minors_need_3 = forms.IntegerField(label="Herav enslige mindreårige år 3", min_value=0, max_value=100_000)
    weight_population = _weight("Vekt: andel av innbyggerne", Key.population)
    weight_previous_settlement = _weight("Vekt: andel bosatt året før", Key.previous_settlement)
    weight_decided = _weight("Vekt: andel vedtatte plasser året før", Key.decided)
    factor = forms.DecimalField(label="Faktor over behovet", min_value=1, max_value=MAX_FACTOR, max_digits=4,
                                decimal_places=2, initial=Key.factor,
                                help_text="Det anmodes om flere plasser enn behovet, fordi kommunene vedtar færre.")
    reply_deadline = forms.DateField(label="Svarfrist", widget=DateInput())
    region = forms.ModelChoiceField(label="Regionkontor", queryset=Region.objects.all(), required=False,
                                    empty_label="Alle regioner")
    note = forms.CharField(label="Merknad i brevet", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if actor is not None and actor.is_caseworker:
            del self.fields["region"]  # a caseworker plans for the own region

    def key(self) -> Key:
        d = self.cleaned_data
        return Key(population=d["weight_population"], previous_settlement=d["weight_previous_settlement"],
                   decided=d["weight_decided"], factor=d["factor"])

    def needs(self) -> dict[int, tuple[int, int]]:
        d = self.cleaned_data
        return {d["first_year"] + i - 1: (d[f"need_{i}"], d[f"minors_need_{i}"]) for i in (1, 2, 3)}


def parse_places(data, municipality_ids, years) -> tuple[dict[int, dict[int, tuple[int, int]]], list[str]]:
    """The adjusted proposal from the planning table's inputs (p-<municipality>-<year>, m-<municipality>-<year>)."""
    places, errors = {}, []
    for m in municipality_ids:
        row = {}
        for year in years:
            values = []
            for prefix in ("p", "m"):
                raw = (data.get(f"{prefix}-{m}-{year}") or "0").strip()
                try:
                    value = int(raw)
                except ValueError:
                    errors.append(f"«{raw[:20]}» er ikke et helt tall.")
                    value = 0
                if not 0 <= value <= MAX_PLACES:
                    errors.append(f"Antallet må være mellom 0 og {MAX_PLACES}.")
                values.append(value)
            row[year] = tuple(values)
        places[m] = row
    return places, sorted(set(errors))


class ContactForm(forms.ModelForm):
    class Meta:
        model = MunicipalityContact
        fields = ["municipality", "name", "title", "email", "receives_request_letter"]
        help_texts = {"name": "Rollebetegnelse eller navn, f.eks. «Kommunedirektøren».",
                      "receives_request_letter": "Anmodningsbrevet går til kommunens administrative ledelse."}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
        self.fields["title"].choices = ContactTitle.choices

    def _post_clean(self):
        # The service validates and saves (with its codes); the model form's own instance checks are skipped.
        pass


class ImdiDecisionForm(DecisionForm):
    """A municipality's decision as IMDi registers it: which municipality, and the decision's reference."""

    municipality = forms.ModelChoiceField(label="Kommune", queryset=Municipality.objects.none())
    reference = forms.CharField(label="Kommunens saksreferanse", max_length=60,
                                help_text="Saksnummeret eller arkivreferansen til kommunestyrets vedtak.")
    field_order = ["municipality", "year", "places", "unaccompanied_minors", "decided_on", "reference", "housing_plan"]

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities
        self.order_fields(self.field_order)


