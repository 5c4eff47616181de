"""Fixtures for the vocabulary tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def seed_text(shared_data: Path) -> str:
    return (shared_data / "seed" / "beijing_policy_service_measures_2022.txt").read_text(encoding="utf-8")
