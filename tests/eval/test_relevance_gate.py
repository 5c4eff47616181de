"""Regression gate: a fast subset of the judged queries on the real OpenSearch, floors below today's figures.

The corpus is every document judged for the subset, the hard negatives a bigram BM25 ranks highest for
each query, and 150 random documents (``gate_subset.json``), imported by the real importers from a
temporary copy of those rows of ../shared/data. A glossary, synonym, analyzer or ranking change that
breaks relevance fails here. Full figures: ``policykb eval`` (docs/RELEVANCE.md).
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from opensearchpy import OpenSearch

from kb.qa import QAMatcher
from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.search.base import BaseSearchBackend
from kb.settings import Settings
from kb.store import Store
from scripts.relevance import corpus
from scripts.relevance.judged import load_own_set, load_qa_dev
from scripts.relevance.qa_eval import report, run_qa
from scripts.relevance.run import PipelineSystem, restrict_to_index, run_system, summarize

SUBSET = json.loads((Path(__file__).parent / "gate_subset.json").read_text(encoding="utf-8"))

# Floors: set below the figures this gate measured on 2026-12-03 (docnumber 1.0, clause 1.0, overall nDCG@10
# 0.954, Q&A top-1 0.917, decision accuracy 0.906; full set: docs/RELEVANCE.md), so noise does not fail CI
# but a real regression does.
FLOOR_DOCNUMBER_TOP1 = 1.0
FLOOR_CLAUSE_TOP1 = 0.85
FLOOR_OVERALL_NDCG = 0.90
FLOOR_QA_TOP1 = 0.80
FLOOR_QA_DECISION = 0.80


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _subset_of_shared_data(shared: Path, target: Path) -> Path:
    """The gate's rows of each dataset, in the dataset's own layout, under ``target``."""
    wanted = set(SUBSET["documents"])
    layout = [
        ("govcn", "govcn_pages/expected_metadata.jsonl", "id"),
        ("hebei", "hebei/documents.jsonl.gz", "id"),
        ("lawrefbook", "lawrefbook/laws.jsonl.gz", "id"),
        ("bj_zyj", "bj_zyj/notices.jsonl", "id"),
        ("ncp", "ncp_qa/corpus_docs.jsonl", "docid"),
    ]
    for source, relative, key in layout:
        rows = [r for r in _read_jsonl(shared / relative) if f"{source}:{r[key]}" in wanted]
        _write_jsonl(target / relative, rows)
    html = target / "govcn_pages" / "html"
    html.mkdir(parents=True, exist_ok=True)
    for key in wanted:
        if key.startswith("govcn:"):
            name = f"govcn_content_{key.split(':', 1)[1]}.html"
            (html / name).symlink_to(shared / "govcn_pages" / "html" / name)
    qa_wanted = set(SUBSET["qa_pairs"])
    qa_rows = [r for r in _read_jsonl(shared / "ncp_qa" / "qa_pairs_dev.jsonl") if r["qid"] in qa_wanted]
    _write_jsonl(target / "ncp_qa" / "qa_pairs_dev.jsonl", qa_rows)
    return target


@pytest.fixture(scope="module")
def gate(
    opensearch_url: str, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BaseSearchBackend, QueryUnderstanding, Store]]:
    work = tmp_path_factory.mktemp("gate")
    data = _subset_of_shared_data(shared_data, work / "data")
    prefix = f"policykb-gate-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        search_backend="opensearch",
        search_url=opensearch_url,
        search_index_prefix=prefix,
        search_timeout_seconds=30,
        database_url=f"sqlite:///{work / 'gate.db'}",
        data_dir=work,
    )
    store = Store(settings.resolved_database_url)
    corpus.ensure_loaded(store, data, log=lambda _m: None)
    understanding = QueryUnderstanding.from_store(store)
    backend = get_backend(settings, parser=understanding.parser())
    corpus.ensure_indexed(backend, store, log=lambda _m: None)
    yield backend, understanding, store
    backend.close()
    OpenSearch(opensearch_url).indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    store.close()


@pytest.fixture(scope="module")
def own_results(gate: tuple[BaseSearchBackend, QueryUnderstanding, Store]) -> dict[str, object]:
    backend, understanding, store = gate
    qids = set(SUBSET["qids"])
    queries, _, dropped = restrict_to_index(
        [q for q in load_own_set() if q.qid in qids], corpus.indexed_keys(store)
    )
    assert dropped == 0
    results = run_system(PipelineSystem(backend, understanding), queries)
    return {"results": results, "summary": summarize(results)}


def test_gate_corpus_is_what_the_subset_names(
    gate: tuple[BaseSearchBackend, QueryUnderstanding, Store],
) -> None:
    _, _, store = gate
    indexed = corpus.indexed_keys(store)
    # hebei 解读 pages become interpretations and -N duplicates are skipped; the rest are policies.
    assert len(indexed) >= 0.8 * len(SUBSET["documents"])


def test_doc_number_queries_put_the_document_first(own_results: dict[str, object]) -> None:
    results = [r for r in own_results["results"] if r.kind == "docnumber"]  # type: ignore[attr-defined]
    failures = [(r.qid, r.query, r.top[:3]) for r in results if not r.top1]
    assert len(results) >= 5
    assert 1 - len(failures) / len(results) >= FLOOR_DOCNUMBER_TOP1, failures


def test_clause_queries_return_the_law_with_the_right_clause(own_results: dict[str, object]) -> None:
    summary = own_results["summary"]["clause"]  # type: ignore[index]
    failures = [
        (r.qid, r.query, r.top[:3])
        for r in own_results["results"]  # type: ignore[attr-defined]
        if r.kind == "clause" and not r.clause_ok
    ]
    assert summary.clause_top1 >= FLOOR_CLAUSE_TOP1, failures


def test_overall_ndcg_above_floor(own_results: dict[str, object]) -> None:
    overall = own_results["summary"]["overall"]  # type: ignore[index]
    worst = sorted(own_results["results"], key=lambda r: r.ndcg10)[:5]  # type: ignore[attr-defined]
    assert overall.ndcg10 >= FLOOR_OVERALL_NDCG, [(r.qid, r.query, round(r.ndcg10, 2)) for r in worst]


def test_understanding_improves_on_the_same_backend(
    gate: tuple[BaseSearchBackend, QueryUnderstanding, Store], own_results: dict[str, object]
) -> None:
    backend, _, store = gate
    qids = set(SUBSET["qids"])
    queries, _, _ = restrict_to_index(
        [q for q in load_own_set() if q.qid in qids], corpus.indexed_keys(store)
    )
    plain = summarize(run_system(PipelineSystem(backend, None), queries))["overall"]
    assert own_results["summary"]["overall"].ndcg10 > plain.ndcg10  # type: ignore[index]


def test_hotline_questions_find_their_answer_and_refuse_out_of_scope(
    gate: tuple[BaseSearchBackend, QueryUnderstanding, Store],
) -> None:
    backend, understanding, _ = gate
    qids = set(SUBSET["qa_qids"])
    questions = [q for q in load_qa_dev() if q.qid in qids]
    matcher = QAMatcher.from_store(backend, gate[2], understanding)
    scored = report(run_qa(matcher, questions), threshold=matcher.threshold)
    print(f"gate qa: top1={scored.top1:.3f} top3={scored.top3:.3f} decision={scored.decision_accuracy:.3f} "
          f"threshold={scored.threshold:.3f}")
    assert scored.n_unanswerable >= 5
    assert scored.top1 >= FLOOR_QA_TOP1
    assert scored.decision_accuracy >= FLOOR_QA_DECISION


def test_print_gate_figures(own_results: dict[str, object]) -> None:
    """Not a check: prints today's figures (pytest -s) so the floors above can be kept just below them."""
    for kind, s in sorted(own_results["summary"].items()):  # type: ignore[attr-defined]
        print(f"gate {kind}: n={s.n} nDCG@10={s.ndcg10:.3f} top1={s.top1:.3f} clause={s.clause_top1}")
    assert own_results["summary"]["overall"].n == len(SUBSET["qids"])  # type: ignore[index]
