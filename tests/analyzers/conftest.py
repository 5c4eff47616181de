"""Real documents from shared data for the analyzer tests."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest


def _jsonl_texts(path: Path, field: str, step: int, limit: int) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in itertools.islice(handle, 0, None, step))
        return [text for row in itertools.islice(rows, limit) if (text := row.get(field))]


@pytest.fixture(scope="session")
def seed_text(shared_data: Path) -> str:
    return (shared_data / "seed" / "beijing_policy_service_measures_2022.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_documents(shared_data: Path, seed_text: str) -> list[str]:
    """A spread of real policy text: statutes, Hebei documents, epidemic notices, Q&A answers, the seed."""
    return [
        seed_text,
        *_jsonl_texts(shared_data / "lawrefbook" / "laws.jsonl.gz", "text", 25, 140),
        *_jsonl_texts(shared_data / "hebei" / "documents.jsonl.gz", "text", 9, 300),
        *_jsonl_texts(shared_data / "ncp_qa" / "corpus_docs.jsonl", "text", 4, 150),
        *_jsonl_texts(shared_data / "ncp_qa" / "qa_pairs_dev.jsonl", "answer", 10, 250),
    ]
