"""govcn_pages: saved gov.cn State Council pages, parsed with our own page parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.errors import ContentError
from indexer.html.page import parse_page
from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.pages import policy_from_page

NAME = "govcn"
DESCRIPTION = "gov.cn 国务院政策文件 pages (HTML + expected_metadata.jsonl manifest)"
DEFAULT_PATH = "govcn_pages"


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """One Policy per page listed in expected_metadata.jsonl (level 国家, region 全国)."""
    root = path if path.is_dir() else path.parent
    manifest = root / "expected_metadata.jsonl"
    for line, row in read_jsonl(manifest, report):
        source_id = clean(row.get("id"))
        html_file = root / str(row.get("html_file") or f"html/govcn_content_{source_id}.html")
        if not source_id:
            report.error(manifest, line, "no id")
            continue
        try:
            page = parse_page(html_file.read_bytes(), row.get("url"))
        except OSError as exc:
            report.error(manifest, line, f"page file missing: {html_file} ({exc.strerror})")
            continue
        except ContentError as exc:
            report.error(manifest, line, str(exc))
            continue
        if not page.title:
            report.error(manifest, line, "page has no title")
            continue
        policy = policy_from_page(page, NAME, source_id, row.get("url"))
        yield policy.model_copy(update={"level": "国家", "region": "全国"}), line
