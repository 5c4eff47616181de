"""The loader rejects bad data files and names file:line and what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from synonyms import DataFileError, load_glossary, load_stopwords, load_synonym_rules, load_synonym_sets

HEADER = "term\taliases\tcategory\tdefinition\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def raises_at(path: Path, line: int, fragment: str, load: object) -> None:
    with pytest.raises(DataFileError) as caught:
        load(path)  # type: ignore[operator]
    assert caught.value.path == path and caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert fragment in str(caught.value)


def test_a_good_glossary_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tsv", HEADER + "# comment\n\n社会保险\t社保|五险\t社会保障\t一句话定义。\n")
    [entry] = load_glossary(path)
    got = (entry.term, entry.aliases, entry.category, entry.line)
    assert got == ("社会保险", ("社保", "五险"), "社会保障", 4)


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("社会保险\t社保\t社会保障\n", 2, "expected 4 tab-separated columns"),
        ("社会保险\t社保\t社会保障\t定义。\t多余\n", 2, "found 5"),
        ("\t社保\t社会保障\t定义。\n", 2, "empty term"),
        ("社会保险\t社保\t\t定义。\n", 2, "empty category"),
        ("社会保险\t社保\t社会保障\t \n", 2, "empty definition"),
        ("社会保险\t社保||五险\t社会保障\t定义。\n", 2, "empty alias"),
        ("社会 保险\t\t社会保障\t定义。\n", 2, "contains whitespace"),
        (
            "社会保险\t社保\t社会保障\t定义。\n医疗保险\t医保\t社会保障\t定义。\n社会保险\t\t社会保障\t定义。\n",
            4,
            "already used by term '社会保险' at line 2",
        ),
        ("社会保险\t社保\t社会保障\t定义。\n社保卡\t社保\t社会保障\t定义。\n", 3, "'社保' is already used"),
    ],
)
def test_bad_glossary_lines_are_reported_with_file_and_line(
    tmp_path: Path, body: str, line: int, fragment: str
) -> None:
    raises_at(write(tmp_path, "g.tsv", HEADER + body), line, fragment, load_glossary)


def test_glossary_needs_its_header(tmp_path: Path) -> None:
    raises_at(write(tmp_path, "g.tsv", "词\t别名\n"), 1, "header must be", load_glossary)
    raises_at(write(tmp_path, "empty.tsv", "# nothing\n"), 1, "file is empty", load_glossary)


def test_non_utf8_file_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_bytes(HEADER.encode() + "社会保险\t\t社会保障\t定义。\n".encode("gbk"))
    raises_at(path, 2, "not valid UTF-8", load_glossary)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        load_glossary(tmp_path / "absent.tsv")


def test_synonym_rules_parse_both_kinds(tmp_path: Path) -> None:
    path = write(tmp_path, "s.txt", "# c\n社保,社会保险\n五险一金 => 社会保险费,住房公积金\n")
    rules = load_synonym_rules(path)
    assert [(r.lhs, r.rhs, r.equivalent, r.line) for r in rules] == [
        (("社保", "社会保险"), (), True, 2),
        (("五险一金",), ("社会保险费", "住房公积金"), False, 3),
    ]
    assert load_synonym_sets(path) == [["社保", "社会保险"]]


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("社保\n", 1, "at least two"),
        ("社保,,社会保险\n", 1, "empty word"),
        ("社保,社保\n", 1, "repeated within the line"),
        ("a => b => c\n", 1, "exactly one '=>'"),
        ("社保,社会保险\n医保,社保\n", 2, "already in the set at line 1"),
        ("社 保,社会保险\n", 1, "contains whitespace"),
    ],
)
def test_bad_synonym_lines_are_reported(tmp_path: Path, body: str, line: int, fragment: str) -> None:
    raises_at(write(tmp_path, "s.txt", body), line, fragment, load_synonym_rules)


def test_stopword_duplicates_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "stop.txt", "的\n# c\n了\n的\n")
    raises_at(path, 4, "already listed at line 1", load_stopwords)
