"""govcn_pages: saved gov.cn State Council pages, parsed with our own page parser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.errors import ContentError
from indexer.html.page import ParsedPage, parse_page
from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.convert import (
    clauses_of,
    doc_number_key,
    guess_document_type,
    parse_date,
    parse_validity,
    split_list,
)
from kb.models import Policy, Provenance, Validity

NAME = "govcn"
DESCRIPTION = "gov.cn 国务院政策文件 pages (HTML + expected_metadata.jsonl manifest)"
DEFAULT_PATH = "govcn_pages"


def policy_from_page(page: ParsedPage, source: str, source_id: str, url: str | None) -> Policy:
    """A Policy from a parsed 政府信息公开 page."""
    meta = page.metadata
    validity = parse_validity(meta.validity)
    return Policy(
        provenance=Provenance(source=source, source_id=source_id, url=url),
        title=page.title,
        doc_number=clean(meta.doc_number),
        doc_number_key=doc_number_key(clean(meta.doc_number)),
        issuing_bodies=split_list(meta.issuing_body, "、，,;；"),
        index_number=clean(meta.index_number),
        subject_category=[p for p in (meta.subject_category or "").split("\\") if p.strip()],
        document_type=guess_document_type(page.title, meta.doc_number),
        written_date=parse_date(meta.written_date),
        publish_date=parse_date(meta.publish_date),
        effective_date=parse_date(meta.effective_date),
        expiry_date=parse_date(meta.expiry_date),
        validity=validity,
        validity_stated=validity is not Validity.UNKNOWN,
        keywords=split_list(meta.keywords),
        text=page.text,
        clauses=clauses_of(page.text),
        attachments=page.attachments,
    )


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
