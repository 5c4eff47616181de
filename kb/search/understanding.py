"""Default query understanding: text -> ParsedQuery (文号, 第N条, 《title》, "phrases", synonyms).

This is the hook the relevance work replaces: a backend takes any ``QueryParser`` callable, and the
compilers only ever see the ParsedQuery it returns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import analyzers
import synonyms
from analyzers.clauses import find_clause_refs
from analyzers.docnumber import find_doc_numbers
from kb.errors import QueryError
from kb.search.query import ParsedQuery, WeightedTerm

QueryParser = Callable[[str], ParsedQuery]

_TITLE = re.compile(r"《([^《》]{1,100})》")
_QUOTED = re.compile(r"[\"“”「『]([^\"“”「」『』]{1,100})[\"“”」』]")
#: Weight of a synonym relative to the word the user typed.
SYNONYM_WEIGHT = 0.5
MAX_TERMS = 32
MAX_CLAUSE_NUMBER = 99_999


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in synonyms.load_synonym_sets():
        normalized = tuple(dict.fromkeys(analyzers.normalize(w) for w in group if w.strip()))
        for word in normalized:
            index[word] = tuple(w for w in normalized if w != word)
    return index


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    # Replace understood parts by spaces so their characters do not also become loose terms.
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def parse_query(text: str, *, max_chars: int = 200) -> ParsedQuery:
    """Understand a user query; raises QueryError when it is too long."""
    if len(text) > max_chars:
        raise QueryError(
            f"query is {len(text)} characters, the limit is {max_chars}; shorten it",
            message_zh=f"查询过长（{len(text)} 字），请缩短到 {max_chars} 字以内",
        )
    normalized = analyzers.normalize(text).strip()
    parsed = ParsedQuery(raw=text, normalized=normalized)
    spans: list[tuple[int, int]] = []
    numbers = find_doc_numbers(normalized)
    if numbers:
        parsed.doc_number_key = numbers[0].key
        parsed.doc_number_raw = numbers[0].raw
        spans.extend((n.start, n.end) for n in numbers)
    # No code has 100,000 articles; a longer numeral is noise and would overflow the engines' integers.
    refs = [r for r in find_clause_refs(normalized) if r.number <= MAX_CLAUSE_NUMBER]
    if refs:
        parsed.clause_number = refs[0].number
        parsed.clause_sub_number = refs[0].sub_number
        spans.extend((r.start, r.end) for r in refs)
    parsed.title_phrases = [m.group(1).strip() for m in _TITLE.finditer(normalized) if m.group(1).strip()]
    parsed.phrases = [m.group(1).strip() for m in _QUOTED.finditer(normalized) if m.group(1).strip()]
    rest = _cut(normalized, spans)
    terms = list(dict.fromkeys(t for t in analyzers.query_terms(rest) if t.strip()))[:MAX_TERMS]
    parsed.terms = terms
    parsed.bigrams = list(dict.fromkeys(analyzers.cjk_bigrams(rest)))[: MAX_TERMS * 2]
    index = _synonym_index()
    seen = set(terms)
    for term in terms:
        for synonym in index.get(term, ()):
            if synonym not in seen:
                seen.add(synonym)
                parsed.expansions.append(WeightedTerm(term=synonym, weight=SYNONYM_WEIGHT))
    return parsed
