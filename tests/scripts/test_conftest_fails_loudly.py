"""Shared fixtures fail (never skip) when a server or the data is missing: a tiny pytest in a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

PROBE_CONFTEST = f"""
import importlib.util

_spec = importlib.util.spec_from_file_location("policykb_root_conftest", {str(ROOT_CONFTEST)!r})
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
globals().update({{k: v for k, v in vars(_mod).items() if not k.startswith("__")}})
"""

PROBE_TESTS = """
def test_needs_opensearch(opensearch_url):
    assert opensearch_url

def test_needs_postgres(postgres_url):
    assert postgres_url

def test_needs_shared_data(shared_data):
    assert shared_data.is_dir()
"""


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def probe_dir(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(PROBE_CONFTEST)
    (tmp_path / "test_probe.py").write_text(PROBE_TESTS)
    return tmp_path


def _run_probe(probe_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "POLICYKB_TEST_CONNECT_WAIT": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", str(probe_dir)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=probe_dir,
        env=full_env,
    )


def test_unreachable_servers_and_missing_data_fail_not_skip(probe_dir: Path) -> None:
    port = _closed_port()
    proc = _run_probe(
        probe_dir,
        POLICYKB_TEST_OPENSEARCH_URL=f"http://127.0.0.1:{port}",
        POLICYKB_TEST_DATABASE_URL=f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing",
        POLICYKB_SHARED_DATA=str(probe_dir / "no-such-dir"),
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "3 errors" in out, out
    assert "skipped" not in out
    assert f"POLICYKB_TEST_OPENSEARCH_URL=http://127.0.0.1:{port} does not answer" in out
    assert "is not usable" in out
    assert "shared data not found" in out


def test_probe_passes_against_the_real_servers(
    probe_dir: Path, opensearch_url: str, postgres_url: str
) -> None:
    """The same probe passes when the servers are up, so the failure above is about reachability."""
    from sqlalchemy.engine import make_url

    base = make_url(postgres_url).set(database="postgres").render_as_string(hide_password=False)
    proc = _run_probe(probe_dir, POLICYKB_TEST_OPENSEARCH_URL=opensearch_url, POLICYKB_TEST_DATABASE_URL=base)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "3 passed" in out
