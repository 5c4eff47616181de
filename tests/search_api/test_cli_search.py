"""`policykb reindex`, `policykb sync-index` and `policykb search --json` on the embedded backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.models import Interpretation, Policy, Provenance, Validity
from kb.settings import get_settings
from kb.store import Store
from search_api.cli.main import app


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("POLICYKB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("POLICYKB_SEARCH_BACKEND", "sqlite")
    monkeypatch.delenv("POLICYKB_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    store = Store(get_settings().resolved_database_url)
    store.upsert_policies(
        [
            Policy(
                provenance=Provenance(source="cli", source_id="a"),
                title="关于湿地保护的规定",
                doc_number="京政发〔2023〕7号",
                text="第一条 加强湿地保护。\n第二条 禁止围垦湿地。",
                validity=Validity.VALID,
                validity_stated=True,
                publish_date=date(2023, 5, 1),
                issuing_bodies=["北京市人民政府"],
            ),
            Policy(
                provenance=Provenance(source="cli", source_id="b"),
                title="关于河道管理的办法",
                text="河道管理实行河长制。",
                validity=Validity.EXPIRED,
                validity_stated=True,
                publish_date=date(2015, 5, 1),
            ),
        ]
    )
    store.upsert_interpretations(
        [
            Interpretation(
                provenance=Provenance(source="cli", source_id="i"),
                title="湿地保护规定解读",
                text="说明围垦的禁止范围。",
                policy_keys=["cli:a"],
            )
        ]
    )
    store.close()
    yield tmp_path
    get_settings.cache_clear()


def test_reindex_then_search_json(data_dir: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["reindex"])
    assert done.exit_code == 0, done.output
    assert "policies: +2" in done.output
    result = runner.invoke(app, ["search", "禁止围垦湿地", "--json", "--size", "5", "--facet", "validity"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"total", "hits", "facets"}
    hit = payload["hits"][0]
    assert set(hit) == {
        "id",
        "source",
        "source_id",
        "title",
        "doc_number",
        "score",
        "highlight",
        "clause",
        "interpretations",
    }
    assert (hit["source"], hit["source_id"], hit["doc_number"]) == ("cli", "a", "京政发〔2023〕7号")
    assert "<em>" in hit["highlight"]
    assert hit["clause"]["label"] == "第二条"
    assert [i["title"] for i in hit["interpretations"]] == ["湿地保护规定解读"]
    assert payload["facets"] == {"validity": {"有效": 1}}


def test_filters_and_sync_index(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["sync-index"]).exit_code == 0
    result = runner.invoke(app, ["search", "", "--json", "--validity", "失效"])
    payload = json.loads(result.stdout)
    assert [h["source_id"] for h in payload["hits"]] == ["b"]
    bad = runner.invoke(app, ["search", "湿地", "--from", "2024-01-01", "--to", "2023-01-01"])
    assert bad.exit_code == 2
