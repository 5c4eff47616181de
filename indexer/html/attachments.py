"""Attachment links (pdf, doc(x), xls(x), ofd, …) with their titles."""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html as lxml_html

from kb.models import Attachment

ATTACHMENT_TYPES = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ofd",
    "wps",
    "et",
    "zip",
    "rar",
    "7z",
    "txt",
    "csv",
    "ppt",
    "pptx",
    "jpg",
    "png",
)
_DOCUMENT_TYPES = frozenset(ATTACHMENT_TYPES) - {"jpg", "png"}
_EXTENSION = re.compile(r"\.([A-Za-z0-9]{2,5})$")


def file_type_of(url: str) -> str | None:
    """The attachment type from a URL's path extension, or None when it is no document."""
    match = _EXTENSION.search(unquote(urlsplit(url).path))
    if not match:
        return None
    ext = match.group(1).lower()
    return ext if ext in _DOCUMENT_TYPES else None


def repair_url(url: str) -> str:
    """Fix crawler glitches such as 'https://a.gov.cnhttps://b.gov.cn/x.pdf' (keep the last absolute URL)."""
    url = url.strip()
    last = max(url.rfind("http://"), url.rfind("https://"))
    return url[last:] if last > 0 else url


def find_attachments(root: lxml_html.HtmlElement, base_url: str | None = None) -> list[Attachment]:
    """Every link to a document file below ``root``, deduplicated by URL, in page order."""
    seen: set[str] = set()
    found: list[Attachment] = []
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = repair_url(urljoin(base_url, href) if base_url else href)
        file_type = file_type_of(url)
        if file_type is None or url in seen:
            continue
        seen.add(url)
        title = re.sub(r"\s+", " ", link.text_content()).strip() or link.get("title") or ""
        if not title:
            title = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        found.append(Attachment(title=title, url=url, file_type=file_type))
    return found
