"""Ranking knobs shared by every backend: field boosts, validity demotion, recency decay.

Both backends read these numbers, so a change here changes ranking the same way everywhere.
"""

from __future__ import annotations

import math
from datetime import date

from kb.models import Validity

#: Policy text fields and their boosts (word fields; bigram fields get BIGRAM_WEIGHT times the same).
#: Measured on the judged sets (docs/RELEVANCE.md): title 10 / bigram title 6 let title words drown the
#: body on natural questions (ncp dev nDCG@10 0.56 on a 200-question sample); title 3 / bigram title 2
#: gave 0.78 there and 0.942 (vs 0.931) on our own set. 文号, exact titles, 《titles》 have own boosts.
POLICY_FIELD_BOOSTS: dict[str, float] = {
    "title_seg": 3.0,
    "keywords_seg": 2.0,
    "body_seg": 1.0,
    "interpretations_seg": 0.3,
}
POLICY_BIGRAM_BOOSTS: dict[str, float] = {
    "title_bigrams": 2.0,
    "body_bigrams": 1.0,
    "interpretations_bigrams": 0.3,
}
QA_FIELD_BOOSTS: dict[str, float] = {
    "question_seg": 8.0,
    "alternatives_seg": 6.0,
    "answer_seg": 2.0,
    "policy_title_seg": 1.0,
}
QA_BIGRAM_BOOSTS: dict[str, float] = {"question_bigrams": 5.0, "answer_bigrams": 1.0}
GLOSSARY_FIELD_BOOSTS: dict[str, float] = {"term_seg": 10.0, "aliases_seg": 8.0, "definition_seg": 1.0}

#: Extra weight of query parts understood as something specific.
DOC_NUMBER_BOOST = 50.0
TITLE_PHRASE_BOOST = 20.0
#: A document whose whole title is the one the query names (kb.query's title match) — above any phrase.
EXACT_TITLE_BOOST = 200.0
PHRASE_BOOST = 5.0
#: Large enough to matter next to title-boosted BM25 (hundreds on OpenSearch): a copy of a law whose clauses
#: were not split must not outrank the one that has the asked-for clause (measured: docs/RELEVANCE.md).
CLAUSE_BOOST = 60.0

#: Multiplier per validity: expired and repealed documents sink below valid ones of similar relevance.
VALIDITY_FACTORS: dict[str, float] = {
    Validity.VALID.value: 1.0,
    Validity.UNKNOWN.value: 0.9,
    Validity.AMENDED.value: 0.6,
    Validity.EXPIRED.value: 0.3,
    Validity.REPEALED.value: 0.3,
}

#: Recency: factor = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS).
RECENCY_FLOOR = 0.7
RECENCY_HALF_LIFE_DAYS = 3650


def validity_factor(validity: str | None) -> float:
    return VALIDITY_FACTORS.get(validity or Validity.UNKNOWN.value, VALIDITY_FACTORS[Validity.UNKNOWN.value])


def recency_factor(published: date | None, today: date | None = None) -> float:
    """Mild preference for newer documents; undated documents get 1 (as the engines' decay functions do)."""
    if published is None:
        return 1.0
    age = abs(((today or date.today()) - published).days)
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * math.pow(0.5, age / RECENCY_HALF_LIFE_DAYS)
