"""The knowledge base's system of record (SQLAlchemy 2, SQLite or PostgreSQL)."""

from kb.store.reports import FailedRecord, Tombstone, UpsertReport
from kb.store.store import Store

__all__ = ["FailedRecord", "Store", "Tombstone", "UpsertReport"]
