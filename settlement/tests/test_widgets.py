"""settlement.widgets: the quick pickers write what Django's Select and SelectMultiple write (issue 14)."""

from django import forms

from settlement.widgets import QuickSelect, QuickSelectMultiple, quick_selects


class _Form(forms.Form):
    one = forms.ChoiceField(choices=[("", "— velg —"), ("a&b", "A & <b>"), ("2", "To")])
    many = forms.MultipleChoiceField(choices=[("1", "En"), ("2", "To"), ("3", "Tre")], required=False)
    grouped = forms.ChoiceField(choices=[("Øst", [("o", "Oslo")]), ("Vest", [("b", "Bergen"), ("s", "Stavanger")])],
                                required=False)
    text = forms.CharField(required=False)


def _both(data=None, **kwargs):
    plain, quick = _Form(data, **kwargs), quick_selects(_Form(data, **kwargs), "one", "many", "grouped", "text")
    if data is not None:
        plain.is_valid(), quick.is_valid()
    return plain, quick


def test_quick_pickers_write_what_djangos_templates_write(ref):
    from core.models import Municipality

    for data, initial in ((None, None), (None, {"one": "2", "many": ["1", "3"], "grouped": "b"}),
                          ({"one": "a&b", "many": ["2"], "grouped": "s"}, None), ({"one": "nei"}, None)):
        plain, quick = _both(data, initial=initial)
        for name in ("one", "many", "grouped", "text"):
            assert str(quick[name]) == str(plain[name]), (data, initial, name)
    plain, quick = _both({"one": ""})  # a required field left empty: aria-invalid on both
    assert 'aria-invalid="true"' in str(quick["one"]) and str(quick["one"]) == str(plain["one"])
    assert type(quick.fields["one"].widget) is QuickSelect and type(quick.fields["many"].widget) is QuickSelectMultiple
    assert type(quick.fields["text"].widget) is forms.TextInput  # not a picker: left as it was
    assert type(_Form().fields["one"].widget) is forms.Select  # the form class's own fields are not changed

    class Municipalities(forms.Form):
        municipality = forms.ModelChoiceField(queryset=Municipality.objects.order_by("name"))
        municipalities = forms.ModelMultipleChoiceField(queryset=Municipality.objects.order_by("name"), required=False)

    oslo = Municipality.objects.get(number="0301")
    plain = Municipalities(initial={"municipality": oslo, "municipalities": [oslo]})
    quick = quick_selects(Municipalities(initial={"municipality": oslo, "municipalities": [oslo]}), "municipality",
                          "municipalities")
    assert str(quick["municipality"]) == str(plain["municipality"])
    assert str(quick["municipalities"]) == str(plain["municipalities"])
    assert f'<option value="{oslo.pk}" selected>' in str(quick["municipality"])


def test_pages_with_the_long_pickers_use_the_quick_ones(client, users):
    from django.urls import reverse

    client.force_login(users["admin"])
    pages = {reverse("settlement:request_new"): ["municipality"],
             reverse("settlement:household_new"): ["region", "reception_centre", "tied_municipality"],
             reverse("agreements:list"): ["municipalities", "region"]}
    for url, names in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        form = response.context["form"]
        for name in names:
            assert isinstance(form.fields[name].widget, (QuickSelect, QuickSelectMultiple)), (url, name)
            assert str(form[name]) in response.content.decode(), (url, name)
