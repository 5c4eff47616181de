"""Pydantic results the store hands back: upsert reports, tombstones."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FailedRecord(BaseModel):
    """A record the store refused, with its 'source:source_id' key (or glossary term) and why."""

    key: str
    reason: str


class UpsertReport(BaseModel):
    """What one upsert batch did; ``failed`` records were skipped, the rest of the batch was kept."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FailedRecord] = Field(default_factory=list)
    inserted_ids: list[int] = Field(default_factory=list)
    updated_ids: list[int] = Field(default_factory=list)

    @property
    def written(self) -> int:
        """Rows inserted or updated."""
        return self.inserted + self.updated

    def merge(self, other: UpsertReport) -> UpsertReport:
        """The sum of two reports (for importers that upsert in several batches)."""
        return UpsertReport(
            inserted=self.inserted + other.inserted,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
            failed=[*self.failed, *other.failed],
            inserted_ids=[*self.inserted_ids, *other.inserted_ids],
            updated_ids=[*self.updated_ids, *other.updated_ids],
        )


class Tombstone(BaseModel):
    """A deleted record: derived indexes drop ``(kind, record_id)`` when they sync past ``revision``."""

    revision: int
    kind: str
    record_id: int
    source: str | None = None
    source_id: str | None = None
    deleted_at: datetime
