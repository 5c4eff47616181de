"""Upsert: idempotent by (source, source_id), changes update in place, failures stay isolated."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from store_factories import make_interpretation, make_policy, make_qa

from kb.models import Clause, GlossaryTerm, Validity
from kb.store import Store
from kb.store.tables import PolicyClauseRow


def test_insert_then_read_back_every_field(store: Store) -> None:
    policy = make_policy(
        "p1", keywords=["测试"], audiences=["中小企业"], subject_category=["财政", "补贴"], region="测试市"
    )
    report = store.upsert_policies([policy])
    assert (report.inserted, report.updated, report.unchanged, report.failed) == (1, 0, 0, [])

    got = store.get_policy_by_key("test", "p1")
    assert got is not None
    assert got.id == report.inserted_ids[0]
    assert got.content_hash() == policy.content_hash()  # nothing lost or altered on the way
    assert got.clauses[1].label == "第二条" and got.clauses[1].chapter == "第一章 总则"
    assert got.created_at is not None and got.created_at.tzinfo is not None
    assert got.revision == store.current_revision() == 1
    assert store.get_policy(got.id) == got


def test_importing_twice_changes_nothing(store: Store) -> None:
    batch = [make_policy(f"p{i}") for i in range(5)]
    store.upsert_policies(batch)
    revision = store.current_revision()
    before = {p.provenance.source_id: p for p in store.iter_policies()}

    again = store.upsert_policies([p.model_copy(deep=True) for p in batch])

    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    assert store.current_revision() == revision
    after = {p.provenance.source_id: p for p in store.iter_policies()}
    assert after == before  # same updated_at, revision, ids


def test_a_changed_document_updates_in_place_and_bumps_revision(store: Store) -> None:
    store.upsert_policies([make_policy("p1"), make_policy("p2")])
    old = store.get_policy_by_key("test", "p1")
    assert old is not None and old.revision is not None and old.updated_at is not None

    changed = make_policy(
        "p1",
        title="关于测试政策p1的通知（修订）",
        clauses=[Clause(number=1, label="第一条", text="新的第一条。")],
    )
    report = store.upsert_policies([changed, make_policy("p2")])

    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    new = store.get_policy_by_key("test", "p1")
    assert new is not None and new.revision is not None and new.updated_at is not None
    assert new.id == old.id and new.created_at == old.created_at
    assert new.title.endswith("（修订）")
    assert [c.text for c in new.clauses] == ["新的第一条。"]
    assert new.revision > old.revision and new.updated_at >= old.updated_at
    with store.read_session() as session:  # the old clauses are gone, not orphaned
        assert session.execute(select(func.count()).select_from(PolicyClauseRow)).scalar_one() == 3


def test_fetched_at_alone_is_not_a_change(store: Store) -> None:
    from datetime import UTC, datetime

    policy = make_policy("p1")
    store.upsert_policies([policy])
    refetched = policy.model_copy(deep=True)
    refetched.provenance.fetched_at = datetime(2026, 1, 1, tzinfo=UTC)
    assert store.upsert_policies([refetched]).unchanged == 1


def test_a_bad_record_is_reported_and_the_rest_kept(store: Store) -> None:
    good = [make_qa("q1"), make_qa("q3")]
    dangling = make_qa("q2", policy_id=424242)  # no such policy: the foreign key refuses it
    nul = make_qa("q4", answer="带有\x00的答案")
    too_long_source = make_qa("q5").model_copy(deep=True)
    too_long_source.provenance.source = "s" * 80

    report = store.upsert_qa_pairs([good[0], dangling, nul, good[1], too_long_source])

    assert report.inserted == 2
    failed = {f.key: f.reason for f in report.failed}
    assert set(failed) == {"test:q2", "test:q4", f"{'s' * 80}:q5"}
    assert "IntegrityError" in failed["test:q2"]
    assert "NUL" in failed["test:q4"]
    assert "source" in failed[f"{'s' * 80}:q5"] and "64" in failed[f"{'s' * 80}:q5"]
    assert store.get_qa_pair_by_key("test", "q1") is not None
    assert store.get_qa_pair_by_key("test", "q3") is not None
    assert store.get_qa_pair_by_key("test", "q2") is None
    assert store.count_qa_pairs() == 2


def test_a_failed_update_leaves_the_stored_version(store: Store) -> None:
    store.upsert_qa_pairs([make_qa("q1", answer="旧答案")])
    report = store.upsert_qa_pairs([make_qa("q1", answer="新\x00答案"), make_qa("q2")])
    assert report.failed[0].key == "test:q1" and report.inserted == 1
    got = store.get_qa_pair_by_key("test", "q1")
    assert got is not None and got.answer == "旧答案"


def test_the_same_key_twice_in_one_batch_keeps_the_last(store: Store) -> None:
    report = store.upsert_policies([make_policy("p1", title="第一版"), make_policy("p1", title="第二版")])
    assert (report.inserted, report.updated) == (1, 1)
    got = store.get_policy_by_key("test", "p1")
    assert got is not None and got.title == "第二版"
    assert store.count_policies() == 1


def test_validity_is_derived_when_not_stated(store: Store) -> None:
    store.upsert_policies(
        [
            make_policy("expired", expiry_date=date(2020, 12, 31), effective_date=date(2018, 1, 1)),
            make_policy("stated", validity=Validity.REPEALED, validity_stated=True),
            make_policy("in-force", effective_date=date(2019, 5, 1)),
            make_policy("no-dates"),
        ]
    )
    validity = {p.provenance.source_id: p.validity for p in store.iter_policies()}
    assert validity == {
        "expired": Validity.EXPIRED,
        "stated": Validity.REPEALED,
        "in-force": Validity.VALID,
        "no-dates": Validity.UNKNOWN,
    }


def test_glossary_terms_upsert_by_term(store: Store) -> None:
    term = GlossaryTerm(
        term="社会保险", aliases=["社保"], definition="国家依法建立的保险制度。", category="社保"
    )
    assert store.upsert_glossary_terms([term]).inserted == 1
    assert store.upsert_glossary_terms([term]).unchanged == 1
    changed = term.model_copy(update={"aliases": ["社保", "五险"]})
    assert store.upsert_glossary_terms([changed]).updated == 1
    assert store.get_glossary_term("社会保险") == changed
    assert store.count_glossary_terms() == 1
    assert store.delete_glossary_term("社会保险") is True
    assert store.get_glossary_term("社会保险") is None


def test_interpretation_round_trip_keeps_kind_and_keys(store: Store) -> None:
    interp = make_interpretation("i1", ["test:missing-1", "test:missing-2"], publish_date=date(2024, 3, 2))
    store.upsert_interpretations([interp])
    got = store.get_interpretation_by_key("test", "i1")
    assert got is not None
    assert got.policy_keys == ["test:missing-1", "test:missing-2"] and got.policy_ids == []
    assert got.content_hash() == interp.content_hash()


def test_derived_validity_is_refreshed_as_time_passes(store: Store) -> None:
    store.upsert_policies(
        [
            make_policy("lapses", effective_date=date(2020, 1, 1), expiry_date=date(2099, 12, 31)),
            make_policy(
                "stated", validity=Validity.VALID, validity_stated=True, expiry_date=date(2099, 1, 2)
            ),
        ]
    )
    before = store.current_revision()

    assert store.refresh_derived_validity(today=date(2100, 1, 1)) == 1
    assert store.refresh_derived_validity(today=date(2100, 1, 1)) == 0

    changed = list(store.iter_policies(since_revision=before))
    assert [(p.provenance.source_id, p.validity) for p in changed] == [("lapses", Validity.EXPIRED)]
    stated = store.get_policy_by_key("test", "stated")
    assert stated is not None and stated.validity is Validity.VALID


def test_a_colon_in_the_source_is_refused(store: Store) -> None:
    report = store.upsert_policies([make_policy("p1", source="gov:cn")])
    assert report.inserted == 0 and "contains ':'" in report.failed[0].reason
    assert store.upsert_policies([make_policy("a:b:c")]).inserted == 1  # ids may hold colons
    assert store.get_policy_by_key("test", "a:b:c") is not None
