"""hebei: Hebei province policy documents, 解读 (linked to their policies) and annual reports."""

from __future__ import annotations

import ast
import hashlib
import re
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
    parse_validity,
)
from indexer.importers.linking import (
    interpretation_kind,
    is_interpretation_title,
    link_interpretation,
    verified_explicit,
)
from kb.models import Attachment, DocumentType, Interpretation, Policy, Provenance, Validity

NAME = "hebei"
DESCRIPTION = "河北省政府及厅局 documents.jsonl.gz (文件, 解读, 年报) + interpretation_links.jsonl"
ROW_FILES = ("documents.jsonl.gz",)
#: Its 解读 link to policies: import_dataset preloads the store's policies when run alone.
LINKS_POLICIES = True
DEFAULT_PATH = "hebei"
SHORT_TEXT = 50
_ANNUAL = re.compile(r"(信息公开.{0,6}年度报告|信息公开年报|年度报告$)")
_STATUTE = re.compile(r"(条例|办法|规定|细则)(（试行）)?$")
_CITED = re.compile(r"[》>]\s*[（(]\s*$")  # '印发《…》（' right before a 文号 means it is cited, not owned


def own_doc_number(guess: str | None, title: str, text: str) -> str | None:
    """The document's own 文号: the guess if title or opening carry it uncited, else one found there."""
    head = text[:200]
    if guess and (guess in title or _uncited(head, guess)):
        return guess
    for raw, _key, start in doc_numbers_in(head):
        if not _CITED.search(head[max(0, start - 3) : start]):
            return raw
    return None


def _uncited(head: str, number: str) -> bool:
    position = head.find(number)
    return position >= 0 and not _CITED.search(head[max(0, position - 3) : position])


def _attachments(value: Any) -> list[Attachment]:
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = []
    found: list[Attachment] = []
    for item in value or []:
        url = repair_url(str(item.get("link") if isinstance(item, dict) else item))
        title = (
            str(item.get("mark")) if isinstance(item, dict) and item.get("mark") else url.rsplit("/", 1)[-1]
        )
        found.append(Attachment(title=title, url=url, file_type=file_type_of(url)))
    return found


def _fingerprint(row: dict[str, Any]) -> str:
    blob = f"{row.get('title')}\x00{row.get('text')}".encode()
    return hashlib.sha1(blob).hexdigest()


def _policy(row: dict[str, Any], report: ImportReport) -> Policy:
    title, text = str(row["title"]).strip(), clean(row.get("text")) or ""
    guess = clean(row.get("doc_number_guess"))
    number = own_doc_number(guess, title, text)
    if guess and number != guess:
        report.note("doc_number_guess rejected (cited another document)")
    annual = _ANNUAL.search(title) is not None
    if row.get("doc_kind") == "年报" and not annual:
        report.note("年报 label corrected to policy (title is a policy)")
    validity = parse_validity(clean(row.get("validity")))
    category = clean(row.get("category"))
    return Policy(
        provenance=Provenance(source=NAME, source_id=str(row["id"]), url=clean(row.get("url"))),
        title=title,
        doc_number=number,
        doc_number_key=doc_number_key(number),
        subject_category=[category] if category else [],
        document_type=DocumentType.ANNUAL_REPORT if annual else guess_document_type(title, number),
        level="省级",
        region="河北",
        publish_date=parse_date(row.get("date")),
        validity=validity,
        validity_stated=validity is not Validity.UNKNOWN,
        text=text,
        clauses=clauses_of(text),
        attachments=_attachments(row.get("attachments")),
    )


def _explicit_links(root: Path, report: ImportReport) -> dict[str, tuple[list[dict[str, str]], str | None]]:
    path = root / "interpretation_links.jsonl"
    if not path.exists():
        return {}
    links: dict[str, tuple[list[dict[str, str]], str | None]] = {}
    for _line, row in read_jsonl(path, ImportReport(dataset=NAME, path=str(path))):
        originals = row.get("originals") or []
        if isinstance(originals, str):
            originals = ast.literal_eval(originals)
        links[str(row.get("interpretation_title", "")).strip()] = (
            originals,
            clean(row.get("doc_number_ref")),
        )
    report.note("explicit link candidates (interpretation_links.jsonl)", len(links))
    return links


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """Policies first, then 解读 linked against every policy known so far (this dataset and earlier ones)."""
    root = path if path.is_dir() else path.parent
    documents = root / "documents.jsonl.gz" if path.is_dir() else path
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, str] = {}
    texts: dict[str, str] = {}
    for line, row in read_jsonl(documents, report):
        if not clean(row.get("id")) or not clean(row.get("title")):
            report.error(documents, line, "missing id or title")
            continue
        fingerprint = _fingerprint(row)
        base_id = re.sub(r"-\d+$", "", str(row["id"]))
        if base_id != row["id"] and seen.get(base_id) == fingerprint:
            report.note("exact duplicate skipped (-N id)")
            continue
        seen[str(row["id"])] = fingerprint
        text = clean(row.get("text")) or ""
        if len(text) >= SHORT_TEXT:
            if text in texts and texts[text] != row["title"]:
                report.note("identical text under a different title, kept")
            texts.setdefault(text, str(row["title"]))
        if len(clean(row.get("text")) or "") < SHORT_TEXT:
            report.note("empty or short text (title only), kept")
        rows.append((line, row))
    interpretations: list[tuple[int, dict[str, Any]]] = []
    for line, row in rows:
        if row.get("doc_kind") == "解读" or is_interpretation_title(str(row["title"])):
            interpretations.append((line, row))
            continue
        policy = _policy(row, report)
        if (
            _STATUTE.search(policy.title)
            and len(policy.text) > 500
            and not [c for c in policy.clauses if c.number]
        ):
            report.note("statute text without 第X条 headings (no clauses)")
        context.policy_index.add(policy)  # the runner adds it too; needed here when called directly
        yield policy, line
    explicit = _explicit_links(root, report)
    for line, row in interpretations:
        yield _interpretation(row, report, context, explicit), line


def _interpretation(
    row: dict[str, Any],
    report: ImportReport,
    context: ImportContext,
    explicit: dict[str, tuple[list[dict[str, str]], str | None]],
) -> Interpretation:
    title, text = str(row["title"]).strip(), clean(row.get("text")) or ""
    confirmed: list[str] = []
    if title in explicit:
        originals, ref = explicit[title]
        confirmed = verified_explicit(originals, ref, context.policy_index)
        report.note("explicit link confirmed" if confirmed else "explicit link not confirmed (dropped)")
    result = link_interpretation(title, text, context.policy_index, explicit=confirmed)
    report.note(f"解读 linked by {result.evidence}" if result.evidence else "解读 not linked (no evidence)")
    return Interpretation(
        provenance=Provenance(source=NAME, source_id=str(row["id"]), url=clean(row.get("url"))),
        title=title,
        kind=interpretation_kind(title),
        publish_date=parse_date(row.get("date")),
        text=text,
        policy_keys=result.policy_keys,
    )
