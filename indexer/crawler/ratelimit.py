"""Per-host politeness: at most N requests in flight and a minimum interval between request starts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostLimiter:
    """One per crawl; hands out per-host slots (concurrency cap + rate limit, Crawl-delay aware)."""

    def __init__(self, requests_per_second: float, concurrency: int) -> None:
        self.interval = 1.0 / requests_per_second
        self.concurrency = concurrency
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}
        self._extra_delay: dict[str, float] = {}
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """robots.txt Crawl-delay, when longer than our own interval."""
        self._extra_delay[host] = max(0.0, seconds)

    def pause(self, host: str, seconds: float) -> None:
        """Push the host's next start back (after a 429 the whole host waits, not just one URL)."""
        self._next_start[host] = max(self._next_start.get(host, 0.0), time.monotonic() + seconds)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(self.concurrency))
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with semaphore:
            async with lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + max(self.interval, self._extra_delay.get(host, 0.0))
            if start > now:
                await asyncio.sleep(start - now)
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self.in_flight[host])
            try:
                yield
            finally:
                self.in_flight[host] -= 1
