"""Web forms for the settlement interview. They parse and present input; the rules live in
settlement.services.interviews."""

from django import forms
from django.utils import timezone

from core.forms import DateInput
from core.models import Municipality

from .interview_models import HEALTH_NEEDS, SHARE_SCOPES, SettlementInterview
from .services.interviews import INTERVIEW_FIELDS

_TEXTAREAS = {"work_experience": 2, "preferences": 2, "qualification_plan": 5}


class InterviewForm(forms.Form):
    """Bosettingssamtale: the model's fields (labels, choices, lengths), grouped on the page by `groups`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(SettlementInterview, fields=INTERVIEW_FIELDS))
        for name in ("held_on", "consent_given_on", "consent_withdrawn_on"):
            self.fields[name].widget = DateInput()
        for name, rows in _TEXTAREAS.items():
            self.fields[name].widget = forms.Textarea(attrs={"rows": rows, "maxlength": self.fields[name].max_length})
        self.fields["tied_municipality"].queryset = Municipality.objects.valid_on(timezone.localdate()).order_by("name")
        self.fields["tied_municipality"].label = "Slekt eller nettverk i kommune"
        self.fields["qualification_plan"].help_text = "Mål og tiltak for kvalifisering etter bosetting (norsk, skole, arbeid)."
        self.fields["consent_withdrawn_on"].help_text = "Fylles ut når personen trekker samtykket: da deles ingenting."

    @classmethod
    def initial_for(cls, interview: SettlementInterview | None, actor) -> dict:
        if interview is None:
            name = actor.user.get_full_name() or actor.user.username if actor.user else ""
            return {"held_on": timezone.localdate(), "interviewer": name}
        return forms.model_to_dict(interview, fields=INTERVIEW_FIELDS)

    def groups(self):
        """(heading, fields) for the page's fieldsets."""
        f = self
        return [
            ("Samtalen", [f["held_on"], f["interviewer"]]),
            ("Utdanning og arbeid", [f["education_level"], f["work_experience"]]),
            ("Språk", [f["languages"], f["norwegian_level"]]),
            ("Helsebehov (kategorier, ingen diagnose)", [f[n] for n in HEALTH_NEEDS]),
            ("Ønsker og tilknytning", [f["preferences"], f["tied_municipality"], f["ties"]]),
            ("Kvalifiseringsplan", [f["qualification_plan"]]),
            ("Samtykke til deling med kommunen", [f["consent_given_on"], *[f[n] for n in SHARE_SCOPES],
                                                  f["consent_withdrawn_on"]]),
        ]


class InterviewWaiverForm(forms.Form):
    reason = forms.CharField(label="Begrunnelse", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Hvorfor husstanden kan foreslås for en kommune uten bosettingssamtale.")
