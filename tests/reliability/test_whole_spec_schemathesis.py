"""schemathesis over the whole OpenAPI document once per caller: anonymous, agent, staff and department.

The owners' runs cover slices (public endpoints anonymously, /api/qa/search as agent, the workflow with a
staff key). Here every operation is driven with every role, so the 401/403 paths, the department's view
and the endpoints no slice lists (the exports) must also answer without a 5xx and match the schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from tests.search_api.conftest import ApiHarness, make_settings
from tests.search_api.test_schemathesis import _run_all

pytestmark = pytest.mark.slow

DEPT = "市教育局"


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiHarness]:
    settings = make_settings(tmp_path_factory.mktemp("whole-spec"), "sqlite", search_timeout_seconds=20)
    h = ApiHarness(settings)
    agent = {"X-API-Key": h.agent_key}
    for text in ("本市高校在线教学有哪些要求？", "中小学开学前要做哪些准备？"):
        r = h.client.post("/api/consultations", json={"question": text}, headers=agent)
        assert r.status_code == 200, r.text
        qid = r.json()["question"]["id"]
        sent = h.client.post(
            f"/api/questions/{qid}/send", json={"department": DEPT}, headers={"X-API-Key": h.staff_key}
        )
        assert sent.status_code == 200, sent.text
    yield h
    h.close()


def _keys(h: ApiHarness) -> dict[str, dict[str, str] | None]:
    department = ApiKeyService(SqlApiKeyRepository(h.store), h.settings).create(
        Role.DEPARTMENT, department=DEPT
    )
    return {
        "anonymous": None,
        "agent": {"X-API-Key": h.agent_key},
        "staff": {"X-API-Key": h.staff_key},
        "department": {"X-API-Key": department.key},
    }


@pytest.mark.parametrize("role", ["anonymous", "agent", "staff", "department"])
def test_every_operation_conforms_for_every_role(harness: ApiHarness, role: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", harness.app)
    failures = _run_all(schema, _keys(harness)[role])
    assert not failures, "\n\n".join(failures)
