"""Escaping of highlights, link filtering, query cleaning, error mapping."""

from __future__ import annotations

from kb.errors import NotFoundError, QueryError, SearchUnavailableError, StoreError
from search_api.errors import status_for
from search_api.query_input import clean_query
from search_api.sanitize import plain_text, safe_highlight, safe_link


def test_only_balanced_marks_survive() -> None:
    assert safe_highlight("<em>社保</em>补贴") == "<mark>社保</mark>补贴"
    assert safe_highlight("&lt;b&gt;<em>x</em>") == "&lt;b&gt;<mark>x</mark>"  # backend-escaped stays escaped
    assert (
        safe_highlight("<script>alert(1)</script><em>y")
        == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>y</mark>"
    )
    assert safe_highlight("a</em>b<mark>c") == "ab<mark>c</mark>"
    assert safe_highlight('<em onclick="x">z</em>') == "&lt;em onclick=&quot;x&quot;&gt;z"
    assert safe_highlight("社\u200b保") == "社保"


def test_plain_text_drops_markers_and_entities() -> None:
    assert plain_text("<em>社保</em>&amp;补贴") == "社保&补贴"


def test_links_are_http_or_site_relative() -> None:
    assert safe_link("https://www.gov.cn/a.html") == "https://www.gov.cn/a.html"
    assert safe_link("/policies/3") == "/policies/3"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil.com/x", "", None):
        assert safe_link(bad) is None


def test_clean_query_strips_controls_and_cuts() -> None:
    assert clean_query("社保\x00补贴\u202e", 50).text == "社保补贴"
    assert clean_query("  社保 \t\n 补贴 ", 50).text == "社保 补贴"
    cut = clean_query("补" * 60, 50)
    assert cut.text == "补" * 50 and "50" in cut.notices[0]
    assert clean_query(None, 50).text == ""


def test_error_statuses() -> None:
    assert status_for(SearchUnavailableError("x")) == (503, "search_unavailable")
    assert status_for(NotFoundError("x"))[0] == 404
    assert status_for(QueryError("x"))[0] == 422
    assert status_for(StoreError("x"))[0] == 503


def test_understanding_follows_new_policies(sqlite_api) -> None:  # type: ignore[no-untyped-def]
    from kb.models import Policy, Provenance

    cache = sqlite_api.app.state.understanding
    title = "测试市夜间经济促进办法"
    assert not [t for t in cache.get().understand(title).titles if t.title == title]
    sqlite_api.store.upsert_policies(
        [Policy(provenance=Provenance(source="test", source_id="t900"), title=title)]
    )
    cache.rebuild_now()
    assert [t for t in cache.get().understand(title).titles if t.title == title]


def test_understanding_rebuilds_in_the_background_after_a_write(sqlite_api) -> None:  # type: ignore[no-untyped-def]
    import time

    from kb.models import Policy, Provenance
    from search_api.services.understanding import UnderstandingCache

    cache = UnderstandingCache(sqlite_api.store, max_chars=200, check_seconds=0)
    title = "测试市早餐工程实施方案"
    sqlite_api.store.upsert_policies(
        [Policy(provenance=Provenance(source="test", source_id="t901"), title=title)]
    )
    deadline = time.monotonic() + 60
    while not [t for t in cache.get().understand(title).titles if t.title == title]:
        assert time.monotonic() < deadline, "the understanding was never rebuilt"
        time.sleep(0.2)


def test_a_model_refusing_client_input_inside_a_handler_is_a_422() -> None:
    import pydantic
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from search_api.errors import install_error_handlers

    class Body(pydantic.BaseModel):
        question: str = pydantic.Field(min_length=2)

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/build")
    def build(q: str) -> dict[str, str]:
        return Body(question=q).model_dump()

    response = TestClient(app, raise_server_exceptions=False).get("/build", params={"q": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "question"
