"""Is a new consultation the same question as an open one? Normalized equality, then token-set similarity.

The similarity is the Jaccard index of the two questions' query terms (analyzers.query_terms:
normalized, segmented, stopwords removed) after dropping question words (如何/怎么/哪些 ...) that vary
between phrasings of one question. The threshold was measured with scripts/eval_dedup.py on the ncp
unanswered questions plus our own near-duplicates and look-alike different questions
(tests/kb/workflow/data/near_duplicates.jsonl); see docs/WORKFLOW.md for the figures.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from analyzers import normalize, query_terms

DEFAULT_THRESHOLD = 0.6
_QUESTION_WORDS_FILE = Path(__file__).resolve().parent / "data" / "question_words.txt"


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """Interrogatives and fillers that differ between phrasings of the same question (data file)."""
    lines = _QUESTION_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def dedup_key(text: str) -> str:
    """Normalized text, letters and digits only: equal keys mean the same question."""
    normalized = normalize(text)
    kept = "".join(ch for ch in normalized if unicodedata.category(ch)[0] in {"L", "N"})
    return kept.lower()


@lru_cache(maxsize=4096)
def question_terms(text: str) -> frozenset[str]:
    """The content terms of a question (query terms minus question words and punctuation)."""
    drop = question_words()
    return frozenset(
        t.lower() for t in query_terms(text) if t not in drop and any(ch.isalnum() for ch in t)
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets (nothing to compare is not a match)."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def term_similarity(a: str, b: str) -> float:
    """The production similarity: 1.0 for equal dedup keys, else Jaccard of content terms."""
    if dedup_key(a) == dedup_key(b):
        return 1.0
    return jaccard(question_terms(a), question_terms(b))


def token_set_similarity(a: str, b: str) -> float:
    """rapidfuzz token_set_ratio over content terms, in [0, 1] (measured as an alternative)."""
    ta, tb = " ".join(sorted(question_terms(a))), " ".join(sorted(question_terms(b)))
    return fuzz.token_set_ratio(ta, tb) / 100.0


def char_similarity(a: str, b: str) -> float:
    """rapidfuzz ratio of the dedup keys, in [0, 1] (measured as an alternative)."""
    return fuzz.ratio(dedup_key(a), dedup_key(b)) / 100.0


@dataclass(frozen=True)
class DuplicateMatch:
    question_id: int
    similarity: float


def find_duplicate(
    text: str, candidates: Iterable[tuple[int, str]], threshold: float = DEFAULT_THRESHOLD
) -> DuplicateMatch | None:
    """The most similar candidate (id, question text) at or above the threshold; ties go to the oldest id."""
    key = dedup_key(text)
    best: DuplicateMatch | None = None
    for question_id, candidate in candidates:
        terms = question_terms(text)
        score = 1.0 if dedup_key(candidate) == key else jaccard(terms, question_terms(candidate))
        if score >= threshold and (
            best is None
            or score > best.similarity
            or (score == best.similarity and question_id < best.question_id)
        ):
            best = DuplicateMatch(question_id, score)
    return best
