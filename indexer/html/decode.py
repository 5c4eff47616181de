"""Turn page bytes into text: BOM, HTTP charset, meta charset, then a detector for pages that lie."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from pydantic import BaseModel

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# GB2312 and GBK are subsets of GB18030; pages labelled with them often use characters only GB18030 has.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}


class DecodedPage(BaseModel):
    """Page text plus how its encoding was decided (for the crawl report)."""

    text: str
    encoding: str
    method: str  # bom | utf8 | declared | meta | detected | fallback
    declared: str | None = None
    lied: bool = False  # a charset was declared and the bytes were in another one


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name.strip().lower(), _SUPERSETS.get(canonical, canonical))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        # A truncated download ends mid-character; that is still the declared encoding.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 4:
            return data[: exc.start].decode(encoding, errors="strict")
        return None
    except LookupError:
        return None


def decode_html(data: bytes, content_type: str | None = None) -> DecodedPage:
    """Decode HTML bytes; never raises, the worst case is GB18030 with replacement characters."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return DecodedPage(
                text=data.decode(bom_encoding, errors="replace"), encoding=bom_encoding, method="bom"
            )
    http_charset = _canonical(charset_from_content_type(content_type))
    meta = _META_CHARSET.search(data[:4096])
    meta_charset = _canonical(meta.group(1).decode("ascii", "ignore")) if meta else None
    declared = http_charset or meta_charset
    # Valid multi-byte UTF-8 practically never happens by accident, so it beats any declaration.
    as_utf8 = _strict(data, "utf-8")
    if as_utf8 is not None:
        lied = declared not in (None, "utf-8") and any(b > 0x7F for b in data)
        return DecodedPage(text=as_utf8, encoding="utf-8", method="utf8", declared=declared, lied=lied)
    for encoding, method in ((http_charset, "declared"), (meta_charset, "meta")):
        if encoding and encoding != "utf-8":
            text = _strict(data, encoding)
            if text is not None and not _looks_wrong(text, encoding):
                return DecodedPage(text=text, encoding=encoding, method=method, declared=declared)
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        encoding = _canonical(best.encoding) or best.encoding
        text = _strict(data, encoding)
        if text is not None:
            return DecodedPage(
                text=text, encoding=encoding, method="detected", declared=declared, lied=declared is not None
            )
    text = data.decode("gb18030", errors="replace")
    return DecodedPage(
        text=text, encoding="gb18030", method="fallback", declared=declared, lied=declared is not None
    )


def _looks_wrong(text: str, encoding: str) -> bool:
    """A single-byte codec "succeeds" on anything; for CJK sites, no CJK at all means it was the wrong one."""
    if encoding in {"cp1252", "iso8859-1", "latin-1"}:
        return not any("\u4e00" <= ch <= "\u9fff" for ch in text)
    return False
