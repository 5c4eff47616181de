"""报备目录 (article 8): 文号, 标题, 成文日期, 公开属性, 是否属于行政规范性文件, 发布日期, 发布形式."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from indexer.importers.base import ImportReport, Record, RecordsFn, clean
from indexer.importers.context import ImportContext
from indexer.importers.convert import doc_number_key, guess_document_type, parse_date, split_list
from indexer.importers.tabular import read_rows
from kb.models import DocumentType, Policy, Provenance

NAME = "catalog"
COLUMNS_FILE = Path(__file__).with_name("data") / "catalog_columns.yaml"
REQUIRED = ("title",)
_NOT_PUBLIC = re.compile(r"(不予公开|不公开|依申请公开)")


@lru_cache(maxsize=1)
def _columns() -> dict[str, str]:
    data: dict[str, list[str]] = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    return {re.sub(r"\s+", "", variant): field for field, variants in data.items() for variant in variants}


def _fields(row: dict[str, Any]) -> dict[str, str | None]:
    columns = _columns()
    fields: dict[str, str | None] = {}
    for header, value in row.items():
        field = columns.get(re.sub(r"\s+", "", str(header)))
        if field:
            fields[field] = clean(value.isoformat() if hasattr(value, "isoformat") else value)
    return fields


def catalog_records(source: str) -> RecordsFn:
    """A records() function for one agency's 报备目录; ``source`` names the agency or site."""

    def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
        for line, row in read_rows(path, report):
            fields = _fields(row)
            if not fields.get("title"):
                report.error(path, line, "标题 (title) is empty or the column is missing")
                continue
            disclosure = fields.get("disclosure") or ""
            if _NOT_PUBLIC.search(disclosure):
                # Only 主动公开 entries belong in a public knowledge base.
                report.note(f"skipped: 公开属性 {disclosure}")
                continue
            title, number = str(fields["title"]), fields.get("doc_number")
            normative = fields.get("normative")
            if normative in ("是", "Y", "y", "true", "True", "1"):
                document_type = DocumentType.NORMATIVE_DOCUMENT
            elif normative in ("否", "N", "n", "false", "False", "0"):
                document_type = guess_document_type(title, number)
                if document_type is DocumentType.NORMATIVE_DOCUMENT:
                    document_type = DocumentType.OTHER
            else:
                document_type = guess_document_type(title, number)
            # 发布形式 (公报 / 网站 …) has no field in the model; it is read but not kept.
            key = doc_number_key(number)
            source_id = key or hashlib.sha1(title.encode()).hexdigest()[:16]
            yield (
                Policy(
                    provenance=Provenance(source=source, source_id=source_id),
                    title=title,
                    doc_number=number,
                    doc_number_key=key,
                    issuing_bodies=split_list(fields.get("issuing_body"), "、，,;；"),
                    document_type=document_type,
                    written_date=parse_date(fields.get("written_date")),
                    publish_date=parse_date(fields.get("publish_date")),
                ),
                line,
            )

    return records
