"""Figures cached by the version of the data they are computed from (issue 14): the last history row of each model
read. Every write through the services adds a history row (a deletion too), so a figure cached under a version is
never older than the data; a write that leaves no history row (a bulk load) is covered by the expiry."""

import hashlib

from django.core.cache import cache
from django.db import connection

CACHE_SECONDS = 600


def history_version(*models) -> tuple:
    """The last history row of each model, in one query (an index lookup per model)."""
    quote = connection.ops.quote_name
    tables = [m.history.model._meta for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT MAX({quote(t.pk.column)}) FROM {quote(t.db_table)})" for t in tables))
        return tuple(cursor.fetchone())


def cached_by_version(name: str, key, models, compute, seconds: int = CACHE_SECONDS):
    """compute(), cached under `name`, `key` (anything with a stable repr: a day, ids, a scope, a filter) and the
    version of `models`."""
    digest = hashlib.sha256(repr((key, history_version(*models))).encode()).hexdigest()
    return cache.get_or_set(f"{name}-{digest}", compute, seconds)
