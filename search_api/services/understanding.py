"""Query understanding that follows the store: rebuilt in the background when policies change."""

from __future__ import annotations

import logging
import threading
import time

from kb.query import QueryUnderstanding
from kb.store import Store

log = logging.getLogger("policykb.api.understanding")

#: How often the store's revision is checked; a rebuild reads every title (~10 s for 7,000 policies).
REFRESH_CHECK_SECONDS = 300.0


class UnderstandingCache:
    """Holds the current QueryUnderstanding; a newer store revision triggers one background rebuild."""

    def __init__(self, store: Store, max_chars: int, check_seconds: float = REFRESH_CHECK_SECONDS) -> None:
        self._store = store
        self._max_chars = max_chars
        self._check_seconds = check_seconds
        self._lock = threading.Lock()
        self._rebuilding = False
        self._revision = store.current_revision()
        self._current = QueryUnderstanding.from_store(store, max_chars=max_chars)
        self._checked_at = time.monotonic()

    def get(self) -> QueryUnderstanding:
        """The current understanding (never waits for a rebuild)."""
        if time.monotonic() - self._checked_at >= self._check_seconds:
            self._maybe_rebuild()
        return self._current

    def _maybe_rebuild(self) -> None:
        with self._lock:
            if self._rebuilding:
                return
            self._checked_at = time.monotonic()
            revision = self._store.current_revision()
            if revision == self._revision:
                return
            self._rebuilding = True
        threading.Thread(target=self._rebuild, args=(revision,), daemon=True, name="understanding").start()

    def _rebuild(self, revision: int) -> None:
        try:
            fresh = QueryUnderstanding.from_store(self._store, max_chars=self._max_chars)
        except Exception:  # a failed rebuild keeps the old vocabulary; the next check tries again
            log.exception("query understanding rebuild failed; keeping the previous one")
        else:
            self._current, self._revision = fresh, revision
            log.info("query understanding rebuilt at store revision %d", revision)
        finally:
            with self._lock:
                self._rebuilding = False

    def rebuild_now(self) -> None:
        """Rebuild synchronously (tests, and after a bulk import in the same process)."""
        revision = self._store.current_revision()
        self._current = QueryUnderstanding.from_store(self._store, max_chars=self._max_chars)
        self._revision = revision
