"""The shared fixtures do what they promise: os_index_prefix cleans up, postgres_url databases are dropped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy.engine import make_url

from scripts import pg_server

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

PROBE_CONFTEST = f"""
import importlib.util

_spec = importlib.util.spec_from_file_location("policykb_root_conftest", {str(ROOT_CONFTEST)!r})
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
globals().update({{k: v for k, v in vars(_mod).items() if not k.startswith("__")}})
"""

PROBE_TESTS = """
import json, os, urllib.request
from pathlib import Path

OUT = Path(os.environ["PROBE_OUT"])

def test_make_index_and_database(opensearch_url, os_index_prefix, postgres_url):
    req = urllib.request.Request(f"{opensearch_url}/{os_index_prefix}probe", method="PUT")
    urllib.request.urlopen(req, timeout=60).read()
    OUT.write_text(json.dumps({"prefix": os_index_prefix, "db": postgres_url}))
"""


def _index_exists(url: str, name: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/{name}", timeout=30) as resp:
            return name in json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


def test_index_and_database_are_gone_after_the_session(
    tmp_path: Path, opensearch_url: str, postgres_url: str
) -> None:
    (tmp_path / "conftest.py").write_text(PROBE_CONFTEST)
    (tmp_path / "test_probe.py").write_text(PROBE_TESTS)
    out = tmp_path / "probe.json"
    server = make_url(postgres_url).set(database="postgres").render_as_string(hide_password=False)
    env = {
        **os.environ,
        "PROBE_OUT": str(out),
        "POLICYKB_TEST_OPENSEARCH_URL": opensearch_url,
        "POLICYKB_TEST_DATABASE_URL": server,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    seen = json.loads(out.read_text())
    assert seen["prefix"].endswith("_") and seen["prefix"] == seen["prefix"].lower()
    assert not _index_exists(opensearch_url, f"{seen['prefix']}probe")

    probe_db = make_url(seen["db"]).database
    assert probe_db and probe_db.startswith("policykb_test_") and probe_db != make_url(postgres_url).database
    port = make_url(postgres_url).port
    assert port is not None
    assert pg_server.psql(port, f"SELECT count(*) FROM pg_database WHERE datname = '{probe_db}'") == "0"
