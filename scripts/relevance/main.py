"""The whole evaluation in one run: corpus, indexes, baselines, judged sets, Q&A dev set, tables, report.

Used by ``scripts/eval_relevance.py`` and ``policykb eval``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from opensearchpy import OpenSearch

from kb.qa import QAMatcher, save_calibration, semantic
from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store
from scripts.relevance import corpus
from scripts.relevance.baselines import BASELINES, BaselineIndex
from scripts.relevance.judged import REPO, load_ncp_set, load_own_set, load_qa_dev
from scripts.relevance.qa_eval import qa_table, report, run_qa
from scripts.relevance.run import (
    BaselineSystem,
    PipelineSystem,
    Summary,
    System,
    restrict_to_index,
    run_system,
    summarize,
    table,
    write_per_query,
)

OWN_KINDS = [
    "docnumber",
    "clause",
    "title",
    "title_near",
    "keyword",
    "question",
    "synonym",
    "traditional",
    "fullwidth",
    "typo",
    "pinyin",
    "overall",
]


@dataclass
class EvalConfig:
    search_url: str = "http://127.0.0.1:9201"
    shared_data: Path = REPO.parent / "shared" / "data"
    work_dir: Path = REPO / "var" / "eval"
    index_prefix: str = "policykb-eval"
    sets: list[str] = field(default_factory=lambda: ["own", "ncp", "qa"])
    baselines: bool = True
    reindex: bool = False
    calibrate: bool = False
    report_path: Path | None = None
    command: str = ""


def _log(message: str) -> None:
    print(message, flush=True)


def evaluate(config: EvalConfig) -> str:
    """Run everything configured; returns the markdown report (also written to report_path if set)."""
    started = time.perf_counter()
    config.work_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        search_backend="opensearch",
        search_url=config.search_url,
        search_index_prefix=config.index_prefix,
        search_timeout_seconds=30,
        database_url=f"sqlite:///{(config.work_dir / 'policykb.db').as_posix()}",
        data_dir=config.work_dir,
    )
    store = Store(settings.resolved_database_url)
    corpus.ensure_loaded(store, config.shared_data, _log)
    titles = [p.title for p in store.iter_policies()]
    understanding = QueryUnderstanding.from_titles(titles)
    _log(f"query understanding: {len(understanding.vocabulary or [])} titles")
    backend = get_backend(settings, parser=understanding.parser())
    corpus.ensure_indexed(backend, store, _log, force=config.reindex)
    indexed = corpus.indexed_keys(store)

    systems: list[System] = [
        PipelineSystem(backend, understanding),
        PipelineSystem(backend, None, name="pipeline-without-understanding"),
    ]
    if config.baselines:
        client = OpenSearch(config.search_url, timeout=60)
        for name in BASELINES:
            baseline = BaselineIndex(client, config.index_prefix, name)
            if config.reindex or baseline.count() != len(indexed):
                _log(f"baseline {name}: indexed {baseline.rebuild(corpus.policies(store))}")
            systems.append(BaselineSystem(baseline))

    per_query = config.work_dir / "per_query.jsonl"
    if {"own", "ncp"} & set(config.sets):
        per_query.unlink(missing_ok=True)
    sections = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {config.search_url}; corpus {store.counts()}.",
        "",
    ]
    if config.command:
        sections += ["Command:", "", f"    {config.command}", ""]

    judged_sets = []
    if "own" in config.sets:
        judged_sets.append(("own judged set (eval/)", load_own_set(), OWN_KINDS))
    if "ncp" in config.sets:
        judged_sets.append(("ncp dev qrels (637 questions)", load_ncp_set(config.shared_data), ["ncp"]))
    for title, queries, kinds in judged_sets:
        kept, dropped_judgments, dropped_queries = restrict_to_index(queries, indexed)
        summaries: dict[str, dict[str, Summary]] = {}
        for system in systems:
            results = run_system(system, kept)
            write_per_query(per_query, system.name, results)
            summaries[system.name] = summarize(results)
            errors = sum(r.error is not None for r in results)
            _log(
                f"{title} / {system.name}: nDCG@10 {summaries[system.name]['overall'].ndcg10:.3f}"
                + (f" ({errors} errors)" if errors else "")
            )
        sections.append(table(title, summaries, kinds))
        sections.append("")
        sections.append(
            f"{len(kept)} queries scored; {dropped_judgments} judgments about records that are not "
            f"indexed as policies (e.g. 解读 pages, skipped duplicates) ignored; {dropped_queries} "
            f"queries left without an indexed relevant document dropped."
        )
        sections.append("")

    if "qa" in config.sets:
        details: dict[str, object] = {
            "measured_on": "eval/qa_dev.jsonl",
            "date": f"{datetime.now(UTC):%Y-%m-%d}",
            "backend": "opensearch",
        }
        variants = [("lexical", False)] + (
            [("lexical + semantic layer", True)] if semantic.available() else []
        )
        for name, use_semantic in variants:
            matcher = QAMatcher.from_store(backend, store, understanding, semantic=use_semantic)
            calibrated = report(run_qa(matcher, load_qa_dev()))
            key = "threshold_semantic" if use_semantic else "threshold"
            details[key] = round(calibrated.threshold, 4)
            details[f"decision_accuracy{'_semantic' if use_semantic else ''}"] = round(
                calibrated.decision_accuracy, 4
            )
            sections.append(qa_table(f"{name}, threshold calibrated on this set", calibrated))
            sections.append("")
        if config.calibrate:
            save_calibration(float(details.pop("threshold")), details)  # type: ignore[arg-type]
            _log(f"calibrated no-answer thresholds saved: {details}")
    sections.append(
        f"Per-query results: {per_query.relative_to(REPO) if per_query.is_relative_to(REPO) else per_query}"
        f"; run took {time.perf_counter() - started:.0f} s."
    )
    text = "\n".join(sections)
    if config.report_path:
        config.report_path.write_text(text + "\n", encoding="utf-8")
    return text
