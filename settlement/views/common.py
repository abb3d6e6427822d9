"""What the settlement pages share."""

from html import escape

from django.utils.safestring import mark_safe

from core.models import Municipality


SUCCESS_MESSAGES = {
    "assign": "Husstanden er søkt ut til kommunen.",
    "withdraw": "Forslaget er trukket. Husstanden er bosettingsklar igjen.",
    "exit": "Husstanden er tatt ut av bosettingsløpet.",
    "accept": "Forslaget er akseptert.",
    "decline": "Forslaget er avslått. IMDi søker husstanden ut til en annen kommune.",
    "settle": "Bosettingsdato er registrert.",
}


def mark_waiting(households, today):
    """Days waited and the long-waiting flag, for the case lists."""
    for h in households:
        h.days, h.long = h.waiting_days(today), h.is_long_waiting(today)


def select_options(choices, selected) -> str:
    """<option>s for a long picker, made in one pass: Django's Select widget renders a template per option, 78 ms
    for the 838 municipalities of the list builder (issue 14). `choices` are (value, label); `selected` a value."""
    selected = "" if selected is None else str(selected)
    # html.escape gives what django.utils.html.escape does (& < > " ' escaped), in C: format_html per option took
    # 40 ms here.
    return mark_safe("".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == selected else ""}>{escape(str(label))}</option>'
        for value, label in choices))


def municipality_of(actor):
    return Municipality.objects.select_related("region", "county").get(pk=actor.municipality_id)


def export_query(request) -> str:
    """The page's query string for its CSV link: the same filters and sort, no page number."""
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()


def error_summary(*forms_or_formsets):
    """[(field id, message)] for the summary at the top of a form: each links to its field (#id), or to the
    form itself ("" id) for errors that belong to no field."""
    summary = []
    for item in forms_or_formsets:
        if item is None:
            continue
        if hasattr(item, "forms"):  # a formset
            summary += [("", e) for e in item.non_form_errors()]
            for number, sub in enumerate(item.forms, 1):
                summary += [(fid, f"Person {number}, {msg[0].lower()}{msg[1:]}") for fid, msg in error_summary(sub)]
            continue
        if not item.is_bound:
            continue
        for name, errors in item.errors.items():
            # An error of the whole form links to its first field.
            first = next(iter(item.fields), None)
            field_id = item[name].id_for_label if name in item.fields else (item[first].id_for_label if first else "")
            label = item.fields[name].label if name in item.fields else ""
            summary += [(field_id, f"{label}: {e}" if label else e) for e in errors]
    return summary
