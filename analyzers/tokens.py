"""Token streams for the engines: U+200B-joined index text, query terms, CJK bigrams."""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from analyzers.clauses import find_clause_refs
from analyzers.normalizers import normalize, normalize_aligned, normalize_pair
from analyzers.numerals import int_to_chinese
from analyzers.segmenter import get_segmenter
from synonyms import load_stopwords

#: Engines split index text on this (and on whitespace/punctuation); normalized text never contains it.
TOKEN_SEPARATOR = "\u200b"
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword list of synonyms/data, as the analyzers use it."""
    return load_stopwords()


def is_separator_token(token: str) -> bool:
    """True for tokens made only of whitespace, punctuation or math/modifier symbols (not ㎡, ℃, ①)."""
    return all(unicodedata.category(c)[0] in "PZC" or unicodedata.category(c) in ("Sm", "Sk") for c in token)


def segment_for_index(text: str) -> str:
    """normalize_aligned(text) with U+200B between precise-mode tokens; dropping U+200B restores it."""
    folded = normalize_aligned(text)
    if not folded:
        return folded
    return TOKEN_SEPARATOR.join(get_segmenter().cut(folded))


@dataclass(frozen=True, slots=True)
class IndexForms:
    """What indexing needs of one text, normalized once: the segmented form and the bigram form."""

    segmented: str
    bigrams: str


def index_forms(text: str) -> IndexForms:
    """``segment_for_index(text)`` and ``bigram_text(normalize(text))`` from one normalization pass."""
    if not text:
        return IndexForms("", "")
    folded, normalized = normalize_pair(text)
    segmented = TOKEN_SEPARATOR.join(get_segmenter().cut(folded)) if folded else folded
    return IndexForms(segmented, bigram_text(normalized))


def index_tokens(text: str) -> list[str]:
    """The tokens an engine keeps from segment_for_index(text): no separators, no stopwords."""
    words = stopwords()
    tokens = get_segmenter().cut(normalize_aligned(text))
    return [t for t in tokens if not is_separator_token(t) and t not in words]


def query_terms(text: str) -> list[str]:
    """Normalized search-mode tokens of a query, without punctuation, whitespace and stopwords.

    Clause references also bring the tokens of their Chinese-numeral form: normalize turns 第十二条 into
    第12条, but indexed text keeps numerals as written (the aligned pipeline cannot rewrite 4 chars as 5),
    so a query must carry both 第/12/条 and 第十二条 to find either spelling.
    """
    words = stopwords()
    segmenter = get_segmenter()
    normalized = normalize(text)
    terms = [t for t in segmenter.cut_for_search(normalized) if not is_separator_token(t) and t not in words]
    for ref in find_clause_refs(normalized):
        if ref.number >= 10000 or (ref.sub_number or 0) >= 10000:
            continue
        label = f"第{int_to_chinese(ref.number)}条"
        if ref.sub_number is not None:
            label += f"之{int_to_chinese(ref.sub_number)}"
        terms.extend(t for t in segmenter.cut(label) if t not in terms and t not in words)
    return terms


def _run_bigrams(normalized: str) -> list[str]:
    # map(add, run, run[1:]) pairs each character with the next one in C: run[i] + run[i + 1].
    out: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(map(operator.add, run, run[1:]))
    return out


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of each CJK run of normalize_aligned(text); a lone character stays a unigram."""
    return _run_bigrams(normalize_aligned(text))


def bigram_text(normalized: str) -> str:
    """Space-separated ``cjk_bigrams`` of an already normalized text (normalization is idempotent)."""
    return " ".join(_run_bigrams(normalized))
