"""Chinese numerals inside clause references → digits: 第十二条 → 第12条, 第二十四条之一 → 第24条之1.

Only inside 第…条/章/节/款/项/编/目 (and the 之N that follows an article), so 一件事 stays 一件事.
"""

from __future__ import annotations

import re

from analyzers.normalizers.base import Normalizer
from analyzers.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int

_N = f"[{CHINESE_NUMERAL_CHARS}]+"
_REFERENCE = re.compile(rf"第({_N}|\d+)(条|章|节|款|项|编|目)(?:之({_N}))?")


def _replace(match: re.Match[str]) -> str:
    number, unit, sub = match.group(1), match.group(2), match.group(3)
    value = int(number) if number.isdigit() else chinese_to_int(number)
    if value is None:
        return match.group()
    out = f"第{value}{unit}"
    if sub is not None:
        sub_value = chinese_to_int(sub)
        out += f"之{sub_value}" if sub_value is not None and unit == "条" else f"之{sub}"
    return out


def clause_numerals_to_digits(text: str) -> str:
    """Rewrite clause references with Chinese numerals to Arabic digits."""
    if "第" not in text:
        return text
    return _REFERENCE.sub(_replace, text)


CLAUSE_NUMERALS = Normalizer("clause_numerals", False, clause_numerals_to_digits)
