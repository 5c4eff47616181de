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


class ApiServer:
    """``python -m search_api.cli.main serve`` with the given POLICYKB_* environment; a context manager."""

    def __init__(self, env: dict[str, str], log_path: Path, timeout: float = 120.0) -> None:
        self.env = {**os.environ, **env}
        self.log_path = log_path
        self.timeout = timeout
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ApiServer:
        log = self.log_path.open("wb")
        command = [sys.executable, "-m", "search_api.cli.main", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=2.0, trust_env=False).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        tail = self.log_path.read_text(errors="replace")[-2000:]
        raise ApiStartError(f"API on {self.base_url} did not become healthy; log tail:\n{tail}")

    def rss_mb(self) -> float:
        """Resident memory of the API process now."""
        return rss_mb(self.process.pid) if self.process else float("nan")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
