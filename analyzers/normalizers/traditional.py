"""Traditional → simplified Chinese with OpenCC (config t2s), kept length-preserving."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import opencc

from analyzers.normalizers.base import Normalizer

_converter_lock = threading.Lock()
_converter: opencc.OpenCC | None = None
# Chunks end at punctuation/space so a length-changing phrase rule only costs us its own chunk.
_CHUNK = re.compile(r"[^\s,.;:!?，。；：！？、]+|[\s,.;:!?，。；：！？、]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _opencc() -> opencc.OpenCC:
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = opencc.OpenCC("t2s")
    return _converter


@lru_cache(maxsize=65536)
def _convert_char(char: str) -> str:
    converted = _convert(char)
    return converted if len(converted) == 1 else char


def _convert(text: str) -> str:
    # OpenCC t2s is not idempotent for a few characters (薴 → 苧 → 苎), so convert until nothing changes.
    converted: str = _opencc().convert(text)
    for _ in range(3):
        again: str = _opencc().convert(converted)
        if again == converted:
            break
        converted = again
    return converted


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified ones; phrase rules apply where they keep the length."""
    if not _HAN.search(text):
        return text
    converted = _convert(text)
    if len(converted) == len(text):
        return converted
    out: list[str] = []
    for match in _CHUNK.finditer(text):
        chunk = match.group()
        piece = _convert(chunk)
        out.append(piece if len(piece) == len(chunk) else "".join(_convert_char(c) for c in chunk))
    return "".join(out)


TRADITIONAL_TO_SIMPLIFIED = Normalizer("traditional_to_simplified", True, to_simplified)
