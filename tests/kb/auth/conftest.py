"""The store on SQLite and on the real PostgreSQL, with this package's tables emptied for each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete

from kb.store import Store
from kb.store.tables import ApiKeyRow, QuestionEventRow, UnansweredQuestionRow


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store; on PostgreSQL the session database is shared, so our tables are cleared first."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'auth.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    st = Store(url)
    with st.write_session() as session:
        for table in (QuestionEventRow, UnansweredQuestionRow, ApiKeyRow):
            session.execute(delete(table))
    yield st
    st.close()
