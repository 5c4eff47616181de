"""robots.txt, fetched once per host and honoured for our user agent."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx


class RobotsPolicy:
    """Cache of parsed robots.txt per scheme+host."""

    def __init__(self, client: httpx.AsyncClient, user_agent: str, timeout: float) -> None:
        self.client = client
        self.user_agent = user_agent
        self.timeout = timeout
        self._parsers: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.blocked: dict[str, str] = {}  # origin -> why the whole host is skipped
        self.notes: list[str] = []

    async def parser_for(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        # One fetch per origin even when several workers ask at once.
        async with self._locks.setdefault(origin, asyncio.Lock()):
            if origin not in self._parsers:
                self._parsers[origin] = await self._load(origin)
        return self._parsers[origin]

    async def _load(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            response = await self.client.get(
                f"{origin}/robots.txt", timeout=self.timeout, headers={"User-Agent": self.user_agent}
            )
        except httpx.HTTPError as exc:
            # Unreachable robots.txt: RFC 9309 says assume nothing is allowed until it can be read.
            parser.disallow_all = True  # type: ignore[attr-defined]
            self.blocked[origin] = f"robots.txt unreachable ({type(exc).__name__})"
            self.notes.append(f"{origin}/robots.txt unreachable ({type(exc).__name__}); host skipped")
        else:
            if response.status_code >= 500:
                parser.disallow_all = True  # type: ignore[attr-defined]
                self.blocked[origin] = f"robots.txt answered HTTP {response.status_code}"
                self.notes.append(f"{origin}/robots.txt answered {response.status_code}; host skipped")
            elif response.status_code >= 400:
                parser.allow_all = True  # type: ignore[attr-defined]  # no robots.txt: all allowed
            else:
                parser.parse(response.text.splitlines())
        return parser

    def why_not(self, url: str) -> str:
        """The skip reason for a URL that ``allowed`` refused."""
        parts = urlsplit(url)
        return self.blocked.get(f"{parts.scheme}://{parts.netloc}", "robots.txt disallowed")

    async def allowed(self, url: str) -> bool:
        return (await self.parser_for(url)).can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float | None:
        delay = (await self.parser_for(url)).crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None
