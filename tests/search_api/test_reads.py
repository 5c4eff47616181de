"""Policy page API, Q&A lookup for agents, suggestions, glossary, health — on both backends."""

from __future__ import annotations

from tests.search_api.conftest import ApiHarness


def test_read_policy_in_full(api: ApiHarness) -> None:
    policy_id = api.policy_id("t001")
    response = api.client.get(f"/api/policies/{policy_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "测试市促进中小企业发展条例"
    assert [c["label"] for c in body["clauses"]] == ["第一条", "第二条", "第十二条", "第十三条"]
    assert body["interpretations"][0]["title"] == "图解《测试市促进中小企业发展条例》"
    assert body["interpretations"][0]["summary"].startswith("条例明确")
    assert body["related_qa"][0]["question"] == "小微企业首次贷款有没有贴息？"
    assert body["provenance"]["source_id"] == "t001"


def test_missing_policy_is_404_with_both_languages(api: ApiHarness) -> None:
    response = api.client.get("/api/policies/999999")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found" and body["message"] and body["message_zh"]
    assert api.client.get("/api/policies/abc").status_code == 422


def test_qa_search_needs_an_agent_key(api: ApiHarness) -> None:
    assert api.client.get("/api/qa/search", params={"q": "社保补贴"}).status_code == 401
    bad = api.client.get("/api/qa/search", params={"q": "社保补贴"}, headers={"X-API-Key": "pk_" + "x" * 40})
    assert bad.status_code == 401 and bad.json()["message_zh"]


def _qa(api: ApiHarness, q: str) -> dict:
    response = api.client.get("/api/qa/search", params={"q": q}, headers={"X-API-Key": api.agent_key})
    assert response.status_code == 200, response.text
    return response.json()


def test_qa_answer_with_source_clause_department_validity_confidence(api: ApiHarness) -> None:
    body = _qa(api, "灵活就业的社保补贴怎么申请")
    assert body["no_answer"] is False
    top = body["answers"][0]
    assert top["question"] == "灵活就业人员怎么申请社保补贴？"
    assert top["department"] == "测试市人力资源和社会保障局"
    assert top["validity"] == "有效"
    assert top["confidence"] >= body["threshold"]
    assert top["policy"]["title"].endswith("社会保险工作的通知")
    assert top["clause"]["label"] == "第三条"
    # The staff key works too (staff can act as agents).
    staff = api.client.get("/api/qa/search", params={"q": "社保补贴"}, headers={"X-API-Key": api.staff_key})
    assert staff.status_code == 200


def test_qa_source_clause_text_comes_from_the_policy(api: ApiHarness) -> None:
    top = _qa(api, "小微企业第一次贷款有贴息吗")["answers"][0]
    assert top["clause"]["label"] == "第十三条"
    assert "贴息比例不超过贷款利息的百分之五十" in top["clause"]["text"]


def test_qa_unrelated_question_is_no_answer_with_candidates_field(api: ApiHarness) -> None:
    body = _qa(api, "火星探测器的发射窗口是什么时候")
    assert body["no_answer"] is True
    assert body["answers"] == []
    assert body["message_zh"]


def test_expired_qa_is_never_the_answer(api: ApiHarness) -> None:
    body = _qa(api, "居住证多久签注一次")
    assert body["no_answer"] is True
    assert body["candidates"][0]["question"] == "居住证多久签注一次？"
    assert body["candidates"][0]["validity"] == "失效"


def test_suggest_titles_glossary_and_frequent_queries(api: ApiHarness) -> None:
    titles = api.client.get("/api/suggest", params={"q": "测试市高校"}).json()["suggestions"]
    assert any(s["kind"] == "title" and s["text"].startswith("测试市高校毕业生创业补贴") for s in titles)
    glossary = api.client.get("/api/suggest", params={"q": "社"}).json()["suggestions"]
    assert {"text": "社保", "kind": "glossary"} in glossary or {
        "text": "社会保险",
        "kind": "glossary",
    } in glossary
    for _ in range(2):
        api.client.get("/api/search", params={"q": "居住证签注"})
    api.app.state.frequent_queries.invalidate()
    frequent = api.client.get("/api/suggest", params={"q": "居住"}).json()["suggestions"]
    assert {"text": "居住证签注", "kind": "query"} in frequent
    assert api.client.get("/api/suggest", params={"q": ""}).json()["suggestions"] == []


def test_glossary_by_term_alias_and_missing(api: ApiHarness) -> None:
    assert api.client.get("/api/glossary/社会保险").json()["aliases"] == ["社保"]
    by_alias = api.client.get("/api/glossary/社保")
    assert by_alias.status_code == 200 and by_alias.json()["term"] == "社会保险"
    missing = api.client.get("/api/glossary/量子纠缠")
    assert missing.status_code == 404 and missing.json()["message_zh"]


def test_health_and_readiness(api: ApiHarness) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["store"]["ok"] and ready.json()["engine"]["ok"]
    assert ready.json()["backend"] == api.settings.search_backend


def test_policy_names_the_versions_it_replaces(api: ApiHarness) -> None:
    body = api.client.get(f"/api/policies/{api.policy_id('t004')}").json()
    resolved, missing = body["supersedes"]
    assert resolved["id"] == api.policy_id("t003") and resolved["validity"] == "失效"
    assert resolved["page_url"] == f"/policies/{api.policy_id('t003')}"
    assert missing == {"key": "test:t999", "id": None, "title": None, "validity": None, "page_url": None}
    page = api.client.get(f"/policies/{api.policy_id('t004')}")
    assert "取代" in page.text and resolved["page_url"] in page.text
