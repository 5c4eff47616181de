"""Segmentation: glossary terms stay whole, precise vs search mode, one shared thread-safe instance."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from analyzers import get_segmenter, normalize_aligned
from analyzers.glossary import glossary_matcher
from analyzers.segmenter import Segmenter, default_engine, glossary_user_words
from synonyms import load_glossary

SEED_VOCABULARY = [
    "政务公开", "政策解读", "惠企政策", "政策服务包", "一件事", "行政规范性文件", "营商环境", "政策服务",
]


def test_every_glossary_term_and_alias_is_a_single_token() -> None:
    segmenter = get_segmenter()
    split = []
    for entry in load_glossary():
        for form in entry.forms:
            folded = normalize_aligned(form)
            if segmenter.cut(folded) != [folded]:
                split.append((form, segmenter.cut(folded)))
    assert split == []


def test_seed_vocabulary_comes_out_as_tokens_in_the_seed(seed_text: str) -> None:
    tokens = get_segmenter().cut(normalize_aligned(seed_text))
    missing = [word for word in SEED_VOCABULARY if word not in tokens]
    assert missing == []


def test_glossary_mentions_in_real_text_fall_on_token_boundaries(
    seed_text: str, real_documents: list[str]
) -> None:
    """In context, nearly every glossary mention of 3+ characters is also cut out whole by the segmenter.

    The rest are longer real words around a term (知识产权局, 行政处罚法); one- and two-character forms are
    matched only as whole tokens anyway (analyzers.glossary.SHORT_FORM).
    """
    segmenter = get_segmenter()
    matcher = glossary_matcher()
    mentions = aligned = 0
    for text in [seed_text, *real_documents[::3]]:
        folded = normalize_aligned(text)
        bounds = {0, *itertools.accumulate(len(t) for t in segmenter.cut(folded))}
        for start, end, _ in matcher.spans(folded):
            if end - start < 3:
                continue
            mentions += 1
            aligned += start in bounds and end in bounds
    assert mentions > 1000
    assert aligned / mentions > 0.95


def test_precise_and_search_modes() -> None:
    segmenter = get_segmenter()
    assert segmenter.cut("中华人民共和国政府信息公开条例") == ["中华人民共和国", "政府信息公开", "条例"]
    search = segmenter.cut_for_search("中华人民共和国")
    assert search[-1] == "中华人民共和国"
    assert {"中华", "人民", "共和国"} <= set(search)


def test_tokens_concatenate_to_the_input(seed_text: str) -> None:
    text = normalize_aligned(seed_text)
    assert "".join(get_segmenter().cut(text)) == text


def test_the_segmenter_is_loaded_once() -> None:
    assert get_segmenter() is get_segmenter()


def test_one_segmenter_serves_many_threads(real_documents: list[str]) -> None:
    segmenter = get_segmenter()
    texts = [normalize_aligned(t) for t in real_documents[:40]]
    expected = [segmenter.cut(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(segmenter.cut, texts * 3))
    assert results == expected * 3


def test_user_words_are_honoured_by_both_engines() -> None:
    for engine in ("jieba", "rjieba"):
        segmenter = Segmenter(["政策服务包", "接诉即办"], engine=engine)
        assert segmenter.cut("提供政策服务包和接诉即办") == ["提供", "政策服务包", "和", "接诉即办"]


def test_environment_can_force_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_SEGMENTER", "jieba")
    assert default_engine() == "jieba"
    monkeypatch.setenv("POLICYKB_SEGMENTER", "")
    assert default_engine() == "rjieba"


def test_user_words_include_normalized_forms() -> None:
    words = set(glossary_user_words())
    assert {"12345热线", "ncp", "社保", "社会保险"} <= words
