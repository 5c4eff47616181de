"""robots.txt, fetched once per host and honoured for our user agent."""

from __future__ import annotations

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
        self.notes: list[str] = []

    async def parser_for(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self._parsers:
            return self._parsers[origin]
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            response = await self.client.get(
                f"{origin}/robots.txt", timeout=self.timeout, headers={"User-Agent": self.user_agent}
            )
        except httpx.HTTPError as exc:
            # Unreachable robots.txt: RFC 9309 says assume nothing is allowed until it can be read.
            parser.disallow_all = True  # type: ignore[attr-defined]
            self.notes.append(f"{origin}/robots.txt unreachable ({type(exc).__name__}); host skipped")
        else:
            if response.status_code >= 500:
                parser.disallow_all = True  # type: ignore[attr-defined]
                self.notes.append(f"{origin}/robots.txt answered {response.status_code}; host skipped")
            elif response.status_code >= 400:
                parser.allow_all = True  # type: ignore[attr-defined]  # no robots.txt: all allowed
            else:
                parser.parse(response.text.splitlines())
        self._parsers[origin] = parser
        return parser

    async def allowed(self, url: str) -> bool:
        return (await self.parser_for(url)).can_fetch(self.user_agent, url)

    async def crawl_delay(self, url: str) -> float | None:
        delay = (await self.parser_for(url)).crawl_delay(self.user_agent)
        return float(delay) if delay is not None else None
