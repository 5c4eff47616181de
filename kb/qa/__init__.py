"""Hotline Q&A matching (简明问答): confidence, a calibrated no-answer threshold, closest candidates."""

from __future__ import annotations

from kb.qa.calibration import Outcome, calibrate, decision_accuracy, load_threshold, save_calibration
from kb.qa.confidence import WordRarity, confidence, content_words, coverage
from kb.qa.matcher import QAMatcher, qa_word_rarity
from kb.qa.models import QAAnswer, QAMatch

__all__ = [
    "Outcome",
    "QAAnswer",
    "QAMatch",
    "QAMatcher",
    "WordRarity",
    "calibrate",
    "confidence",
    "content_words",
    "coverage",
    "decision_accuracy",
    "load_threshold",
    "qa_word_rarity",
    "save_calibration",
]
