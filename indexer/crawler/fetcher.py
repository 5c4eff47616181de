"""One HTTP fetch: robots.txt, per-host limits, conditional headers, size cap, redirects; typed errors out."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC
from urllib.parse import urljoin, urlsplit

import httpx
from pydantic import BaseModel, Field

from indexer.crawler.ratelimit import HostLimiter
from indexer.crawler.robots import RobotsPolicy
from indexer.errors import (
    ContentError,
    PermanentFetchError,
    RateLimitedError,
    RobotsDisallowedError,
    TransientFetchError,
)
from indexer.profiles.model import FetchRules

_REDIRECTS = {301, 302, 303, 307, 308}


class FetchResult(BaseModel):
    """A fetched page (or a 304 that says our copy is current)."""

    url: str = Field(description="final URL after redirects")
    requested_url: str
    status: int
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    redirects: list[str] = Field(default_factory=list)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """Fetches pages politely; raises Transient/RateLimited/Permanent/RobotsDisallowed/ContentError."""

    def __init__(self, client: httpx.AsyncClient, rules: FetchRules, allowed_hosts: list[str]) -> None:
        self.client = client
        self.rules = rules
        self.allowed_hosts = set(allowed_hosts)
        self.limiter = HostLimiter(rules.requests_per_second, rules.concurrency)
        self.robots = RobotsPolicy(client, rules.user_agent, rules.timeout_seconds)
        self._delays_set: set[str] = set()

    def host_allowed(self, url: str) -> bool:
        return urlsplit(url).netloc in self.allowed_hosts

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url`` with conditional headers, following redirects within the allowed hosts."""
        current, redirects = url, []
        for _ in range(self.rules.max_redirects + 1):
            result = await self._fetch_once(current, etag=etag, last_modified=last_modified)
            if isinstance(result, str):  # a redirect target
                redirects.append(current)
                current = result
                if not self.host_allowed(current):
                    raise PermanentFetchError(url, f"redirects off-site to {current}")
                continue
            return result.model_copy(update={"requested_url": url, "redirects": redirects})
        raise PermanentFetchError(url, f"more than {self.rules.max_redirects} redirects")

    async def _fetch_once(
        self, url: str, *, etag: str | None, last_modified: str | None
    ) -> FetchResult | str:
        if not await self.robots.allowed(url):
            raise RobotsDisallowedError(url, self.robots.why_not(url))
        host = urlsplit(url).netloc
        if host not in self._delays_set:
            self._delays_set.add(host)
            delay = await self.robots.crawl_delay(url)
            if delay:
                self.limiter.set_crawl_delay(host, delay)
        headers = {"User-Agent": self.rules.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self.limiter.slot(host):
            try:
                async with self.client.stream(
                    "GET", url, headers=headers, timeout=self.rules.timeout_seconds
                ) as response:
                    return await self._read(url, response)
            except httpx.TimeoutException as exc:
                raise TransientFetchError(
                    url, f"timeout after {self.rules.timeout_seconds:g}s ({type(exc).__name__})"
                ) from exc
            except httpx.TransportError as exc:
                raise TransientFetchError(url, f"connection failed ({type(exc).__name__}: {exc})") from exc

    async def _read(self, url: str, response: httpx.Response) -> FetchResult | str:
        status = response.status_code
        if status in _REDIRECTS and response.headers.get("location"):
            return urljoin(url, response.headers["location"])
        if status == 304:
            return FetchResult(url=url, requested_url=url, status=304, not_modified=True)
        if status == 429 or (status == 503 and "retry-after" in response.headers):
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after:
                self.limiter.pause(urlsplit(url).netloc, min(retry_after, self.rules.max_retry_after_seconds))
            raise RateLimitedError(
                url, f"HTTP {status} (Retry-After {retry_after})", status=status, retry_after=retry_after
            )
        if status >= 500:
            raise TransientFetchError(url, f"HTTP {status}", status=status)
        if status >= 400:
            raise PermanentFetchError(url, f"HTTP {status}", status=status)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.rules.max_bytes:
            raise ContentError(
                f"{url}: page too large ({int(declared):,} bytes > {self.rules.max_bytes:,} limit)"
            )
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.rules.max_bytes:
                raise ContentError(f"{url}: page too large (over {self.rules.max_bytes:,} bytes)")
            chunks.append(chunk)
        return FetchResult(
            url=url,
            requested_url=url,
            status=status,
            content=b"".join(chunks),
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
