"""ReadPool: bounded, LIFO, waits then fails clearly, drops broken connections, starts empty after a fork."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from kb.errors import SearchUnavailableError
from kb.search.backends.sqlite_pool import ReadPool


def _pool(tmp_path: Path, size: int, wait: float = 5.0) -> tuple[ReadPool, list[sqlite3.Connection]]:
    opened: list[sqlite3.Connection] = []

    def open_connection() -> sqlite3.Connection:
        conn = sqlite3.connect(tmp_path / "db.sqlite", check_same_thread=False)
        opened.append(conn)
        return conn

    return ReadPool(open_connection, size, wait), opened


def test_reuses_the_most_recent_connection_and_never_opens_more_than_its_size(tmp_path: Path) -> None:
    pool, opened = _pool(tmp_path, size=2)
    a = pool.acquire()
    b = pool.acquire()
    pool.release(a)
    pool.release(b)
    assert pool.acquire() is b  # last in, first out: the warm cache
    assert len(opened) == 2 and pool.open_connections == 2


def test_a_caller_waits_for_a_released_connection(tmp_path: Path) -> None:
    pool, opened = _pool(tmp_path, size=1)
    held = pool.acquire()
    got: list[sqlite3.Connection] = []
    waiter = threading.Thread(target=lambda: got.append(pool.acquire()))
    waiter.start()
    time.sleep(0.2)
    assert not got  # still waiting: the only connection is in use
    pool.release(held)
    waiter.join(timeout=5)
    assert got == [held] and len(opened) == 1


def test_all_busy_past_the_wait_is_search_unavailable(tmp_path: Path) -> None:
    pool, _ = _pool(tmp_path, size=1, wait=0.2)
    pool.acquire()
    with pytest.raises(SearchUnavailableError, match="connections stayed busy"):
        pool.acquire()


def test_a_connection_given_back_broken_is_closed_and_replaced(tmp_path: Path) -> None:
    pool, opened = _pool(tmp_path, size=1)
    broken = pool.acquire()
    pool.release(broken, keep=False)
    with pytest.raises(sqlite3.ProgrammingError):
        broken.execute("SELECT 1")  # closed
    fresh = pool.acquire()
    assert fresh is not broken and len(opened) == 2 and pool.open_connections == 1


def test_close_closes_idle_connections_and_the_pool_stays_usable(tmp_path: Path) -> None:
    pool, opened = _pool(tmp_path, size=2)
    pool.release(pool.acquire())
    pool.close()
    assert pool.open_connections == 0
    with pytest.raises(sqlite3.ProgrammingError):
        opened[0].execute("SELECT 1")
    assert pool.acquire().execute("SELECT 1").fetchone() == (1,)


def test_a_forked_child_opens_its_own_connections(tmp_path: Path) -> None:
    pool, opened = _pool(tmp_path, size=1)
    parent = pool.acquire()  # held by the parent: the child must not wait for it nor reuse it
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            conn = pool.acquire()
            ok = conn is not parent and conn.execute("SELECT 1").fetchone() == (1,)
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    os.close(read)
    assert answer == b"1"
    pool.release(parent)
    assert len([c for c in opened if c is parent]) == 1
