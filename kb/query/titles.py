"""Near-whole-title matching: a query that is (almost) the title of a document, tolerating missing characters.

People type a title the way they remember it: without 中华人民共和国, without the 国务院办公厅关于印发…的通知
wrapper, with a character or two missing. Every title gets such short forms (aliases); the query, or its part
before a clause reference, is compared to them with an edit-distance ratio.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: A query shorter than this is a keyword, not a title (exact short forms such as 劳动法 may have 3).
MIN_TITLE_QUERY_CHARS = 4
MIN_EXACT_ALIAS_CHARS = 3
#: Similarity (0-100) above which a query counts as that title.
TITLE_MATCH_CUTOFF = 86.0
#: Titles scoring within this of the best are returned too (duplicates and versions of one title).
TITLE_TIE_MARGIN = 2.0
MAX_TITLE_MATCHES = 3
#: A query may also leave out up to this many pieces of a title, if it keeps this share of its characters.
SUBSEQUENCE_MAX_GAPS = 3
SUBSEQUENCE_MIN_COVERAGE = 0.65
SUBSEQUENCE_MIN_QUERY_CHARS = 6

_PRC = "中华人民共和国"
_WRAPPER = re.compile(
    r"^(?P<org>.{0,40}?)关于(?:印发|转发|公布|发布)?(?P<core>.+?)(?:的)?"
    r"(?P<kind>通知|决定|批复|复函|函|通报|公告)?$"
)
_BRACKETED = re.compile(r"《([^《》]+)》")
_ISSUING = re.compile(r"(印发|转发|发布|公布)$")
_REGION = re.compile(r"^[\u4e00-\u9fff]{2,4}?[省市区县]")
_PUNCT = re.compile(r"[\s《》〈〉“”\"'‘’「」『』()（）\[\]【】〔〕、，,·.。:：;；!！?？-]+")


@dataclass(frozen=True)
class TitleMatch:
    """A title the query was understood to name, and how sure (0-100)."""

    title: str
    alias: str
    score: float


def compact(text: str) -> str:
    """A title or query without punctuation and spaces, for comparison."""
    return _PUNCT.sub("", text)


def title_aliases(title: str) -> set[str]:
    """Short forms a person might type for ``title`` (compacted)."""
    forms = {title}
    bracketed = _BRACKETED.search(title)
    # 《X》 names the document only when the title merely wraps it (印发《X》的通知), not 修改《X》的决定.
    if bracketed and (title == bracketed.group(0) or _ISSUING.search(title[: bracketed.start()])):
        forms.add(bracketed.group(1))
    wrapped = _WRAPPER.match(title)
    if wrapped and wrapped.group("core"):
        core = wrapped.group("core")
        forms.add(core)
        region = _REGION.match(wrapped.group("org"))
        if region:
            forms.add(f"{region.group(0)}{core}")
    for form in list(forms):
        if form.startswith(_PRC) and len(form) > len(_PRC) + 1:
            forms.add(form[len(_PRC):])
    return {c for c in (compact(f) for f in forms) if len(c) >= MIN_EXACT_ALIAS_CHARS}


def gapped_score(query: str, alias: str) -> float:
    """Score of ``query`` as ``alias`` with a few pieces left out (0 when it is not such a subsequence)."""
    if len(query) < SUBSEQUENCE_MIN_QUERY_CHARS or len(query) < SUBSEQUENCE_MIN_COVERAGE * len(alias) \
            or len(query) >= len(alias):
        return 0.0
    gaps = 0
    position = 0
    for char in query:
        found = alias.find(char, position)
        if found < 0:
            return 0.0
        if found > position:
            gaps += 1
        position = found + 1
    gaps += position < len(alias)
    if gaps > SUBSEQUENCE_MAX_GAPS:
        return 0.0
    return TITLE_MATCH_CUTOFF + (100.0 - TITLE_MATCH_CUTOFF) * (len(query) / len(alias)) - gaps


class TitleIndex:
    """All aliases of all titles, searchable by similarity.

    Two indexes make a match cost a few hundred comparisons instead of one per alias (12,698 aliases for the
    shared corpus): aliases by length (fuzz.ratio can only reach the cutoff between lengths close enough), and
    the aliases each character occurs in (a gapped match contains every character of the query). Candidates
    keep the aliases' order, so ties fall exactly as over the whole list.
    """

    def __init__(self, titles: list[str]) -> None:
        owners: defaultdict[str, list[str]] = defaultdict(list)
        for title in titles:
            for alias in title_aliases(title):
                owners[alias].append(title)
        self._owners = dict(owners)
        self._aliases = list(self._owners)
        by_length: defaultdict[int, list[int]] = defaultdict(list)
        by_char: defaultdict[str, list[int]] = defaultdict(list)
        for i, alias in enumerate(self._aliases):
            by_length[len(alias)].append(i)
            for char in dict.fromkeys(alias):
                by_char[char].append(i)
        self._by_length = {n: array("i", ids) for n, ids in by_length.items()}
        self._by_char = {c: array("i", ids) for c, ids in by_char.items()}
        #: query length -> the aliases near that length, in alias order (built on first use; query lengths
        #: are bounded by the query limit, and the lists only hold references).
        self._near: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self._aliases)

    def match(self, text: str) -> list[TitleMatch]:
        """Titles that ``text`` is nearly the whole of, best first (empty when none is close enough)."""
        query = compact(text)
        exact = self._owners.get(query) if len(query) >= MIN_EXACT_ALIAS_CHARS else None
        if exact:
            return [TitleMatch(title=t, alias=query, score=100.0) for t in exact[:MAX_TITLE_MATCHES]]
        if len(query) < MIN_TITLE_QUERY_CHARS or not self._aliases:
            return []
        found = process.extract(query, self._near_length(len(query)), scorer=fuzz.ratio,
                                score_cutoff=TITLE_MATCH_CUTOFF, limit=MAX_TITLE_MATCHES * 2)
        if not found:
            found = self._gapped(query)
        if not found:
            return []
        best = found[0][1]
        matches: list[TitleMatch] = []
        for alias, score, _ in found:
            if score < best - TITLE_TIE_MARGIN:
                break
            for title in self._owners[alias]:
                if all(m.title != title for m in matches):
                    matches.append(TitleMatch(title=title, alias=alias, score=float(score)))
        return matches[:MAX_TITLE_MATCHES]

    def _near_length(self, length: int) -> list[str]:
        # fuzz.ratio = 100 * (1 - indel / (a + b)) and indel >= |a - b|: aliases whose length alone keeps them
        # under the cutoff are left out (with a margin, so rounding can never drop a real candidate).
        slack = (100.0 - TITLE_MATCH_CUTOFF) / 100.0 + 0.01
        low = math.floor(length * (1 - slack) / (1 + slack))
        high = math.ceil(length * (1 + slack) / (1 - slack))
        cached = self._near.get(length)
        if cached is None:
            ids = sorted(i for n in range(low, high + 1) for i in self._by_length.get(n, ()))
            cached = self._near[length] = [self._aliases[i] for i in ids]
        return cached

    def _gapped(self, query: str) -> list[tuple[str, float, int]]:
        longest = len(query) / SUBSEQUENCE_MIN_COVERAGE
        # Every alias a gapped match can come from contains every character of the query: walk the aliases
        # of its rarest character only.
        postings = [self._by_char.get(char) for char in set(query)]
        if not postings or any(p is None for p in postings):
            return []
        rarest = min((p for p in postings if p is not None), key=len)
        scored = []
        for i in rarest:
            alias = self._aliases[i]
            if len(query) < len(alias) <= longest and query[0] in alias and query[-1] in alias:
                score = gapped_score(query, alias)
                if score >= TITLE_MATCH_CUTOFF:
                    scored.append((alias, score, i))
        scored.sort(key=lambda item: -item[1])
        return scored[: MAX_TITLE_MATCHES * 2]
