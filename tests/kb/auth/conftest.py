"""A fresh store database per test for the auth tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kb.store.engine import create_store_engine
from kb.store.tables import Base, RevisionCounter


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = create_store_engine(f"sqlite:///{tmp_path / 'auth.db'}")
    Base.metadata.create_all(eng)
    with eng.begin() as conn:
        conn.execute(RevisionCounter.__table__.insert().values(id=1, value=0))
    yield eng
    eng.dispose()
