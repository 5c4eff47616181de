"""Property-based run of the unanswered-question endpoints with a staff key: no 5xx, responses conform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.search_api.conftest import ApiHarness, make_settings
from tests.search_api.test_schemathesis import _run_all

WORKFLOW_PATHS = [
    "/api/consultations",
    "/api/questions",
    "/api/questions/{question_id}",
    "/api/questions/{question_id}/route",
    "/api/questions/{question_id}/send",
    "/api/questions/{question_id}/answer",
    "/api/questions/{question_id}/review",
    "/api/questions/{question_id}/close",
    "/api/questions/{question_id}/reopen",
    "/api/questions/send",
    "/api/questions/promote",
    "/api/reports/search-gaps",
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiHarness]:
    settings = make_settings(tmp_path_factory.mktemp("wf-schemathesis"), "sqlite", search_timeout_seconds=20)
    h = ApiHarness(settings)
    for text in ("本市高校在线教学有哪些要求？", "中小学开学前要做哪些准备？"):
        h.client.post("/api/consultations", json={"question": text}, headers={"X-API-Key": h.agent_key})
    yield h
    h.close()


def test_workflow_endpoints_conform_and_never_5xx(harness: ApiHarness) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", harness.app).include(path=WORKFLOW_PATHS)
    failures = _run_all(schema, {"X-API-Key": harness.staff_key})
    assert not failures, "\n\n".join(failures)
