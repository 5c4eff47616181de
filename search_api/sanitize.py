"""Make text from the index safe for HTML: escape everything, keep only the backend's highlight markers."""

from __future__ import annotations

import html
import re

ZERO_WIDTH_SPACE = "\u200b"
#: Markers the backends put around matches (contract: ``<em>``; ``<mark>`` accepted too). Output uses <mark>.
_MARKER = re.compile(r"(</?em>|</?mark>)")


def safe_highlight(fragment: str) -> str:
    """Escape a highlighted fragment; balanced ``<em>``/``<mark>`` markers become ``<mark>``, nothing else."""
    # U+200B separates tokens in the indexed text; removing it maps the fragment back to the original.
    fragment = fragment.replace(ZERO_WIDTH_SPACE, "")
    parts: list[str] = []
    depth = 0
    for piece in _MARKER.split(fragment):
        if piece in {"<em>", "<mark>"}:
            if depth == 0:
                parts.append("<mark>")
            depth += 1
        elif piece in {"</em>", "</mark>"}:
            if depth == 1:
                parts.append("</mark>")
            depth = max(depth - 1, 0)
        else:
            # Backends send escaped text; unescape-then-escape is idempotent on that and makes raw text safe.
            parts.append(html.escape(html.unescape(piece), quote=True))
    if depth > 0:
        parts.append("</mark>")
    return "".join(parts)


def plain_text(fragment: str) -> str:
    """The fragment as plain text: no markers, no zero-width separators, entities decoded."""
    return html.unescape(_MARKER.sub("", fragment.replace(ZERO_WIDTH_SPACE, "")))


def excerpt(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, with an ellipsis when cut."""
    text = text.replace(ZERO_WIDTH_SPACE, "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_link(url: str | None) -> str | None:
    """``url`` if it is http(s) or site-relative, else None (no ``javascript:`` or ``data:`` links)."""
    if not url:
        return None
    candidate = url.strip()
    lowered = candidate.lower()
    if lowered.startswith(("http://", "https://")) or (
        candidate.startswith("/") and not candidate.startswith("//")
    ):
        return candidate
    return None
