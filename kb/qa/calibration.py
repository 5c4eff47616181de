"""The no-answer threshold: chosen on a dev set, stored as data, overridable from settings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
#: Used only when no calibration file exists (a fresh checkout before `policykb eval --calibrate`).
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Outcome:
    """One dev question as the matcher saw it: its top confidence, whether top-1 was right, answerable."""

    confidence: float
    top1_correct: bool
    answerable: bool


def load_threshold(path: Path = CALIBRATION_FILE, *, semantic: bool = False) -> float:
    """The calibrated threshold (semantic variant if asked); DEFAULT_THRESHOLD when none is stored."""
    if not path.exists():
        return DEFAULT_THRESHOLD
    data = json.loads(path.read_text(encoding="utf-8"))
    if semantic and "threshold_semantic" in data:
        return float(data["threshold_semantic"])
    return float(data["threshold"])


def save_calibration(threshold: float, details: dict[str, object], path: Path = CALIBRATION_FILE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"threshold": round(threshold, 4), **details}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


def decision_accuracy(outcomes: Sequence[Outcome], threshold: float) -> float:
    """Share of questions handled right: answerable ones answered correctly, the others refused."""
    if not outcomes:
        return 0.0
    right = 0
    for o in outcomes:
        answered = o.confidence >= threshold
        right += (answered and o.answerable and o.top1_correct) or (not answered and not o.answerable)
    return right / len(outcomes)


def calibrate(outcomes: Sequence[Outcome]) -> float:
    """The threshold that maximises decision accuracy (ties: the lowest, so fewer callers hear no answer)."""
    candidates = sorted({0.0, *(round(o.confidence, 4) for o in outcomes)})
    best, best_score = DEFAULT_THRESHOLD, -1.0
    for threshold in candidates:
        score = decision_accuracy(outcomes, threshold)
        if score > best_score:
            best, best_score = threshold, score
    return best
