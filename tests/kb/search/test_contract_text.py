"""Contract suite, full text: fields and boosts, 文号, clauses, interpretations, phrases, highlights, safety.

Runs against every backend (``corpus_backend`` is parametrized over SQLite and the real OpenSearch).
"""

from __future__ import annotations

import pytest
from search_factories import SOCIAL_INSURANCE_CLAUSES, policy_corpus

from kb.errors import QueryError
from kb.search.base import BaseSearchBackend, SearchQuery
from kb.search.highlight import plain_text

ORIGINALS = {p.id: p for p, _ in policy_corpus()}


def ids(backend: BaseSearchBackend, text: str, **kwargs: object) -> list[int]:
    return [h.id for h in backend.search(SearchQuery(text=text, **kwargs)).hits]  # type: ignore[arg-type]


def test_title_match_ranks_first(corpus_backend: BaseSearchBackend) -> None:
    found = ids(corpus_backend, "住房公积金管理")
    assert found[0] == 2


def test_keyword_field_matches(corpus_backend: BaseSearchBackend) -> None:
    # 五险一金 appears only among policy 1's keywords (主题词).
    assert ids(corpus_backend, "五险一金") == [1]


@pytest.mark.parametrize(
    "written", ["国办发〔2018〕39号", "国办发[2018]39号", "国办发（2018）39号", "国办发2018年39号"]
)
def test_doc_number_in_any_bracket_form_finds_exactly_that_policy(
    corpus_backend: BaseSearchBackend, written: str
) -> None:
    results = corpus_backend.search(SearchQuery(text=written))
    assert results.hits, f"{written} found nothing"
    assert results.hits[0].id == 3
    assert results.hits[0].doc_number == "国办发〔2018〕39号"
    assert results.understood is not None and results.understood.doc_number_key
    # Matched by its key, and marked where the text cites it.
    assert results.hits[0].highlight is not None
    assert "<em>" in results.hits[0].highlight
    assert plain_text(results.hits[0].highlight) in ORIGINALS[3].text


def test_body_match_returns_the_matching_clause(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search(SearchQuery(text="三十日内办理登记")).hits[0]
    assert hit.id == 1
    assert hit.clause is not None
    assert hit.clause.number == 2
    assert hit.clause.text == SOCIAL_INSURANCE_CLAUSES[1]
    assert hit.clause.highlight is not None and "<em>" in hit.clause.highlight
    assert plain_text(hit.clause.highlight) == SOCIAL_INSURANCE_CLAUSES[1]


def test_clause_number_in_query_targets_that_clause(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search(SearchQuery(text="社会保险费征缴 第三条")).hits[0]
    assert hit.id == 1
    assert hit.clause is not None and hit.clause.number == 3


def test_interpretation_text_finds_the_policy_and_lists_it(corpus_backend: BaseSearchBackend) -> None:
    # 异地缴存 is only in the interpretation of policy 2.
    results = corpus_backend.search(SearchQuery(text="异地缴存"))
    assert results.hits[0].id == 2
    interps = results.hits[0].interpretations
    assert [i.title for i in interps] == ["一图读懂住房公积金提取新规"]
    assert interps[0].kind == "图解" and interps[0].url == "https://example.gov.cn/jd/900.html"


def test_interpretation_weighs_less_than_policy_text(corpus_backend: BaseSearchBackend) -> None:
    # 提取 is in policy 2's body and its interpretation; 公积金 nowhere else: the policy itself must lead.
    found = ids(corpus_backend, "提取")
    assert found[0] == 2


def test_phrase_in_quotes_requires_the_words_together(corpus_backend: BaseSearchBackend) -> None:
    # Policy 4 says 就业创业 contiguously; policy 5 has 创业 but never 就业创业.
    loose = set(ids(corpus_backend, "就业 创业"))
    assert {4, 5} <= loose
    assert ids(corpus_backend, "“就业创业”") == [4]


def test_title_in_book_title_marks_is_boosted(corpus_backend: BaseSearchBackend) -> None:
    assert ids(corpus_backend, "《关于加强科技创新工作的通知》")[0] == 5


def test_highlight_maps_back_to_traditional_and_full_width_original(
    corpus_backend: BaseSearchBackend,
) -> None:
    # The index holds the normalized (simplified, half-width) text; the highlight must show the original.
    hit = corpus_backend.search(SearchQuery(text="社会保险待遇")).hits[0]
    assert hit.id == 8
    assert hit.title_highlight is not None
    assert "<em>" in hit.title_highlight
    assert plain_text(hit.title_highlight) == ORIGINALS[8].title
    assert "社會保險" in hit.title_highlight


def test_highlight_escapes_html_and_equals_original(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search(SearchQuery(text="养老金调整")).hits[0]
    assert hit.id == 8 and hit.highlight is not None
    assert "&lt;按&gt;" in hit.highlight and "&amp;" in hit.highlight
    assert "<按>" not in hit.highlight
    assert plain_text(hit.highlight) in ORIGINALS[8].text
    assert "２０２４" in ORIGINALS[8].text


def test_highlight_can_be_turned_off(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search(SearchQuery(text="社会保险", highlight=False)).hits[0]
    assert hit.highlight is None and hit.title_highlight is None


@pytest.mark.parametrize(
    "text",
    [
        "title_seg: 社会保险",
        '社会 OR 保险 AND "',
        "NEAR(社会 保险)",
        "{body_seg}: 提取",
        "*",
        "(",
        '"',
        "社会^10",
        "validity:废止",
        "<script>alert(1)</script>",
        "'; DROP TABLE search_aliases; --",
    ],
)
def test_user_text_is_never_engine_syntax(corpus_backend: BaseSearchBackend, text: str) -> None:
    results = corpus_backend.search(SearchQuery(text=text))
    assert results.total >= 0
    # The index is still there and answers afterwards.
    assert ids(corpus_backend, "住房公积金管理")[0] == 2


def test_too_long_query_is_a_query_error(corpus_backend: BaseSearchBackend) -> None:
    with pytest.raises(QueryError):
        corpus_backend.search(SearchQuery(text="社会保险" * 100))


def test_no_match_returns_nothing(corpus_backend: BaseSearchBackend) -> None:
    results = corpus_backend.search(SearchQuery(text="量子引力弦论"))
    assert results.total == 0 and results.hits == []


def test_hit_carries_provenance(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search(SearchQuery(text="中小企业技术改造")).hits[0]
    assert (hit.id, hit.source, hit.source_id) == (3, "govcn", "p3")
    assert hit.issuing_bodies == ["国务院办公厅"]
    assert hit.to_cli_dict()["doc_number"] == "国办发〔2018〕39号"


@pytest.mark.parametrize("text", ["？？？", "的", "……", "   "])
def test_text_without_searchable_words_is_not_a_browse(corpus_backend: BaseSearchBackend, text: str) -> None:
    results = corpus_backend.search(SearchQuery(text=text))
    if text.strip():
        assert results.total == 0 and results.hits == []
    else:  # an empty box lists everything
        assert results.total == len(ORIGINALS)
