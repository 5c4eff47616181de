"""Parse one policy page: decode, metadata table, title, body text and attachments."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from pydantic import BaseModel, Field

from indexer.errors import ContentError
from indexer.html.attachments import find_attachments
from indexer.html.body import clean_body, element_lines, find_body
from indexer.html.decode import decode_html
from indexer.html.metadata import PageMetadata, clean_text, parse_metadata
from kb.models import Attachment


class ParsedPage(BaseModel):
    """What a page says, before it becomes a Policy or an Interpretation."""

    url: str | None = None
    title: str = ""
    metadata: PageMetadata = Field(default_factory=PageMetadata)
    text: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    links: list[tuple[str, str]] = Field(default_factory=list, description="(url, anchor text) in the body")
    encoding: str = "utf-8"
    encoding_method: str = "utf8"
    warnings: list[str] = Field(default_factory=list)


def _reject_binary(text: str, url: str | None) -> None:
    sample = text[:20_000]
    if not sample.strip():
        raise ContentError(f"{url or 'page'}: empty body (空页面)")
    control = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    if control > max(16, len(sample) // 50):
        raise ContentError(f"{url or 'page'}: binary or undecodable content, not HTML (非文本内容)")


def parse_tree(text: str, url: str | None = None) -> lxml_html.HtmlElement:
    """An lxml tree of ``text``; raises ContentError when nothing can be parsed."""
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ContentError(f"{url or 'page'}: cannot parse HTML ({exc})") from exc
    if url:
        root.make_links_absolute(url, resolve_base_href=True, handle_failures="ignore")
    return root


_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s-\s|-(?=[^-]*(?:局|委|办|政府|网|门户|部|厅|中心|窗)[^-]*$)).*$")


def page_title(root: lxml_html.HtmlElement, metadata: PageMetadata) -> str:
    """标题 from the metadata table, else the heading that <title> starts with, else <h1>, else <title>."""
    if metadata.title:
        return metadata.title
    title_tag = next((clean_text(t.text_content()) for t in root.iter("title")), "")
    headings = [clean_text(h.text_content()) for h in root.iter("h1", "h2", "h3")]
    headings = [h for h in headings if len(h) >= 4]
    for heading in headings:
        if title_tag and title_tag.startswith(heading):
            return heading
    h1 = [clean_text(h.text_content()) for h in root.iter("h1")]
    if h1 and h1[0]:
        return h1[0]
    return _SITE_SUFFIX.sub("", title_tag) or title_tag


def parse_page(
    content: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    body_xpaths: list[str] | None = None,
) -> ParsedPage:
    """Parse a policy or interpretation page; raises ContentError for empty, binary or unparseable input."""
    warnings: list[str] = []
    if isinstance(content, bytes):
        decoded = decode_html(content, content_type)
        text, encoding, method = decoded.text, decoded.encoding, decoded.method
        if decoded.lied:
            warnings.append(f"declared charset {decoded.declared} but bytes are {encoding}")
    else:
        text, encoding, method = content, "utf-8", "str"
    _reject_binary(text, url)
    # A few stray control characters pass the binary check, but lxml refuses to move text holding them.
    text = _XML_INCOMPATIBLE.sub("", text)
    root = parse_tree(text, url)
    body = find_body(root, body_xpaths)
    metadata = parse_metadata(root, exclude=body)
    if body is None:
        warnings.append("no article body found")
        lines: list[str] = []
        attachments: list[Attachment] = []
        links: list[tuple[str, str]] = []
    else:
        cleaned = clean_body(body)
        lines = element_lines(cleaned)
        attachments = find_attachments(cleaned, url)
        links = [
            (a.get("href", ""), clean_text(a.text_content())) for a in cleaned.iter("a") if a.get("href")
        ]
    # Some portals put the attachment list just after the body container.
    if body is not None and not attachments:
        attachments = find_attachments(root, url)
    return ParsedPage(
        url=url,
        title=page_title(root, metadata),
        metadata=metadata,
        text="\n".join(lines),
        attachments=attachments,
        links=links,
        encoding=encoding,
        encoding_method=method,
        warnings=warnings,
    )
