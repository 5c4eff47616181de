"""The API under test: ``policykb serve`` in its own process on a free loopback port, and its RSS."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kb.errors import KBError
from scripts.bench.stats import rss_mb

REPO = Path(__file__).resolve().parents[2]


class ApiStartError(KBError):
    """The API did not answer /healthz in time; the message carries its log tail."""

    message_zh = "基准测试的 API 未能启动"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def uvicorn_worker_pids(supervisor: int) -> list[int]:
    """The worker processes uvicorn spawned under ``supervisor`` (not multiprocessing's resource tracker)."""
    path = Path(f"/proc/{supervisor}/task/{supervisor}/children")
    try:
        children = [int(p) for p in path.read_text().split()]
    except OSError:
        return []
    pids = []
    for child in children:
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline and b"resource_tracker" not in cmdline:
            pids.append(child)
    return pids


class ApiServer:
    """``python -m search_api.cli.main serve`` with the given POLICYKB_* environment; a context manager."""

    def __init__(self, env: dict[str, str], log_path: Path, timeout: float = 180.0, workers: int = 1) -> None:
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.timeout = timeout
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ApiServer:
        log = self.log_path.open("wb")
        command = [sys.executable, "-m", "search_api.cli.main", "serve", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                response = httpx.get(f"{self.base_url}/healthz", timeout=2.0, trust_env=False)
                healthy = response.status_code == 200
                if healthy and len(self.worker_pids()) == self.workers:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise ApiStartError(f"API on {self.base_url} did not become healthy; log tail:\n{tail}")

    def worker_pids(self) -> list[int]:
        """The processes serving requests: the process itself, or uvicorn's spawned workers."""
        if self.process is None:
            return []
        return [self.process.pid] if self.workers == 1 else uvicorn_worker_pids(self.process.pid)

    def rss_mb(self) -> float:
        """Resident memory of the largest worker process now (the per-worker figure the target is about)."""
        values = [rss_mb(pid) for pid in self.worker_pids()]
        return max(values) if values else float("nan")

    def rss_total_mb(self) -> float:
        """Resident memory of all worker processes together."""
        values = [rss_mb(pid) for pid in self.worker_pids()]
        return sum(values) if values else float("nan")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
