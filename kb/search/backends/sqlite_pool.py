"""A bounded pool of SQLite read connections, shared by the threads of one process."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable

from kb.errors import SearchUnavailableError


class ReadPool:
    """At most ``size`` connections; the most recently returned is handed out first (its page cache is warm).

    A caller that finds every connection busy waits up to ``wait_seconds``, then gets
    SearchUnavailableError (the API answers 503). After a fork the child starts with an empty pool:
    connections do not cross processes.
    """

    def __init__(
        self, open_connection: Callable[[], sqlite3.Connection], size: int, wait_seconds: float
    ) -> None:
        if size < 1:
            raise ValueError("a read pool needs at least one connection")
        self._open = open_connection
        self.size = size
        self.wait_seconds = wait_seconds
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._cond = threading.Condition()
        self._idle: list[sqlite3.Connection] = []
        self._open_count = 0

    @property
    def open_connections(self) -> int:
        return self._open_count

    def acquire(self) -> sqlite3.Connection:
        if self._pid != os.getpid():
            self._reset()  # forked: the parent's connections (and lock state) are not ours
        deadline = time.monotonic() + self.wait_seconds
        with self._cond:
            while not self._idle and self._open_count >= self.size:
                left = deadline - time.monotonic()
                if left <= 0 or not self._cond.wait(left):
                    if self._idle or self._open_count < self.size:
                        break
                    raise SearchUnavailableError(
                        f"all {self.size} search database connections stayed busy for {self.wait_seconds:g} s"
                    )
            if self._idle:
                return self._idle.pop()
            self._open_count += 1
        try:
            return self._open()
        except BaseException:
            with self._cond:
                self._open_count -= 1
                self._cond.notify()
            raise

    def release(self, conn: sqlite3.Connection, keep: bool = True) -> None:
        """Give a connection back; ``keep=False`` closes it (it failed, or is mid-transaction)."""
        if self._pid != os.getpid():
            return
        with self._cond:
            if keep:
                self._idle.append(conn)
            else:
                self._open_count -= 1
            self._cond.notify()
        if not keep:
            conn.close()

    def close(self) -> None:
        """Close the idle connections; connections in use return to the pool when released."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._open_count -= len(idle)
            self._cond.notify_all()
        for conn in idle:
            conn.close()
