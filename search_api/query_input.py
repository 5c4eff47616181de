"""Clean what a visitor typed before it reaches query understanding: control characters, length."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

#: Hard cap declared on the ``q`` parameter (OpenAPI ``maxLength``); longer input is refused with 422.
#: Between ``Settings.max_query_chars`` and this cap the query is cut, with a notice in the response.
HARD_QUERY_CAP = 2000

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CleanedQuery:
    """The query text that will be searched, and notices about what was changed."""

    text: str
    notices: list[str] = field(default_factory=list)


def _drop_control_characters(text: str) -> str:
    # Control and format characters (NUL, bidi overrides, ZWSP…) have no meaning in a query and can confuse
    # the engine's tokenizer or the page; whitespace ones become a space.
    out = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace():
            out.append(" ")
        elif category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            continue
        else:
            out.append(char)
    return "".join(out)


def clean_query(raw: str | None, max_chars: int) -> CleanedQuery:
    """Strip control characters, collapse whitespace and cut to ``max_chars`` (saying so)."""
    if not raw:
        return CleanedQuery("")
    text = _SPACES.sub(" ", _drop_control_characters(raw)).strip()
    notices: list[str] = []
    if len(text) > max_chars:
        text = text[:max_chars].rstrip()
        notices.append(
            f"查询过长，已只保留前 {max_chars} 个字符 / "
            f"the query was longer than {max_chars} characters and was cut"
        )
    return CleanedQuery(text, notices)
