"""Measure dedup of unanswered questions: precision/recall of merging at several thresholds.

Data: the 1,643 ncp unanswered questions (the pool of open questions), our hand-written near-duplicates and
look-alike different questions (tests/kb/workflow/data/near_duplicates.jsonl), and mechanical variants of
200 pool questions (polite prefix/suffix, punctuation dropped, full-width, traditional characters).
A merge is correct when a near-duplicate joins its original; every other merge is a false one — including
two different pool questions merged with each other (leave-one-out over the pool).

Run: .venv/bin/python scripts/eval_dedup.py [--scorer term|jaccard|token_set|char] [--sample 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections.abc import Callable
from pathlib import Path

import opencc

from kb.workflow import dedup

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYKB_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURE = REPO / "tests" / "kb" / "workflow" / "data" / "near_duplicates.jsonl"
THRESHOLDS = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9]
SCORERS: dict[str, Callable[[str, str], float]] = {
    "term": dedup.term_similarity,
    "jaccard": dedup.jaccard_similarity,
    "token_set": dedup.token_set_similarity,
    "char": dedup.char_similarity,
}


def _variants(text: str, rng: random.Random, s2t: opencc.OpenCC) -> str:
    """One mechanical rephrasing that must still count as the same question."""
    kind = rng.choice(["polite", "bare", "fullwidth", "traditional", "spaces"])
    if kind == "polite":
        return "请问" + text.rstrip("？?") + "？谢谢"
    if kind == "bare":
        return text.replace("？", "").replace("“", "").replace("”", "").replace("，", " ")
    if kind == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)
    if kind == "traditional":
        return str(s2t.convert(text))
    return " ".join(text)


def load(sample: int) -> tuple[dict[str, str], list[tuple[str, str | None, str]]]:
    """The pool {qid: text} and queries [(text, expected qid or None, kind)]."""
    pool: dict[str, str] = {}
    with (SHARED / "ncp_qa" / "unanswered_test_questions.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            pool[row["qid"]] = row["question"]
    by_prefix = {qid[:10]: qid for qid in pool}
    queries: list[tuple[str, str | None, str]] = []
    with FIXTURE.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            qid = by_prefix[row["qid"]]
            if row["label"] == "dup":
                queries.append((row["text"], qid, "hand-dup"))
            else:
                queries.append((row["text"], None, "hand-different"))
    rng = random.Random(31)
    s2t = opencc.OpenCC("s2t")
    for qid in rng.sample(sorted(pool), sample):
        queries.append((_variants(pool[qid], rng, s2t), qid, "mechanical"))
    return pool, queries


def best_match(text: str, pool: dict[str, str], scorer: Callable[[str, str], float], skip: str | None = None
               ) -> tuple[str | None, float]:
    best_qid, best_score = None, -1.0
    for qid, candidate in pool.items():
        if qid == skip:
            continue
        score = scorer(text, candidate)
        if score > best_score:
            best_qid, best_score = qid, score
    return best_qid, best_score


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scorer", choices=sorted(SCORERS), default="term")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--loo", type=int, default=400, help="pool questions checked leave-one-out (0: none)")
    parser.add_argument("--show", action="store_true", help="print false merges at the default threshold")
    args = parser.parse_args()
    scorer = SCORERS[args.scorer]
    pool, queries = load(args.sample)
    scored = []  # (expected, got, score, kind, text)
    for text, expected, kind in queries:
        got, score = best_match(text, pool, scorer)
        scored.append((expected, got, score, kind, text))
    rng = random.Random(7)
    for qid in rng.sample(sorted(pool), min(args.loo, len(pool))):
        got, score = best_match(pool[qid], pool, scorer, skip=qid)
        scored.append((None, got, score, "pool-other", pool[qid]))
    # The pool itself holds exact repeats (same text under two qids): merging those is right, so an
    # expected/got pair with equal dedup keys counts as correct; a repeat found leave-one-out is a positive.
    keys = {qid: dedup.dedup_key(text) for qid, text in pool.items()}
    fixed = []
    for expected, got, score, kind, text in scored:
        if kind == "pool-other" and got is not None and keys[got] == dedup.dedup_key(text):
            expected = got
        elif expected is not None and got is not None and keys[got] == keys[expected]:
            got = expected
        fixed.append((expected, got, score, kind, text))
    scored = fixed
    positives = sum(1 for e, *_ in scored if e is not None)
    print(f"scorer={args.scorer} pool={len(pool)} positives={positives} "
          f"negatives={len(scored) - positives} (hand-different + leave-one-out pool questions)")
    print(f"{'threshold':>9} {'merges':>6} {'correct':>7} {'false':>5} {'precision':>9} {'recall':>6} "
          f"{'F1':>5}  recall by kind")
    for t in THRESHOLDS:
        merges = [(e, g) for e, g, s, *_ in scored if s >= t]
        correct = sum(1 for e, g in merges if e is not None and e == g)
        false = len(merges) - correct
        precision = correct / len(merges) if merges else 1.0
        recall = correct / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        kinds = {}
        for kind in ("hand-dup", "mechanical"):
            total = sum(1 for e, _, _, k, _ in scored if k == kind)
            hit = sum(1 for e, g, s, k, _ in scored if k == kind and s >= t and e == g)
            kinds[kind] = f"{hit}/{total}"
        by_kind = " ".join(f"{k}={v}" for k, v in kinds.items())
        row = f"{t:>9.2f} {len(merges):>6} {correct:>7} {false:>5} {precision:>9.3f} {recall:>6.3f}"
        row += f" {f1:>5.3f}"
        print(f"{row}  {by_kind}")
    if args.show:
        for e, g, s, k, text in scored:
            if s >= dedup.DEFAULT_THRESHOLD and e != g:
                print(f"FALSE {k} {s:.2f} {text} -> {pool.get(g or '', '')}")
            elif e is not None and (s < dedup.DEFAULT_THRESHOLD or e != g):
                print(f"MISS  {k} {s:.2f} {text} -> expected {pool[e]}")


if __name__ == "__main__":
    main()
