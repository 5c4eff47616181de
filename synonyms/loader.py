"""Read and validate the vocabulary files in synonyms/data; a bad line raises DataFileError(file:line)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from synonyms.errors import DataFileError

DATA_DIR = Path(__file__).resolve().parent / "data"

GLOSSARY_FILE = "glossary.tsv"
SYNONYMS_FILE = "synonyms.txt"
STOPWORDS_FILE = "stopwords.txt"

GLOSSARY_COLUMNS = ("term", "aliases", "category", "definition")
_BAD_WORD = re.compile(r"[\s,|\t]")


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """One 名词诠释: canonical term, aliases/abbreviations, category and a one-sentence definition."""

    term: str
    aliases: tuple[str, ...]
    category: str
    definition: str
    line: int = 0

    @property
    def forms(self) -> tuple[str, ...]:
        """The term followed by its aliases."""
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True)
class SynonymRule:
    """One line of synonyms.txt: ``a,b,c`` (equivalent) or ``a,b => c,d`` (one-way: lhs also finds rhs)."""

    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    equivalent: bool
    line: int

    @property
    def words(self) -> tuple[str, ...]:
        return self.lhs if self.equivalent else (*self.lhs, *self.rhs)


def _content_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines that are neither blank nor # comments."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw_line_of(path, exc.start)
        raise DataFileError(path, bad_line, "not valid UTF-8; save the file as UTF-8") from exc
    for number, line in enumerate(raw.splitlines(), start=1):
        text = line.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        yield number, text


def raw_line_of(path: Path, byte_offset: int) -> int:
    """Line number (1-based) of a byte offset, for reporting decoding errors."""
    return path.read_bytes()[:byte_offset].count(b"\n") + 1


def _check_word(path: Path, line: int, word: str, what: str) -> str:
    if not word:
        raise DataFileError(path, line, f"empty {what}; remove the stray separator or fill it in")
    if _BAD_WORD.search(word):
        problem = f"{what} {word!r} contains whitespace, ',' or '|'; write one word per field"
        raise DataFileError(path, line, problem)
    return word


def _parse_glossary(path: Path) -> tuple[GlossaryEntry, ...]:
    entries: list[GlossaryEntry] = []
    owner_of: dict[str, tuple[str, int]] = {}
    header_seen = False
    for line, text in _content_lines(path):
        cells = text.split("\t")
        if not header_seen:
            header_seen = True
            if tuple(c.strip() for c in cells) != GLOSSARY_COLUMNS:
                raise DataFileError(path, line, f"header must be {'<TAB>'.join(GLOSSARY_COLUMNS)}")
            continue
        if len(cells) != len(GLOSSARY_COLUMNS):
            raise DataFileError(
                path, line, f"expected {len(GLOSSARY_COLUMNS)} tab-separated columns "
                f"({', '.join(GLOSSARY_COLUMNS)}), found {len(cells)}"
            )
        term_cell, alias_cell, category, definition = (c.strip() for c in cells)
        term = _check_word(path, line, term_cell, "term")
        alias_cells = alias_cell.split("|") if alias_cell else []
        aliases = tuple(_check_word(path, line, a.strip(), "alias") for a in alias_cells)
        if not category:
            raise DataFileError(path, line, f"term {term!r} has an empty category")
        if not definition:
            problem = f"term {term!r} has an empty definition (名词诠释); write one sentence"
            raise DataFileError(path, line, problem)
        for form in (term, *aliases):
            if form in owner_of:
                other, other_line = owner_of[form]
                raise DataFileError(
                    path, line, f"{form!r} is already used by term {other!r} at line {other_line}; "
                    "each term or alias may appear once"
                )
            owner_of[form] = (term, line)
        entries.append(GlossaryEntry(term, aliases, category, definition, line))
    if not header_seen:
        raise DataFileError(path, 1, "file is empty; it needs the header line and at least one term")
    return tuple(entries)


def _split_words(path: Path, line: int, side: str) -> tuple[str, ...]:
    words = tuple(_check_word(path, line, w.strip(), "word") for w in side.split(","))
    if len(set(words)) != len(words):
        raise DataFileError(path, line, "a word is repeated within the line")
    return words


def _parse_synonyms(path: Path) -> tuple[SynonymRule, ...]:
    rules: list[SynonymRule] = []
    seen_in: dict[str, int] = {}
    for line, text in _content_lines(path):
        if "=>" in text:
            parts = text.split("=>")
            if len(parts) != 2:
                raise DataFileError(path, line, "a one-way rule has exactly one '=>'")
            lhs, rhs = _split_words(path, line, parts[0]), _split_words(path, line, parts[1])
            rule = SynonymRule(lhs, rhs, False, line)
        else:
            words = _split_words(path, line, text)
            if len(words) < 2:
                raise DataFileError(path, line, "an equivalence set needs at least two comma-separated words")
            rule = SynonymRule(words, (), True, line)
            for word in words:
                if word in seen_in:
                    raise DataFileError(
                        path, line, f"{word!r} is already in the set at line {seen_in[word]}; merge the lines"
                    )
                seen_in[word] = line
        rules.append(rule)
    return tuple(rules)


def _parse_word_list(path: Path) -> tuple[str, ...]:
    words: dict[str, int] = {}
    for line, text in _content_lines(path):
        word = _check_word(path, line, text.strip(), "word")
        if word in words:
            raise DataFileError(path, line, f"{word!r} is already listed at line {words[word]}")
        words[word] = line
    return tuple(words)


@lru_cache(maxsize=16)
def _cached(kind: str, path: Path) -> tuple[object, ...]:
    if not path.is_file():
        raise DataFileError(path, 0, "file not found; it ships in synonyms/data with the package")
    parser = {"glossary": _parse_glossary, "synonyms": _parse_synonyms, "words": _parse_word_list}[kind]
    return parser(path)


def load_glossary(path: Path | None = None) -> list[GlossaryEntry]:
    """The policy glossary (名词诠释) from glossary.tsv, validated."""
    return list(_cached("glossary", path or DATA_DIR / GLOSSARY_FILE))  # type: ignore[arg-type]


def load_synonym_rules(path: Path | None = None) -> list[SynonymRule]:
    """Every rule of synonyms.txt, equivalences and one-way expansions, in file order."""
    return list(_cached("synonyms", path or DATA_DIR / SYNONYMS_FILE))  # type: ignore[arg-type]


def load_synonym_sets(path: Path | None = None) -> list[list[str]]:
    """Equivalence sets of synonyms.txt (社保 ↔ 社会保险); one-way rules come from load_synonym_rules."""
    return [list(rule.lhs) for rule in load_synonym_rules(path) if rule.equivalent]


def load_word_list(name: str, path: Path | None = None) -> frozenset[str]:
    """A one-word-per-line list from synonyms/data (``#`` comments allowed)."""
    return frozenset(_cached("words", path or DATA_DIR / name))  # type: ignore[arg-type]


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Function words dropped from queries and index tokens (请问, 怎么, 的 …)."""
    return load_word_list(STOPWORDS_FILE, path)
