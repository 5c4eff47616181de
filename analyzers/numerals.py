"""Chinese numerals → integers: 十二 → 12, 一百零三 → 103, 二〇一八 → 2018, 两千 → 2000."""

from __future__ import annotations

DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "万"


def chinese_to_int(numeral: str) -> int | None:
    """Value of a Chinese numeral, or None when it is not well formed (e.g. 十十, 百二)."""
    if not numeral or any(c not in DIGITS and c not in UNITS and c != "万" for c in numeral):
        return None
    if not any(c in UNITS or c == "万" for c in numeral):
        return int("".join(str(DIGITS[c]) for c in numeral))  # digit by digit: 二〇一八
    if "万" in numeral:
        high, _, low = numeral.partition("万")
        high_value = chinese_to_int(high) if high else 1
        low_value = chinese_to_int(low) if low else 0
        if high_value is None or low_value is None or "万" in low:
            return None
        return high_value * 10000 + low_value
    total, pending, last_unit = 0, None, 10**9
    for char in numeral:
        if char in DIGITS:
            if pending is not None and DIGITS[char] != 0:
                return None  # two digits in a row (一二十)
            pending = DIGITS[char] if DIGITS[char] != 0 else pending
        else:
            unit = UNITS[char]
            if unit >= last_unit:
                return None  # units must fall: 十百 is not a number
            total += (1 if pending is None else pending) * unit
            pending, last_unit = None, unit
    return total + (pending or 0)


_DIGIT_CHARS = "零一二三四五六七八九"


def int_to_chinese(value: int) -> str:
    """Usual written form of a clause number: 12 → 十二, 103 → 一百零三, 110 → 一百一十."""
    if value < 0 or value >= 10000:
        raise ValueError(f"clause numbers run from 0 to 9999, got {value}")
    if value == 0:
        return "零"
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = value // unit_value % 10
        if digit == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGIT_CHARS[digit] + unit)
    text = "".join(parts)
    # 十二 rather than 一十二 when the number starts in the tens.
    return text[1:] if text.startswith("一十") else text
