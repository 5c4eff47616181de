"""文号 (document numbers): find and parse 京政服发〔2022〕12号 and its variants into (机关代字, 年份, 序号).

Every written form maps to one canonical key ``agency|year|serial`` (``国发|2018|39``;
``国令||707`` for numbers without a year). Parsing runs on normalize_aligned text, so full-width
digits, traditional characters and bracket variants are already folded while offsets still point
into the caller's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analyzers.normalizers import normalize_aligned
from synonyms import load_word_list

BOUNDARIES_FILE = "docnumber_boundaries.txt"
MAX_AGENCY_CHARS = 20
#: Document types that are never an agency code by themselves.
_CONJUNCTIONS = "和与及或并"
#: Left inside a trimmed agency they show running text, not a code (…的通告2020年第1号, 还发布了…).
_FUNCTION_CHAR = re.compile("[的了]")
_TYPE_ONLY = frozenset({"令", "公告", "通告", "函", "发", "字", "文", "号"})

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_OPEN = "〔\\[【〖［(（"
_CLOSE = "〕\\]】〗］)）"
_YEAR = r"(?P<year>(?:19[4-9]|20\d)\d)"
_SERIAL = r"(?P<serial>\d{1,5})"
_AGENCY = rf"(?P<agency>[{_HAN}]{{1,40}})"
# 国发〔2018〕39号 / 国发(2018)第39号 / 国发〔2018〕39 — the brackets make 号 optional.
_BRACKET_FORM = rf"{_AGENCY} ?[{_OPEN}] ?{_YEAR} ?[{_CLOSE}] ?第? ?{_SERIAL}(?: ?(?P<hao>号))?"
# 国发2018年39号 / 税务总局公告2019年第1号 — without brackets 号 is required (2022年12月 is a date).
_YEAR_FORM = rf"{_AGENCY} ?{_YEAR} ?年 ?第? ?{_SERIAL} ?(?P<hao>号)(?P<notice>公告)?"
# 国令第707号 / 省政府令第5号 — no year, only for 令 (orders are numbered without years).
_ORDER_FORM = rf"(?P<agency>[{_HAN}]{{0,39}}令) ?第 ?{_SERIAL} ?(?P<hao>号)"
_FORMS = [re.compile(f) for f in (_BRACKET_FORM, _YEAR_FORM, _ORDER_FORM)]
# Cheap patterns for what follows the agency code; find_doc_numbers searches these, then walks back over
# the Han run before them, instead of trying a 40-character agency at every Han position.
_TAILS = [
    (re.compile(rf"(?<=[{_HAN}]) ?[{_OPEN}] ?(?:19[4-9]|20\d)\d ?[{_CLOSE}]"), _FORMS[0], 0),
    (re.compile(rf"(?<=[{_HAN}]) ?(?:19[4-9]|20\d)\d ?年 ?第? ?\d"), _FORMS[1], 0),
    (re.compile(rf"(?<=[{_HAN}])令 ?第 ?\d"), _FORMS[2], 1),
]
_HAN_CHAR = re.compile(f"[{_HAN}]")
_MAX_RUN = 40
# 国发〔2018〕39号、40号: a second serial that shares agency and year.
_FOLLOW_ON = re.compile(rf" ?[、,和及与] ?第? ?{_SERIAL} ?号")
_NOT_AFTER = re.compile(r"[\d.]")


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A parsed 文号: ``raw`` as written, canonical ``key``, and its offsets in the searched text."""

    raw: str
    key: str
    agency: str
    year: int | None
    serial: int
    start: int
    end: int


def make_key(agency: str, year: int | None, serial: int) -> str:
    """Canonical key: 国发|2018|39 (no year: 国令||707)."""
    return f"{agency}|{'' if year is None else year}|{serial}"


@lru_cache(maxsize=1)
def _boundaries() -> tuple[str, ...]:
    return tuple(sorted(load_word_list(BOUNDARIES_FILE), key=len, reverse=True))


