"""Pinyin keys for typo- and pinyin-tolerant matching later on (社保 → shebao / sb)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from analyzers.normalizers import normalize


def full_pinyin(text: str) -> str:
    """Toneless pinyin of the normalized text, syllables joined without spaces: 社保卡 → shebaoka."""
    return "".join(lazy_pinyin(normalize(text), style=Style.NORMAL, errors="default")).replace(" ", "")


def initials(text: str) -> str:
    """First letters of each syllable (non-Han characters kept): 公积金 → gjj, 12345热线 → 12345rx."""
    syllables = lazy_pinyin(normalize(text), style=Style.FIRST_LETTER, errors="default")
    return "".join(syllables).replace(" ", "")


def pinyin_syllables(text: str) -> list[str]:
    """Toneless syllables, one per Han character (non-Han runs as they are): 社保 → ['she', 'bao']."""
    syllables = lazy_pinyin(normalize(text), style=Style.NORMAL, errors="default")
    return [s.strip() for s in syllables if s.strip()]
