"""Revisions, tombstones and the checkpoints of consumers (index sync) that follow them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, select

from kb.errors import ValidationError
from kb.store.base import StoreBase
from kb.store.reports import Tombstone
from kb.store.revision import read_revision
from kb.store.tables import SyncCheckpointRow, TombstoneRow
from kb.store.types import utcnow


class SyncMixin(StoreBase):
    """What a derived index needs to catch up with the store."""

    def current_revision(self) -> int:
        """The last committed revision; everything at or below it is visible to readers."""
        with self.read_session() as session:
            return read_revision(session)

    def iter_tombstones(self, since_revision: int = 0, kind: str | None = None) -> Iterator[Tombstone]:
        """Deletions after ``since_revision`` (optionally of one kind), in revision order."""
        with self.read_session() as session:
            query = select(TombstoneRow).where(TombstoneRow.revision > since_revision)
            if kind is not None:
                query = query.where(TombstoneRow.kind == kind)
            rows = session.execute(query.order_by(TombstoneRow.revision, TombstoneRow.id)).scalars().all()
            tombstones = [
                Tombstone(
                    revision=r.revision,
                    kind=r.kind,
                    record_id=r.record_id,
                    source=r.source,
                    source_id=r.source_id,
                    deleted_at=r.deleted_at,
                )
                for r in rows
            ]
        yield from tombstones

    def get_sync_checkpoint(self, name: str) -> int:
        """The revision consumer ``name`` has fully processed (0 if it never ran)."""
        with self.read_session() as session:
            row = session.get(SyncCheckpointRow, name)
            return row.revision if row is not None else 0

    def sync_checkpoints(self) -> dict[str, int]:
        """Every consumer's checkpoint, by name."""
        with self.read_session() as session:
            rows = session.execute(select(SyncCheckpointRow.name, SyncCheckpointRow.revision)).all()
            return {name: revision for name, revision in rows}

    def prune_tombstones(self, up_to_revision: int | None = None) -> int:
        """Drop tombstones every consumer has passed (default: the lowest checkpoint); returns how many."""
        limit = up_to_revision
        if limit is None:
            checkpoints = self.sync_checkpoints()
            if not checkpoints:
                return 0  # nobody has synced yet: every tombstone is still needed
            limit = min(checkpoints.values())
        with self.write_session() as session:
            result = session.execute(delete(TombstoneRow).where(TombstoneRow.revision <= limit))
            return int(getattr(result, "rowcount", 0) or 0)

    def set_sync_checkpoint(self, name: str, revision: int) -> None:
        """Record that ``name`` has processed everything up to ``revision`` (may move back for a rebuild)."""
        if revision < 0:
            raise ValidationError(f"a sync checkpoint cannot be negative (got {revision})")
        with self.write_session() as session:
            row = session.get(SyncCheckpointRow, name)
            if row is None:
                session.add(SyncCheckpointRow(name=name, revision=revision, updated_at=utcnow()))
            else:
                row.revision = revision
                row.updated_at = utcnow()
