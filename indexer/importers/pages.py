"""Parsed HTML pages as kb records (shared by the govcn importer and the crawler)."""

from __future__ import annotations

from indexer.html.page import ParsedPage
from indexer.importers.base import clean
from indexer.importers.convert import (
    clauses_of,
    doc_number_key,
    guess_document_type,
    parse_date,
    parse_validity,
    split_list,
)
from indexer.importers.linking import interpretation_kind
from kb.models import Interpretation, Policy, Provenance, Validity


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


def interpretation_from_page(
    page: ParsedPage, source: str, source_id: str, url: str | None, policy_keys: list[str]
) -> Interpretation:
    """An Interpretation (政策解读) from a parsed page, linked to ``policy_keys``."""
    return Interpretation(
        provenance=Provenance(source=source, source_id=source_id, url=url),
        title=page.title,
        kind=interpretation_kind(page.title),
        publisher=clean(page.metadata.issuing_body),
        publish_date=parse_date(page.metadata.publish_date),
        text=page.text,
        policy_keys=policy_keys,
    )
