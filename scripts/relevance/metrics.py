"""Ranking metrics over graded judgments: nDCG@k, MRR@k, Recall@k, top-1 accuracy.

Documents are keys ``"source:source_id"``; a judgment is a grade 0-3 (0 or unjudged = not relevant).
nDCG uses exponential gain (2^grade - 1) and a log2 discount, as trec_eval's ndcg_cut does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k of one ranking; 0 when nothing relevant is judged."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([judged.get(key, 0) for key in ranked[:k]]) / ideal


def mrr_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """Reciprocal rank of the first relevant document within the top k."""
    for i, key in enumerate(ranked[:k]):
        if judged.get(key, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 50) -> float:
    """Share of the relevant documents found in the top k."""
    relevant = {key for key, g in judged.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def top1_best(ranked: Sequence[str], judged: Mapping[str, int]) -> bool:
    """True when the first hit carries the highest grade judged for the query."""
    if not ranked or not judged:
        return False
    best = max(judged.values())
    return best > 0 and judged.get(ranked[0], 0) == best


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
