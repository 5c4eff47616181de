"""``policykb demo``: the demo data goes into the embedded default, idempotently, and is searchable."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store
from search_api.app import create_app
from search_api.cli.main import app as cli


def test_demo_loads_idempotently_and_serves_search(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--load-only", "--data-dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "24 policies" in first.output
    key = re.search(r"/agent#key=(pk_\S+)", first.output)
    assert key, first.output
    second = runner.invoke(cli, ["demo", "--load-only", "--data-dir", str(tmp_path)])
    assert second.exit_code == 0, second.output

    settings = Settings(data_dir=tmp_path, search_backend="sqlite", env="test")
    store = Store.from_settings(settings)
    assert store.count_policies() == 24  # the second load changed nothing
    client = TestClient(create_app(settings, store=store, backend=get_backend(settings)))
    body = client.get("/api/search", params={"q": "稳岗返还"}).json()
    assert body["hits"][0]["provenance"]["source"] == "demo"
    assert body["hits"][0]["interpretations"]
    qa = client.get(
        "/api/qa/search", params={"q": "稳岗返还要自己申请吗"}, headers={"X-API-Key": key.group(1)}
    )
    assert qa.status_code == 200 and qa.json()["answers"]
