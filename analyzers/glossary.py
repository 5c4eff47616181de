"""Find glossary terms (名词诠释) mentioned in text, resolving aliases to the canonical term."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass

from analyzers.normalizers import normalize_aligned
from analyzers.segmenter import get_segmenter
from synonyms import GlossaryEntry, load_glossary

#: Forms this short are taken only when the segmenter also cuts them out as a token.
SHORT_FORM = 2


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

    def spans(self, text: str, token_bounds: set[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, canonical term) of each leftmost-longest mention, offsets into ``text``.

        With ``token_bounds`` (offsets where segmenter tokens start or end), forms of one or two characters
        count only when they are whole tokens: 入学 is not mentioned in 深入学习.
        """
        folded = normalize_aligned(text)
        out: list[tuple[int, int, str]] = []
        i = 0
        while i < len(folded):
            for length in self.lengths:
                if i + length > len(folded):
                    continue
                form = folded[i:i + length]
                if form not in self.canonical_of or not _whole_ascii_word(folded, i, length):
                    continue
                if token_bounds is not None and length <= SHORT_FORM and not {i, i + length} <= token_bounds:
                    continue
                out.append((i, i + length, self.canonical_of[form]))
                i += length
                break
            else:
                i += 1
        return out

    def terms_in(self, text: str, token_bounds: set[int] | None = None) -> list[str]:
        return list(dict.fromkeys(term for _, _, term in self.spans(text, token_bounds)))


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


def token_bounds(text: str) -> set[int]:
    """Offsets at which precise-mode tokens of normalize_aligned(text) start or end."""
    return {0, *itertools.accumulate(len(t) for t in get_segmenter().cut(normalize_aligned(text)))}


def glossary_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical term) of glossary mentions; short forms must be whole tokens."""
    return glossary_matcher().spans(text, token_bounds(text))


def glossary_terms_in(text: str) -> list[str]:
    """Canonical glossary terms mentioned in text (aliases resolved), in order of first mention."""
    return list(dict.fromkeys(term for _, _, term in glossary_spans(text)))
