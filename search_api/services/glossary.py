"""An in-memory view of the store's glossary: exact lookup by term or alias, prefix completion."""

from __future__ import annotations

import threading
import time

import analyzers
import synonyms
from kb.models import GlossaryTerm
from kb.store import Store

#: Seconds the cached glossary is trusted before it is read again (published terms change rarely).
GLOSSARY_TTL_SECONDS = 300.0
#: Shorter names (one character) would match inside unrelated words.
MIN_MENTION_CHARS = 2


def builtin_glossary() -> list[GlossaryTerm]:
    """The project's own glossary (synonyms/data), the base the store's entries add to or override."""
    return [
        GlossaryTerm(
            term=e.term, aliases=list(e.aliases), definition=e.definition, category=e.category or None
        )
        for e in synonyms.load_glossary()
    ]


class GlossaryCache:
    """The built-in glossary overlaid with the store's terms, reloaded at most every ``ttl`` seconds."""

    def __init__(self, store: Store, ttl: float = GLOSSARY_TTL_SECONDS) -> None:
        self._store = store
        self._ttl = ttl
        self._lock = threading.Lock()
        self._loaded_at = -1e9
        self._by_name: dict[str, GlossaryTerm] = {}
        self._names: list[tuple[str, str]] = []  # (normalized name, display name) for prefix completion

    def _refresh(self) -> None:
        with self._lock:
            if time.monotonic() - self._loaded_at < self._ttl:
                return
            # Store entries (edited by staff, imported) win over the built-in file for the same term.
            entries = {e.term: e for e in builtin_glossary()}
            entries.update({e.term: e for e in self._store.iter_glossary_terms()})
            by_name: dict[str, GlossaryTerm] = {}
            names: list[tuple[str, str]] = []
            for entry in entries.values():
                for name in (entry.term, *entry.aliases):
                    key = analyzers.normalize(name)
                    by_name.setdefault(key, entry)
                    names.append((key, name))
            self._by_name, self._names = by_name, sorted(names)
            self._loaded_at = time.monotonic()

    def invalidate(self) -> None:
        """Read the store again on next use."""
        self._loaded_at = -1e9

    def lookup(self, name: str) -> GlossaryTerm | None:
        """The entry whose term or alias is ``name`` (normalized: width, traditional characters)."""
        self._refresh()
        return self._by_name.get(analyzers.normalize(name))

    def complete(self, prefix: str, limit: int) -> list[str]:
        """Terms and aliases starting with ``prefix``, shortest first."""
        self._refresh()
        key = analyzers.normalize(prefix)
        if not key:
            return []
        found = [name for normalized, name in self._names if normalized.startswith(key)]
        return sorted(dict.fromkeys(found), key=lambda n: (len(n), n))[:limit]

    def mentioned_in(self, text: str) -> list[GlossaryTerm]:
        """Entries whose term or an alias occurs in ``text``, longest names first, each once."""
        self._refresh()
        key = analyzers.normalize(text)
        seen: dict[str, GlossaryTerm] = {}
        for normalized in sorted(self._by_name, key=len, reverse=True):
            if len(normalized) >= MIN_MENTION_CHARS and normalized in key:
                entry = self._by_name[normalized]
                seen.setdefault(entry.term, entry)
                key = key.replace(normalized, " ")
        return list(seen.values())
