"""Map engine highlights back onto the original text, exactly.

Engines highlight the indexed ``*_seg`` text (normalized, U+200B between tokens) with private-use markers.
Removing U+200B gives ``normalize_aligned(original)``, which has the original's length, so offsets in it
are offsets in the original: we locate the fragment, then cut and escape the ORIGINAL text around the
marked spans. The rendered HTML therefore shows what the source says, not our normalized form.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from kb.search.documents import ZWSP

#: Private-use code points never occur in our texts, so they cannot collide with content.
MARK_START = "\ue000"
MARK_END = "\ue001"
EM_OPEN = "<em>"
EM_CLOSE = "</em>"


@dataclass(frozen=True)
class Fragment:
    """A fragment located in the original text: [start, end) with marked spans in original offsets."""

    start: int
    end: int
    spans: list[tuple[int, int]] = field(default_factory=list)


def strip_marked(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The fragment without U+200B and markers, and the marked spans relative to it."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for ch in marked:
        if ch == ZWSP:
            continue
        if ch == MARK_START:
            if opened is None:
                opened = len(plain)
            continue
        if ch == MARK_END:
            if opened is not None:
                _add_span(spans, opened, len(plain))
            opened = None
            continue
        plain.append(ch)
    if opened is not None:
        _add_span(spans, opened, len(plain))
    return "".join(plain), spans


def _add_span(spans: list[tuple[int, int]], start: int, end: int) -> None:
    if end <= start:
        return
    if spans and spans[-1][1] == start:  # adjacent tokens: one <em> around both
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


def locate(marked: str, segmented: str) -> Fragment | None:
    """Find a marked fragment of ``segmented`` (the indexed field) in original-text offsets."""
    plain, spans = strip_marked(marked)
    if not plain:
        return None
    normalized = segmented.replace(ZWSP, "")
    at = normalized.find(plain)
    if at < 0:
        return None
    return Fragment(at, at + len(plain), [(at + s, at + e) for s, e in spans])


def render(original: str, fragment: Fragment) -> str:
    """HTML of original[start:end] with <em> around the marked spans; everything else escaped."""
    out: list[str] = []
    pos = fragment.start
    for s, e in fragment.spans:
        out.append(html.escape(original[pos:s]))
        out.append(EM_OPEN + html.escape(original[s:e]) + EM_CLOSE)
        pos = e
    out.append(html.escape(original[pos : fragment.end]))
    return "".join(out)


def highlight(marked: str | None, segmented: str, original: str) -> str | None:
    """The rendered highlight of one engine fragment, or None when it cannot be mapped exactly."""
    if not marked or MARK_START not in marked:
        return None
    if len(segmented.replace(ZWSP, "")) != len(original):
        # The analyzers promise length preservation; if that ever breaks, show nothing rather than drift.
        return None
    fragment = locate(marked, segmented)
    return render(original, fragment) if fragment else None


def plain_text(rendered: str) -> str:
    """The text a rendered highlight shows, markers removed and entities decoded (for tests and logs)."""
    return html.unescape(rendered.replace(EM_OPEN, "").replace(EM_CLOSE, ""))


def lead(original: str, chars: int = 120) -> str:
    """A marker-free snippet of the start of a text, for hits that matched on other fields."""
    text = original.strip()
    return html.escape(text[:chars])
