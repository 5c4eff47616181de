"""Contract suite, Q&A and glossary: field weights, published only, highlights; suggestions."""

from __future__ import annotations

from kb.search.base import BaseSearchBackend, SearchQuery
from kb.search.highlight import plain_text


def test_question_outweighs_answer(corpus_backend: BaseSearchBackend) -> None:
    # 养老保险 is in Q&A 1's question and only in Q&A 3's answer.
    hits = corpus_backend.search_qa(SearchQuery(text="养老保险")).hits
    assert [h.id for h in hits][:2] == [1, 3]
    assert hits[0].answer == "可以在户籍所在地社保经办机构按月缴纳。"
    assert hits[0].policy_id == 1 and hits[0].clause_label == "第3条" and hits[0].department == "市人力社保局"


def test_alternative_questions_match(corpus_backend: BaseSearchBackend) -> None:
    hits = corpus_backend.search_qa(SearchQuery(text="自由职业者交社保")).hits
    assert hits[0].id == 1


def test_policy_title_finds_its_qa(corpus_backend: BaseSearchBackend) -> None:
    hits = corpus_backend.search_qa(SearchQuery(text="社会保险费征缴工作")).hits
    assert hits and hits[0].id == 1


def test_retired_qa_is_not_returned(corpus_backend: BaseSearchBackend) -> None:
    ids = {h.id for h in corpus_backend.search_qa(SearchQuery(text="旧版养老保险缴纳问答")).hits}
    assert 4 not in ids


def test_qa_highlight_is_the_original_question(corpus_backend: BaseSearchBackend) -> None:
    hit = corpus_backend.search_qa(SearchQuery(text="租房提取公积金")).hits[0]
    assert hit.id == 2
    assert hit.title_highlight is not None and "<em>" in hit.title_highlight
    assert plain_text(hit.title_highlight) == "租房可以提取公积金吗？"


def test_glossary_by_term_alias_and_definition(corpus_backend: BaseSearchBackend) -> None:
    assert corpus_backend.search_glossary(SearchQuery(text="住房公积金")).hits[0].title == "住房公积金"
    by_alias = corpus_backend.search_glossary(SearchQuery(text="大众创业万众创新")).hits
    assert by_alias[0].title == "双创" and by_alias[0].aliases == ["大众创业万众创新"]
    by_definition = corpus_backend.search_glossary(SearchQuery(text="长期住房储金")).hits
    assert by_definition[0].title == "住房公积金"
    assert by_definition[0].definition == "职工及其单位缴存的长期住房储金。"


def test_suggest_titles_by_prefix(corpus_backend: BaseSearchBackend) -> None:
    suggestions = corpus_backend.suggest("关于")
    assert suggestions == sorted(suggestions)
    assert "关于促进中小企业发展的若干措施" in suggestions
    assert all(s.startswith("关于") for s in suggestions)
    assert corpus_backend.suggest("住房", size=1) == ["住房公积金管理办法"]
    assert corpus_backend.suggest("   ") == []
