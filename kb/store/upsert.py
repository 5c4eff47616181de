"""Idempotent batch upsert: one transaction per batch, one SAVEPOINT per record, no write when unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import String
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from kb.errors import KBError, ValidationError
from kb.store.reports import FailedRecord, UpsertReport
from kb.store.revision import RevisionBlock
from kb.store.types import utcnow

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


@dataclass(frozen=True)
class RecordKind(Generic[M, R]):
    """How one kind of record is keyed, found, created and filled."""

    name: str
    key: Callable[[M], str]
    content_hash: Callable[[M], str]
    #: key -> (id, content_hash) of the stored rows among these items, in one query per chunk.
    known: Callable[[Session, list[M]], dict[str, tuple[int, str]]]
    find: Callable[[Session, M], R | None]
    new_row: Callable[[M], R]
    apply: Callable[[Session, R, M], None]
    #: Child rows written with bulk statements once the row has its id (``inserting`` tells if it is new).
    write_children: Callable[[Session, R, M, bool], None] | None = None
    #: Called once per batch with the keys -> ids of inserted rows (e.g. to resolve links that waited).
    after_batch: Callable[[Session, dict[str, int], RevisionBlock], None] | None = None


def model_hash(model: BaseModel) -> str:
    """SHA-256 of a plain model's JSON (for models without ``content_hash``, e.g. glossary terms)."""
    blob = json.dumps(model.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def check_text(value: Any, path: str = "") -> None:
    """Refuse NUL characters everywhere: PostgreSQL cannot store them, so SQLite must not either."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(f"field {path or 'value'} contains a NUL character (\\x00): remove it")
    elif isinstance(value, dict):
        for k, v in value.items():
            check_text(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check_text(v, f"{path}[{i}]")


def check_lengths(row: Any) -> None:
    """Refuse strings longer than their column, on SQLite as PostgreSQL would."""
    for column in row.__table__.columns:
        if isinstance(column.type, String) and column.type.length:
            value = getattr(row, column.key, None)
            if isinstance(value, str) and len(value) > column.type.length:
                raise ValidationError(
                    f"field {column.key} is {len(value)} characters long, at most {column.type.length} "
                    "are allowed: shorten it"
                )


def upsert_batch(session: Session, kind: RecordKind[M, R], items: Iterable[M]) -> UpsertReport:
    """Upsert ``items`` in the caller's transaction; failures are reported, the rest is kept."""
    report = UpsertReport()
    pending: list[tuple[M, str, str]] = []
    batch = list(items)
    known = _known(session, kind, batch)
    for item in batch:
        key = _safe_key(kind, item)
        try:
            digest = kind.content_hash(item)
        except (ValueError, TypeError, AttributeError) as exc:
            report.failed.append(FailedRecord(key=key, reason=_reason(exc)))
            continue
        stored = known.get(key)
        if stored is not None and stored[1] == digest:
            report.unchanged += 1  # the common re-import case: no lock, no ORM work at all
        else:
            pending.append((item, key, digest))
    if not pending:
        return report
    # Under the writer lock nobody else can write, so a second look is the truth (PostgreSQL: another
    # writer may have committed these records while we waited for the lock).
    block = RevisionBlock(session)
    known = _known(session, kind, [item for item, _, _ in pending])
    inserted: dict[str, int] = {}
    for item, key, digest in pending:
        stored = known.get(key)
        if stored is not None and stored[1] == digest:
            report.unchanged += 1
            continue
        try:
            row_id, inserting = _write_one(session, kind, item, digest, block, exists=stored is not None)
        except (KBError, SQLAlchemyError, ValueError, TypeError, AttributeError) as exc:
            report.failed.append(FailedRecord(key=key, reason=_reason(exc)))
            continue
        known[key] = (row_id, digest)  # the same key later in this batch compares with what we wrote
        if inserting:
            report.inserted += 1
            report.inserted_ids.append(row_id)
            inserted[key] = row_id
        else:
            report.updated += 1
            report.updated_ids.append(row_id)
    if inserted and kind.after_batch is not None:
        kind.after_batch(session, inserted, block)
    block.close()
    return report


def _known(session: Session, kind: RecordKind[M, R], batch: list[M]) -> dict[str, tuple[int, str]]:
    try:
        return kind.known(session, batch)
    except (ValueError, TypeError, AttributeError):
        return {}  # malformed items: each is looked up (and reported) on its own


def _write_one(
    session: Session, kind: RecordKind[M, R], item: M, digest: str, block: RevisionBlock, *, exists: bool
) -> tuple[int, bool]:
    """Insert or update one record in its own SAVEPOINT; returns (id, inserted?)."""
    check_text(item.model_dump(mode="json"))
    provenance = getattr(item, "provenance", None)
    if provenance is not None and ":" in provenance.source:
        # 'source:source_id' keys split at the first colon; a colon in the source would link the wrong record.
        raise ValidationError(f"source {provenance.source!r} contains ':': use letters, digits, '_' or '-'")
    with session.begin_nested():  # everything that touches the database, so a failure spoils only this record
        row = kind.find(session, item) if exists else None
        now = utcnow()
        inserting = row is None
        if row is None:
            row = kind.new_row(item)
            row.created_at = now  # type: ignore[attr-defined]
            session.add(row)
        row.content_hash = digest  # type: ignore[attr-defined]
        row.revision = block.next()  # type: ignore[attr-defined]
        row.updated_at = now  # type: ignore[attr-defined]
        if hasattr(row, "imported_at"):
            row.imported_at = now
        with session.no_autoflush:  # apply() looks up linked policies; the row is not complete yet
            kind.apply(session, row, item)
        check_lengths(row)
        session.flush()
        if kind.write_children is not None:
            kind.write_children(session, row, item, inserting)
        row_id: int = row.id  # type: ignore[attr-defined]
    return row_id, inserting


def _safe_key(kind: RecordKind[M, R], item: Any) -> str:
    try:
        return kind.key(item)
    except Exception:  # a malformed item still needs a line in the report
        return repr(item)[:120]


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) if isinstance(exc, SQLAlchemyError) else None
    if orig is not None:
        return f"{type(exc).__name__}: {orig}".strip()[:500]
    return f"{type(exc).__name__}: {exc}"[:500]
