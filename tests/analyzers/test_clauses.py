"""Clause references and splitting, on the seed measures and a real statute with 之一 articles."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from analyzers import clauses
from analyzers.clauses import find_clause_refs, numeral_value, split_clauses
from analyzers.numerals import chinese_to_int


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十", 10), ("十二", 12), ("二十", 20), ("二十四", 24), ("一百零三", 103), ("一百一十", 110),
     ("两千零五", 2005), ("二〇一八", 2018), ("三万五千", 35000), ("零", 0)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "十十", "十百", "一二十", "abc", "万万"])
def test_malformed_numerals_are_rejected(bad: str) -> None:
    assert chinese_to_int(bad) is None


def test_numeral_value_reads_all_digit_forms() -> None:
    assert numeral_value("十二") == numeral_value("12") == numeral_value("１２") == 12


def test_find_clause_refs_with_offsets() -> None:
    text = "依据第十二条第二款、第24条之一和第一百零三条之二的规定"
    refs = find_clause_refs(text)
    assert [(r.number, r.sub_number, r.label) for r in refs] == [
        (12, None, "第十二条"), (24, 1, "第24条之一"), (103, 2, "第一百零三条之二"),
    ]
    assert all(text[r.start:r.end] == r.label for r in refs)


def test_find_clause_refs_ignores_other_numbered_things() -> None:
    assert find_clause_refs("一件事一次办，第一批名单，三条措施，第十章") == []


def test_seed_splits_into_41_articles_in_11_chapters(seed_text: str) -> None:
    spans = split_clauses(seed_text)
    articles = [s for s in spans if s.number > 0]
    assert [a.number for a in articles] == list(range(1, 42))
    assert len({a.chapter for a in articles}) == 11
    assert articles[0].chapter == "第一章 总则" and articles[-1].chapter == "第十一章 附则"
    assert articles[0].text.startswith("第一条 为进一步优化首都营商环境")
    assert spans[0].number == 0 and "各区人民政府" in spans[0].text
    for span in articles:
        assert seed_text[span.start:span.end].strip() == span.text


def test_statute_with_inserted_articles(shared_data: Path) -> None:
    with gzip.open(shared_data / "lawrefbook" / "laws.jsonl.gz", "rt", encoding="utf-8") as handle:
        law = next(d for line in handle if (d := json.loads(line))["title"] == "中华人民共和国刑法")
    spans = split_clauses(law["text"])
    labels = {(s.number, s.sub_number): s for s in spans}
    assert labels[(17, 1)].label == "第十七条之一"
    assert labels[(120, 2)].label == "第一百二十条之二"
    assert labels[(120, 2)].chapter is not None and labels[(120, 2)].chapter.startswith("第二章")
    main_articles = sorted({s.number for s in spans if s.sub_number is None and s.number > 0})
    assert main_articles[:3] == [1, 2, 3] and len(main_articles) > 400


def test_int_to_chinese_round_trips() -> None:
    from analyzers.numerals import int_to_chinese

    assert [int_to_chinese(v) for v in (10, 12, 103, 110)] == ["十", "十二", "一百零三", "一百一十"]
    assert all(chinese_to_int(int_to_chinese(v)) == v for v in range(10000))


def test_folding_keeps_line_breaks_where_headings_are_anchored() -> None:
    # \r\n, a lone \r and a bare \n stay; other separators (\u2028, form feed) fold to spaces like the rest.
    body = "第一章　總則\r\n第一條　為了規範。\r第二条 其他\u2028第三条\x0c内容\n第四条 施行"
    folded = clauses._fold_keeping_lines(body)
    assert len(folded) == len(body)
    assert [i for i, c in enumerate(folded) if c in "\r\n"] == [i for i, c in enumerate(body) if c in "\r\n"]
    expected = "".join(
        clauses.normalize_aligned(line.rstrip("\r\n")) + line[len(line.rstrip("\r\n")) :]
        for line in body.splitlines(keepends=True)
    )
    assert folded == expected
    # re.M anchors at \n only: the article after a lone \r stays inside the one before it.
    assert [s.label for s in split_clauses(body) if s.number] == ["第一條", "第四条"]
