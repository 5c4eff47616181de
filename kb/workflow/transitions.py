"""Statuses of an unanswered question and the transitions between them (article 31)."""

from __future__ import annotations

from kb.errors import ValidationError
from kb.models import QuestionStatus as S

#: Which status may follow which. ``sent -> sent`` re-sends to another department; ``closed -> new`` reopens.
ALLOWED: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.SENT, S.CLOSED}),
    S.SENT: frozenset({S.SENT, S.ANSWERED, S.CLOSED}),
    S.ANSWERED: frozenset({S.PUBLISHED, S.RETURNED, S.CLOSED}),
    S.RETURNED: frozenset({S.ANSWERED, S.SENT, S.CLOSED}),
    S.PUBLISHED: frozenset(),
    S.CLOSED: frozenset({S.NEW}),
}

#: Statuses in which a question is still waiting for someone; captures of the same question join it.
OPEN_STATUSES: frozenset[S] = frozenset({S.NEW, S.SENT, S.ANSWERED, S.RETURNED})

#: Statuses in which the department owes an answer, so the due date runs.
AWAITING_DEPARTMENT: frozenset[S] = frozenset({S.SENT, S.RETURNED})

STATUS_LABELS_ZH: dict[S, str] = {
    S.NEW: "待处理",
    S.SENT: "已转办",
    S.ANSWERED: "已答复待审核",
    S.PUBLISHED: "已发布",
    S.RETURNED: "已退回",
    S.CLOSED: "已关闭",
}


def check_transition(current: S, target: S) -> None:
    """Raise ValidationError naming both statuses when ``current -> target`` is not allowed."""
    if target not in ALLOWED[current]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "none (final)"
        raise ValidationError(
            f"cannot move a question from {current.value} to {target.value}; allowed next: {allowed}",
            message_zh=f"问题当前状态为「{STATUS_LABELS_ZH[current]}」，不能改为「{STATUS_LABELS_ZH[target]}」",
        )
