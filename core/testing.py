"""Helpers the test suites of every app share (never imported by application code)."""

import re
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "test-passord-123"


@contextmanager
def count_queries():
    """Counts the SQL statements run inside the block: `with count_queries() as q: ...; len(q)`."""
    with CaptureQueriesContext(connection) as context:
        yield context


def off_site_assets(html: str) -> list[str]:
    """The scripts and style sheets a page loads from another site (a CDN): front-end packages are vendored under
    static/. Reads the tags, not the text: a random CSP nonce may well contain "cdn"."""
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"', html, flags=re.IGNORECASE)
