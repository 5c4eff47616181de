"""scripts/pg_server.py and the postgres_url fixture: a real PostgreSQL, a fresh database per session."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from scripts import pg_server

REPO = Path(__file__).resolve().parents[2]


def test_round_trip_of_chinese_text(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE probe (id serial PRIMARY KEY, title text NOT NULL)"))
            conn.execute(
                sa.text("INSERT INTO probe (title) VALUES (:t)"), {"t": "京政服发〔2022〕12号 社会保险"}
            )
        with engine.connect() as conn:
            rows = (
                conn.execute(sa.text("SELECT title FROM probe WHERE title LIKE '%社会保险%'")).scalars().all()
            )
            encoding = conn.execute(sa.text("SHOW server_encoding")).scalar()
        assert rows == ["京政服发〔2022〕12号 社会保险"]
        assert encoding == "UTF8"
    finally:
        engine.dispose()


def test_session_database_is_fresh_and_separate(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.database is not None and url.database.startswith("policykb_test_")
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar() == url.database
            tables = conn.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'probe'")
            ).scalar()
        assert tables == 0
    finally:
        engine.dispose()


def test_status_command_runs_on_the_system_python(postgres_url: str) -> None:
    port = make_url(postgres_url).port
    proc = subprocess.run(
        ["/usr/bin/python3", str(REPO / "scripts" / "pg_server.py"), "status", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("up ")


def test_status_reports_down_on_a_closed_port() -> None:
    proc = subprocess.run(
        ["/usr/bin/python3", str(REPO / "scripts" / "pg_server.py"), "status", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 3
    assert proc.stdout.startswith("down ")


def test_start_from_nothing_then_stop() -> None:
    """initdb, start (as the postgres user when root), create policykb_test, stop: on a spare port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    home = pg_server.state_dir(port)
    assert not home.exists()
    try:
        url = pg_server.start(port)
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{port}/policykb_test"
        assert pg_server.is_up(port)
        assert pg_server.psql(port, "SELECT current_user", database="policykb_test") == "postgres"
        assert pg_server.start(port) == url  # idempotent while up
        assert pg_server.stop(port)
        assert not pg_server.is_up(port)
        assert not pg_server.stop(port)
    finally:
        pg_server.stop(port)
        shutil.rmtree(home, ignore_errors=True)
