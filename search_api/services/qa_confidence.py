"""How sure we are that a Q&A entry answers the question typed: bigram coverage of the query, plus overlap.

This is the API's own, explainable scorer (kb.qa is not there yet); it looks at the typed question and the
entry's question and alternative questions only, so it behaves the same on every backend. Coverage weighs
most because agents type fragments ("社保补贴") while callers talk; Dice keeps a two-character fragment from
matching every long question fully.
"""

from __future__ import annotations

import analyzers
from kb.models import QAPair

#: Below this an entry is not an answer, only a candidate (Settings.qa_confidence_threshold overrides).
DEFAULT_THRESHOLD = 0.6
COVERAGE_WEIGHT = 0.7


def _bigrams(text: str) -> set[str]:
    return set(analyzers.cjk_bigrams(text)) | {
        t for t in analyzers.query_terms(text) if t.isascii() and len(t) > 1
    }


def confidence(query: str, qa: QAPair) -> float:
    """A score in [0, 1]: 0.7 × share of the query's bigrams found in the best question + 0.3 × Dice."""
    wanted = _bigrams(query)
    if not wanted:
        return 0.0
    best = 0.0
    for question in (qa.question, *qa.alternative_questions):
        have = _bigrams(question)
        if not have:
            continue
        shared = len(wanted & have)
        coverage = shared / len(wanted)
        dice = 2 * shared / (len(wanted) + len(have))
        best = max(best, COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * dice)
    return round(min(best, 1.0), 3)
