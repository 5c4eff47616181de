"""The contract every normalizer follows (charabia style: one small unit, one job)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Normalizer:
    """One normalization step; a ``length_preserving`` step maps input char i to output char i."""

    name: str
    length_preserving: bool
    apply: Callable[[str], str]

    def __call__(self, text: str) -> str:
        return self.apply(text)


def char_class(code_points: Iterable[int]) -> re.Pattern[str]:
    """A regex matching runs of the given code points (ranges merged, so the class stays small)."""
    ranges: list[tuple[int, int]] = []
    for cp in sorted(set(code_points)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    parts = "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges
    )
    return re.compile(f"[{parts}]+" if parts else "(?!)")


class CharMap:
    """A one-char-to-one-string table applied only where it matches, fast on mostly unchanged text.

    The characters are split into a BMP class and an astral class: sre compiles a BMP-only class into a
    bitmap, while one astral code point turns the whole class into a slow list of ranges.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self._bmp = char_class(ord(c) for c in table if ord(c) <= 0xFFFF)
        self._astral = char_class(ord(c) for c in table if ord(c) > 0xFFFF)
        self._has_astral = any(ord(c) > 0xFFFF for c in table)
        # Runs repeat a lot (a full-width comma in every clause); dict writes are atomic, threads share it.
        self._runs: dict[str, str] = {}

    def _sub(self, match: re.Match[str]) -> str:
        run = match.group()
        done = self._runs.get(run)
        if done is None:
            done = "".join(map(self.table.__getitem__, run))
            if len(run) <= 4 and len(self._runs) < 100_000:
                self._runs[run] = done
        return done

    def apply(self, text: str) -> str:
        text = self._bmp.sub(self._sub, text)
        if self._has_astral and _ASTRAL.search(text):
            text = self._astral.sub(self._sub, text)
        return text


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def scanned_code_points() -> Iterator[int]:
    """Code points worth scanning for character tables: planes 0-2 and the tag plane (format characters).

    Above them nothing is assigned that NFKC, OpenCC or the control filter would change; skipping the
    rest keeps building the tables at start-up well under a second.
    """
    yield from range(0x30000)
    yield from range(0xE0000, 0xE1000)
