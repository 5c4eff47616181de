"""Pinyin helpers: toneless readings of Chinese words, and Latin input split into pinyin syllables.

Readings come from pypinyin (its phrase dictionary picks the reading in context, e.g. 专长 -> zhuan chang);
the set of valid syllables is derived from pypinyin's own character dictionary, so no list is kept here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

_LATIN = re.compile(r"^[a-zA-Z' ]+$")
_VOWEL = re.compile(r"[aeiouv]")
MAX_SYLLABLE_LENGTH = 6


@lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (ü written as v), as pypinyin knows them."""
    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFKD", reading) if not unicodedata.combining(c))
            plain = plain.replace("ü", "v")
            # Interjection readings such as hm, ng are not what people type for policy words.
            if plain.isascii() and plain.isalpha() and _VOWEL.search(plain):
                found.add(plain)
    return frozenset(found)


@lru_cache(maxsize=65536)
def reading(word: str) -> tuple[str, ...]:
    """Toneless syllables of a Chinese word, one per character."""
    return tuple(s.replace("ü", "v") for s in lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


def initials_of(word: str) -> str:
    """First letters of the syllables of ``word``: 营商环境 -> yshj."""
    return "".join(s[0] for s in reading(word) if s)


def is_latin(text: str) -> bool:
    """True for input made only of Latin letters, spaces and apostrophes (a pinyin candidate)."""
    return bool(text.strip()) and bool(_LATIN.match(text))


def split_syllables(text: str) -> tuple[str, ...] | None:
    """Split Latin input into pinyin syllables (fewest syllables wins), or None when it is not pinyin.

    Spaces and apostrophes are hard boundaries: ``xi'an`` stays two syllables.
    """
    valid = syllables()
    result: list[str] = []
    for chunk in re.split(r"[\s']+", text.lower().strip()):
        if not chunk:
            continue
        best = _split_chunk(chunk, valid)
        if best is None:
            return None
        result.extend(best)
    return tuple(result) or None


def _split_chunk(chunk: str, valid: frozenset[str]) -> list[str] | None:
    # Dynamic programming over prefixes: best[i] = fewest syllables covering chunk[:i].
    best: list[list[str] | None] = [None] * (len(chunk) + 1)
    best[0] = []
    for end in range(1, len(chunk) + 1):
        for start in range(max(0, end - MAX_SYLLABLE_LENGTH), end):
            head = best[start]
            piece = chunk[start:end]
            if head is not None and piece in valid:
                candidate = [*head, piece]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(chunk)]
