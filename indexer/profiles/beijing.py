"""beijing.gov.cn 首都之窗 policy and 政策解读 pages (TRS: createPageHTML pagination, TRS_UEDITOR body).

Config: indexer/profiles/data/beijing.yaml.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from indexer.html.decode import decode_html
from indexer.profiles.common import DetailPage, ListPage, default_parse_detail, default_parse_list
from indexer.profiles.model import SiteProfile

DESCRIPTION = "www.beijing.gov.cn 政策文件 and 政策解读 columns (TRS WCM pages)"
# TRS writes pagination with JavaScript: createPageHTML(总页数, 当前页, "index", "html").
_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]"
)


def _trs_pages(text: str, url: str) -> list[str]:
    match = _PAGER.search(text)
    if not match:
        return []
    total, current, stem, ext = int(match[1]), int(match[2]), match[3], match[4]
    # Page 0 is index.html, page n is index_n.html; we only need the next one (the crawler follows on).
    if current + 1 >= total:
        return []
    return [urljoin(url, f"{stem}_{current + 1}.{ext}")]


def parse_list(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> ListPage:
    """Article links of a column page; the next page from createPageHTML or a 下一页 link."""
    listing = default_parse_list(content, url, content_type, profile)
    pages = _trs_pages(decode_html(content, content_type).text, url)
    return listing.model_copy(update={"next_urls": list(dict.fromkeys([*pages, *listing.next_urls]))})


def parse_detail(content: bytes, url: str, content_type: str | None, profile: SiteProfile) -> DetailPage:
    """A policy page with its [索引号]/[发文机构] header, or a 解读 whose 相关文件 link names it."""
    return default_parse_detail(content, url, content_type, profile)
