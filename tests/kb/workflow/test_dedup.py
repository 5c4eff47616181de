"""Dedup: same question in other words merges; a look-alike about another place or thing does not."""
# ruff: noqa: E501  (Chinese test sentences are wide)

from __future__ import annotations

import pytest

from kb.workflow.dedup import DEFAULT_THRESHOLD, dedup_key, entities_conflict, find_duplicate, term_similarity


def test_dedup_key_ignores_punctuation_width_and_script() -> None:
    assert dedup_key("重庆市一般企业如何复工？") == dedup_key("重慶市一般企業如何復工")
    assert dedup_key("第２批 清单?") == dedup_key("第2批清单")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广州为做好复工复产后的公共交通服务采取哪些措施？", "广州为了做好复工复产后的公共交通服务，采取了哪些措施？"),
        ("教育部要求采取哪些措施进行高校在线教学？", "教育部要求高校在线教学采取哪些措施？"),
        ("重庆市一般企业如何复工？", "请问重庆市一般企业怎么复工"),
    ],
)
def test_paraphrases_reach_the_threshold(a: str, b: str) -> None:
    assert term_similarity(a, b) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广州为做好复工复产后的公共交通服务采取哪些措施？", "深圳为做好复工复产后的公共交通服务采取哪些措施？"),
        ("湖南省用户如何申请享受税收减免优惠？", "湖北省用户如何申请享受税收减免优惠？"),
        ("重庆市一般企业如何复工？", "重庆市餐饮企业如何复工？"),
    ],
)
def test_look_alikes_stay_below_the_threshold(a: str, b: str) -> None:
    assert term_similarity(a, b) < DEFAULT_THRESHOLD


def test_entity_omission_is_not_a_conflict_but_substitution_is() -> None:
    assert not entities_conflict("浙江杭州“健康码”如何管理？", "杭州市的健康码怎么管理")
    assert entities_conflict("泰兴市对哪些医保经办事项实行不见面办理？", "兴化市对哪些医保经办事项实行不见面办理？")


def test_find_duplicate_returns_the_closest_open_question() -> None:
    pool = [(1, "重庆市餐饮企业如何复工？"), (2, "重庆市一般企业如何复工？"), (3, "广州市如何复工？")]
    match = find_duplicate("重庆市的一般企业怎样复工", pool)
    assert match is not None and match.question_id == 2
    assert find_duplicate("成都市一般企业如何复工？", pool) is None
    assert find_duplicate("anything", []) is None
