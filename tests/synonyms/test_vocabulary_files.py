"""The shipped vocabulary files: sizes, coverage of the seed and of what people ask, internal consistency."""

from __future__ import annotations

import pytest

from analyzers import normalize_aligned
from synonyms import load_glossary, load_stopwords, load_synonym_rules, load_synonym_sets, load_word_list

SEED_TERMS = [
    "政务公开", "政策解读", "惠企政策", "政策服务包", "一件事", "接诉即办", "行政规范性文件", "营商环境",
]
CITIZEN_TERMS = [
    "社保", "公积金", "个税", "专精特新", "高新技术企业", "小微企业", "稳岗", "留抵退税", "医保", "新冠",
]


def all_forms() -> dict[str, str]:
    return {form: entry.term for entry in load_glossary() for form in entry.forms}


def test_glossary_has_at_least_200_terms_each_with_a_definition_and_category() -> None:
    glossary = load_glossary()
    assert len(glossary) >= 200
    for entry in glossary:
        assert entry.definition.endswith("。"), entry.term
        assert len(entry.definition) >= 10, entry.term
        assert entry.category


@pytest.mark.parametrize("word", [*SEED_TERMS, *CITIZEN_TERMS, "12345"])
def test_glossary_covers_the_seed_and_what_people_search_for(word: str) -> None:
    assert word in all_forms()


def test_seed_vocabulary_terms_occur_in_the_seed(seed_text: str) -> None:
    folded = normalize_aligned(seed_text)
    assert [t for t in ["政务公开", "政策解读", "惠企政策", "政策服务包", "一件事"] if t not in folded] == []


def test_at_least_150_synonym_sets() -> None:
    sets = load_synonym_sets()
    assert len(sets) >= 150
    assert ["社保", "社会保险"] in sets
    assert ["双创", "大众创业万众创新"] in sets
    assert ["个税", "个人所得税"] in sets


def test_one_way_rules_are_kept_apart_from_equivalences() -> None:
    one_way = [r for r in load_synonym_rules() if not r.equivalent]
    assert one_way and all(r.rhs for r in one_way)
    assert all(r.lhs not in [tuple(s) for s in load_synonym_sets()] for r in one_way)


def test_synonyms_do_not_contradict_glossary_aliases() -> None:
    """Two words in one synonym set never belong to two different glossary terms."""
    forms = all_forms()
    conflicts = []
    for words in load_synonym_sets():
        terms = {forms[w] for w in words if w in forms}
        if len(terms) > 1:
            conflicts.append((words, terms))
    assert conflicts == []


def test_stopwords_are_function_words_not_policy_terms() -> None:
    stopwords = load_stopwords()
    assert {"请问", "怎么", "如何", "吗", "的", "了"} <= stopwords
    assert stopwords.isdisjoint(all_forms())
    assert stopwords.isdisjoint({"办理", "申请", "补贴", "社保"})


def test_docnumber_boundaries_never_start_a_real_code() -> None:
    boundaries = load_word_list("docnumber_boundaries.txt")
    assert {"按照", "根据", "的"} <= boundaries
    assert not {"国发", "国办发", "冀政字"} & boundaries
