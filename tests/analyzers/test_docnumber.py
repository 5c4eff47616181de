"""文号 parser: every real number from shared data, every written variant, and text that is not a 文号."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import opencc
import pytest

from analyzers.docnumber import DocNumber, doc_number_key, find_doc_numbers, parse_doc_number

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_S2T = opencc.OpenCC("s2t")
_BRACKETS = [("〔", "〕"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("［", "］"), ("〖", "〗")]


def govcn_doc_numbers(shared_data: Path) -> list[str]:
    path = shared_data / "govcn_pages" / "expected_metadata.jsonl"
    return [json.loads(line)["doc_number"] for line in path.read_text(encoding="utf-8").splitlines() if line]


def variants(number: DocNumber) -> Iterator[str]:
    """The ways people write the same 文号 (issue 2's list)."""
    a, y, s = number.agency, number.year, number.serial
    if y is None:
        yield from (f"{a}第{s}号", f"{a} 第 {s} 号", f"{a}第{s}号".translate(_FULL_WIDTH))
    else:
        for open_, close in _BRACKETS:
            yield f"{a}{open_}{y}{close}{s}号"
        yield f"{a}〔{y}〕第{s}号"
        yield f"{a}{y}年{s}号"
        yield f"{a}{y}年第{s}号"
        yield f"{a}〔{y}〕{s}"
        yield f"{a}〔{y}〕{s}号".translate(_FULL_WIDTH)
        yield f"{a} 〔{y}〕 {s} 号"
        yield f"{a}（{y}）第{s}号".translate(_FULL_WIDTH)
        yield f"{a}〔{y}〕0{s}号"
    yield _S2T.convert(number.raw)


@pytest.fixture(scope="module")
def govcn(shared_data: Path) -> list[str]:
    numbers = govcn_doc_numbers(shared_data)
    assert len(numbers) == 60
    return numbers


def test_every_govcn_doc_number_parses(govcn: list[str]) -> None:
    parsed = {raw: parse_doc_number(raw) for raw in govcn}
    assert [raw for raw, p in parsed.items() if p is None] == []
    expected = DocNumber("国发〔2018〕39号", "国发|2018|39", "国发", 2018, 39, 0, 11)
    assert parse_doc_number("国发〔2018〕39号") == expected
    assert doc_number_key("国办发明电〔2018〕15号") == "国办发明电|2018|15"
    assert doc_number_key("国令第707号") == "国令||707"


def test_every_variant_of_every_govcn_number_has_the_same_key(govcn: list[str]) -> None:
    mismatches = []
    for raw in govcn:
        original = parse_doc_number(raw)
        assert original is not None
        for variant in variants(original):
            parsed = parse_doc_number(variant)
            if parsed is None or parsed.key != original.key:
                mismatches.append((raw, variant, parsed and parsed.key))
    assert mismatches == []


def test_variants_are_found_in_running_text_with_offsets(govcn: list[str]) -> None:
    for raw in govcn:
        original = parse_doc_number(raw)
        assert original is not None
        for variant in variants(original):
            text = f"根据《国务院关于某项工作的通知》（{variant}）要求，按照{variant}文件执行。"
            found = find_doc_numbers(text)
            assert [d.key for d in found] == [original.key, original.key], text
            for d in found:
                assert text[d.start:d.end] == d.raw
                assert parse_doc_number(d.raw) is not None and parse_doc_number(d.raw).key == original.key


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("京政服发〔2022〕12号", ["京政服发|2022|12"]),
        ("冀国资字〔2019〕3号", ["冀国资字|2019|3"]),
        ("国办发〔2018〕45号", ["国办发|2018|45"]),
        ("的实施意见冀政字〔2019〕31号", ["冀政字|2019|31"]),
        ("按照国发〔2018〕39号、40号和41号要求", ["国发|2018|39", "国发|2018|40", "国发|2018|41"]),
        ("财税〔2019〕13号和国发〔2018〕39号", ["财税|2019|13", "国发|2018|39"]),
        ("国家税务总局公告2019年第1号", ["国家税务总局公告|2019|1"]),
        ("省政府令〔2015〕第5号", ["省政府令|2015|5"]),
        ("中华人民共和国主席令第12号", ["中华人民共和国主席令||12"]),
        ("1998年10月8日国科发计字[1998]425号", ["国科发计字|1998|425"]),
    ],
)
def test_find_in_text(text: str, keys: list[str]) -> None:
    assert [d.key for d in find_doc_numbers(text)] == keys


