"""Clause structure: references like 第十二条 / 第24条之一, and splitting a body into 条 within 章/节."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analyzers.normalizers import normalize_aligned
from analyzers.numerals import CHINESE_NUMERAL_CHARS, chinese_to_int

_N = f"(?:[{CHINESE_NUMERAL_CHARS}]+|\\d+)"
_REFERENCE = re.compile(rf"第 ?(?P<number>{_N}) ?条(?:之(?P<sub>{_N}))?")
_LINE_PREFIX = r"^[ \t]*(?:#+ *)?\**[ ]*"
_ARTICLE_LINE = re.compile(rf"{_LINE_PREFIX}(?P<label>第 ?(?P<number>{_N}) ?条(?:之(?P<sub>{_N}))?)\**", re.M)
_HEADING_LINE = re.compile(
    rf"{_LINE_PREFIX}(?P<heading>第 ?(?P<number>{_N}) ?(?P<unit>章|节)(?:[ \t]+\S.*|[ \t]*))$", re.M
)


@dataclass(frozen=True, slots=True)
class ClauseRef:
    """A reference to an article (条) found in text; ``label`` as written, offsets into the text."""

    number: int
    sub_number: int | None
    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ClauseSpan:
    """One article of a body (number 0: the preamble before the first article), with its 章 and 节."""

    number: int
    sub_number: int | None
    label: str
    chapter: str | None
    section: str | None
    text: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def numeral_value(numeral: str) -> int | None:
    """12 for "12", "十二" or "１２"; None if not a number (cached: a body repeats the same few numerals)."""
    folded = normalize_aligned(numeral).strip()
    return int(folded) if folded.isdigit() and folded.isascii() else chinese_to_int(folded)


def find_clause_refs(text: str) -> list[ClauseRef]:
    """Every 第N条 (and 第N条之M) reference in text, with Chinese or Arabic numerals."""
    folded = normalize_aligned(text)
    refs: list[ClauseRef] = []
    for match in _REFERENCE.finditer(folded):
        number = numeral_value(match.group("number"))
        if number is None:
            continue
        sub = numeral_value(match.group("sub")) if match.group("sub") else None
        refs.append(ClauseRef(number, sub, text[match.start():match.end()], match.start(), match.end()))
    return refs


def _heading_text(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.strip().strip("*#").strip())


_LINE_BREAK = re.compile(r"[\r\n]")


def _fold_keeping_lines(body: str) -> str:
    """normalize_aligned, keeping the \\r and \\n that headings are anchored to (it turns them into spaces).

    One pass over the whole body, then the breaks put back at their (unchanged, the pipeline is aligned)
    offsets: the same as folding each line on its own, without a pipeline run per line.
    """
    folded = normalize_aligned(body)
    if "\n" not in body and "\r" not in body:
        return folded
    chars = list(folded)
    for match in _LINE_BREAK.finditer(body):
        chars[match.start()] = match.group()
    return "".join(chars)


def split_clauses(body: str) -> list[ClauseSpan]:
    """Split a statute-like body into its articles, remembering the current 章 and 节 of each."""
    folded = _fold_keeping_lines(body)
    headings = {m.start(): m for m in _HEADING_LINE.finditer(folded)}
    articles = [m for m in _ARTICLE_LINE.finditer(folded) if numeral_value(m.group("number")) is not None]
    boundaries = sorted({*headings, *(m.start() for m in articles), len(body)})
    spans: list[ClauseSpan] = []
    chapter: str | None = None
    section: str | None = None
    first_article = articles[0].start() if articles else len(body)
    preamble = body[:min(first_article, *(headings or [len(body)]))]
    if preamble.strip():
        spans.append(ClauseSpan(0, None, "", None, None, preamble.strip(), 0, len(preamble)))
    article_at = {m.start(): m for m in articles}
    for index, start in enumerate(boundaries[:-1]):
        end = boundaries[index + 1]
        if start in headings:
            heading = headings[start]
            label = _heading_text(body[heading.start("heading"):heading.end("heading")])
            if heading.group("unit") == "章":
                chapter, section = label, None
            else:
                section = label
            continue
        match = article_at[start]
        number = numeral_value(match.group("number"))
        sub = numeral_value(match.group("sub")) if match.group("sub") else None
        assert number is not None  # filtered above
        label = body[match.start("label"):match.end("label")]
        text = body[match.start("label"):end].strip()
        spans.append(ClauseSpan(number, sub, label, chapter, section, text, match.start("label"), end))
    return spans
