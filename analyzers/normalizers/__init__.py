"""The ordered normalization pipeline; ``normalize_aligned`` runs only its length-preserving steps."""

from __future__ import annotations

from analyzers.normalizers.base import Normalizer
from analyzers.normalizers.clause_numerals import CLAUSE_NUMERALS
from analyzers.normalizers.controls import CONTROLS
from analyzers.normalizers.punctuation import PUNCTUATION
from analyzers.normalizers.traditional import TRADITIONAL_TO_SIMPLIFIED
from analyzers.normalizers.whitespace import WHITESPACE_CHARS, WHITESPACE_COLLAPSE
from analyzers.normalizers.width import WIDTH_CHARS, WIDTH_FULL

#: Order matters: controls first (OpenCC needs clean UTF-8), width before punctuation (its table is
#: half-width), whitespace collapsing before clause numerals (which look at adjacent characters).
PIPELINE: tuple[Normalizer, ...] = (
    CONTROLS,
    WIDTH_CHARS,
    WIDTH_FULL,
    TRADITIONAL_TO_SIMPLIFIED,
    PUNCTUATION,
    WHITESPACE_CHARS,
    WHITESPACE_COLLAPSE,
    CLAUSE_NUMERALS,
)
ALIGNED_PIPELINE: tuple[Normalizer, ...] = tuple(step for step in PIPELINE if step.length_preserving)


def normalize(text: str) -> str:
    """Full normalization for queries and keys (NFKC, t2s, punctuation, spaces, 第十二条→第12条)."""
    for step in PIPELINE:
        text = step(text)
    return text


def normalize_pair(text: str) -> tuple[str, str]:
    """``(normalize_aligned(text), normalize(text))`` computed together: one pass over the shared steps.

    The aligned pipeline is the full one without its length-changing steps, so both run the same steps on
    the same string until a length-changing step actually changes it; from there each goes on alone (in
    practice only the trailing whitespace collapsing and clause-numeral steps run twice, on the short tail).
    """
    aligned = full = text
    for step in PIPELINE:
        if step.length_preserving:
            if aligned is full:
                aligned = full = step(aligned)
            else:
                aligned, full = step(aligned), step(full)
        else:
            changed = step(full)
            if changed != full:
                full = changed
    return aligned, full


def normalize_aligned(text: str) -> str:
    """Length-preserving normalization for indexed text: output char i comes from input char i."""
    for step in ALIGNED_PIPELINE:
        text = step(text)
    return text


__all__ = ["ALIGNED_PIPELINE", "PIPELINE", "Normalizer", "normalize", "normalize_aligned", "normalize_pair"]
