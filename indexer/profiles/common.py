"""What adapters share: selecting by XPath or CSS, the list/detail results, and the default parsers."""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urldefrag, urljoin

from lxml import etree
from lxml import html as lxml_html
from pydantic import BaseModel, Field

from indexer.errors import ProfileError
from indexer.html.attachments import file_type_of
from indexer.html.decode import decode_html
from indexer.html.metadata import clean_text
from indexer.html.page import ParsedPage, parse_page, parse_tree
from indexer.profiles.model import SiteProfile


class ListPage(BaseModel):
    """Links found on a list (column) page."""

    detail_urls: list[str] = Field(default_factory=list)
    next_urls: list[str] = Field(default_factory=list)
    attachment_urls: list[str] = Field(default_factory=list, description="documents linked directly")


class DetailPage(BaseModel):
    """A parsed detail page, and whether it is a policy or a 解读 (with the policy links it names)."""

    kind: Literal["policy", "interpretation"]
    page: ParsedPage
    policy_urls: list[str] = Field(default_factory=list)


def select(root: lxml_html.HtmlElement, rules: list[str]) -> list[str]:
    """Strings selected by XPath rules or 'css:' rules; elements give their href, else their text."""
    found: list[str] = []
    for rule in rules:
        try:
            if rule.startswith("css:"):
                results: list[object] = list(root.cssselect(rule[4:]))
            else:
                results = list(root.xpath(rule))
        except (etree.XPathError, SyntaxError, ValueError) as exc:
            raise ProfileError(f"invalid selector {rule!r}: {exc}") from exc
        for result in results:
            if isinstance(result, lxml_html.HtmlElement):
                value = result.get("href") or clean_text(result.text_content())
            else:
                value = clean_text(str(result))
            if value:
                found.append(value)
    return found


def absolute(urls: list[str], base: str) -> list[str]:
    """Absolute URLs without fragments, in order, deduplicated; javascript:/mailto: dropped."""
    out: list[str] = []
    for url in urls:
        url = url.strip()
        if not url or url.startswith(("javascript:", "mailto:", "#")):
            continue
        full = urldefrag(urljoin(base, url))[0]
        if full not in out:
            out.append(full)
    return out


def tree_of(content: bytes, url: str, content_type: str | None) -> lxml_html.HtmlElement:
    return parse_tree(decode_html(content, content_type).text, url)


def default_parse_list(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> ListPage:
    """Detail links and next-page links by the profile's list rules."""
    root = tree_of(content, url, content_type)
    links = absolute(select(root, profile.list.detail_links), url)
    pattern = re.compile(profile.list.detail_url_pattern) if profile.list.detail_url_pattern else None
    details, attachments = [], []
    for link in links:
        if file_type_of(link):
            attachments.append(link)
        elif pattern is None or pattern.search(link):
            details.append(link)
    return ListPage(
        detail_urls=details,
        next_urls=absolute(select(root, profile.list.next_page), url),
        attachment_urls=attachments,
    )


def is_interpretation(page: ParsedPage, url: str, profile: SiteProfile) -> bool:
    """A 解读 by its title words or by its 栏目 (URL path)."""
    rules = profile.interpretation
    if rules.url_pattern and re.search(rules.url_pattern, url):
        return True
    return re.search(rules.title_pattern, page.title) is not None


def default_parse_detail(
    content: bytes, url: str, content_type: str | None, profile: SiteProfile
) -> DetailPage:
    """The page parsed with the profile's body rules; title/date/issuer rules override the metadata table."""
    page = parse_page(content, url, content_type=content_type, body_xpaths=profile.detail.body or None)
    root = tree_of(content, url, content_type)
    updates: dict[str, object] = {}
    if profile.detail.title and (titles := select(root, profile.detail.title)):
        updates["title"] = titles[0]
    meta_updates = {}
    if profile.detail.publish_date and (dates := select(root, profile.detail.publish_date)):
        meta_updates["publish_date"] = dates[0]
    if profile.detail.issuing_body and (bodies := select(root, profile.detail.issuing_body)):
        meta_updates["issuing_body"] = bodies[0]
    if meta_updates:
        updates["metadata"] = page.metadata.model_copy(update=meta_updates)
    page = page.model_copy(update=updates)
    if is_interpretation(page, url, profile):
        links = absolute(select(root, profile.interpretation.policy_links), url)
        return DetailPage(kind="interpretation", page=page, policy_urls=[u for u in links if u != url])
    return DetailPage(kind="policy", page=page)
