"""Demo data for request letters (issue 12 item 2): the contact register and the letters of the latest round.

Every municipality asked for places gets its chief executive as the letter recipient (the evaluation: the letter
goes to the rådmann, lines 2389-2390), as a role with the municipality's role address (postmottak@<kommune>.kommune.no),
never a person's name. The latest round's requests get their letter, sent on the request's date; the PDF is made
again from the record when someone opens it (settlement.letters), so seeding makes none.
"""

from datetime import datetime, time

from django.utils import timezone

from settlement.models import ContactTitle, MunicipalityContact, RequestLetter, SettlementRequest

# The Local Government Act of 2018 (in force 2020) renamed the rådmann "kommunedirektør" in most municipalities.
RENAMED = 2020


def _title(on) -> tuple[str, str, str]:
    if on.year >= RENAMED:
        return ContactTitle.CHIEF_EXECUTIVE, "Kommunedirektøren", "Kommunedirektør"
    return ContactTitle.RADMANN, "Rådmannen", "Rådmann"


def seed_request_letters(as_of) -> str:
    requests = list(SettlementRequest.objects.select_related("municipality").order_by("sent_on"))
    if not requests:
        return "No requests, so no request letters."
    title, name, label = _title(as_of)
    have = set(MunicipalityContact.objects.values_list("municipality_id", flat=True))
    contacts = {}
    for request in requests:
        m = request.municipality
        if m.pk in have or m.pk in contacts:
            continue
        email = m.email or f"postmottak@{m.number}.kommune.no"
        contacts[m.pk] = MunicipalityContact(municipality=m, name=name, title=title, email=email,
                                             receives_request_letter=True)
    MunicipalityContact.objects.bulk_create(contacts.values(), batch_size=1000)
    recipients = {c.municipality_id: c for c in MunicipalityContact.objects.filter(receives_request_letter=True)}
    latest = max(r.sent_on for r in requests)
    lettered = set(RequestLetter.objects.values_list("request_id", flat=True))
    letters = []
    for request in requests:
        recipient = recipients.get(request.municipality_id)
        if request.sent_on != latest or recipient is None or request.pk in lettered:
            continue
        sent = timezone.make_aware(datetime.combine(request.sent_on, time(9, 0)))
        letters.append(RequestLetter(request=request, recipient_name=recipient.name, recipient_title=label,
                                     recipient_email=recipient.email, sent_at=sent, sent_to=recipient.email))
    RequestLetter.objects.bulk_create(letters, batch_size=1000)
    return f"Seeded {len(contacts)} letter recipients and {len(letters)} request letters (sent {latest:%d.%m.%Y})."
