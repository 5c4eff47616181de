"""The unanswered-question API: the role matrix on every endpoint, the loop over HTTP, conflicts, exports."""


from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from tests.search_api.conftest import ApiHarness

DEPT = "市教育局"
OTHER = "市卫生健康委员会"
ROLES = ("agent", "staff", "dept", "other_dept")


class Keys:
    def __init__(self, api: ApiHarness) -> None:
        service = ApiKeyService(SqlApiKeyRepository(api.store), api.settings)
        self.by_role = {
            "agent": api.agent_key,
            "staff": api.staff_key,
            "dept": service.create(Role.DEPARTMENT, department=DEPT).key,
            "other_dept": service.create(Role.DEPARTMENT, department=OTHER).key,
        }

    def h(self, role: str) -> dict[str, str]:
        return {"X-API-Key": self.by_role[role]}


@pytest.fixture
def keyed(sqlite_api: ApiHarness) -> Iterator[tuple[TestClient, Keys]]:
    yield sqlite_api.client, Keys(sqlite_api)


def _new_question(client: TestClient, keys: Keys, text: str = "本市高校在线教学期间学生如何请假？") -> dict:
    r = client.post(
        "/api/consultations", json={"question": text, "channel": "hotline"}, headers=keys.h("agent")
    )
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] in {"created", "merged"}
    return r.json()["question"]


def _sent_question(client: TestClient, keys: Keys) -> dict:
    q = _new_question(client, keys)
    r = client.post(f"/api/questions/{q['id']}/send", json={"department": DEPT}, headers=keys.h("staff"))
    assert r.status_code == 200, r.text
    return r.json()


# (method, path template, json body, roles allowed; "dept" means the department the question was sent to)
ENDPOINTS: list[tuple[str, str, dict | None, set[str]]] = [
    (
        "POST",
        "/api/consultations",
        {"question": "另一个测试问题是什么？", "channel": "api"},
        {"agent", "staff"},
    ),
    ("GET", "/api/questions", None, {"staff", "dept", "other_dept"}),
    ("GET", "/api/questions/export.csv", None, {"staff", "dept", "other_dept"}),
    ("GET", "/api/questions/export.xlsx", None, {"staff", "dept", "other_dept"}),
    ("POST", "/api/questions/send", {"items": [{"id": "{id}"}], "department": DEPT}, {"staff"}),
    ("POST", "/api/questions/promote", {"query": "养犬登记在哪里办"}, {"staff"}),
    ("GET", "/api/questions/{id}", None, {"staff", "dept"}),
    ("GET", "/api/questions/{id}/route", None, {"staff"}),
    ("POST", "/api/questions/{id}/send", {"department": DEPT}, {"staff"}),
    ("POST", "/api/questions/{id}/answer", {"answer": "按通知执行。"}, {"staff", "dept"}),
    ("POST", "/api/questions/{id}/review", {"accept": False, "comment": "请补充依据"}, {"staff"}),
    ("POST", "/api/questions/{id}/close", {"reason": "重复"}, {"staff"}),
    ("POST", "/api/questions/{id}/reopen", {}, {"staff"}),
    ("GET", "/api/reports/search-gaps", None, {"staff"}),
]


def _call(client: TestClient, method: str, path: str, body: dict | None, qid: int, headers: dict[str, str]):
    url = path.replace("{id}", str(qid))
    if body is not None:
        body = {k: ([{"id": qid}] if k == "items" else v) for k, v in body.items()}
    return client.request(method, url, json=body, headers=headers)


@pytest.mark.parametrize(
    ("method", "path", "body", "allowed"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS]
)
def test_role_matrix(
    keyed: tuple[TestClient, Keys], method: str, path: str, body: dict | None, allowed: set[str]
) -> None:
    client, keys = keyed
    qid = _sent_question(client, keys)["id"]
    assert _call(client, method, path, body, qid, {}).status_code == 401
    wrong = _call(client, method, path, body, qid, {"X-API-Key": "pk_" + "x" * 43})
    assert wrong.status_code == 401 and wrong.json()["message_zh"]
    for role in ROLES:
        if role in allowed:
            continue
        r = _call(client, method, path, body, qid, keys.h(role))
        assert r.status_code == 403, (role, r.status_code, r.text)
        assert r.json()["message_zh"]


