"""Pinyin keys for later typo and pinyin tolerance."""

from __future__ import annotations

from analyzers.pinyin import full_pinyin, initials, pinyin_syllables


def test_full_pinyin_is_toneless_and_joined() -> None:
    assert full_pinyin("社保卡") == "shebaoka"
    assert full_pinyin("公積金") == "gongjijin"


def test_initials() -> None:
    assert initials("公积金") == "gjj"
    assert initials("12345热线") == "12345rx"


def test_syllables_keep_non_han_runs() -> None:
    assert pinyin_syllables("社保 12345") == ["she", "bao", "12345"]
