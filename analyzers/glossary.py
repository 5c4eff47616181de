"""Find glossary terms (名词诠释) mentioned in text, resolving aliases to the canonical term."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from analyzers.normalizers import normalize_aligned
from synonyms import GlossaryEntry, load_glossary


@dataclass(frozen=True, slots=True)
class GlossaryMatcher:
    """Leftmost-longest dictionary matcher over normalized surface forms."""

    canonical_of: dict[str, str]
    lengths: tuple[int, ...]

    @classmethod
    def from_entries(cls, entries: list[GlossaryEntry]) -> GlossaryMatcher:
        canonical_of: dict[str, str] = {}
        for entry in entries:
            for form in entry.forms:
                canonical_of.setdefault(normalize_aligned(form), entry.term)
        lengths = tuple(sorted({len(f) for f in canonical_of}, reverse=True))
        return cls(canonical_of, lengths)

    def terms_in(self, text: str) -> list[str]:
        folded = normalize_aligned(text)
        found: dict[str, None] = {}
        i = 0
        while i < len(folded):
            for length in self.lengths:
                form = folded[i:i + length]
                if len(form) == length and form in self.canonical_of and _whole_ascii_word(folded, i, length):
                    found.setdefault(self.canonical_of[form], None)
                    i += length
                    break
            else:
                i += 1
        return list(found)


def _whole_ascii_word(text: str, start: int, length: int) -> bool:
    """An ASCII form such as "pm" must not be cut out of a longer ASCII word such as "pm2.5"."""
    def is_word(c: str) -> bool:
        return c.isascii() and c.isalnum()

    form = text[start:start + length]
    if not (is_word(form[0]) or is_word(form[-1])):
        return True
    before = text[start - 1] if start > 0 else ""
    after = text[start + length] if start + length < len(text) else ""
    glued_before = bool(before) and is_word(form[0]) and is_word(before)
    glued_after = bool(after) and is_word(form[-1]) and is_word(after)
    return not (glued_before or glued_after)


_lock = threading.Lock()
_matcher: GlossaryMatcher | None = None


def glossary_matcher() -> GlossaryMatcher:
    """The process-wide matcher built from synonyms/data/glossary.tsv."""
    global _matcher
    if _matcher is None:
        with _lock:
            if _matcher is None:
                _matcher = GlossaryMatcher.from_entries(load_glossary())
    return _matcher


def glossary_terms_in(text: str) -> list[str]:
    """Canonical glossary terms mentioned in text (aliases resolved), in order of first mention."""
    return glossary_matcher().terms_in(text)