def test_allowed_roles_get_through(keyed: tuple[TestClient, Keys]) -> None:
    client, keys = keyed
    q = _sent_question(client, keys)
    assert client.get(f"/api/questions/{q['id']}", headers=keys.h("dept")).status_code == 200
    assert client.get("/api/questions", headers=keys.h("other_dept")).json()["total"] == 0
    assert client.get("/api/questions", headers=keys.h("dept")).json()["total"] == 1
    r = client.post(
        f"/api/questions/{q['id']}/answer", json={"answer": "请向所在学校提出。"}, headers=keys.h("dept")
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"


def test_loop_over_http_and_the_next_caller_gets_the_answer(keyed: tuple[TestClient, Keys]) -> None:
    client, keys = keyed
    text = "本市高校在线教学期间学生如何请假？"
    q = _sent_question(client, keys)
    assert q["due_date"] and q["status"] == "sent" and q["department"] == DEPT
    listed = client.get("/api/questions", params={"status": "sent"}, headers=keys.h("staff")).json()
    assert listed["total"] == 1 and listed["counts"] == [{"department": DEPT, "open": 1, "overdue": 0}]
    r = client.post(
        f"/api/questions/{q['id']}/answer",
        json={
            "answer": "在线教学期间，学生请假向辅导员在线提交申请，经批准即可。",
            "clause_label": "第五条",
            "version": q["version"],
        },
        headers=keys.h("dept"),
    )
    assert r.status_code == 200, r.text
    answered = r.json()
    r = client.post(
        f"/api/questions/{q['id']}/review",
        json={"accept": True, "version": answered["version"]},
        headers=keys.h("staff"),
    )
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["published_qa_id"]
    actions = [
        e["action"]
        for e in client.get(f"/api/questions/{q['id']}", headers=keys.h("staff")).json()["history"]
    ]
    assert actions == ["created", "sent", "answered", "published"]
    again = client.post(
        "/api/consultations", json={"question": text, "channel": "website"}, headers=keys.h("agent")
    )
    assert again.status_code == 200 and again.json()["outcome"] == "answered", again.text
    assert again.json()["answer"]["answer"].startswith("在线教学期间")


def test_stale_version_is_a_409_with_a_clear_message(keyed: tuple[TestClient, Keys]) -> None:
    client, keys = keyed
    q = _new_question(client, keys)
    first = client.post(
        f"/api/questions/{q['id']}/send",
        json={"department": DEPT, "version": q["version"]},
        headers=keys.h("staff"),
    )
    assert first.status_code == 200
    second = client.post(
        f"/api/questions/{q['id']}/close",
        json={"reason": "重复", "version": q["version"]},
        headers=keys.h("staff"),
    )
    assert second.status_code == 409
    assert "刷新" in second.json()["message_zh"] and "reload" in second.json()["message"]


def test_bulk_send_reports_each_failure(keyed: tuple[TestClient, Keys]) -> None:
    client, keys = keyed
    a = _new_question(client, keys)
    b = _new_question(client, keys, "中小学开学前需要做哪些防疫准备？")
    client.post(f"/api/questions/{b['id']}/close", json={"reason": "不属于范围"}, headers=keys.h("staff"))
    r = client.post(
        "/api/questions/send",
        json={"items": [{"id": a["id"]}, {"id": b["id"]}, {"id": 999999}], "department": DEPT},
        headers=keys.h("staff"),
    )
    assert r.status_code == 200
    body = r.json()
    assert [s["id"] for s in body["sent"]] == [a["id"]]
    assert {f["id"] for f in body["failed"]} == {b["id"], 999999}


def test_exports_and_filters_over_http(keyed: tuple[TestClient, Keys]) -> None:
    client, keys = keyed
    _sent_question(client, keys)
    csv_r = client.get("/api/questions/export.csv", params={"department": DEPT}, headers=keys.h("staff"))
    assert csv_r.status_code == 200 and csv_r.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_r.headers["content-disposition"]
    assert "本市高校在线教学期间学生如何请假" in csv_r.content.decode("utf-8-sig")
    xlsx_r = client.get("/api/questions/export.xlsx", headers=keys.h("dept"))
    sheet = load_workbook(io.BytesIO(xlsx_r.content)).active
    assert sheet is not None and sheet.max_row == 2
    assert (
        client.get("/api/questions", params={"status": "bogus"}, headers=keys.h("staff")).status_code == 422
    )
    assert (
        client.get("/api/questions", params={"overdue": "true"}, headers=keys.h("staff")).json()["total"] == 0
    )
