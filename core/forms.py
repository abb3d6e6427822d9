from django import forms


class DateInput(forms.DateInput):
    """A browser date picker; ISO format so the picker shows the stored value."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
