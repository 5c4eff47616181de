"""Vocabularies that follow the store: rebuilt in the background when the store's revision moves.

Query understanding reads every policy title; the Q&A matcher's word rarity reads every Q&A. Both are too slow
to build per request and too important to let go stale, so each lives in a RevisionCache.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from analyzers.segmenter import release_reference_engine
from kb.qa import WordRarity, qa_word_rarity
from kb.query import QueryUnderstanding
from kb.store import Store

log = logging.getLogger("policykb.api.understanding")

#: How often the store's revision is checked; a rebuild reads every title (~10 s for 7,000 policies).
REFRESH_CHECK_SECONDS = 300.0

T = TypeVar("T")


class RevisionCache(Generic[T]):
    """Holds a value built from the store; a newer store revision triggers one background rebuild."""

    name = "cache"

    def __init__(
        self, store: Store, build: Callable[[Store], T], check_seconds: float = REFRESH_CHECK_SECONDS
    ) -> None:
        self._store = store
        self._build = build
        self._check_seconds = check_seconds
        self._lock = threading.Lock()
        self._rebuilding = False
        self._revision = store.current_revision()
        self._current = build(store)
        self._checked_at = time.monotonic()

    def get(self) -> T:
        """The current value (never waits for a rebuild)."""
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
        threading.Thread(target=self._rebuild, args=(revision,), daemon=True, name=self.name).start()

    def _rebuild(self, revision: int) -> None:
        try:
            fresh = self._build(self._store)
        except Exception:  # a failed rebuild keeps the old value; the next check tries again
            log.exception("%s rebuild failed; keeping the previous one", self.name)
        else:
            self._current, self._revision = fresh, revision
            log.info("%s rebuilt at store revision %d", self.name, revision)
        finally:
            with self._lock:
                self._rebuilding = False

    def rebuild_now(self) -> None:
        """Rebuild synchronously (tests, and after a bulk import in the same process)."""
        revision = self._store.current_revision()
        self._current = self._build(self._store)
        self._revision = revision


class UnderstandingCache(RevisionCache[QueryUnderstanding]):
    """Query understanding over the store's titles and the glossary."""

    name = "query understanding"

    def __init__(self, store: Store, max_chars: int, check_seconds: float = REFRESH_CHECK_SECONDS) -> None:
        super().__init__(store, lambda s: _understanding(s, max_chars), check_seconds)


def _understanding(store: Store, max_chars: int) -> QueryUnderstanding:
    understanding = QueryUnderstanding.from_store(store, max_chars=max_chars)
    # Titles with ASCII symbols (2019-2021, 0.5%) made the segmenter load jieba's reference engine; queries
    # seldom need it, so the API gives its ~70 MB back (it is loaded again if a query does need it).
    if release_reference_engine():
        log.info("released the segmenter's reference engine after building the vocabulary")
    return understanding


class QARarityCache(RevisionCache[WordRarity]):
    """How rare each word is among the Q&A, so 办理/需要 do not make an unrelated entry look confident."""

    name = "Q&A word rarity"

    def __init__(self, store: Store, check_seconds: float = REFRESH_CHECK_SECONDS) -> None:
        super().__init__(store, qa_word_rarity, check_seconds)
