"""The segmentation bound: tokens and MB/s of ``analyzers.segment_for_index`` alone over a corpus.

scripts/bench_segmentation.py (analysis) compares the engines on a fixed slice of lawrefbook + hebei; this
module measures the one engine in use over exactly the texts the store holds, as the baseline of indexing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import analyzers
from kb.store import Store
from scripts.bench.stats import median_spread

ZWSP = "\u200b"


def store_texts(store: Store) -> list[str]:
    """The texts indexing segments: titles and bodies of policies and 解读, Q&A questions and answers."""
    texts: list[str] = []
    for policy in store.iter_policies():
        texts += [policy.title, policy.text]
    for interp in store.iter_interpretations():
        texts += [interp.title, interp.text]
    for qa in store.iter_qa_pairs():
        texts += [qa.question, qa.answer]
    return [t for t in texts if t]


def segment_once(texts: Iterable[str]) -> tuple[int, int, float, float]:
    """Segment every text once: (tokens, UTF-8 bytes, wall seconds, CPU seconds of this process)."""
    tokens = size = 0
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        out = analyzers.segment_for_index(text)
        tokens += out.count(ZWSP) + 1
        size += len(text.encode("utf-8"))
    return tokens, size, time.perf_counter() - started, time.process_time() - cpu


def segmentation_bound(texts: list[str], runs: int = 3, stride: int = 1) -> dict[str, object]:
    """Median MB/s and tokens/s of the segmenter over texts (warmed up: dictionary load excluded)."""
    # A rate, so every stride-th text is a fair sample when the whole corpus would take too long.
    texts = texts[::stride]
    # ASCII punctuation inside a block goes to jieba's reference engine, loaded on first use: warm both.
    analyzers.segment_for_index("社会保险补贴申领条件 2019-2021年 www.gov.cn")
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    tokens = size = 0
    for _ in range(runs):
        tokens, size, took, cpu = segment_once(texts)
        seconds.append(took)
        cpu_seconds.append(cpu)
    mb = size / 1e6
    return {
        "texts": len(texts),
        "stride": stride,
        "tokens": tokens,
        "mb": mb,
        "engine": analyzers.segmenter.get_segmenter().engine_name,
        "seconds": median_spread(seconds),
        "mb_per_s": median_spread([mb / s for s in seconds]),
        "tokens_per_s": median_spread([tokens / s for s in seconds]),
        # Per CPU second of this process: what the segmenter costs, much steadier than wall time when shared.
        "cpu_seconds": median_spread(cpu_seconds),
        "mb_per_cpu_s": median_spread([mb / s for s in cpu_seconds]),
    }
