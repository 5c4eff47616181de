"""Full-width → half-width and compatibility folding (NFKC), keeping symbols users mean literally.

Kept as written (NFKC would change their meaning for a reader):
- circled/parenthesized enumerators ①⑴⒈㈠㊀: NFKC turns ①② into "12", inventing a number
  from two list markers;
- squared units ㎡㎏㎞ and ℃: NFKC gives "m2", "kg", "°C"; "m2" reads as a model name and loses
  the square, and the index side cannot expand one char into two without breaking offsets, so
  keeping them keeps query and index equal;
- super/subscript digits ²³₂ (m², CO₂) for the same reason;
- the ellipsis … (NFKC: "...") is punctuation either way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from analyzers.normalizers.base import CharMap, Normalizer, scanned_code_points

_KEEP_RANGES = (
    (0x2460, 0x24FF),  # ① … ⓿ enclosed alphanumerics
    (0x2776, 0x2793),  # ❶ … ➓ dingbat circled digits
    (0x3200, 0x32FF),  # ㈠ … enclosed CJK letters and months
    (0x3300, 0x33FF),  # ㎡ ㎏ … CJK compatibility (squared units)
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x00B2, 0x00B3),  # ² ³
    (0x00B9, 0x00B9),  # ¹
    (0x2103, 0x2103),  # ℃
    (0x2109, 0x2109),  # ℉
    (0x2026, 0x2026),  # …
)


def is_kept(char: str) -> bool:
    """True for characters NFKC would rewrite but users mean literally (①, ㎡, ℃, ², …)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _KEEP_RANGES)


def _fold_char(char: str) -> str:
    if is_kept(char):
        return char
    folded = unicodedata.normalize("NFKC", char)
    # ASCII letters are lower-cased here too, so that "ＰＭ" and "pm" meet; other scripts keep their case.
    folded = folded.lower() if folded.isascii() else folded
    return folded if len(folded) == 1 else char


@lru_cache(maxsize=1)
def _fold_map() -> CharMap:
    """Every character that folds to a different single character."""
    table: dict[str, str] = {}
    for cp in scanned_code_points():
        char = chr(cp)
        if not char.isascii() and unicodedata.is_normalized("NFKC", char):
            continue
        folded = _fold_char(char)
        if folded != char:
            table[char] = folded
    return CharMap(table)


_KEPT = re.compile("([" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _KEEP_RANGES) + "]+)")
_ASCII_UPPER = re.compile("[A-Z]+")


def fold_width_chars(text: str) -> str:
    """Char-by-char NFKC (Ａ→a, １→1, 　→space, ⼀→一) wherever NFKC yields exactly one character."""
    if text.isascii():
        return text.lower()
    return _fold_map().apply(text)


def fold_width_full(text: str) -> str:
    """NFKC of the whole text except the kept symbols, including multi-char expansions (Ⅳ→iv, ﬁ→fi)."""
    if not unicodedata.is_normalized("NFKC", text):
        pieces = _KEPT.split(text)
        # split() with a group alternates: even indexes are ordinary text, odd ones the kept symbols.
        text = "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(pieces))
    return _ASCII_UPPER.sub(lambda m: m.group().lower(), text)


WIDTH_CHARS = Normalizer("width_chars", True, fold_width_chars)
WIDTH_FULL = Normalizer("width_full", False, fold_width_full)