def trim_agency(candidate: str) -> str:
    """Cut running text off an agency candidate: 按照国发 → 国发, 国务院办公厅国办发 → 国办发.

    The cut goes after the last boundary word that still leaves a real code: at least two characters and
    not a bare document type (国家档案局令 keeps its name, since 令 alone is no agency).
    """
    candidate = candidate[-MAX_AGENCY_CHARS:]
    best = 0
    for word in _boundaries():
        position = candidate.find(word)
        while position >= 0:
            end = position + len(word)
            # 中华人民共和国主席令: the 和 of 共和国 is part of the name, not a conjunction.
            part_of_name = word == "和" and candidate[max(0, position - 1):end + 1] == "共和国"
            remainder = candidate[end:]
            if end > best and not part_of_name and len(remainder) >= 2 and remainder not in _TYPE_ONLY:
                best = end
            position = candidate.find(word, position + 1)
    agency = candidate[best:]
    # …39号和国发〔2018〕40号: the conjunction left after the cut joins two numbers, it is not part of a code.
    while len(agency) > 2 and agency[0] in _CONJUNCTIONS:
        agency = agency[1:]
    return agency


def _with_notice(match: re.Match[str], agency: str) -> str:
    """国家税务总局2020年第4号公告 is 国家税务总局公告2020年第4号: a trailing 公告 belongs to the code."""
    if "notice" in match.re.groupindex and match.group("notice") and not agency.endswith("公告"):
        return agency + "公告"
    return agency


def _build(text: str, match: re.Match[str], agency: str, agency_start: int) -> DocNumber:
    year = int(match.group("year")) if "year" in match.re.groupindex else None
    serial = int(match.group("serial"))
    return DocNumber(text[agency_start:match.end()], make_key(agency, year, serial), agency, year, serial,
                     agency_start, match.end())


def _follow_ons(text: str, folded: str, first: DocNumber) -> list[DocNumber]:
    found: list[DocNumber] = []
    position = first.end
    while (match := _FOLLOW_ON.match(folded, position)) is not None:
        serial = int(match.group("serial"))
        key = make_key(first.agency, first.year, serial)
        start, end = match.start("serial"), match.end()
        found.append(DocNumber(text[start:end], key, first.agency, first.year, serial, start, end))
        position = match.end()
    return found


def _candidates(folded: str) -> list[re.Match[str]]:
    """Full-form matches anchored at the Han run before each tail."""
    out: list[re.Match[str]] = []
    for tail, form, agency_extra in _TAILS:
        for hit in tail.finditer(folded):
            agency_end = hit.start() + agency_extra
            start = agency_end
            while start > 0 and agency_end - start < _MAX_RUN and _HAN_CHAR.match(folded, start - 1):
                start -= 1
            match = form.match(folded, start)
            if match is not None and match.end("agency") == agency_end:
                out.append(match)
    return out


def find_doc_numbers(text: str) -> list[DocNumber]:
    """Every 文号 in running text, in order of appearance, with offsets into ``text``."""
    folded = normalize_aligned(text)
    found: list[DocNumber] = []
    taken_until = 0
    candidates = sorted(_candidates(folded), key=lambda m: (m.start("serial"), -m.end()))
    for match in candidates:
        if match.group("hao") is None and _NOT_AFTER.match(folded, match.end()):
            continue  # without 号, 国发〔2018〕39.5 or a longer digit run is not a serial
        agency = trim_agency(match.group("agency"))
        agency_start = match.end("agency") - len(agency)
        if len(agency) < 2 or agency_start < taken_until or _FUNCTION_CHAR.search(agency):
            continue
        agency = _with_notice(match, agency)
        number = _build(text, match, agency, agency_start)
        found.append(number)
        found.extend(_follow_ons(text, folded, number))
        taken_until = found[-1].end
    return found


_STRIP = " 《》<>\"'“”"


def parse_doc_number(value: str) -> DocNumber | None:
    """Parse a string that is one 文号 (a metadata field or a whole query); None if it is not one."""
    folded = normalize_aligned(value)
    start = len(folded) - len(folded.lstrip(_STRIP))
    stripped = folded.strip(_STRIP)
    for form in _FORMS:
        match = form.fullmatch(stripped)
        if match is None:
            continue
        agency = trim_agency(match.group("agency"))
        if len(agency) < 2 or len(match.group("agency")) > MAX_AGENCY_CHARS * 2:
            return None
        start += match.end("agency") - len(agency)
        agency = _with_notice(match, agency)
        end = len(folded) - (len(folded) - len(folded.rstrip(_STRIP)))
        year = int(match.group("year")) if "year" in match.re.groupindex else None
        serial = int(match.group("serial"))
        return DocNumber(value[start:end], make_key(agency, year, serial), agency, year, serial, start, end)
    return None


def doc_number_key(value: str) -> str | None:
    """Canonical key of a 文号 string, or None."""
    parsed = parse_doc_number(value)
    return parsed.key if parsed else None
