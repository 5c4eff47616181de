"""The API process SIGKILLed during a burst of captures and sends, then restarted: the store stays whole.

A real ``policykb serve`` (uvicorn) subprocess on a loopback port over a SQLite store; agent threads post
consultations (each question several times, so most captures merge), a staff thread sends new questions.
The process is killed while requests are in flight, three times. Afterwards every question's version equals
its history length, its ask_count matches its history, a sent question has its department and due date,
each distinct question is open at most once, and re-sending every question merges instead of duplicating.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from kb.settings import Settings
from kb.store import Store
from kb.workflow.repository import SqlQuestionRepository
from kb.workflow.schemas import QuestionFilters

pytestmark = pytest.mark.slow

DEPT = "市教育局"
#: Eight questions on unrelated subjects, so the fuzzy dedup can only merge a question with itself.
QUESTIONS = [
    "小区停车场的月租车位怎么申请？",
    "外地户籍子女在本市上小学需要哪些材料？",
    "灵活就业人员如何缴纳职工医保？",
    "老旧小区加装电梯有没有财政补贴？",
    "个体工商户注销营业执照去哪里办？",
    "公租房租金逾期不交会有什么后果？",
    "退役军人一次性创业补助怎样领取？",
    "宠物狗办理养犬登记证的费用是多少？",
]
KILLS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``policykb serve`` as a child process that can be SIGKILLed and started again on one port."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        cli = Path(sys.executable).with_name("policykb")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(cli), "serve", "--port", str(self.port)], env=self.env, stdout=out, stderr=out
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited: {self.log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"server did not come up: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)


class Burst:
    """Agents capturing and a staff member sending, until stopped; counts what got an answer."""

    def __init__(self, url: str, agent: str, staff: str) -> None:
        self.url, self.agent, self.staff = url, agent, staff
        self.stop = threading.Event()
        self.inflight = 0
        self.answered = 0
        self.cut = 0  # requests the kill cut off (connection reset / refused)
        self.lock = threading.Lock()
        self.unexpected: list[str] = []

    def _request(self, client: httpx.Client, method: str, path: str, **kw: object) -> httpx.Response | None:
        with self.lock:
            self.inflight += 1
        try:
            response = client.request(method, path, **kw)  # type: ignore[arg-type]
        except httpx.HTTPError:
            with self.lock:
                self.cut += 1
            time.sleep(0.05)
            return None
        finally:
            with self.lock:
                self.inflight -= 1
        with self.lock:
            self.answered += 1
        if response.status_code >= 500:
            self.unexpected.append(f"{method} {path}: {response.status_code} {response.text[:200]}")
        return response

    def agent_loop(self, offset: int) -> None:
        with httpx.Client(base_url=self.url, headers={"X-API-Key": self.agent}, timeout=30) as client:
            i = offset
            while not self.stop.is_set():
                i += 1
                body = {"question": QUESTIONS[i % len(QUESTIONS)], "channel": "hotline"}
                self._request(client, "POST", "/api/consultations", json=body)

    def staff_loop(self) -> None:
        with httpx.Client(base_url=self.url, headers={"X-API-Key": self.staff}, timeout=30) as client:
            while not self.stop.is_set():
                listed = self._request(client, "GET", "/api/questions", params={"status": "new"})
                if listed is None or listed.status_code != 200:
                    continue
                for q in listed.json()["items"][:3]:
                    body = {"department": DEPT, "version": q["version"]}
                    sent = self._request(client, "POST", f"/api/questions/{q['id']}/send", json=body)
                    if sent is not None and sent.status_code not in (200, 409):
                        self.unexpected.append(f"send: {sent.status_code} {sent.text[:200]}")

    def _guarded(self, loop: Callable[..., None], *args: object) -> None:
        try:
            loop(*args)
        except Exception as exc:  # a dead client thread must fail the test, not vanish
            self.unexpected.append(f"client thread died: {exc!r}")

    def run_until_killed(self, server: Server) -> None:
        threads = [threading.Thread(target=self._guarded, args=(self.agent_loop, n * 5)) for n in range(3)]
        threads.append(threading.Thread(target=self._guarded, args=(self.staff_loop,)))
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        # Let some requests complete, then kill while at least two are on the wire.
        while time.monotonic() < deadline and not (self.answered >= 10 and self.inflight >= 2):
            time.sleep(0.01)
        server.kill()
        time.sleep(0.5)
        self.stop.set()
        for t in threads:
            t.join()
        self.stop.clear()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Store, str, str]]:
    env_values = {
        "POLICYKB_ENV": "test",
        "POLICYKB_DATA_DIR": str(tmp_path),
        "POLICYKB_DATABASE_URL": f"sqlite:///{tmp_path / 'kb.db'}",
        "POLICYKB_SEARCH_BACKEND": "sqlite",
        "POLICYKB_SECRET_KEY": "reliability-crash-test-secret",
    }
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        database_url=env_values["POLICYKB_DATABASE_URL"],
        search_backend="sqlite",
        secret_key=env_values["POLICYKB_SECRET_KEY"],
    )
    store = Store.from_settings(settings)
    keys = ApiKeyService(SqlApiKeyRepository(store), settings)
    agent = keys.create(Role.AGENT, name="crash agent").key
    staff = keys.create(Role.STAFF, name="crash staff").key
    server = Server({**os.environ, **env_values}, _free_port(), tmp_path / "serve.log")
    server.start()
    try:
        yield server, store, agent, staff
    finally:
        if server.proc is not None and server.proc.poll() is None:
            server.kill()
        store.close()


def _check_whole(store: Store) -> list[int]:
    """Assert the invariants on every question; return the ids of the ones sent."""
    repo = SqlQuestionRepository(store)
    listed, total = repo.list_questions(QuestionFilters(), today=date.today(), limit=1000)
    assert total == len(listed) > 0
    for summary in listed:
        assert summary.id is not None
        q = repo.get(summary.id)
        actions = [e.action for e in q.history]
        assert q.version == len(q.history), (q.id, q.version, actions)  # one event per committed write
        assert actions[0] == "created" and actions.count("created") == 1, actions
        assert q.ask_count == 1 + actions.count("asked_again"), (q.id, q.ask_count, actions)
        if q.status.value == "sent":
            assert q.department == DEPT and q.due_date is not None and q.sent_at is not None
            assert "sent" in actions
        else:
            assert q.status.value == "new" and "sent" not in actions, (q.status, actions)
    texts = Counter(repo.get(q.id).question for q in listed if q.id is not None)
    duplicated = {t: n for t, n in texts.items() if n > 1}
    assert not duplicated, f"questions open more than once: {duplicated}"
    return [q.id for q in listed if q.id is not None and q.status.value == "sent"]


def test_sigkill_mid_burst_leaves_no_half_written_or_duplicated_questions(
    served: tuple[Server, Store, str, str],
) -> None:
    server, store, agent, staff = served
    cut = 0
    for _ in range(KILLS):
        burst = Burst(server.url, agent, staff)
        burst.run_until_killed(server)
        assert not burst.unexpected, burst.unexpected[:3]
        cut += burst.cut
        server.start()
        _check_whole(store)
    print(f"requests cut off by {KILLS} SIGKILLs: {cut}")
    assert cut > 0, "no request was cut off by the kills; the test did not test anything"
    assert _check_whole(store), "the staff thread sent nothing; the transitions were not exercised"

    # The callers whose requests were cut off try again: every question merges into its one open copy.
    before = {
        q.id for q in SqlQuestionRepository(store).list_questions(QuestionFilters(), today=date.today())[0]
    }
    with httpx.Client(base_url=server.url, headers={"X-API-Key": agent}, timeout=30) as client:
        for text in QUESTIONS:
            r = client.post("/api/consultations", json={"question": text, "channel": "website"})
            assert r.status_code == 200, r.text
            if r.json()["outcome"] == "created":  # only if it never got through, and sends keep it open
                assert r.json()["question"]["id"] not in before
    _check_whole(store)
    total = SqlQuestionRepository(store).list_questions(QuestionFilters(), today=date.today())[1]
    assert total == len(QUESTIONS)  # each question exactly once, however often it was asked
