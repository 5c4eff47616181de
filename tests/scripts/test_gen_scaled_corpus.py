"""scripts/gen_scaled_corpus.py: deterministic, real paragraphs, importable by the generic importer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.importers import generic
from indexer.importers.registry import run_records
from kb.store import Store
from scripts import gen_scaled_corpus as gen

ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条 ")


@pytest.fixture(scope="module")
def pools(shared_data: Path) -> gen.Pools:
    return gen.collect_pools(shared_data)


def _rows(out: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (out / "policies.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (99, "九十九"),
        (100, "一百"),
        (103, "一百零三"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ],
)
def test_chinese_article_numbers(n: int, text: str) -> None:
    assert gen.chinese_number(n) == text


def test_same_seed_same_bytes_other_seed_other_corpus(
    tmp_path: Path, shared_data: Path, pools: gen.Pools
) -> None:
    first = gen.write_corpus(tmp_path / "a", shared_data, 300, seed=5, pools=pools)
    second = gen.write_corpus(tmp_path / "b", shared_data, 300, seed=5, pools=pools)
    other = gen.write_corpus(tmp_path / "c", shared_data, 300, seed=6, pools=pools)
    assert (tmp_path / "a" / "policies.jsonl").read_bytes() == (
        tmp_path / "b" / "policies.jsonl"
    ).read_bytes()
    assert first["sha256"] == second["sha256"] != other["sha256"]
    assert first["docs"] == 300 and len(_rows(tmp_path / "a")) == 300


def test_documents_recombine_real_paragraphs(tmp_path: Path, shared_data: Path, pools: gen.Pools) -> None:
    gen.write_corpus(tmp_path, shared_data, 200, seed=1, pools=pools)
    rows = _rows(tmp_path)
    known = set(pools.paragraphs)
    numbered = 0
    for row in rows:
        lines = row["text"].split("\n")
        assert 2 <= len(lines) <= 8
        numbered += bool(ARTICLE.match(lines[0]))
        for line in lines:
            assert ARTICLE.sub("", line) in known
    assert len({r["id"] for r in rows}) == len(rows)
    # About a third are statute-like; with 200 documents anything outside 15-50% means the mix is broken.
    assert 30 <= numbered <= 100


def test_refuses_to_write_into_the_repository(shared_data: Path, pools: gen.Pools) -> None:
    with pytest.raises(gen.CorpusError, match="inside the repository"):
        gen.write_corpus(gen.REPO / "var" / "scaled", shared_data, 10, seed=1, pools=pools)


def test_missing_data_is_an_error_with_exit_code(tmp_path: Path) -> None:
    assert gen.main([str(tmp_path / "out"), "--docs", "5", "--data", str(tmp_path / "nothing")]) == 2


def test_generic_importer_loads_it_with_clauses(tmp_path: Path, shared_data: Path, pools: gen.Pools) -> None:
    gen.write_corpus(tmp_path / "corpus", shared_data, 60, seed=2, pools=pools)
    rules = generic.load_mapping(tmp_path / "corpus" / "mapping.yaml")
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    report = run_records(
        rules.source, tmp_path / "corpus" / "policies.jsonl", generic.make_records(rules), store
    )
    assert not report.errors
    assert store.count_policies() == 60
    policies = list(store.iter_policies())
    rows = {r["id"]: r for r in _rows(tmp_path / "corpus")}
    numbered = [p for p in policies if ARTICLE.match(p.text)]
    assert numbered, "some generated documents are statute-like"
    for policy in numbered:
        assert len(policy.clauses) == len(rows[policy.provenance.source_id]["text"].split("\n"))
    with_number = [p for p in policies if p.doc_number]
    assert with_number and all(p.doc_number_key for p in with_number)
    store.close()
