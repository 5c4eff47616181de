"""Property-based run of the public endpoints against their OpenAPI document: no 5xx, responses conform."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.search_api.conftest import ApiHarness, make_settings

PUBLIC_PATHS = [
    "/api/search",
    "/api/policies/{policy_id}",
    "/api/suggest",
    "/api/glossary/{term}",
    "/healthz",
    "/readyz",
]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiHarness]:
    # A generous engine timeout: this run is about conformance; the 503 path has its own tests, and a busy
    # CI machine must not turn a slow answer into a "server error" here.
    h = ApiHarness(
        make_settings(tmp_path_factory.mktemp("schemathesis"), "sqlite", search_timeout_seconds=20)
    )
    yield h
    h.close()


@pytest.fixture(scope="module")
def public_schema(harness: ApiHarness) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", harness.app).include(path=PUBLIC_PATHS)


@pytest.fixture(scope="module")
def agent_schema(harness: ApiHarness) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", harness.app).include(path="/api/qa/search")


# Cross-field rules (year_from <= year_to, page × size <= 10000) are refused with a documented 422 that a
# JSON schema cannot express, so "schema-valid input must be accepted" is not one of our checks.
EXCLUDED = [positive_data_acceptance]
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def _run_all(schema: schemathesis.BaseSchema, headers: dict[str, str] | None = None) -> list[str]:
    # Each operation gets its own Hypothesis run; failures are collected so one report shows them all.
    failures: list[str] = []
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        try:
            check()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert labels, "no operations selected"
    return failures


def test_public_endpoints_conform_and_never_5xx(public_schema: schemathesis.BaseSchema) -> None:
    failures = _run_all(public_schema)
    assert not failures, "\n\n".join(failures)


def test_agent_qa_endpoint_conforms_and_never_5xx(
    agent_schema: schemathesis.BaseSchema, harness: ApiHarness
) -> None:
    failures = _run_all(agent_schema, {"X-API-Key": harness.agent_key})
    assert not failures, "\n\n".join(failures)
