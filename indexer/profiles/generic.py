"""Generic profile: an unknown government site — title, date and body found by heuristics.

Config: indexer/profiles/data/generic.yaml (start URLs are usually given with ``--start-url``).
"""

from __future__ import annotations

import re

from indexer.profiles.common import DetailPage, ListPage, default_parse_detail, default_parse_list
from indexer.profiles.model import SiteProfile

DESCRIPTION = "any site: links that look like articles, the densest text block as body"
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def parse_list(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> ListPage:
    """Same-site article links (by the profile's pattern) and 下一页 links."""
    listing = default_parse_list(content, url, content_type, profile)
    hosts = tuple(profile.allowed_hosts)
    keep = [u for u in listing.detail_urls if any(f"//{h}" in u for h in hosts)]
    return listing.model_copy(update={"detail_urls": keep})


def parse_detail(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> DetailPage:
    """Detail by the generic parser; a date near the title when the page has no metadata table."""
    detail = default_parse_detail(content, url, content_type, profile)
    page = detail.page
    if not page.metadata.publish_date:
        head = page.text[:300]
        match = _DATE.search(head) or _DATE.search(url)
        if match:
            metadata = page.metadata.model_copy(update={"publish_date": "-".join(match.groups())})
            detail = detail.model_copy(update={"page": page.model_copy(update={"metadata": metadata})})
    return detail
