"""Helpers the test suites of every app share (never imported by application code)."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "test-passord-123"


@contextmanager
def count_queries():
    """Counts the SQL statements run inside the block: `with count_queries() as q: ...; len(q)`."""
    with CaptureQueriesContext(connection) as context:
        yield context