@pytest.mark.parametrize(
    "text",
    [
        "2022年12月",
        "于2022年12月12日发布",
        "(2022)",
        "（2022）年度报告",
        "第12号文件",
        "按第12号文件执行",
        "《北京市优化营商环境条例》(2018)",
        "《条例》（2020年修订）第12条",
        "咨询电话(010)12345678",
        "联系电话：（0311）87654321",
        "(2019)京0105民初12345号",
        "〔２００６〕６４号",
        "2018年39号",
        "国发〔2018〕39.5",
        "共计(2020)12345678元",
        "发〔2018〕3号",
    ],
)
def test_digits_and_brackets_that_are_not_doc_numbers(text: str) -> None:
    assert find_doc_numbers(text) == []
    assert parse_doc_number(text) is None


def _hebei_documents(shared_data: Path) -> Iterator[dict[str, str]]:
    with gzip.open(shared_data / "hebei" / "documents.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def test_hebei_doc_number_guesses_parse_and_are_found_in_their_texts(shared_data: Path) -> None:
    guesses = 0
    found_in_text = 0
    unparsed = set()
    for doc in _hebei_documents(shared_data):
        guess = doc.get("doc_number_guess")
        if not guess:
            continue
        guesses += 1
        parsed = parse_doc_number(guess)
        if parsed is None:
            unparsed.add(guess)
            continue
        text = doc.get("text") or ""
        if guess in text:
            keys = {d.key for d in find_doc_numbers(text)}
            assert parsed.key in keys, (doc["id"], guess)
            found_in_text += 1
    # The crawler's guess cut one number as 请〔2003〕33号: "请" is the verb before it, not an agency code.
    assert unparsed == {"请〔2003〕33号"}
    assert guesses > 500
    assert found_in_text > 300


def test_hebei_numbers_found_in_text_round_trip(shared_data: Path) -> None:
    """Whatever find_doc_numbers takes out of real text parses back to the same key on its own."""
    checked = 0
    for doc in _hebei_documents(shared_data):
        text = doc.get("text") or ""
        for number in find_doc_numbers(text):
            assert text[number.start:number.end] == number.raw
            if number.raw[0].isdigit():
                continue  # a follow-on serial (…39号、40号) carries the agency and year of the one before
            again = parse_doc_number(number.raw)
            assert again is not None and again.key == number.key, number
            assert 2 <= len(number.agency) <= 20
            checked += 1
    assert checked > 1000


def test_notice_numbers_written_both_ways_share_a_key() -> None:
    assert doc_number_key("国家税务总局2020年第4号公告") == doc_number_key("国家税务总局公告2020年第4号")
    found = find_doc_numbers("根据国家税务总局2020年第4号公告办理")
    assert [(d.raw, d.key) for d in found] == [("国家税务总局2020年第4号公告", "国家税务总局公告|2020|4")]


@pytest.mark.parametrize("text", ["税务总局还发布了2020年第4号公告", "有关事项的通告2020年第1号"])
def test_running_text_before_a_year_number_is_no_agency(text: str) -> None:
    assert find_doc_numbers(text) == []


def test_issuing_body_names_before_a_code_are_cut_off() -> None:
    text = "省政府川办发〔2020〕1号，国务院办公厅国办发〔2018〕45号，国家档案局令第9号"
    keys = [d.key for d in find_doc_numbers(text)]
    assert keys == ["川办发|2020|1", "国办发|2018|45", "国家档案局令||9"]
