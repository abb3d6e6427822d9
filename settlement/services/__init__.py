"""Writes for the settlement pipeline, split by subject. Every state change goes through a function here.

Each function checks the actor's role and scope, the state (against settlement.workflows) and the
municipality's capacity inside one transaction, locking the municipality row before the household row
(see .common). Every change is written to the household's timeline and, through django-simple-history,
to the audit log with who and when. Callers use `from settlement import services; services.<name>`.
"""

from .households import (
    ADULT_AGE,
    MINORS_REGION_CODE,
    assign_household,
    composition_for,
    exit_household,
    register_household,
    register_settlement,
    register_settlement_ready,
    waiting_target_months,
)
from .proposals import accept_proposal, decline_proposal, mark_list_reminded, propose_households, withdraw_proposal
from .requests import (
    MAX_REQUEST_YEARS,
    adjust_settlement_request,
    create_settlement_request,
    delete_contact,
    letter_recipient,
    mark_letter_reminded,
    mark_letter_sent,
    record_decision,
    reply_statuses,
    save_contact,
    send_request_letter,
    send_request_letters,
)
from .reunification import assign_reunified, link_reunification
from .transfers import transfer_household

__all__ = [
    "ADULT_AGE",
    "MAX_REQUEST_YEARS",
    "MINORS_REGION_CODE",
    "accept_proposal",
    "adjust_settlement_request",
    "assign_household",
    "assign_reunified",
    "composition_for",
    "create_settlement_request",
    "decline_proposal",
    "delete_contact",
    "exit_household",
    "link_reunification",
    "letter_recipient",
    "mark_letter_reminded",
    "mark_letter_sent",
    "mark_list_reminded",
    "propose_households",
    "record_decision",
    "register_household",
    "register_settlement",
    "register_settlement_ready",
    "reply_statuses",
    "save_contact",
    "send_request_letter",
    "send_request_letters",
    "transfer_household",
    "waiting_target_months",
    "withdraw_proposal",
]
