"""Small conversions every importer needs: dates, 文号 keys, clauses, lists, document types."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from kb.models import Clause, DocumentType, Validity

DOCUMENT_TYPES_FILE = Path(__file__).with_name("data") / "document_types.yaml"
_DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})"),
)


def parse_date(value: object) -> date | None:
    """A date from '2019年01月27日', '2024-01-15 17:29:00', '2019/4/25 9:32:09', '20200301'; else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def doc_number_key(raw: str | None) -> str | None:
    """The canonical key of a 文号 (``国发|2018|39``), or None when it is no 文号."""
    if not raw:
        return None
    from analyzers.docnumber import parse_doc_number

    parsed = parse_doc_number(raw)
    return parsed.key if parsed is not None else None


def doc_numbers_in(text: str) -> list[tuple[str, str, int]]:
    """(raw, key, start) of every 文号 in ``text``."""
    from analyzers.docnumber import find_doc_numbers

    return [(d.raw, d.key, d.start) for d in find_doc_numbers(text)]


# Crawled texts often lost their line breaks ('…本办法。第二条 …'); the clause splitter needs a 第X条 heading
# at a line start, so a break is put back after a sentence end. Only the split sees this, not the stored text.
_LOST_BREAK = re.compile(
    r"(?<=[。；：:！？”])\s*(?=第[一二三四五六七八九十百零〇两\d]+条(?:之[一二三四五六七八九十])?[\s　])"
)


def clauses_of(text: str) -> list[Clause]:
    """The 条 of a body as kb Clauses ([] for texts without 第X条 structure)."""
    if "条" not in text:
        return []
    from analyzers.clauses import split_clauses

    text = _LOST_BREAK.sub("\n", text)
    return [
        Clause(
            number=c.number,
            label=c.label,
            sub_number=c.sub_number,
            chapter=c.chapter,
            section=c.section,
            text=c.text,
        )
        for c in split_clauses(text)
    ]


def split_list(value: str | None, separators: str = "、，,;；\u3000 ") -> list[str]:
    """'国务院办公厅、中央军委办公厅' -> two items; blanks dropped, order kept, duplicates removed."""
    if not value:
        return []
    parts = re.split(f"[{re.escape(separators)}]+", value)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def parse_validity(value: str | None) -> Validity:
    """有效 / 现行有效 / 失效 / 废止 / 已修订 as a Validity (UNKNOWN when unreadable)."""
    if not value:
        return Validity.UNKNOWN
    text = value.strip()
    for word, validity in (
        ("废止", Validity.REPEALED),
        ("失效", Validity.EXPIRED),
        ("修", Validity.AMENDED),
        ("否", Validity.EXPIRED),
        ("有效", Validity.VALID),
        ("是", Validity.VALID),
    ):
        if word in text:
            return validity
    return Validity.UNKNOWN


@lru_cache(maxsize=1)
def _type_rules() -> list[tuple[str, str, DocumentType]]:
    data = yaml.safe_load(DOCUMENT_TYPES_FILE.read_text(encoding="utf-8"))
    return [(rule["field"], rule["pattern"], DocumentType(rule["type"])) for rule in data["rules"]]


def guess_document_type(title: str, doc_number: str | None = None, level: str | None = None) -> DocumentType:
    """The document type from level, 文号 and title words, by the ordered rules in document_types.yaml."""
    values = {"level": level or "", "doc_number": doc_number or "", "title": title}
    for field, pattern, document_type in _type_rules():
        if re.search(pattern, values[field]):
            return document_type
    return DocumentType.OTHER
