"""Query understanding on a small vocabulary of titles written for these tests."""

from __future__ import annotations

import pytest

from kb.query import QueryUnderstanding, Vocabulary

TITLES = [
    "中华人民共和国劳动合同法",
    "中华人民共和国劳动合同法实施条例",
    "全国人民代表大会常务委员会关于修改《中华人民共和国劳动合同法》的决定",
    "北京市优化营商环境条例",
    "国务院办公厅关于印发“无废城市”建设试点工作方案的通知",
    "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
    "国务院关于印发个人所得税专项附加扣除暂行办法的通知",
    "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见",
    "住房公积金管理条例",
    "河北省人民政府办公厅关于建立分级诊疗制度的实施意见",
    "关于做好疫情期间负压救护车生产保障的通知",
]


@pytest.fixture(scope="module")
def qu() -> QueryUnderstanding:
    return QueryUnderstanding(Vocabulary.build(TITLES))


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("国发〔2019〕5号", "国发|2019|5"),
        ("国发[2019]5号", "国发|2019|5"),
        ("国发（2019）5号", "国发|2019|5"),
        ("国发【2019】5号", "国发|2019|5"),
        ("国发〔２０１９〕５号", "国发|2019|5"),
        ("国发 2019 5号", "国发|2019|5"),
        ("国发2019年5号", "国发|2019|5"),
    ],
)
def test_doc_number_in_any_bracket_form_gives_one_key(qu: QueryUnderstanding, query: str, key: str) -> None:
    understood = qu.understand(query)
    assert understood.doc_number is not None and understood.doc_number.key == key
    assert understood.parsed.doc_number_key == key
    assert understood.explain()["doc_number"] == key


def test_decree_number_without_di(qu: QueryUnderstanding) -> None:
    loose = qu.understand("国令706号").parsed.doc_number_key
    assert loose is not None and loose == qu.understand("国令第706号").parsed.doc_number_key


@pytest.mark.parametrize(
    "query",
    ["劳动合同法第十二条", "劳动合同法第12条", "《中华人民共和国劳动合同法》第十二条", "勞動合同法第十二條"],
)
def test_clause_reference_with_its_law(qu: QueryUnderstanding, query: str) -> None:
    understood = qu.understand(query)
    assert understood.clause is not None and understood.clause.number == 12
    assert understood.parsed.clause_number == 12
    # The law itself is named, not the amendment decision that merely quotes its title.
    assert [t.title for t in understood.titles] == ["中华人民共和国劳动合同法"]
    assert "中华人民共和国劳动合同法" in understood.parsed.title_phrases


def test_near_whole_title_with_missing_characters(qu: QueryUnderstanding) -> None:
    understood = qu.understand("国务院关于促进综合保税区高水平开放发展若干意见")
    assert [t.title for t in understood.titles] == ["国务院关于促进综合保税区高水平开放高质量发展的若干意见"]
    assert understood.titles[0].via == "near_title"


def test_short_form_of_a_regional_title(qu: QueryUnderstanding) -> None:
    understood = qu.understand("河北省建立分级诊疗制度实施意见")
    assert understood.titles and understood.titles[0].title.endswith("建立分级诊疗制度的实施意见")


def test_keyword_query_is_not_taken_for_a_title(qu: QueryUnderstanding) -> None:
    assert qu.understand("综合保税区").titles == []
    assert qu.understand("童工").titles == []


@pytest.mark.parametrize(
    ("query", "word", "reason"),
    [
        ("wufei chengshi", "无废城市", "pinyin"),
        ("zonghe baoshuiqu", "综合保税区", "pinyin"),
        ("shuangsuiji yigongkai", "双随机一公开", "pinyin"),
        ("wfcs", "无废城市", "initials"),
        ("无费城市", "无废城市", "homophone"),
        ("综合保税去", "综合保税区", "homophone"),
        ("住房公基金", "住房公积金", "homophone"),
        ("负压救户车", "负压救护车", "homophone"),
    ],
)
def test_pinyin_initials_and_homophones_map_to_title_words(
    qu: QueryUnderstanding, query: str, word: str, reason: str
) -> None:
    expanded = qu.understand(query).explain()["expanded"]
    assert {"term": word, "reason": reason} in [{"term": e["term"], "reason": e["reason"]} for e in expanded]
    assert all(e["weight"] <= 1.0 for e in expanded)


def test_correctly_typed_words_are_not_corrected(qu: QueryUnderstanding) -> None:
    understood = qu.understand("综合保税区 负压救护车")
    assert [e for e in understood.expanded if e.reason == "homophone"] == []


def test_pinyin_that_matches_no_title_word_adds_nothing(qu: QueryUnderstanding) -> None:
    assert [e for e in qu.understand("xiangjiao pingguo").expanded if e.reason == "pinyin"] == []


def test_abbreviation_expanded_at_lower_weight(qu: QueryUnderstanding) -> None:
    understood = qu.understand("个税 专项附加扣除")
    weights = {e.term: e.weight for e in understood.expanded}
    assert "个人所得税" in weights and weights["个人所得税"] < 1.0


def test_traditional_and_full_width_input_normalized_like_the_index(qu: QueryUnderstanding) -> None:
    assert qu.understand("住房公積金管理條例").normalized == "住房公积金管理条例"
    assert qu.understand("２０１９年").normalized == "2019年"


def test_without_vocabulary_only_the_vocabulary_free_steps_run() -> None:
    bare = QueryUnderstanding()
    understood = bare.understand("国发〔2019〕5号")
    assert understood.doc_number is not None
    assert bare.understand("wufei chengshi").expanded == []


@pytest.mark.parametrize(
    ("query", "law", "number"),
    [
        ("社保法第五十八条", "中华人民共和国社会保险法", 58),
        ("消法第二十四条", "中华人民共和国消费者权益保护法", 24),
        ("个税法第6条", "中华人民共和国个人所得税法", 6),
    ],
)
def test_clause_reference_with_the_short_name_of_its_law(query: str, law: str, number: int) -> None:
    """The short names in synonyms.txt (社保法 => 社会保险法) find the law the clause belongs to."""
    titles = [law, f"{law}实施条例", "北京市院前医疗急救服务条例", "上海市建设工程质量和安全管理条例"]
    understood = QueryUnderstanding(Vocabulary.build(titles)).understand(query)
    assert understood.clause is not None and understood.clause.number == number
    assert [t.title for t in understood.titles][:1] == [law]
    assert law in understood.parsed.title_phrases


def test_agency_short_names_find_the_full_names(qu: QueryUnderstanding) -> None:
    expanded = {e.term for e in qu.understand("人社部 失业保险金申领").expanded}
    assert {"人力资源和社会保障部", "人力资源社会保障部"} <= expanded
    # One-way: the full name does not also look for the short form (国办 is in every 国办发 number).
    assert "国办" not in {e.term for e in qu.understand("国务院办公厅关于").expanded}
