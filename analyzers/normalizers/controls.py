"""Invisible and broken characters → a plain space (U+FFFD for lone surrogates), one for one."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from analyzers.normalizers.base import Normalizer


@lru_cache(maxsize=4096)
def _replacement(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cs":  # a lone surrogate cannot be encoded, and OpenCC needs UTF-8
        return "\ufffd"
    if category in ("Cc", "Cf") and not char.isspace():
        # U+200B is the token separator of segment_for_index, so copies of it in the input must not survive.
        return " "
    return char


def replace_controls(text: str) -> str:
    """Replace control and format characters (zero-width space, BOM, bidi marks, NUL) with a space."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _replacement(c) for c in text)


CONTROLS = Normalizer("controls", True, replace_controls)
