"""Closed-loop load generator, run as its own process: ``python -m scripts.bench.load SPEC.json OUT.json``.

SPEC (written by the runner): ``mode`` ("api" = async httpx over loopback HTTP, "engine" = the same queries
straight to the kb.search backend in this process, one thread per client), ``items`` (``{"kind", "q"}``,
kind in search | qa | suggest), ``concurrency``, ``max_requests``, ``max_seconds``; for api ``base_url``
and ``api_key``.
Every client sends its next request as soon as the previous one answered; the loop stops at ``max_requests``
or ``max_seconds``, whichever comes first. OUT gets the latencies (ms) per kind, errors and the wall time.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field


class LoadSpec(BaseModel):
    """One load run."""

    mode: str = Field(pattern="^(api|engine)$")
    items: list[dict[str, str]] = Field(min_length=1)
    concurrency: int = Field(ge=1, le=256)
    max_requests: int = Field(ge=1, le=1_000_000)
    max_seconds: float = Field(gt=0, le=600)
    warmup: int = Field(default=0, ge=0)
    base_url: str = "http://127.0.0.1:8000"
    api_key: str | None = None


class Recorder:
    """Latencies per kind and errors, shared by the clients."""

    def __init__(self, spec: LoadSpec) -> None:
        self.spec = spec
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.sent = 0
        self.lock = threading.Lock()
        self._items: Iterator[dict[str, str]] = itertools.cycle(spec.items)
        self.deadline = time.monotonic() + spec.max_seconds
        self.started = time.perf_counter()

    def start(self) -> None:
        """Start the clock (after any warm-up)."""
        self.deadline = time.monotonic() + self.spec.max_seconds
        self.started = time.perf_counter()

    def next_item(self) -> dict[str, str] | None:
        with self.lock:
            if self.sent >= self.spec.max_requests or time.monotonic() >= self.deadline:
                return None
            self.sent += 1
            return next(self._items)

    def record(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies.setdefault(kind, []).append(ms)
            else:
                self.errors[f"{kind}:{error}"] = self.errors.get(f"{kind}:{error}", 0) + 1


API_PATHS = {"search": "/api/search", "qa": "/api/qa/search", "suggest": "/api/suggest"}


async def _api_client(client: Any, rec: Recorder) -> None:
    while (item := rec.next_item()) is not None:
        started = time.perf_counter()
        error = None
        try:
            response = await client.get(API_PATHS[item["kind"]], params={"q": item["q"]})
            if response.status_code != 200:
                error = str(response.status_code)
        except Exception as exc:
            error = type(exc).__name__
        rec.record(item["kind"], (time.perf_counter() - started) * 1000, error)


async def run_api(spec: LoadSpec, rec: Recorder) -> None:
    import httpx

    headers = {"X-API-Key": spec.api_key} if spec.api_key else {}
    limits = httpx.Limits(max_connections=spec.concurrency, max_keepalive_connections=spec.concurrency)
    async with httpx.AsyncClient(
        base_url=spec.base_url, headers=headers, limits=limits, timeout=30.0, trust_env=False
    ) as client:
        for item in spec.items[: spec.warmup]:
            await client.get(API_PATHS[item["kind"]], params={"q": item["q"]})
        rec.start()
        await asyncio.gather(*(_api_client(client, rec) for _ in range(spec.concurrency)))


def engine_calls() -> dict[str, Callable[[str], object]]:
    """The backend calls behind each API endpoint, with the API's sizes (Q&A: the matcher's pool of 20)."""
    from kb.search import get_backend
    from kb.search.base import SearchQuery
    from kb.settings import get_settings

    backend = get_backend(get_settings())
    backend.parse("社保补贴 国发〔2018〕39号 第十二条")  # load the segmenter, as the API's warm-up does
    return {
        "search": lambda q: backend.search(SearchQuery(text=q)),
        "qa": lambda q: backend.search_qa(SearchQuery(text=q, size=20)),
        "suggest": lambda q: backend.suggest(q, 8),
    }


def run_engine(spec: LoadSpec, rec: Recorder) -> None:
    calls = engine_calls()
    for item in spec.items[: spec.warmup]:
        calls[item["kind"]](item["q"])
    rec.start()

    def client() -> None:
        while (item := rec.next_item()) is not None:
            started = time.perf_counter()
            error = None
            try:
                calls[item["kind"]](item["q"])
            except Exception as exc:
                error = type(exc).__name__
            rec.record(item["kind"], (time.perf_counter() - started) * 1000, error)

    threads = [threading.Thread(target=client) for _ in range(spec.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run(spec: LoadSpec) -> dict[str, Any]:
    """Run the closed loop; latencies per kind in ms, errors, requests and wall seconds."""
    rec = Recorder(spec)
    if spec.mode == "engine":
        run_engine(spec, rec)
    else:
        asyncio.run(run_api(spec, rec))
    wall = time.perf_counter() - rec.started
    done = sum(len(v) for v in rec.latencies.values())
    return {
        "mode": spec.mode,
        "concurrency": spec.concurrency,
        "requests": done,
        "errors": rec.errors,
        "wall_seconds": wall,
        "qps": done / wall if wall else 0.0,
        "latencies_ms": rec.latencies,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m scripts.bench.load SPEC.json OUT.json", file=sys.stderr)
        return 2
    spec = LoadSpec.model_validate_json(Path(args[0]).read_text(encoding="utf-8"))
    Path(args[1]).write_text(json.dumps(run(spec)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
