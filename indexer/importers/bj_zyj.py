"""bj_zyj: Beijing Administration of Traditional Chinese Medicine notices (beijing.gov.cn TRS pages)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.html.attachments import file_type_of, repair_url
from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.convert import (
    clauses_of,
    doc_number_key,
    doc_numbers_in,
    guess_document_type,
    parse_date,
)
from indexer.importers.linking import interpretation_kind, is_interpretation_title, link_interpretation
from kb.models import Attachment, DocumentType, Interpretation, Policy, Provenance

NAME = "bj_zyj"
DESCRIPTION = "北京市中医管理局 通知公告 notices.jsonl"
#: Its 解读 link to policies: import_dataset preloads the store's policies when run alone.
LINKS_POLICIES = True
DEFAULT_PATH = "bj_zyj/notices.jsonl"


def _attachments(value: Any) -> list[Attachment]:
    # The dataset stores the list as a Python repr string: "[{'mark': …, 'link': …}]".
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value) if value.strip() else []
        except (ValueError, SyntaxError):
            return []
    found = []
    for item in value or []:
        if isinstance(item, dict) and item.get("link"):
            url = repair_url(str(item["link"]))
            found.append(
                Attachment(
                    title=str(item.get("mark") or url.rsplit("/", 1)[-1]),
                    url=url,
                    file_type=file_type_of(url),
                )
            )
    return found


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """Notices as Policies (通知公告, 北京, 市级); 解读-titled ones as Interpretations."""
    for line, row in read_jsonl(path, report):
        title, text = clean(row.get("title")), clean(row.get("text")) or ""
        if not clean(row.get("id")) or not title:
            report.error(path, line, "missing id or title")
            continue
        provenance = Provenance(source=NAME, source_id=str(row["id"]), url=clean(row.get("url")))
        org = clean(row.get("source_org"))
        if is_interpretation_title(title):
            result = link_interpretation(title, text, context.policy_index)
            report.note(
                f"解读 linked by {result.evidence}" if result.evidence else "解读 not linked (no evidence)"
            )
            yield (
                Interpretation(
                    provenance=provenance,
                    title=title,
                    kind=interpretation_kind(title),
                    publisher=org,
                    publish_date=parse_date(row.get("publish_date")),
                    text=text,
                    policy_keys=result.policy_keys,
                ),
                line,
            )
            continue
        own = [raw for raw, _key, start in doc_numbers_in(text[:120]) if start < 120]
        number = own[0] if own else None
        document_type = guess_document_type(title, number)
        yield (
            Policy(
                provenance=provenance,
                title=title,
                doc_number=number,
                doc_number_key=doc_number_key(number),
                issuing_bodies=[org] if org else [],
                document_type=DocumentType.NOTICE if document_type is DocumentType.OTHER else document_type,
                level="市级",
                region="北京",
                publish_date=parse_date(row.get("publish_date")),
                text=text,
                clauses=clauses_of(text),
                attachments=_attachments(row.get("attachments")),
            ),
            line,
        )
