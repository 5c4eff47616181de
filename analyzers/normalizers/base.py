"""The contract every normalizer follows (charabia style: one small unit, one job)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Normalizer:
    """One normalization step; a ``length_preserving`` step maps input char i to output char i."""

    name: str
    length_preserving: bool
    apply: Callable[[str], str]

    def __call__(self, text: str) -> str:
        return self.apply(text)
