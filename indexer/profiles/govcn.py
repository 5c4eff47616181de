"""gov.cn 国务院政策文件库: list pages of content_*.htm links, detail pages with the 政府信息公开 table.

Config: indexer/profiles/data/govcn.yaml.
"""

from __future__ import annotations

import re

from indexer.profiles.common import DetailPage, ListPage, default_parse_detail, default_parse_list
from indexer.profiles.model import SiteProfile

_CONTENT_ID = re.compile(r"content_(\d+)\.htm")
DESCRIPTION = "www.gov.cn State Council policy library (UCAP-CONTENT body, metadata table)"


def parse_list(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> ListPage:
    """content_<id>.htm links and the next list page."""
    return default_parse_list(content, url, content_type, profile)


def parse_detail(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> DetailPage:
    """The 政府信息公开 page; 解读 pages (/zhengce/<date>/content_*.htm) link their 原文."""
    return default_parse_detail(content, url, content_type, profile)


def source_id(url: str) -> str:
    """The content number (content_5365945.htm -> 5365945): the same key as the govcn_pages dataset."""
    match = _CONTENT_ID.search(url)
    return match.group(1) if match else url
