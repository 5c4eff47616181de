"""GET /api/search on both backends: interpretations, Q&A, glossary, filters, facets, paging, errors."""

from __future__ import annotations

from sqlalchemy import select

from kb.store.tables import SearchLogRow
from tests.search_api.conftest import ApiHarness


def _search(api: ApiHarness, **params: object) -> dict:
    response = api.client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _source_ids(body: dict) -> list[str]:
    return [hit["provenance"]["source_id"] for hit in body["hits"]]


def test_hit_carries_policy_with_interpretations_qa_glossary_and_provenance(api: ApiHarness) -> None:
    body = _search(api, q="社保补贴")
    assert body["hits"], body
    top = body["hits"][0]
    assert top["provenance"] == {"source": "test", "source_id": "t002", "url": None}
    assert top["validity"] == "有效"
    assert [i["title"] for i in top["interpretations"]] == ["关于灵活就业人员社保补贴政策的解读"]
    assert top["interpretations"][0]["kind"] == "文字解读"
    assert top["related_qa"][0]["question"] == "灵活就业人员怎么申请社保补贴？"
    assert top["page_url"] == f"/policies/{api.policy_id('t002')}"
    assert "<mark>" in (top["snippet_html"] or "") + top["title_html"]
    # 社保 is an alias of the glossary term 社会保险: the definition comes with the results.
    assert [g["term"] for g in body["glossary"]] == ["社会保险"]
    assert "社会保险" in body["understood"]["summary_zh"] or "社保" in body["understood"]["terms"]


def test_unsafe_interpretation_link_is_dropped(api: ApiHarness) -> None:
    top = _search(api, q="灵活就业 社会保险")["hits"][0]
    assert top["interpretations"][0]["url"] is None  # the fixture's javascript: URL never reaches a client


def test_interpretation_link_kept_when_http(api: ApiHarness) -> None:
    hit = next(
        h for h in _search(api, q="中小企业发展条例")["hits"] if h["provenance"]["source_id"] == "t001"
    )
    assert hit["interpretations"][0]["url"] == "https://example.gov.cn/jd/i001.html"
    assert hit["interpretations"][0]["kind"] == "图解"


def test_document_number_in_any_bracket_form_finds_the_policy(api: ApiHarness) -> None:
    for form in ("测政发〔2024〕7号", "测政发[2024]7号", "测政发（2024）7号"):
        body = _search(api, q=form)
        assert _source_ids(body)[:1] == ["t002"], (form, _source_ids(body))
        assert body["understood"]["doc_number_key"]


def test_clause_query_returns_the_matching_clause(api: ApiHarness) -> None:
    body = _search(api, q="中小企业发展条例 第十三条")
    hit = next(h for h in body["hits"] if h["provenance"]["source_id"] == "t001")
    assert hit["matching_clause"] is not None
    assert hit["matching_clause"]["number"] == 13
    assert "贷款贴息" in hit["matching_clause"]["text"]
    assert body["understood"]["clause_number"] == 13


def test_filters_narrow_and_facets_count(api: ApiHarness) -> None:
    everything = _search(api, q="创业补贴", facets=["validity", "issuing_bodies", "year"])
    assert set(_source_ids(everything)) >= {"t003", "t004"}
    validity = {b["value"]: b["count"] for b in everything["facets"]["validity"]}
    assert validity.get("失效", 0) >= 1 and validity.get("有效", 0) >= 1
    valid_only = _search(api, q="创业补贴", validity="有效")
    assert "t003" not in _source_ids(valid_only) and "t004" in _source_ids(valid_only)
    by_year = _search(api, q="创业补贴", year_from=2018, year_to=2020)
    assert _source_ids(by_year) == ["t003"]
    by_body = _search(api, q="", issuing_body="测试市人民政府办公厅")
    assert set(_source_ids(by_body)) == {"t005", "t006"}
    by_type = _search(api, q="", document_type="地方性法规")
    assert _source_ids(by_type) == ["t001"]


def test_sort_newest_and_paging(api: ApiHarness) -> None:
    newest = _search(api, q="", sort="newest", size=3)
    dates = [h["publish_date"] for h in newest["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert newest["total"] == 6 and newest["pages"] == 2
    page2 = _search(api, q="", sort="newest", size=3, page=2)
    assert not set(_source_ids(newest)) & set(_source_ids(page2))
    assert len(page2["hits"]) == 3


def test_highlights_and_titles_are_escaped(api: ApiHarness) -> None:
    body = _search(api, q="标题转义检查")
    hit = next(h for h in body["hits"] if h["provenance"]["source_id"] == "t006")
    html = hit["title_html"] + (hit["snippet_html"] or "")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in hit["title_html"]
    assert hit["title"] == "测试市<script>alert(1)</script>标题转义检查通知"  # plain text stays as written


def test_size_over_100_is_a_422_naming_the_field(api: ApiHarness) -> None:
    response = api.client.get("/api/search", params={"q": "补贴", "size": 101})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert [e["field"] for e in body["errors"]] == ["size"]
    assert body["message_zh"]


def test_backwards_ranges_and_deep_pages_are_refused(api: ApiHarness) -> None:
    response = api.client.get("/api/search", params={"year_from": 2024, "year_to": 2020})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year_from"
    response = api.client.get("/api/search", params={"page": 1000, "size": 100})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_long_query_is_cut_with_a_notice(api: ApiHarness) -> None:
    limit = api.settings.max_query_chars
    body = _search(api, q="补贴" * limit)
    assert len(body["query"]) == limit
    assert body["notices"] and str(limit) in body["notices"][0]
    too_long = api.client.get("/api/search", params={"q": "补" * 2001})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "q"


def test_control_characters_and_engine_syntax_are_harmless(api: ApiHarness) -> None:
    for q in ("社保\x00补贴", 'title:"x" AND (', "*?~^{}[]", '" OR 1=1 --', "NEAR(社保 补贴)"):
        response = api.client.get("/api/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


def test_every_search_is_logged(api: ApiHarness) -> None:
    api.client.get("/api/search", params={"q": "居住证", "validity": "有效"})
    api.client.get("/api/search", params={"q": "天文望远镜镜片"}, headers={"X-PolicyKB-Channel": "api"})
    with api.store.read_session() as session:
        rows = session.execute(select(SearchLogRow).order_by(SearchLogRow.id)).scalars().all()
    logged = {row.query: row for row in rows}
    assert logged["居住证"].total >= 1 and logged["居住证"].channel == "website"
    assert logged["居住证"].filters == {"validity": ["有效"]}
    assert logged["居住证"].latency_ms > 0
    assert logged["天文望远镜镜片"].total == 0 and logged["天文望远镜镜片"].channel == "api"


def test_highlight_can_be_turned_off(api: ApiHarness) -> None:
    marked = _search(api, q="社保补贴")["hits"][0]
    plain = _search(api, q="社保补贴", highlight="false")["hits"][0]
    assert "<mark>" in marked["title_html"] + (marked["snippet_html"] or "")
    assert "<mark>" not in plain["title_html"] + (plain["snippet_html"] or "")
    assert plain["provenance"] == marked["provenance"]
