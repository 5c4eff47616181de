"""All 60 saved gov.cn pages parse to exactly the metadata in expected_metadata.jsonl."""

from __future__ import annotations

import json
import re
from pathlib import Path

from indexer.html.page import parse_page

FIELDS = (
    "index_number",
    "subject_category",
    "issuing_body",
    "written_date",
    "doc_number",
    "publish_date",
    "keywords",
)
# The reference texts were cut by a crawler that kept the QR-code caption below the body and the end of an
# HTML comment; we drop share/QR boilerplate on purpose, so exactly this trailer is removed before comparing.
QR_TRAILER = re.compile(r"扫一扫在手机打开当前页\s*(-->)?\s*$")
_WS = re.compile(r"\s+")


def _expected(shared: Path) -> list[dict[str, str]]:
    with (shared / "govcn_pages" / "expected_metadata.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_all_sixty_pages_match_expected_metadata_field_by_field(shared_data_dir: Path) -> None:
    expected = _expected(shared_data_dir)
    assert len(expected) == 60
    mismatches: list[str] = []
    for row in expected:
        page = parse_page((shared_data_dir / "govcn_pages" / row["html_file"]).read_bytes(), row["url"])
        if page.title != row["title"]:
            mismatches.append(f"{row['id']} title: got {page.title!r}, want {row['title']!r}")
        for field in FIELDS:
            got = getattr(page.metadata, field) or ""
            if got != row[field]:
                mismatches.append(f"{row['id']} {field}: got {got!r}, want {row[field]!r}")
    assert not mismatches, f"{len(mismatches)} field mismatches:\n" + "\n".join(mismatches)


def test_all_sixty_bodies_match_expected_text_after_whitespace_normalization(shared_data_dir: Path) -> None:
    mismatches: list[str] = []
    for row in _expected(shared_data_dir):
        page = parse_page((shared_data_dir / "govcn_pages" / row["html_file"]).read_bytes(), row["url"])
        want = _WS.sub("", QR_TRAILER.sub("", row["text"]))
        got = _WS.sub("", page.text)
        if got != want:
            at = next(
                (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            mismatches.append(
                f"{row['id']}: differs at {at}: got …{got[at - 10 : at + 30]!r} "
                f"want …{want[at - 10 : at + 30]!r}"
            )
    assert not mismatches, "\n".join(mismatches)
