"""Query understanding: the user's text -> UnderstoodQuery (and the ParsedQuery every backend compiles).

Order matters: normalize exactly as at index time; find a 文号 (strict, then loose whole-query forms); find a
clause reference and the title written before it; match 《titles》 or a near-whole title; read Latin input as
pinyin or initials; correct homophone typos towards title words; expand synonyms and abbreviations at lower
weight. Every step only adds to the default parse of kb.search.understanding, so a backend that ignores a
field still gets a sensible query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import analyzers
import synonyms
from analyzers.clauses import find_clause_refs
from kb.query.docnumbers import docnumber_fillers, lenient_doc_number
from kb.query.expansion import Expansion, SynonymExpander
from kb.query.models import ClauseTarget, DocNumberTarget, ExpandedTerm, TitleTarget, UnderstoodQuery
from kb.query.pinyin import is_latin, split_syllables
from kb.query.sources import policy_titles
from kb.query.titles import TitleIndex, compact
from kb.query.vocabulary import Vocabulary
from kb.search.query import ParsedQuery, WeightedTerm
from kb.search.understanding import QueryParser, parse_query
from kb.store import Store

#: Weight of a word read from pinyin or initials (the user typed nothing else).
PINYIN_WEIGHT = 1.0
INITIALS_WEIGHT = 0.8
#: Weight of the title word a homophone typo was corrected to.
HOMOPHONE_WEIGHT = 0.8
MAX_PINYIN_WORDS = 2
MAX_HOMOPHONE_FIXES = 2
MIN_INITIALS = 3
MAX_INITIALS = 8
#: Typo windows: runs of this many characters are compared by reading with title words.
MIN_TYPO_WINDOW = 3
MAX_TYPO_WINDOW = 6

_BRACKETED = re.compile(r"《([^《》]{2,100})》")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


class QueryUnderstanding:
    """Understands queries against one vocabulary (titles + glossary) and the synonym files."""

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        expander: SynonymExpander | None = None,
        *,
        max_chars: int = 200,
    ) -> None:
        self.vocabulary = vocabulary
        self.titles = TitleIndex(vocabulary.titles) if vocabulary else None
        self.expander = expander or SynonymExpander()
        self.max_chars = max_chars

    @classmethod
    def from_titles(cls, titles: Iterable[str], *, max_chars: int = 200) -> QueryUnderstanding:
        """Build the vocabulary from document titles plus the glossary (terms and aliases)."""
        glossary = [form for entry in synonyms.load_glossary() for form in entry.forms]
        return cls(Vocabulary.build(titles, glossary), max_chars=max_chars)

    @classmethod
    def from_store(cls, store: Store, *, max_chars: int = 200) -> QueryUnderstanding:
        """Build from the titles of every policy in the store (done once per process, ~3 s for 9,000)."""
        return cls.from_titles(policy_titles(store), max_chars=max_chars)

    def parser(self) -> QueryParser:
        """A ``QueryParser`` for the search backends: text -> ParsedQuery."""
        return lambda text: self.understand(text).parsed

    def understand(self, text: str) -> UnderstoodQuery:
        """Understand one query; raises kb.errors.QueryError when it is too long."""
        parsed = parse_query(text, max_chars=self.max_chars)
        normalized = parsed.normalized
        understood = UnderstoodQuery(raw=text, normalized=normalized, parsed=parsed)
        self._doc_number(understood)
        self._clause(understood)
        self._titles(understood)
        expansions: list[Expansion] = []
        if is_latin(normalized):
            expansions += self._pinyin(understood)
        else:
            expansions += self._homophones(normalized)
        expansions += self.expander.expand(normalized)
        understood.glossary_terms = analyzers.glossary_terms_in(normalized)
        self._apply_expansions(understood, expansions)
        return understood

    def _doc_number(self, understood: UnderstoodQuery) -> None:
        parsed = understood.parsed
        if parsed.doc_number_key is None:
            loose = lenient_doc_number(understood.normalized)
            if loose is not None:
                parsed.doc_number_key, parsed.doc_number_raw = loose.key, loose.raw
                # The whole query is the number: its pieces (国办, 2019, 号) must not match loose text.
                parsed.terms, parsed.bigrams = [], []
        if parsed.doc_number_key and set(parsed.terms) <= docnumber_fillers():
            # 国发〔2019〕5号文件: nothing but the number is asked for, so nothing else may outscore it.
            parsed.terms, parsed.bigrams = [], []
        if parsed.doc_number_key:
            understood.doc_number = DocNumberTarget(
                raw=parsed.doc_number_raw or "", key=parsed.doc_number_key
            )

    def _clause(self, understood: UnderstoodQuery) -> None:
        refs = find_clause_refs(understood.normalized)
        if not refs:
            return
        ref = refs[0]
        before = understood.normalized[: ref.start].strip()
        title = _BRACKETED.sub(lambda m: m.group(1), before).strip() or None
        understood.clause = ClauseTarget(number=ref.number, sub_number=ref.sub_number, label=ref.label,
                                         of_title=title)

    def _title_candidates(self, understood: UnderstoodQuery) -> list[tuple[str, str]]:
        normalized = understood.normalized
        candidates = [(m.group(1), "bracketed") for m in _BRACKETED.finditer(normalized)]
        if understood.clause and understood.clause.of_title:
            of_title = understood.clause.of_title
            candidates.append((of_title, "clause_title"))
            # 社保法第五十八条: the law is named by its short form; titles carry the full one (社会保险法).
            candidates += [(e.term, "clause_title") for e in self.expander.expand(of_title)]
        if not candidates and understood.doc_number is None:
            candidates.append((normalized, "near_title"))
            chunks = [c for c in normalized.split() if len(compact(c)) >= 4]
            if len(chunks) > 1:
                candidates.append((max(chunks, key=len), "near_title"))
        return candidates

    def _titles(self, understood: UnderstoodQuery) -> None:
        if self.titles is None:
            return
        for text, via in self._title_candidates(understood):
            matches = self.titles.match(text)
            for match in matches:
                if all(t.title != match.title for t in understood.titles):
                    understood.titles.append(TitleTarget(title=match.title, score=match.score, via=via))
            if matches:
                break
        parsed = understood.parsed
        for target in understood.titles:
            if target.title not in parsed.title_phrases:
                parsed.title_phrases.append(target.title)
            for stored in self.vocabulary.stored_titles.get(target.title, []) if self.vocabulary else []:
                if stored not in parsed.exact_titles:
                    parsed.exact_titles.append(stored)

    def _pinyin(self, understood: UnderstoodQuery) -> list[Expansion]:
        vocabulary = self.vocabulary
        if vocabulary is None:
            return []
        text = understood.normalized
        syllables = split_syllables(text)
        if syllables:
            understood.pinyin = list(syllables)
            words = vocabulary.words_for_syllables(syllables)
            # Spaces usually separate words: try each part when the whole reads as no title word.
            if not words and " " in text.strip():
                found: list[Expansion] = []
                for part in text.split():
                    part_syllables = split_syllables(part)
                    if part_syllables:
                        found += [Expansion(w, PINYIN_WEIGHT, "pinyin", part)
                                  for w, _ in vocabulary.words_for_syllables(part_syllables)[:1]]
                return found
            return [Expansion(w, PINYIN_WEIGHT, "pinyin", text) for w, _ in words[:MAX_PINYIN_WORDS]]
        initials = re.sub(r"[\s']", "", text.lower())
        if MIN_INITIALS <= len(initials) <= MAX_INITIALS:
            understood.pinyin = [initials]
            words = vocabulary.words_for_initials(initials)
            return [Expansion(w, INITIALS_WEIGHT, "initials", text) for w, _ in words[:MAX_PINYIN_WORDS]]
        return []

    def _homophones(self, normalized: str) -> list[Expansion]:
        vocabulary = self.vocabulary
        if vocabulary is None:
            return []
        fixes: list[Expansion] = []
        for run in _CJK_RUN.finditer(normalized):
            text = run.group(0)
            taken: list[tuple[int, int]] = []
            for size in range(min(MAX_TYPO_WINDOW, len(text)), MIN_TYPO_WINDOW - 1, -1):
                for start in range(0, len(text) - size + 1):
                    end = start + size
                    if any(start < e and s < end for s, e in taken):
                        continue
                    window = text[start:end]
                    # Only text that no title contains can be a typo; real words stay as typed.
                    if vocabulary.in_titles(window):
                        continue
                    candidates = vocabulary.homophones(window)
                    if candidates:
                        fixes.append(Expansion(candidates[0], HOMOPHONE_WEIGHT, "homophone", window))
                        taken.append((start, end))
                        if len(fixes) >= MAX_HOMOPHONE_FIXES:
                            return fixes
        return fixes

    def _apply_expansions(self, understood: UnderstoodQuery, expansions: list[Expansion]) -> None:
        parsed: ParsedQuery = understood.parsed
        # The default parser's own synonym expansion is replaced by ours (same data, finer weights).
        weighted: dict[str, WeightedTerm] = {}
        for expansion in expansions:
            term = analyzers.normalize(expansion.term)
            if not term or term in parsed.terms or term in weighted:
                continue
            weighted[term] = WeightedTerm(term=term, weight=expansion.weight)
            understood.expanded.append(
                ExpandedTerm(
                    term=term, weight=expansion.weight, reason=expansion.reason, source=expansion.source
                )
            )
        parsed.expansions = list(weighted.values())
