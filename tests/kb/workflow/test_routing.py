"""Routing votes: issuing bodies first, then subject categories, then the title; evidence is kept."""
# ruff: noqa: E501  (Chinese test sentences are wide)

from __future__ import annotations

from kb.workflow.routing import PolicyCandidate, default_directory, suggest_department, title_issuer


def _p(pid: int, title: str, bodies: list[str] | None = None, cats: list[str] | None = None) -> PolicyCandidate:
    return PolicyCandidate(pid, title, bodies or [], cats or [], score=10.0 / pid)


def test_issuing_bodies_vote_by_rank_and_evidence_is_returned() -> None:
    suggestion = suggest_department(
        [
            _p(1, "关于做好高校毕业生就业工作的通知", ["人力资源社会保障部", "教育部"]),
            _p(2, "失业保险稳岗返还办事指南", ["中山市人力资源和社会保障局"]),
            _p(3, "国务院关于印发某规划的通知", ["国务院"]),  # abstains
        ],
        default_directory(),
    )
    assert suggestion.department == "市人力资源和社会保障局"
    assert [e.policy_id for e in suggestion.evidence] == [1, 2]
    assert ("市教育局", suggestion.alternatives[0][1]) == suggestion.alternatives[0]
    assert 0.5 < suggestion.score < 1


def test_people_s_government_is_not_civil_affairs_and_title_is_the_last_resort() -> None:
    directory = default_directory()
    assert directory.department_for("河北省人民政府办公厅") is None
    assert directory.department_for("中山市民政局").name == "市民政局"  # type: ignore[union-attr]
    suggestion = suggest_department([_p(1, "河北省城镇供水用水管理办法")], directory)
    assert suggestion.department == "市住房和城乡建设局"


def test_no_evidence_no_suggestion() -> None:
    assert suggest_department([_p(1, "国务院关于某事的通知", ["国务院"])], default_directory()).department is None
    assert suggest_department([], default_directory()).department is None


def test_title_issuer() -> None:
    assert title_issuer("河北省教育厅关于举办河北省第十届大中学生武术比赛的通知") == "河北省教育厅"
    assert title_issuer("关于深化项目评审改革的实施意见") is None
