"""lawrefbook: laws and regulations with clauses, version chains and validity worked out across versions."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.convert import clauses_of, guess_document_type, parse_date
from indexer.importers.linking import normalize_title
from kb.models import Policy, Provenance, Validity

NAME = "lawrefbook"
DESCRIPTION = "LawRefBook 法律法规 laws.jsonl.gz (法律, 行政法规, 地方性法规, 司法解释, …)"
DEFAULT_PATH = "lawrefbook/laws.jsonl.gz"
# '《个体工商户条例》同时废止' in a newer law is stronger evidence than the dataset's expired flag.
_REPEALS = re.compile(r"《([^《》]{2,60})》[^。；]{0,30}?(?:同时|予以|即行)?废止")


def _version_order(row: dict[str, Any]) -> tuple[str, int, int]:
    # Older versions carry the newest version's publish_date, so the version date decides; ties go to the
    # version whose legislative history (info) is longest, then to the one without a dated file name.
    info_lines = len([x for x in str(row.get("info") or "").splitlines() if x.strip()])
    when = clean(row.get("version_date")) or clean(row.get("publish_date")) or ""
    return when, info_lines, 0 if clean(row.get("version_date")) else 1


def _text(row: dict[str, Any]) -> str:
    # Markdown headings '## 第一章 总则' become plain lines; the clause splitter reads 章/节 from them.
    return re.sub(r"(?m)^#+\s*", "", str(row.get("text") or "")).strip()


def _policy(row: dict[str, Any]) -> Policy:
    text = _text(row)
    level = clean(row.get("level"))
    region = clean(row.get("region"))
    return Policy(
        provenance=Provenance(source=NAME, source_id=str(row["id"])),
        title=str(row["title"]).strip(),
        document_type=guess_document_type(str(row["title"]), None, level),
        level=level,
        region=region,
        subject_category=[c for c in [clean(row.get("category"))] if c and c != region],
        publish_date=parse_date(row.get("version_date")) or parse_date(row.get("publish_date")),
        effective_date=parse_date(row.get("valid_from")),
        text=text,
        clauses=clauses_of(text),
    )


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """All laws; within a title+region group the newest is current and the older ones are 修订 (amended)."""
    groups: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    seen_ids: set[str] = set()
    for line, row in read_jsonl(path, report):
        if not clean(row.get("id")) or not clean(row.get("title")):
            report.error(path, line, "missing id or title")
            continue
        if not clean(row.get("text")):
            report.error(path, line, f"{row['title']}: empty text")
            continue
        if row["id"] in seen_ids:
            # The same law filed under two categories (宪法相关法 and 行政法): one record, not two versions.
            report.note("same id listed twice (two categories), kept once")
            continue
        seen_ids.add(row["id"])
        groups[(str(row["title"]).strip(), clean(row.get("region")) or "")].append((line, row))
    repealed = _repealed_titles(groups)
    for rows in groups.values():
        rows.sort(key=lambda item: _version_order(item[1]))
        policies = [_policy(row) for _, row in rows]
        keys = [f"{NAME}:{p.provenance.source_id}" for p in policies]
        for i, (policy, (line, row)) in enumerate(zip(policies, rows, strict=True)):
            update: dict[str, Any] = {}
            if i < len(policies) - 1:
                newer = policies[i + 1]
                update = {
                    "validity": Validity.AMENDED,
                    "validity_stated": False,
                    "superseded_by": [keys[i + 1]],
                    "expiry_date": newer.effective_date or newer.publish_date,
                }
                report.note("older version marked 修订 (superseded)")
            elif (
                f"{normalize_title(policy.title)}|{policy.region or ''}" in repealed
                and row.get("expired") is not True
            ):
                repealer = repealed[f"{normalize_title(policy.title)}|{policy.region or ''}"]
                update = {
                    "validity": Validity.REPEALED,
                    "validity_stated": False,
                    "superseded_by": [repealer],
                }
                report.note("expired flag corrected: repealed by a newer law")
            elif row.get("expired") is True:
                update = {"validity": Validity.EXPIRED, "validity_stated": True}
            elif row.get("expired") is False:
                update = {"validity": Validity.VALID, "validity_stated": True}
            if i > 0:
                update["supersedes"] = [keys[i - 1]]
            yield policy.model_copy(update=update), line


def _enacted(row: dict[str, Any]) -> str:
    """The first date of a law's legislative history (info), as ISO text; its publish date otherwise."""
    dates = [parse_date(line) for line in str(row.get("info") or "").splitlines()]
    known = [d for d in dates if d is not None]
    first = min(known) if known else parse_date(row.get("publish_date"))
    return first.isoformat() if first else ""


def _repealed_titles(groups: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]]) -> dict[str, str]:
    """Titles (same region) named as repealed in a law enacted after them → the key of the repealing law."""
    newest: dict[tuple[str, str], str] = {}
    for (title, region), rows in groups.items():
        dates = [str(clean(r.get("version_date")) or clean(r.get("publish_date")) or "") for _, r in rows]
        newest[(normalize_title(title), region)] = max(dates)
    repealed: dict[str, str] = {}
    for (title, region), rows in groups.items():
        for _line, row in rows:
            tail = str(row.get("text") or "")[-1500:]  # the 附则 at the end says what it replaces
            enacted = _enacted(row)
            for named in _REPEALS.findall(tail):
                key = (normalize_title(named), region)
                # A law of the same title enacted later (国家安全法 2015 after 反间谍法 2014) is not repealed.
                if (
                    key in newest
                    and key[0] != normalize_title(title)
                    and newest[key]
                    and newest[key] < enacted
                ):
                    repealed.setdefault(f"{key[0]}|{region}", f"{NAME}:{row['id']}")
    return repealed
