"""Hostile input for the parsers: the query parser, the 文号 parser and the HTML page parser never crash.

Every input either parses or raises the package's own typed error (QueryError, ContentError). The HTML
cases are the 60 real gov.cn pages of the shared data, each also truncated, re-encoded (GBK, UTF-16),
stripped of its tags and with random bytes flipped.
"""

from __future__ import annotations

import contextlib
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers.docnumber import find_doc_numbers, parse_doc_number
from indexer.errors import IngestError
from indexer.html.page import parse_page
from kb.errors import QueryError
from kb.query.understand import QueryUnderstanding
from kb.query.vocabulary import Vocabulary
from kb.search.understanding import parse_query

#: Characters that mean something to Lucene, query_string, JSON and HTML, plus CJK and the 文号 brackets.
SPECIAL = list("+-=&|!(){}[]^\"~*?:\\/<>'%#@$;,.") + list("〔〕【】（）《》第条款项号年")
QUERY_TEXT = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8")), max_size=260)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TITLES = ["中华人民共和国民法典", "关于进一步做好稳就业工作的通知", "北京市养老服务条例"]


@pytest.fixture(scope="module")
def understanding() -> QueryUnderstanding:
    return QueryUnderstanding(Vocabulary.build(TITLES))


@FAST
@given(QUERY_TEXT)
def test_parse_query_parses_or_refuses_typed(text: str) -> None:
    try:
        parsed = parse_query(text, max_chars=200)
    except QueryError:
        assert len(text) > 200
        return
    assert parsed.raw == text


@FAST
@given(text=QUERY_TEXT)
def test_understanding_parses_or_refuses_typed(understanding: QueryUnderstanding, text: str) -> None:
    try:
        understood = understanding.understand(text)
    except QueryError:
        assert len(text) > 200
        return
    assert understood.raw == text


DOC_NUMBER = st.builds(
    lambda org, left, year, right, num, tail: f"{org}{left}{year}{right}{num}{tail}",
    st.text(alphabet="国发办函京政字〔", max_size=6),
    st.sampled_from(["〔", "[", "（", "【", "(", "", "〔〔"]),
    st.one_of(st.integers(-5, 99999).map(str), st.text(alphabet="０１２３４５６７８９二〇一九", max_size=6)),
    st.sampled_from(["〕", "]", "）", "】", ")", "", "〕〕"]),
    st.one_of(st.integers(-5, 10**12).map(str), st.text(alphabet="第号一二三0", max_size=5)),
    st.sampled_from(["号", "", "号号", "号文"]),
)


@FAST
@given(st.one_of(DOC_NUMBER, QUERY_TEXT))
def test_doc_number_parser_never_raises(text: str) -> None:
    number = parse_doc_number(text)
    if number is not None:
        assert number.key  # a parsed number always has its lookup key
    for found in find_doc_numbers(text):
        assert found.key


def _pages(shared_data: Path) -> list[Path]:
    pages = sorted((shared_data / "govcn_pages" / "html").glob("*.html"))
    assert len(pages) == 60, f"expected the 60 gov.cn pages, found {len(pages)}"
    return pages


def _variants(raw: bytes, rng: random.Random) -> dict[str, bytes]:
    text = raw.decode("utf-8", errors="replace")
    flipped = bytearray(raw)
    for _ in range(max(1, len(raw) // 200)):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    return {
        "original": raw,
        "truncated-half": raw[: len(raw) // 2],
        "truncated-random": raw[: rng.randrange(1, len(raw))],
        "truncated-mid-character": raw[: (len(raw) // 3) | 1],
        "gbk": text.encode("gbk", errors="replace"),
        "utf-16": text.encode("utf-16"),
        "utf-16-le-no-bom": text.encode("utf-16-le"),
        "tags-removed": re.sub(r"<[^>]*>", "", text).encode("utf-8"),
        "byte-flips": bytes(flipped),
        "head-only": raw[: raw.find(b"<body") if b"<body" in raw else 200],
        "nested-deep": b"<div>" * 5000 + raw + b"</div>" * 10,
    }


def test_real_pages_and_their_mutations_parse_or_refuse_typed(shared_data: Path) -> None:
    rng = random.Random(20261203)
    outcomes: dict[str, int] = {}
    for page in _pages(shared_data):
        raw = page.read_bytes()
        for name, content in _variants(raw, rng).items():
            try:
                parsed = parse_page(content, url=f"https://www.gov.cn/{page.name}")
            except IngestError:
                outcomes[f"{name}: refused"] = outcomes.get(f"{name}: refused", 0) + 1
                continue
            assert isinstance(parsed.text, str) and isinstance(parsed.title, str)
            outcomes[f"{name}: parsed"] = outcomes.get(f"{name}: parsed", 0) + 1
    # The unmutated pages must all parse with a body; mutations may be refused, but only typed.
    assert outcomes.get("original: parsed") == 60, outcomes


@FAST
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_parse_or_refuse_typed(content: bytes) -> None:
    with contextlib.suppress(IngestError):
        parse_page(content)
