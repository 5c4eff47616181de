"""Confidence (coverage of the question by a Q&A) and the threshold calibrated from dev outcomes."""

from __future__ import annotations

import json
from pathlib import Path

from kb.qa import (
    Outcome,
    calibrate,
    confidence,
    content_words,
    decision_accuracy,
    load_threshold,
    save_calibration,
)


def test_paraphrase_scores_higher_than_unrelated_question() -> None:
    qa_question = "北京市对受疫情影响的中小微企业有哪些房租减免政策？"
    qa_answer = "承租国有房屋的中小微企业，免收2月份租金，减半收取3月、4月租金。"
    close = confidence("北京小微企业房租能减免吗", qa_question, qa_answer)
    unrelated = confidence("护照办理需要带什么材料", qa_question, qa_answer)
    assert close > 0.5 > unrelated
    assert 0.0 <= unrelated <= close <= 1.0


def test_content_words_drop_function_words_and_keep_longest_forms() -> None:
    words = content_words("请问职工什么情况下可以提取住房公积金？")
    assert "住房公积金" in words
    assert "请问" not in words and "什么" not in words
    assert "公积金" not in words  # a sub-word of 住房公积金 adds nothing


def test_words_found_only_in_the_answer_count_less() -> None:
    in_question = confidence("社保缓缴", "企业社保缓缴怎么申请", "向社保经办机构提出申请")
    in_answer = confidence("社保缓缴", "企业困难怎么办", "可以申请社保缓缴")
    assert in_question > in_answer > 0


def test_calibration_picks_the_threshold_that_decides_best() -> None:
    outcomes = [
        Outcome(0.9, True, True),
        Outcome(0.8, True, True),
        Outcome(0.7, False, True),
        Outcome(0.3, False, False),
        Outcome(0.2, False, False),
        Outcome(0.6, True, True),
    ]
    threshold = calibrate(outcomes)
    assert 0.3 < threshold <= 0.6
    assert decision_accuracy(outcomes, threshold) == 5 / 6


def test_saved_calibration_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    save_calibration(0.4321, {"measured_on": "test"}, path=path)
    assert load_threshold(path) == 0.4321
    assert json.loads(path.read_text(encoding="utf-8"))["measured_on"] == "test"
