"""Index text, query terms, bigrams and glossary lookup as the engines and the API see them."""

from __future__ import annotations

from analyzers import (
    TOKEN_SEPARATOR,
    bigram_text,
    cjk_bigrams,
    glossary_terms_in,
    index_forms,
    index_tokens,
    normalize,
    normalize_aligned,
    normalize_pair,
    query_terms,
    segment_for_index,
)


def test_segment_for_index_marks_token_boundaries_on_aligned_text() -> None:
    raw = "國發［２０１８］３９號要求做好政策服務包"
    index_text = segment_for_index(raw)
    assert index_text.replace(TOKEN_SEPARATOR, "") == normalize_aligned(raw)
    assert "政策服务包" in index_text.split(TOKEN_SEPARATOR)


def test_query_terms_drop_question_words_and_punctuation() -> None:
    terms = query_terms("请问，小微企业怎么申请留抵退税？")
    assert "请问" not in terms and "怎么" not in terms and "?" not in terms and "," not in terms
    assert {"小微企业", "申请", "留抵退税"} <= set(terms)


def test_query_terms_are_normalized() -> None:
    assert query_terms("個稅") == query_terms("个税")
    assert "pm2.5" in query_terms("ＰＭ２．５超标")


def test_query_terms_use_search_mode() -> None:
    terms = query_terms("中华人民共和国政府信息公开条例")
    assert {"中华人民共和国", "中华", "人民", "政府信息公开", "信息", "公开"} <= set(terms)


def test_index_tokens_drop_stopwords_and_separators() -> None:
    assert index_tokens("我的社保卡怎么办理？") == ["社保卡", "办理"]


def test_cjk_bigrams() -> None:
    assert cjk_bigrams("社保卡 办") == ["社保", "保卡", "办"]
    assert cjk_bigrams("國發2018") == ["国发"]
    assert cjk_bigrams("abc 123") == []


def test_glossary_terms_resolve_aliases_in_order_of_mention() -> None:
    assert glossary_terms_in("个税和社保怎么交？还有公积金") == ["个人所得税", "社会保险", "住房公积金"]
    assert glossary_terms_in("個稅") == ["个人所得税"]


def test_short_glossary_forms_must_be_whole_words() -> None:
    assert glossary_terms_in("各地深入学习贯彻") == []
    assert glossary_terms_in("孩子小学入学要什么材料") == ["入学"]


def test_ascii_forms_are_whole_words() -> None:
    assert glossary_terms_in("NCP防控") == ["新型冠状病毒肺炎"]
    assert glossary_terms_in("ncpx") == []


def test_clause_queries_match_index_tokens_in_either_spelling() -> None:
    """normalize rewrites 第十二条 to 第12条 in queries only, so query_terms must carry both spellings."""
    for query, document, written in [
        ("第十二条", "依照本法第十二条的规定", "第十二条"),
        ("第12条", "依照本法第十二条的规定", "第十二条"),
        ("第十二条", "依照本法第12条的规定", "第12条"),
        ("第一百二十条之二", "刑法第一百二十条之二规定", "第一百二十条之二"),
        ("第24条之一", "按第二十四条之一办理", "第二十四条之一"),
    ]:
        clause_tokens = set(index_tokens(written))
        assert clause_tokens <= set(index_tokens(document)), (document, written)
        assert clause_tokens <= set(query_terms(query)), (query, written)


# Texts where the full pipeline's length-changing steps (NFKC expansions, space runs, clause numerals) act,
# so the aligned and full forms diverge at different steps.
_DIVERGING = [
    "國發［２０１８］３９號　第十二条规定",
    "第Ⅳ章  附则\n\n第二十四条之一　本办法自发布之日起施行",
    "\u200b零宽\u00a0空格\t和ﬁ连字 ①② ㎡ ℃ m²",
    "  前后空格  ",
    "abc 123",
    "",
]


def test_normalize_pair_is_both_pipelines() -> None:
    for text in _DIVERGING:
        assert normalize_pair(text) == (normalize_aligned(text), normalize(text)), text


def test_index_forms_segment_and_bigram_like_the_separate_calls() -> None:
    for text in _DIVERGING:
        forms = index_forms(text)
        assert forms.segmented == segment_for_index(text), text
        assert forms.bigrams == " ".join(cjk_bigrams(normalize(text))), text
    assert bigram_text("社保卡 办") == "社保 保卡 办"
