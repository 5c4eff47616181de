"""Q&A dev set: top-1, top-3, and no-answer precision/recall at a threshold calibrated on the same set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kb.qa import Outcome, QAMatcher, calibrate, decision_accuracy
from scripts.relevance.judged import QADevQuestion


@dataclass
class QAResult:
    qid: str
    style: str
    query: str
    answerable: bool
    top: list[str]
    confidence: float
    top1: bool
    top3: bool


@dataclass
class QAReport:
    n_answerable: int = 0
    n_unanswerable: int = 0
    top1: float = 0.0
    top3: float = 0.0
    threshold: float = 0.0
    no_answer_precision: float = 0.0
    no_answer_recall: float = 0.0
    decision_accuracy: float = 0.0
    answered_top1: float = 0.0
    per_style: dict[str, tuple[int, float, float]] = field(default_factory=dict)


def run_qa(matcher: QAMatcher, questions: Sequence[QADevQuestion]) -> list[QAResult]:
    results: list[QAResult] = []
    for q in questions:
        ranked, _ = matcher.candidates(q.query)
        top = [m.source_id or "" for m in ranked[:10]]
        relevant = set(q.relevant_qids)
        results.append(
            QAResult(
                qid=q.qid,
                style=q.style,
                query=q.query,
                answerable=not q.no_answer,
                top=top,
                confidence=ranked[0].confidence if ranked else 0.0,
                top1=bool(top) and top[0] in relevant,
                top3=bool(relevant & set(top[:3])),
            )
        )
    return results


def report(results: Sequence[QAResult], threshold: float | None = None) -> QAReport:
    """Scores; with ``threshold=None`` the threshold is calibrated on ``results``."""
    outcomes = [
        Outcome(confidence=r.confidence, top1_correct=r.top1, answerable=r.answerable) for r in results
    ]
    chosen = calibrate(outcomes) if threshold is None else threshold
    answerable = [r for r in results if r.answerable]
    refused = [r for r in results if r.confidence < chosen]
    refused_right = [r for r in refused if not r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in answerable if r.confidence >= chosen]
    styles: dict[str, tuple[int, float, float]] = {}
    for style in sorted({r.style for r in answerable}):
        group = [r for r in answerable if r.style == style]
        styles[style] = (
            len(group),
            sum(r.top1 for r in group) / len(group),
            sum(r.top3 for r in group) / len(group),
        )
    return QAReport(
        n_answerable=len(answerable),
        n_unanswerable=len(unanswerable),
        top1=sum(r.top1 for r in answerable) / max(1, len(answerable)),
        top3=sum(r.top3 for r in answerable) / max(1, len(answerable)),
        threshold=chosen,
        no_answer_precision=len(refused_right) / len(refused) if refused else 0.0,
        no_answer_recall=len(refused_right) / max(1, len(unanswerable)),
        decision_accuracy=decision_accuracy(outcomes, chosen),
        answered_top1=sum(r.top1 for r in answered) / len(answered) if answered else 0.0,
        per_style=styles,
    )


def qa_table(name: str, r: QAReport) -> str:
    lines = [
        f"### Hotline Q&A dev set — {name}",
        "",
        "| answerable | out of scope | top-1 | top-3 | threshold | no-answer precision | no-answer recall | "
        "decision accuracy | top-1 of answered |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r.n_answerable} | {r.n_unanswerable} | {r.top1:.3f} | {r.top3:.3f} | {r.threshold:.3f} | "
        f"{r.no_answer_precision:.3f} | {r.no_answer_recall:.3f} | {r.decision_accuracy:.3f} | "
        f"{r.answered_top1:.3f} |",
        "",
        "| style | n | top-1 | top-3 |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {s} | {n} | {t1:.3f} | {t3:.3f} |" for s, (n, t1, t3) in r.per_style.items()]
    return "\n".join(lines)
