"""``policykb demo``: the demo data goes into the embedded default, idempotently, and is searchable."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kb.search import get_backend
from kb.settings import Settings
from kb.store import Store
from scripts.bench.server import uvicorn_worker_pids
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


def test_serve_with_two_workers_answers_from_both(tmp_path: Path) -> None:
    """``POLICYKB_API_WORKERS=2 serve``: a supervisor and two workers, each app built from POLICYKB_*."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    assert CliRunner().invoke(cli, ["demo", "--load-only", "--data-dir", str(tmp_path)]).exit_code == 0
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "POLICYKB_DATA_DIR": str(tmp_path), "POLICYKB_SEARCH_BACKEND": "sqlite"}
    env["POLICYKB_API_WORKERS"] = "2"  # the setting (the bench passes --workers, the same path)
    env.pop("POLICYKB_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "search_api.cli.main", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        workers: list[int] = []
        while time.monotonic() < deadline and server.poll() is None:
            workers = uvicorn_worker_pids(server.pid)
            try:
                url = f"http://127.0.0.1:{port}/api/search"
                response = httpx.get(url, params={"q": "稳岗返还"}, timeout=5, trust_env=False)
            except httpx.HTTPError:
                time.sleep(0.5)
                continue
            assert response.status_code == 200
            assert response.json()["hits"][0]["provenance"]["source"] == "demo"
            if len(workers) == 2:
                break
            time.sleep(0.5)
        log_text = (tmp_path / "serve.log").read_text(errors="replace")
        assert server.poll() is None, log_text
        assert len(workers) == 2, log_text
        assert "died" not in log_text, log_text  # no worker killed by the supervisor while starting
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
