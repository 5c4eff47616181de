"""The segmenter gives memory back without changing a token: jieba's reference engine can be dropped and
comes back on demand, and rjieba's module-level instance is reused instead of building a second one."""

from __future__ import annotations

import pytest

from analyzers import segmenter
from analyzers.jieba_dict import CompactFreq, default_dictionary
from analyzers.segmenter import Segmenter, _new_rjieba, glossary_user_words

pytest.importorskip("rjieba")

# ASCII symbols inside a block: these runs go to jieba's reference engine.
RISKY = "关于印发2019-2021年度0.5%补贴标准的通知"


def test_released_reference_engine_is_loaded_again_with_the_same_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(segmenter, "_compact_reference", False)
    engine = Segmenter(glossary_user_words(), engine="rjieba")
    assert engine.release_reference() is False  # nothing loaded yet
    before = engine.cut(RISKY)
    search_before = engine.cut_for_search(RISKY)
    assert "".join(before) == RISKY
    assert engine.release_reference() is True
    assert engine.cut(RISKY) == before
    assert engine.cut_for_search(RISKY) == search_before


def test_a_compact_reference_engine_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segmenter, "_compact_reference", True)
    engine = Segmenter(["社会保险"], engine="rjieba")
    engine.cut(RISKY)
    assert engine.release_reference() is False
    assert engine._reference is not None and engine._reference.compact


def test_the_jieba_engine_keeps_its_reference() -> None:
    segmenter = Segmenter(["社会保险"], engine="jieba")
    tokens = segmenter.cut(RISKY)
    assert segmenter.release_reference() is False
    assert segmenter.cut(RISKY) == tokens


def test_each_engine_after_the_first_gets_its_own_rjieba_instance() -> None:
    first, second = _new_rjieba(), _new_rjieba()
    assert first is not second
    first.add_word("测试专用词甲乙", 100000, None)
    assert "测试专用词甲乙" in first.cut("这是测试专用词甲乙", True)
    assert "测试专用词甲乙" not in second.cut("这是测试专用词甲乙", True)


SAMPLES = [
    RISKY,
    "www.gov.cn 发布C++与C#工程师1.5倍工资标准",
    "新冠肺炎疫情防控期间（2020-01-24至2020-02-29）延长申报期限",
    "个人所得税税率表一（综合所得适用）3%-45%",
]


def test_compact_reference_engine_gives_the_dict_engines_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    words = glossary_user_words()
    plain = Segmenter(words, engine="rjieba")
    monkeypatch.setattr(segmenter, "_compact_reference", False)
    expected = [(plain.cut(t), plain.cut_for_search(t)) for t in SAMPLES]
    compact = Segmenter(words, engine="rjieba")
    segmenter.use_compact_reference(True)
    assert [(compact.cut(t), compact.cut_for_search(t)) for t in SAMPLES] == expected
    assert isinstance(compact._reference_engine().tokenizer.FREQ, CompactFreq)
    assert not isinstance(plain._reference_engine().tokenizer.FREQ, CompactFreq)


def test_compact_frequencies_answer_as_jiebas_dict() -> None:
    import jieba

    reference = jieba.Tokenizer()
    reference.initialize()
    compact = CompactFreq(default_dictionary()[0])
    for key in ["中华人民共和国", "中华人民", "中华人", "社会保险", "社会保", "垚垚垚", "a", "2019"]:
        assert (key in compact) == (key in reference.FREQ), key
        assert compact.get(key) == reference.FREQ.get(key), key
