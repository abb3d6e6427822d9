"""Keeps personal data out of the logs."""

import logging
import re

# DUF numbers (12 digits) and Norwegian national identity numbers (11 digits), standing alone.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(\d{11}|\d{12})(?!\d)")
MASK = "[personnr]"


def redact(text: str) -> str:
    return PERSONAL_NUMBER.sub(MASK, text)


class RedactPersonalData(logging.Filter):
    """Masks personal numbers in the formatted message, including those in arguments and URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
