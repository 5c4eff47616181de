"""Synonym and abbreviation expansion from synonyms/ (synonyms.txt and the glossary's aliases).

Expansion happens on the query, never in the index, so editing the data files changes results without a
reindex and in the same way on every backend. ``SynonymExpander.maybe_reload`` re-reads the files when
their modification time changes (looked at no more than once per ``RELOAD_CHECK_SECONDS`` from ``expand``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

import analyzers
import synonyms
from synonyms import loader

#: Weights relative to the words the user typed (1.0).
SYNONYM_WEIGHT = 0.5
ABBREVIATION_WEIGHT = 0.6
#: Words shorter than this are not looked up inside longer query words (避免 "保" matching everywhere).
MIN_WORD_CHARS = 2
MAX_EXPANSIONS = 12
#: ``expand`` stat()s the data files at most this often (it was 4 % of a search call on every query).
RELOAD_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Expansion:
    """A term added to the query, its weight and why (synonym, abbreviation, pinyin, homophone, ...)."""

    term: str
    weight: float
    reason: str
    source: str = ""


def _reload_loader() -> None:
    # The loader caches parsed files by path; a reload must drop that cache to see edits.
    reload = getattr(synonyms, "reload", None)
    if callable(reload):
        reload()
    else:
        loader._cached.cache_clear()


class SynonymExpander:
    """Maps words in a query to their synonyms (weight 0.5) and abbreviations to full terms (0.6)."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or loader.DATA_DIR
        self._stamp: tuple[float, ...] = ()
        self._rules: dict[str, list[tuple[str, float, str]]] = {}
        #: Rule words by first character with their rank in the longest-first order that expand walks.
        self._by_first: dict[str, list[tuple[int, str]]] = {}
        self._checked_at = -1e9
        self.maybe_reload()

    def _files(self) -> list[Path]:
        return [self.data_dir / loader.SYNONYMS_FILE, self.data_dir / loader.GLOSSARY_FILE]

    def _current_stamp(self) -> tuple[float, ...]:
        return tuple(os.stat(p).st_mtime_ns if p.exists() else 0 for p in self._files())

    def maybe_reload(self) -> bool:
        """Re-read synonyms.txt and glossary.tsv if either changed; True when it did."""
        self._checked_at = monotonic()
        stamp = self._current_stamp()
        if stamp == self._stamp:
            return False
        if self._stamp:
            _reload_loader()
        rules = self._build()
        by_first: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for rank, word in enumerate(sorted(rules, key=len, reverse=True)):
            by_first[word[0]].append((rank, word))
        self._rules, self._by_first = rules, dict(by_first)
        self._stamp = stamp
        return True

    def _build(self) -> dict[str, list[tuple[str, float, str]]]:
        rules: dict[str, list[tuple[str, float, str]]] = {}

        def add(word: str, target: str, weight: float, reason: str) -> None:
            word, target = analyzers.normalize(word), analyzers.normalize(target)
            if word and target and word != target and len(word) >= MIN_WORD_CHARS:
                targets = rules.setdefault(word, [])
                if all(t != target for t, _, _ in targets):
                    targets.append((target, weight, reason))

        synonym_file = self.data_dir / loader.SYNONYMS_FILE
        if synonym_file.exists():
            for rule in synonyms.load_synonym_rules(synonym_file):
                if rule.equivalent:
                    for word in rule.lhs:
                        for other in rule.lhs:
                            add(word, other, SYNONYM_WEIGHT, "synonym")
                else:
                    for word in rule.lhs:
                        for other in rule.rhs:
                            add(word, other, SYNONYM_WEIGHT, "synonym")
        glossary_file = self.data_dir / loader.GLOSSARY_FILE
        if glossary_file.exists():
            for entry in synonyms.load_glossary(glossary_file):
                for alias in entry.aliases:
                    # An abbreviation finds the full term; the reverse would flood (许可 -> every 行政许可).
                    add(alias, entry.term, ABBREVIATION_WEIGHT, "abbreviation")
        return rules

    def expand(self, normalized_query: str) -> list[Expansion]:
        """Expansions for every known word occurring in the (normalized) query, longest words first."""
        if monotonic() - self._checked_at >= RELOAD_CHECK_SECONDS:
            self.maybe_reload()
        rules, by_first = self._rules, self._by_first
        # Only words starting with a character of the query can occur in it; visited in the same order as
        # all rule words longest first.
        candidates = sorted(
            entry for char in set(normalized_query) for entry in by_first.get(char, ())
        )
        tokens: list[tuple[int, int]] | None = None
        found: list[Expansion] = []
        seen: set[str] = set()
        covered: list[tuple[int, int]] = []
        for _, word in candidates:
            start = normalized_query.find(word)
            if start < 0:
                continue
            end = start + len(word)
            outer = next(((s, e) for s, e in covered if s <= start and end <= e), None)
            if outer is None:
                covered.append((start, end))
                if tokens is None:
                    tokens = _token_spans(normalized_query)
                outer = next(
                    ((s, e) for s, e in tokens if s <= start and end <= e and e - s > end - start), None
                )
            for target, weight, reason in rules[word]:
                if outer is not None:
                    rest = normalized_query[outer[0]:start] + normalized_query[end:outer[1]]
                    # 新冠 -> 新型冠状病毒肺炎 inside 新冠肺炎: the target already says the rest.
                    if word in target or (rest and rest in target):
                        continue
                    # Inside a longer known word, expand by substitution so the longer word stays whole:
                    # 个税专项附加扣除 -> 个人所得税专项附加扣除, not a loose 个人所得税.
                    span = normalized_query[outer[0]:outer[1]]
                    target = span.replace(word, target, 1)
                if target in normalized_query or target in seen:
                    continue
                seen.add(target)
                found.append(Expansion(term=target, weight=weight, reason=reason, source=word))
        return found[:MAX_EXPANSIONS]


def _token_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each segmenter token, so 社保 inside the word 社保法 expands to 社会保险法."""
    spans: list[tuple[int, int]] = []
    position = 0
    for token in analyzers.get_segmenter().cut(text):
        spans.append((position, position + len(token)))
        position += len(token)
    return spans
