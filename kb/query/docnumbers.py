"""文号 forms people type that the strict parser leaves alone: no brackets at all, or 令 numbers without 第.

The strict parser (analyzers.docnumber) must not read every "year + number" in running text as a 文号; a
query, though, that is nothing but ``国办发 2019 3号`` or ``国令706号`` clearly means one. These forms are
rewritten to the bracketed form and handed to the strict parser, so the canonical key is the same.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from analyzers.docnumber import DocNumber, parse_doc_number

FILLERS_FILE = Path(__file__).resolve().parent / "data" / "docnumber_fillers.txt"

# A whole query: agency letters, a 4-digit year, a serial, 号 — separated by spaces, 年 or nothing at all.
_UNBRACKETED = re.compile(
    r"^\s*(?P<agency>[\u4e00-\u9fff]{1,12}?[发函字令电办])\s*(?P<year>(?:19|20)\d{2})\s*年?\s*"
    r"第?\s*(?P<serial>\d{1,4})\s*号\s*$"
)
# 国令706号, 国务院令 第706号 (a 令 has no year).
_DECREE = re.compile(r"^\s*(?P<agency>[\u4e00-\u9fff]{1,10}令)\s*第?\s*(?P<serial>\d{1,4})\s*号\s*$")


def lenient_doc_number(normalized_query: str) -> DocNumber | None:
    """The 文号 a whole query spells in a loose form, or None."""
    match = _UNBRACKETED.match(normalized_query)
    if match:
        return parse_doc_number(f"{match['agency']}〔{match['year']}〕{match['serial']}号")
    match = _DECREE.match(normalized_query)
    if match:
        return parse_doc_number(f"{match['agency']}第{match['serial']}号")
    return None


@lru_cache(maxsize=1)
def docnumber_fillers() -> frozenset[str]:
    """Words that may stand beside a 文号 without asking for anything else (data/docnumber_fillers.txt)."""
    lines = FILLERS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#"))
