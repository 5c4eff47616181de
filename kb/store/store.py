"""``Store``: the knowledge base's system of record on SQLite or PostgreSQL."""

from __future__ import annotations

from kb.store.records import RecordsMixin
from kb.store.sync import SyncMixin


class Store(RecordsMixin, SyncMixin):
    """Policies, interpretations, Q&A, glossary, questions, API keys and the search log.

    ``Store(url)`` opens (and on a fresh database creates) the schema; one instance is shared by all threads,
    each call uses its own short session.
    """
