"""Segmentation benchmark on real policy text: load time and throughput for jieba and the engine in use.

Usage: .venv/bin/python scripts/bench_segmentation.py [--mb 3] [--runs 3]
Prints the median of --runs runs. Single-threaded, so the figures are per core. Throughput is given
per CPU second of this process (stable on a shared machine) and per wall second (what a user waits).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    return Path(os.environ.get("POLICYKB_SHARED_DATA", REPO.parent / "shared" / "data"))


def _texts(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text")
            if text:
                yield text


def load_corpus(megabytes: float) -> list[str]:
    """About ``megabytes`` MB (UTF-8) of lawrefbook and hebei text, alternating documents."""
    budget = int(megabytes * 1_000_000)
    sources = [
        _texts(shared_data() / "lawrefbook" / "laws.jsonl.gz"),
        _texts(shared_data() / "hebei" / "documents.jsonl.gz"),
    ]
    corpus: list[str] = []
    size = 0
    while size < budget and sources:
        for source in list(sources):
            text = next(source, None)
            if text is None:
                sources.remove(source)
                continue
            corpus.append(text)
            size += len(text.encode("utf-8"))
    return corpus


def timed(action: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bench(name: str, build: Callable[[], Callable[[str], list[str]]], corpus: list[str], runs: int) -> None:
    load_wall, load_cpu, cut = timed(build)
    megabytes = sum(len(t.encode("utf-8")) for t in corpus) / 1_000_000
    walls: list[float] = []
    cpus: list[float] = []
    tokens = 0
    for _ in range(runs):
        wall, cpu, counts = timed(lambda: [len(cut(t)) for t in corpus])  # type: ignore[operator]
        walls.append(wall)
        cpus.append(cpu)
        tokens = sum(counts)  # type: ignore[arg-type]
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(
        f"{name:<38} load {load_cpu:5.2f} s cpu ({load_wall:5.2f} wall)  "
        f"{megabytes / cpu:6.2f} MB/s cpu ({megabytes / wall:5.2f} wall)  "
        f"{tokens / cpu:>9,.0f} tokens/s cpu  "
        f"[{megabytes:.2f} MB, {tokens:,} tokens, median of {runs}]"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=3.0, help="megabytes of real text (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="runs per engine; the median is printed")
    args = parser.parse_args()

    import jieba

    from analyzers import normalize_aligned
    from analyzers.segmenter import Segmenter, default_engine, glossary_user_words, user_word_frequencies

    raw = load_corpus(args.mb)
    corpus = [normalize_aligned(t) for t in raw]
    words = glossary_user_words()
    print(f"corpus: {len(corpus)} documents from lawrefbook + hebei; {len(words)} glossary user words; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    def plain_jieba() -> Callable[[str], list[str]]:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word, freq in user_word_frequencies(words):
            tokenizer.add_word(word, freq)
        return lambda text: list(tokenizer.cut(text, HMM=True))

    def engine(name: str) -> Callable[[], Callable[[str], list[str]]]:
        return lambda: Segmenter(words, engine=name).cut  # type: ignore[arg-type]

    bench("jieba (reference, plain)", plain_jieba, corpus, args.runs)
    bench("Segmenter(engine='jieba')", engine("jieba"), corpus, args.runs)
    in_use = default_engine()
    bench(f"Segmenter(engine='{in_use}') [in use]", engine(in_use), corpus, args.runs)

    from analyzers import segment_for_index

    runs = [timed(lambda: [segment_for_index(t) for t in raw])[1] for _ in range(args.runs)]
    megabytes = sum(len(t.encode("utf-8")) for t in raw) / 1_000_000
    label = "segment_for_index (normalize + cut)"
    print(f"{label:<38} {megabytes / statistics.median(runs):6.2f} MB/s cpu on raw text")


if __name__ == "__main__":
    main()
