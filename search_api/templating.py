"""Jinja2 templates (autoescaped) and the helpers pages use to build filter and page links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from starlette.datastructures import QueryParams

from search_api.sanitize import safe_link

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

templates = Jinja2Templates(directory=TEMPLATES_DIR)

#: Facet name in a search response → the filter parameter it sets, and its Chinese label.
FACET_FILTERS: dict[str, tuple[str, str]] = {
    "validity": ("validity", "效力状态"),
    "document_type": ("document_type", "文件类型"),
    "issuing_bodies": ("issuing_body", "发文机关"),
    "subject_category": ("subject_category", "主题分类"),
    "year": ("year", "发布年份"),
    "audiences": ("audience", "适用对象"),
    "region": ("region", "地区"),
    "source": ("source", "数据来源"),
}
FILTER_LABELS: dict[str, str] = {param: label for param, label in FACET_FILTERS.values()} | {
    "year_from": "起始年份",
    "year_to": "截止年份",
    "date_from": "起始日期",
    "date_to": "截止日期",
}
#: Parameters a page keeps when the visitor changes a filter (the page number resets).
_KEPT = ("q", "sort", "size", *FILTER_LABELS)


def _items(params: QueryParams) -> list[tuple[str, str]]:
    return [(k, v) for k, v in params.multi_items() if k in _KEPT and v != ""]


def toggle_filter_url(params: QueryParams, name: str, value: str) -> str:
    """The search URL with ``name=value`` added, or removed if present; back to page 1."""
    items = _items(params)
    if (name, value) in items:
        items = [item for item in items if item != (name, value)]
    else:
        items.append((name, value))
    return "/?" + urlencode(items)


def page_url(params: QueryParams, page: int) -> str:
    """The same search at another page."""
    return "/?" + urlencode([*_items(params), ("page", str(page))])


def active_filters(params: QueryParams) -> list[tuple[str, str, str, str]]:
    """(parameter, label, value, URL that removes it) for each filter in use."""
    out = []
    for name, value in _items(params):
        if name in FILTER_LABELS:
            out.append((name, FILTER_LABELS[name], value, toggle_filter_url(params, name, value)))
    return out


def page_window(page: int, pages: int, width: int = 2) -> list[int]:
    """Page numbers around the current one, plus the first and last."""
    if pages <= 1:
        return []
    around = range(max(1, page - width), min(pages, page + width) + 1)
    return sorted({1, pages, *around})


templates.env.globals.update(
    toggle_filter_url=toggle_filter_url,
    page_url=page_url,
    active_filters=active_filters,
    page_window=page_window,
    FACET_FILTERS=FACET_FILTERS,
)
templates.env.filters["safe_link"] = safe_link
