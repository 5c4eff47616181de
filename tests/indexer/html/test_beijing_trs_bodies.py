"""Real beijing.gov.cn TRS article markup (bj_zyj) parses to the dataset's text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from indexer.html.page import parse_page

_WS = re.compile(r"\s+")


def test_every_trs_ueditor_body_matches_the_dataset_text(shared_data_dir: Path) -> None:
    rows = [
        json.loads(line) for line in (shared_data_dir / "bj_zyj" / "notices.jsonl").open(encoding="utf-8")
    ]
    with_html = [r for r in rows if r.get("article_html")]
    assert len(with_html) >= 80
    mismatches = []
    for row in with_html:
        page = parse_page(f"<html><body>{row['article_html']}</body></html>".encode(), row["url"])
        if _WS.sub("", page.text) != _WS.sub("", row["text"] or ""):
            mismatches.append(row["id"])
    assert not mismatches, f"{len(mismatches)} bodies differ: {mismatches[:10]}"
