"""What the settlement pages share."""

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


def municipality_of(actor):
    return Municipality.objects.select_related("region", "county").get(pk=actor.municipality_id)


def export_query(request) -> str:
    """The page's query string for its CSV link: the same filters and sort, no page number."""
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()
