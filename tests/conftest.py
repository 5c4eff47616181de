"""Session fixtures shared by every test: real data, the real OpenSearch and the real PostgreSQL.

A test that needs a server and cannot get one FAILS with the server's log tail; nothing here skips.
``POLICYKB_TEST_OPENSEARCH_URL`` / ``POLICYKB_TEST_DATABASE_URL`` point at servers started elsewhere
(scripts/test.sh sets both); without them the servers are started through scripts/search_server.py and
scripts/pg_server.py and left running for the next run.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from scripts import pg_server, search_server

REPO = Path(__file__).resolve().parents[1]
#: How long a server given by URL may take to answer before the tests fail.
CONNECT_WAIT_SECONDS = float(os.environ.get("POLICYKB_TEST_CONNECT_WAIT", "10"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the servers they use, so ``-m "not opensearch"`` selects the rest."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "opensearch_url" in names:
            item.add_marker(pytest.mark.opensearch)
        if "postgres_url" in names:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the repository (``POLICYKB_SHARED_DATA`` overrides); fails when missing."""
    path = Path(os.environ.get("POLICYKB_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(
            f"shared data not found at {path}: put shared/ beside the clone or set POLICYKB_SHARED_DATA"
        )
    return path


# ---------------------------------------------------------------- OpenSearch


def _opensearch_health(url: str) -> dict[str, object] | None:
    return search_server.health(url.rstrip("/"), timeout=3)


def _local_log_tail() -> str:
    """The dev server's log tail, if this machine has one (helps when a URL given by env is down)."""
    cluster = search_server.load_cluster(search_server.DEFAULT_PORT)
    return search_server.log_tail(cluster, 1) if cluster.stdout_log(1).exists() else "(no local server log)"


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    """Base URL of a real OpenSearch (no trailing slash); the test fails if none can be had."""
    given = os.environ.get("POLICYKB_TEST_OPENSEARCH_URL")
    if given:
        deadline = time.monotonic() + CONNECT_WAIT_SECONDS
        while _opensearch_health(given) is None:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"OpenSearch at POLICYKB_TEST_OPENSEARCH_URL={given} does not answer "
                    f"/_cluster/health after {CONNECT_WAIT_SECONDS:.0f} s; start it with "
                    f"`python3 scripts/search_server.py start`.\n{_local_log_tail()}"
                )
            time.sleep(0.5)
        return given.rstrip("/")
    try:
        cluster = search_server.start(search_server.DEFAULT_PORT)
    except search_server.SearchServerError as exc:
        pytest.fail(f"could not start OpenSearch with scripts/search_server.py:\n{exc}")
    return cluster.url


def _delete_indices(url: str, pattern: str) -> None:
    req = urllib.request.Request(
        f"{url}/{pattern}?expand_wildcards=all&ignore_unavailable=true", method="DELETE"
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            raise


@pytest.fixture
def os_index_prefix(opensearch_url: str) -> Iterator[str]:
    """A unique lowercase index-name prefix for one test; its indices are deleted afterwards."""
    prefix = f"t{uuid.uuid4().hex[:12]}_"
    yield prefix
    _delete_indices(opensearch_url, f"{prefix}*")


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[search_server.Cluster]:
    """A private three-node cluster (one JVM per node, 512 MiB each) for fault tests; stopped at session end.

    ``cluster.urls`` lists the nodes' HTTP URLs; ``cluster.kill_node(n)`` (SIGKILL) and
    ``cluster.start_node(n)`` (waits until it rejoined) drive faults. A test that kills a node must start it
    again before it returns.
    """
    base = tmp_path_factory.mktemp("opensearch-cluster")
    try:
        port = search_server.free_base_port(3)
        cluster = search_server.start(port, nodes=3, timeout_s=300, base=base, heap="512m")
    except search_server.SearchServerError as exc:
        pytest.fail(f"could not start a three-node OpenSearch with scripts/search_server.py:\n{exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


# ---------------------------------------------------------------- PostgreSQL


def _pg_connect(url: str, database: str) -> psycopg.Connection:
    """An autocommit connection to ``database`` on the server of ``url`` (for CREATE/DROP DATABASE)."""
    parsed = make_url(url).set(drivername="postgresql", database=database)
    dsn = parsed.render_as_string(hide_password=False)
    return psycopg.connect(dsn, autocommit=True, connect_timeout=int(CONNECT_WAIT_SECONDS))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL (``postgresql+psycopg://``) of a fresh database, dropped at the end of the session."""
    base = os.environ.get("POLICYKB_TEST_DATABASE_URL")
    if not base:
        try:
            base = pg_server.start(pg_server.DEFAULT_PORT)
        except pg_server.PgServerError as exc:
            pytest.fail(f"could not start PostgreSQL with scripts/pg_server.py:\n{exc}")
    name = f"policykb_test_{uuid.uuid4().hex[:10]}"
    try:
        with _pg_connect(base, "postgres") as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    except psycopg.Error as exc:
        tail = pg_server.log_tail(pg_server.DEFAULT_PORT)
        pytest.fail(f"PostgreSQL at {make_url(base).render_as_string()} is not usable: {exc}\n{tail}")
    url = (
        make_url(base)
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )
    yield url
    with _pg_connect(base, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
