"""rjieba is used only because it gives jieba's tokens exactly, with the same user words, on real text."""

from __future__ import annotations

import jieba
import pytest

from analyzers import normalize_aligned
from analyzers.segmenter import Segmenter, glossary_user_words, user_word_frequencies


@pytest.fixture(scope="module")
def reference() -> jieba.Tokenizer:
    """Plain jieba with the glossary as user words, set up the way jieba documents it (add_word)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    words = user_word_frequencies(glossary_user_words())
    # jieba adds an existing word's frequency to the total twice; jieba-rs replaces it. We take the replace
    # semantics on both sides (see analyzers/segmenter.py) and say so here rather than compare unequal setups.
    total = tokenizer.total + sum(f - tokenizer.FREQ.get(w, 0) for w, f in words)
    for word, freq in words:
        tokenizer.add_word(word, freq)
    tokenizer.total = total
    return tokenizer


@pytest.fixture(scope="module")
def fast() -> Segmenter:
    return Segmenter(glossary_user_words(), engine="rjieba")


def _first_difference(expected: list[str], actual: list[str]) -> str:
    for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
        if a != b:
            return f"token {i}: jieba {expected[max(0, i - 3):i + 4]} rjieba {actual[max(0, i - 3):i + 4]}"
    return f"lengths differ: {len(expected)} vs {len(actual)}"


@pytest.mark.slow
def test_precise_mode_tokens_equal_jieba_on_real_documents(
    reference: jieba.Tokenizer, fast: Segmenter, real_documents: list[str]
) -> None:
    assert fast.engine_name == "rjieba"
    assert len(real_documents) > 700
    compared = 0
    for index, raw in enumerate(real_documents):
        # Normalized text is what gets segmented; some raw text too (upper case, full width, newlines).
        for text in (normalize_aligned(raw), raw) if index % 4 == 0 else (normalize_aligned(raw),):
            expected = list(reference.cut(text, HMM=True))
            actual = fast.cut(text)
            assert actual == expected, _first_difference(expected, actual)
            compared += len(text)
    assert compared > 1_500_000


@pytest.mark.slow
def test_search_mode_tokens_equal_jieba_on_real_documents(
    reference: jieba.Tokenizer, fast: Segmenter, real_documents: list[str]
) -> None:
    for raw in real_documents:
        text = normalize_aligned(raw)
        expected = list(reference.cut_for_search(text, HMM=True))
        actual = fast.cut_for_search(text)
        assert actual == expected, _first_difference(expected, actual)


@pytest.mark.slow
def test_jieba_engine_is_the_reference(reference: jieba.Tokenizer, real_documents: list[str]) -> None:
    slow = Segmenter(glossary_user_words(), engine="jieba")
    for raw in real_documents[:60]:
        text = normalize_aligned(raw)
        assert slow.cut(text) == list(reference.cut(text, HMM=True))


@pytest.mark.parametrize(
    "text",
    [
        "2019-2021年实施，0.10g以下，详见www.beijing.gov.cn和rsj_8@163.com",
        "互联网+就业、c#与c++、3%~5%、t18005-1999标准",
        "生僻字㐀䶵、兼容字﨑豈、扩展B𠀀与鿖鿿混排",
        "第一行\r\n第二行\n\n  第三行\t结束",
        "PM2.5浓度，B超检查，T恤，卡拉OK",
    ],
)
def test_characters_the_engines_treat_differently(
    reference: jieba.Tokenizer, fast: Segmenter, text: str
) -> None:
    """Inputs where plain rjieba differs from jieba (measured); the Segmenter hands these runs to jieba."""
    assert fast.cut(text) == list(reference.cut(text, HMM=True))
    assert fast.cut_for_search(text) == list(reference.cut_for_search(text, HMM=True))
