"""The HTTP edge: security headers, body limit, CORS, uniform error bodies, escaping in pages."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from kb.search import get_backend
from kb.store import Store
from search_api.app import create_app
from tests.search_api.conftest import ApiHarness, make_settings


def test_security_headers_on_api_and_pages(sqlite_api: ApiHarness) -> None:
    for path in ("/api/search?q=社保", "/", "/agent", "/static/app.css", "/nope"):
        headers = sqlite_api.client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_unknown_route_has_the_error_shape(sqlite_api: ApiHarness) -> None:
    response = sqlite_api.client.get("/api/nothing-here")
    assert response.status_code == 404
    assert set(response.json()) == {"error", "message", "message_zh", "errors"}
    assert sqlite_api.client.post("/api/search").status_code == 405


def test_oversized_body_is_refused_with_413(sqlite_api: ApiHarness) -> None:
    limit = sqlite_api.settings.max_request_bytes
    response = sqlite_api.client.post("/api/search", content=b"x" * (limit + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"

    def chunks():  # no Content-Length: the limit is counted while reading
        for _ in range(limit // 1000 + 2):
            yield b"y" * 1000

    streamed = sqlite_api.client.post("/api/search", content=chunks())
    assert streamed.status_code == 413


def test_cors_follows_settings(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "sqlite", cors_origins=["https://portal.example.gov.cn"])
    client = TestClient(
        create_app(settings, store=Store.from_settings(settings), backend=get_backend(settings))
    )
    allowed = client.get("/healthz", headers={"Origin": "https://portal.example.gov.cn"})
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example.gov.cn"
    other = client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_by_default(sqlite_api: ApiHarness) -> None:
    response = sqlite_api.client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in response.headers


def test_search_page_escapes_titles_and_drops_script_links(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get("/", params={"q": "标题转义检查"})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text
    social = sqlite_api.client.get("/", params={"q": "灵活就业 社会保险"})
    assert "javascript:alert(3)" not in social.text
    assert "关于灵活就业人员社保补贴政策的解读" in social.text


def test_query_is_escaped_when_echoed(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get("/", params={"q": '"><script>alert(9)</script>'})
    assert "<script>alert(9)" not in page.text


def test_search_page_renders_results_facets_glossary(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get("/", params={"q": "社保补贴"})
    text = page.text
    assert page.status_code == 200
    assert "测试市人民政府关于做好灵活就业人员" in text
    assert "政策解读" in text and "相关问答" in text and "名词解释" in text
    assert 'data-facet="validity"' in text
    assert "理解为" in text


def test_policy_page_and_missing_policy(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get(f"/policies/{sqlite_api.policy_id('t001')}")
    assert page.status_code == 200
    assert 'id="clause-13"' in page.text and "图解《测试市促进中小企业发展条例》" in page.text
    assert sqlite_api.client.get("/policies/424242").status_code == 404
    assert sqlite_api.client.get("/policies/x").status_code == 404


def test_bad_page_parameter_is_a_422_page_not_a_crash(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get("/", params={"q": "社保", "size": "1000"})
    assert page.status_code == 422
    assert "参数" in page.text


def test_openapi_documents_the_error_shape(sqlite_api: ApiHarness) -> None:
    spec = sqlite_api.client.get("/openapi.json").json()
    search = spec["paths"]["/api/search"]["get"]
    assert search["operationId"]
    assert search["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorPublic"
    )
    names = {p["name"] for p in search["parameters"]}
    assert {
        "q",
        "issuing_body",
        "validity",
        "year_from",
        "facets",
        "sort",
        "page",
        "size",
        "highlight",
    } <= names
    size = next(p for p in search["parameters"] if p["name"] == "size")
    assert size["schema"]["maximum"] == 100
    assert "/" not in spec["paths"]  # pages are not part of the API


def test_expired_policy_page_says_so(sqlite_api: ApiHarness) -> None:
    page = sqlite_api.client.get(f"/policies/{sqlite_api.policy_id('t003')}")
    assert "本文件已失效" in page.text
    valid = sqlite_api.client.get(f"/policies/{sqlite_api.policy_id('t004')}")
    assert "本文件已" not in valid.text
