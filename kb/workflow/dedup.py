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

#: Measured (scripts/eval_dedup.py, scorer=term): at 0.75 precision 0.933, recall 0.992 (hand-written
#: paraphrases 34/36); 0.70 adds 7 false merges for 1 more paraphrase, 0.80 loses 2 paraphrases.
DEFAULT_THRESHOLD = 0.75
_QUESTION_WORDS_FILE = Path(__file__).resolve().parent / "data" / "question_words.txt"


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """Interrogatives and fillers that differ between phrasings of the same question (data file)."""
    lines = _QUESTION_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=8192)
def dedup_key(text: str) -> str:
    """Normalized text, letters and digits only: equal keys mean the same question."""
    normalized = normalize(text)
    kept = "".join(ch for ch in normalized if unicodedata.category(ch)[0] in {"L", "N"})
    return kept.lower()


@lru_cache(maxsize=8192)
def question_terms(text: str) -> frozenset[str]:
    """The content terms of a question (query terms minus question words and punctuation)."""
    drop = question_words()
    return frozenset(
        t.lower() for t in query_terms(text) if t not in drop and any(ch.isalnum() for ch in t)
    )


#: jieba part-of-speech flags of words that name *which* thing is asked about: places, people, organisations,
#: other proper nouns, numerals. Two questions that swap one of these (广州 ↔ 深圳, 2020 ↔ 2021) differ.
_ENTITY_FLAGS = frozenset({"ns", "nr", "nt", "nz", "m", "eng"})
_ADMIN_SUFFIXES = ("自治区", "自治州", "自治县", "省", "市", "县", "区", "州")


def _entity_key(word: str) -> str:
    # 广州 and 广州市 are the same place: dropping 市 is a rephrasing, not a different question.
    for suffix in _ADMIN_SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=8192)
def question_entities(text: str) -> frozenset[str]:
    """Places, organisations, names and numbers in the question (jieba POS tags), suffix-normalized."""
    import jieba.posseg

    return frozenset(
        _entity_key(pair.word)
        for pair in jieba.posseg.cut(normalize(text))
        if pair.flag in _ENTITY_FLAGS and pair.word.strip()
    )


def entities_conflict(a: str, b: str) -> bool:
    """True when each question names something the other does not (a substitution, not an omission)."""
    ea, eb = question_entities(a), question_entities(b)
    only_a = {x for x in ea - eb if not any(x in y or y in x for y in eb)}
    only_b = {y for y in eb - ea if not any(y in x or x in y for x in ea)}
    return bool(only_a) and bool(only_b)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0 for two empty sets (nothing to compare is not a match)."""
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def jaccard_similarity(a: str, b: str) -> float:
    """1.0 for equal dedup keys, else Jaccard of content terms (measured as an alternative)."""
    if dedup_key(a) == dedup_key(b):
        return 1.0
    return jaccard(question_terms(a), question_terms(b))


def term_similarity(a: str, b: str) -> float:
    """The production similarity: Jaccard of content terms, 0 when the questions swap an entity."""
    if dedup_key(a) == dedup_key(b):
        return 1.0
    if entities_conflict(a, b):
        return 0.0
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
    best: DuplicateMatch | None = None
    for question_id, candidate in candidates:
        score = term_similarity(text, candidate)
        if score >= threshold and (
            best is None
            or score > best.similarity
            or (score == best.similarity and question_id < best.question_id)
        ):
            best = DuplicateMatch(question_id, score)
    return best
