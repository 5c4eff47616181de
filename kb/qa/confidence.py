"""Confidence that a Q&A answers a question: how much of the question's content the Q&A covers.

Engine scores grow with query length and differ between backends, so they cannot be thresholded. Coverage
can: the share of the question's content words (stopwords removed, longer words count more) found in the
Q&A's question and alternative phrasings, with words found only in the answer counting less, blended with
the character-bigram overlap of the two questions. Both parts are 0-1 and backend-independent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import lru_cache

import analyzers

#: A content word found only in the answer counts this much of one found in the question.
ANSWER_CREDIT = 0.5
#: Blend of word coverage and question-to-question bigram overlap.
WORD_SHARE = 0.7


def content_words(question: str) -> list[str]:
    """The question's words without stopwords and single characters that carry no topic."""
    words = [w for w in analyzers.query_terms(question) if len(w) >= 2 or w.isdigit()]
    # query_terms (search mode) also yields sub-words of long words; keep the longest forms only.
    return [w for w in dict.fromkeys(words) if not any(w != o and w in o for o in words)]


class WordRarity:
    """How rare a word is among the Q&A texts: 护照 says more about a question than 办理 or 需要."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._texts = [analyzers.normalize(t) for t in texts]
        self.weight = lru_cache(maxsize=65536)(self._weight)

    def _weight(self, word: str) -> float:
        df = sum(1 for t in self._texts if word in t)
        # Smoothed IDF; a word in every text still counts a little.
        return math.log((len(self._texts) + 1) / (df + 1)) + 0.1


class PreparedQuestion:
    """A caller's question analysed once: its content words, their weights and its character bigrams.

    The matcher scores one question against ~20 candidates and their alternative phrasings; segmenting and
    normalizing the question again for each of them was most of the confidence cost.
    """

    def __init__(self, question: str, rarity: WordRarity | None = None) -> None:
        words = content_words(question)
        self.weights = {w: len(w) * (rarity.weight(w) if rarity else 1.0) for w in words}
        self.total = sum(self.weights.values())
        self.bigrams = set(analyzers.cjk_bigrams(analyzers.normalize(question)))

    def coverage(self, asked: str, answered: str | Callable[[], str]) -> float:
        """Weighted share of the content words in the (normalized) candidate question or answer.

        ``answered`` may be a function giving the normalized answer: it is only needed for words the
        question does not have, and normalizing a long answer is the dearest step.
        """
        if not self.weights:
            return 0.0
        found = 0.0
        for word, weight in self.weights.items():
            if word in asked:
                found += weight
            else:
                if not isinstance(answered, str):
                    answered = answered()
                if word in answered:
                    found += ANSWER_CREDIT * weight
        return found / self.total if self.total else 0.0

    def bigram_overlap(self, candidate_question: str, *, normalized: bool = False) -> float:
        """Share of the question's bigrams that also occur in the candidate question."""
        if not self.bigrams:
            return 0.0
        asked = candidate_question if normalized else analyzers.normalize(candidate_question)
        theirs = set(analyzers.cjk_bigrams(asked))
        return len(self.bigrams & theirs) / len(self.bigrams)

    def confidence(self, candidate_question: str, answered: str | Callable[[], str]) -> float:
        """0-1, as ``confidence``; ``answered`` is the candidate answer already normalized (or a function)."""
        asked = analyzers.normalize(candidate_question)
        value = WORD_SHARE * self.coverage(asked, answered) + (1 - WORD_SHARE) * (
            self.bigram_overlap(asked, normalized=True)
        )
        return max(0.0, min(1.0, value))


def coverage(
    question: str, candidate_question: str, candidate_answer: str, rarity: WordRarity | None = None
) -> float:
    """Weighted share of the question's content words present in the candidate (0-1).

    Words weigh by length, times their rarity among the Q&A when ``rarity`` is given.
    """
    prepared = PreparedQuestion(question, rarity)
    return prepared.coverage(analyzers.normalize(candidate_question), analyzers.normalize(candidate_answer))


def bigram_overlap(question: str, candidate_question: str) -> float:
    """Share of the question's character bigrams that also occur in the candidate question (0-1)."""
    return PreparedQuestion(question).bigram_overlap(candidate_question)


def confidence(
    question: str, candidate_question: str, candidate_answer: str, rarity: WordRarity | None = None
) -> float:
    """0-1: how well the candidate Q&A covers the question."""
    prepared = PreparedQuestion(question, rarity)
    return prepared.confidence(candidate_question, analyzers.normalize(candidate_answer))


def best_phrasing_confidence(
    question: str | PreparedQuestion,
    phrasings: Iterable[str],
    candidate_answer: str,
    rarity: WordRarity | None = None,
) -> float:
    """Confidence against the Q&A's best-matching phrasing: its question or one of its alternatives.

    A caller who words the question exactly like an alternative phrasing is as well answered as one who
    words it like the main question; scoring only the main question would call that a weak match.
    ``question`` may be a PreparedQuestion (then ``rarity`` is the one it was prepared with).
    """
    prepared = question if isinstance(question, PreparedQuestion) else PreparedQuestion(question, rarity)
    answered: list[str] = []

    def normalized_answer() -> str:
        if not answered:
            answered.append(analyzers.normalize(candidate_answer))
        return answered[0]

    scores = [prepared.confidence(p, normalized_answer) for p in phrasings if p.strip()]
    return max(scores, default=0.0)
