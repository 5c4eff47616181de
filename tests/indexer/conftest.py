"""Fixtures of the indexer tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """../shared/data (POLICYKB_SHARED_DATA overrides); fails loudly when missing."""
    path = Path(os.environ.get("POLICYKB_SHARED_DATA", REPO.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.fail(f"shared data not found at {path}; set POLICYKB_SHARED_DATA")
    return path


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
