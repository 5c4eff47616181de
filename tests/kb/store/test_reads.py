"""Reads the web app and the indexers use: batches by id, interpretations per policy, settings, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from store_factories import make_interpretation, make_policy, make_qa

from kb.models import InterpretationKind, QAStatus
from kb.settings import Settings
from kb.store import Store


def test_get_policies_keeps_the_asked_order_and_skips_missing(store: Store) -> None:
    ids = store.upsert_policies([make_policy(f"p{i}") for i in range(3)]).inserted_ids
    wanted = [ids[2], 999_999, ids[0]]
    assert [p.id for p in store.get_policies(wanted)] == [ids[2], ids[0]]
    assert store.get_policies([]) == []
    assert store.get_policy(999_999) is None and store.get_policy_by_key("test", "nope") is None


def test_interpretations_for_several_policies_newest_first(store: Store) -> None:
    a, b, c = store.upsert_policies([make_policy("a"), make_policy("b"), make_policy("c")]).inserted_ids
    store.upsert_interpretations(
        [
            make_interpretation("old", ["test:a"], publish_date=date(2023, 1, 1)),
            make_interpretation("new", ["test:a", "test:b"], publish_date=date(2024, 6, 1)),
            make_interpretation("undated", ["test:a"], kind=InterpretationKind.GRAPHIC),
        ]
    )
    found = store.interpretations_for_policies([a, b, c])
    assert [i.provenance.source_id for i in found[a]] == ["new", "old", "undated"]
    assert [i.provenance.source_id for i in found[b]] == ["new"]
    assert found[c] == []
    assert found[a][2].kind is InterpretationKind.GRAPHIC
    assert store.interpretations_for_policy(b) == found[b]


def test_qa_for_policy_filters_by_status(store: Store) -> None:
    (policy_id,) = store.upsert_policies([make_policy("p")]).inserted_ids
    store.upsert_qa_pairs(
        [
            make_qa("live", policy_key="test:p"),
            make_qa("retired", policy_key="test:p", status=QAStatus.RETIRED),
            make_qa("elsewhere"),
        ]
    )
    assert {q.provenance.source_id for q in store.qa_for_policy(policy_id)} == {"live", "retired"}
    published = store.qa_for_policy(policy_id, status=QAStatus.PUBLISHED)
    assert [q.provenance.source_id for q in published] == ["live"]


def test_published_qa_for_several_policies_and_qa_pairs_by_id(store: Store) -> None:
    a, b, c = store.upsert_policies([make_policy("a"), make_policy("b"), make_policy("c")]).inserted_ids
    report = store.upsert_qa_pairs(
        [
            make_qa("a1", policy_key="test:a"),
            make_qa("a-retired", policy_key="test:a", status=QAStatus.RETIRED),
            make_qa("b1", policy_key="test:b"),
            make_qa("a2", policy_key="test:a"),
        ]
    )
    found = store.published_qa_for_policies([a, b, c])
    assert [q.provenance.source_id for q in found[a]] == ["a1", "a2"]
    assert [q.provenance.source_id for q in found[b]] == ["b1"] and found[c] == []
    assert found[a] == store.qa_for_policy(a, status=QAStatus.PUBLISHED)  # the same pairs, field for field
    assert store.published_qa_for_policies([]) == {}
    ids = report.inserted_ids
    wanted = [ids[3], 999_999, ids[0]]
    assert [q.id for q in store.get_qa_pairs(wanted)] == [ids[3], ids[0]]
    assert store.get_qa_pairs([ids[1]]) == [store.get_qa_pair(ids[1])]
    assert store.get_qa_pairs([]) == []


def test_times_come_back_as_the_same_instant_in_utc(store: Store) -> None:
    beijing = timezone(timedelta(hours=8))
    policy = make_policy("p")
    policy.provenance.fetched_at = datetime(2026, 12, 3, 9, 30, tzinfo=beijing)
    store.upsert_policies([policy])
    got = store.get_policy_by_key("test", "p")
    assert got is not None and got.provenance.fetched_at is not None
    assert got.provenance.fetched_at == datetime(2026, 12, 3, 1, 30, tzinfo=UTC)
    assert got.provenance.fetched_at.utcoffset() == timedelta(0)


def test_from_settings_uses_the_default_sqlite_file(tmp_path: Path) -> None:
    store = Store.from_settings(Settings(data_dir=tmp_path / "data", database_url=None))
    assert store.dialect == "sqlite"
    store.upsert_policies([make_policy("p")])
    store.close()
    assert (tmp_path / "data" / "policykb.db").is_file()
