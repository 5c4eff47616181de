"""Whitespace: every space/newline → ' ' (length-preserving), then runs collapsed (full pipeline)."""

from __future__ import annotations

import re

from analyzers.normalizers.base import Normalizer

_ANY_SPACE = re.compile(r"\s")
_SPACE_RUN = re.compile(r" {2,}")


def spaces_to_blank(text: str) -> str:
    """Turn tabs, newlines, ideographic and no-break spaces into ' ', one for one."""
    return _ANY_SPACE.sub(" ", text)


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces into one and trim both ends."""
    return _SPACE_RUN.sub(" ", text).strip(" ")


WHITESPACE_CHARS = Normalizer("whitespace_chars", True, spaces_to_blank)
WHITESPACE_COLLAPSE = Normalizer("whitespace_collapse", False, collapse_spaces)
