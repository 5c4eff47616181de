"""Highlights of random real documents (../shared/data) are the original text once the markers are removed.

The texts are messy on purpose: full-width digits, traditional characters, markdown, HTML-ish symbols,
ZWSP-free CJK runs. For each sampled document we query a window of its own text and check every hit.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kb.models import Policy, Provenance
from kb.search.base import BaseSearchBackend, IndexKind, SearchQuery
from kb.search.documents import policy_document
from kb.search.highlight import EM_OPEN, plain_text

SAMPLE = 40
SEED = 20261203


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _sample(shared_data: Path) -> list[Policy]:
    rng = random.Random(SEED)
    pools: list[list[tuple[str, str, str]]] = [
        [
            (r["id"], r["title"], r.get("text") or "")
            for r in _read_jsonl(shared_data / "lawrefbook/laws.jsonl.gz")
        ],
        [
            (r["id"], r["title"], r.get("text") or "")
            for r in _read_jsonl(shared_data / "hebei/documents.jsonl.gz")
        ],
        [
            (r["docid"], r.get("title_guess") or r["docid"], r.get("text") or "")
            for r in _read_jsonl(shared_data / "ncp_qa/corpus_docs.jsonl")
        ],
    ]
    chosen: list[Policy] = []
    for pool in pools:
        usable = [row for row in pool if len(row[2]) >= 200 and row[1].strip()]
        for source_id, title, text in rng.sample(usable, SAMPLE // len(pools) + 1):
            # Cap the body: the point is the mapping, not indexing whole codes of law on a shared machine.
            chosen.append(
                Policy(
                    id=len(chosen) + 1,
                    provenance=Provenance(source="shared", source_id=source_id),
                    title=title,
                    text=text[:20_000],
                )
            )
    return chosen


@pytest.fixture(scope="module")
def real_policies(shared_data: Path) -> list[Policy]:
    return _sample(shared_data)


def _window(rng: random.Random, text: str) -> str:
    for _ in range(20):
        start = rng.randrange(0, max(1, len(text) - 12))
        piece = text[start : start + rng.randint(4, 10)].strip()
        if sum(ch.isalnum() for ch in piece) >= 3:
            return piece
    return text[:8]


def test_highlights_equal_the_original_text(make_backend: Any, real_policies: list[Policy]) -> None:
    backend: BaseSearchBackend = make_backend()
    index = backend.index(IndexKind.POLICIES)
    report = index.bulk_index([policy_document(p) for p in real_policies])
    assert report.ok and report.indexed == len(real_policies), report.failed[:3]
    index.refresh()
    originals = {p.id: p for p in real_policies}
    rng = random.Random(SEED + 1)
    checked = marked = 0
    for policy in real_policies:
        query = _window(rng, policy.text)
        for hit in backend.search(SearchQuery(text=query, size=20)).hits:
            original = originals[hit.id]
            if hit.title_highlight is not None:
                assert plain_text(hit.title_highlight) == original.title, (query, hit.title_highlight)
                marked += EM_OPEN in hit.title_highlight
            assert hit.highlight is not None
            shown = plain_text(hit.highlight)
            assert shown and shown in original.text, (query, hit.id, hit.highlight[:200])
            marked += EM_OPEN in hit.highlight
            if hit.clause is not None and hit.clause.highlight is not None:
                assert plain_text(hit.clause.highlight) == hit.clause.text
                assert hit.clause.text in original.text
            checked += 1
    assert checked >= len(real_policies)
    assert marked >= len(real_policies) // 2, f"only {marked} highlights carried a match"
