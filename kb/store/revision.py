"""The global revision counter shared by every table.

Writers lock the single counter row before their first change and keep the lock until commit, so revisions
are handed out in commit order: a reader that has seen revision R will never later find a committed row
with a revision <= R that it has not seen. That is what makes ``revision > checkpoint`` a safe sync query.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.errors import StoreError
from kb.store.tables import RevisionCounter

COUNTER_ID = 1
_LOCK_FLAG = "policykb_revision_locked"


def lock_revisions(session: Session) -> None:
    """Take the writer lock (row lock on PostgreSQL; SQLite writers already hold the database lock)."""
    if session.info.get(_LOCK_FLAG):
        return
    found = session.execute(
        select(RevisionCounter.value).where(RevisionCounter.id == COUNTER_ID).with_for_update()
    ).scalar_one_or_none()
    if found is None:
        raise StoreError(
            "the revision counter row is missing: run `policykb db upgrade`",
            message_zh="数据库未初始化，请先运行 policykb db upgrade",
        )
    session.info[_LOCK_FLAG] = True


def holds_revision_lock(session: Session) -> bool:
    """Whether this transaction already holds the writer lock."""
    return bool(session.info.get(_LOCK_FLAG))


def next_revision(session: Session) -> int:
    """Allocate the next revision inside the current transaction (locks first if needed)."""
    lock_revisions(session)
    value = session.execute(
        update(RevisionCounter)
        .where(RevisionCounter.id == COUNTER_ID)
        .values(value=RevisionCounter.value + 1)
        .returning(RevisionCounter.value)
    ).scalar_one()
    return int(value)


def read_revision(session: Session) -> int:
    """The last committed revision as this session sees it."""
    value = session.execute(
        select(RevisionCounter.value).where(RevisionCounter.id == COUNTER_ID)
    ).scalar_one_or_none()
    return int(value or 0)


def release_flag(session: Session) -> None:
    """Forget the lock flag once the transaction has ended."""
    session.info.pop(_LOCK_FLAG, None)


class RevisionBlock:
    """Revisions for one batch, handed out in memory under the writer lock and saved once at the end."""

    def __init__(self, session: Session) -> None:
        lock_revisions(session)
        self._session = session
        self._start = self._last = read_revision(session)

    def next(self) -> int:
        """The next revision of this batch (gaps left by failed records are harmless)."""
        self._last += 1
        return self._last

    def close(self) -> None:
        """Store the last revision handed out; call before the transaction commits."""
        if self._last != self._start:
            self._session.execute(
                update(RevisionCounter).where(RevisionCounter.id == COUNTER_ID).values(value=self._last)
            )
