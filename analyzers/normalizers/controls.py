"""Invisible and broken characters → a plain space (U+FFFD for lone surrogates), one for one."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from analyzers.normalizers.base import CharMap, Normalizer, scanned_code_points


def _replacement(char: str) -> str:
    if unicodedata.category(char) == "Cs":  # a lone surrogate cannot be encoded, and OpenCC needs UTF-8
        return "\ufffd"
    # U+200B is the token separator of segment_for_index, so copies of it in the input must not survive.
    return " "


@lru_cache(maxsize=1)
def _control_map() -> CharMap:
    return CharMap({
        chr(cp): _replacement(chr(cp)) for cp in scanned_code_points()
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Cs") and not chr(cp).isspace()
    })


def replace_controls(text: str) -> str:
    """Replace control and format characters (zero-width space, BOM, bidi marks, NUL) with a space."""
    if text.isascii() and text.isprintable():
        return text
    return _control_map().apply(text)


CONTROLS = Normalizer("controls", True, replace_controls)
