"""What index sync relies on: revisions, keyset iteration, tombstones, checkpoints, links that arrive late."""

from __future__ import annotations

import pytest
from store_factories import make_interpretation, make_policy, make_qa

from kb.errors import ValidationError
from kb.store import Store


def test_iter_since_revision_returns_only_later_writes_in_order(store: Store) -> None:
    store.upsert_policies([make_policy(f"p{i}") for i in range(3)])
    checkpoint = store.current_revision()
    store.upsert_policies([make_policy("p1", title="改过的标题"), make_policy("p9")])

    later = list(store.iter_policies(since_revision=checkpoint))

    assert [p.provenance.source_id for p in later] == ["p1", "p9"]
    revisions = [p.revision for p in later]
    assert all(r is not None and r > checkpoint for r in revisions)
    assert revisions == sorted(revisions)
    assert list(store.iter_policies(since_revision=store.current_revision())) == []


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_iteration_pages_through_rows_sharing_a_revision(store: Store, batch_size: int) -> None:
    # Three interpretations wait for one policy; its arrival gives all three the same new revision.
    store.upsert_interpretations([make_interpretation(f"i{i}", ["test:p1"]) for i in range(3)])
    before = store.current_revision()
    store.upsert_policies([make_policy("p1")])

    touched = list(store.iter_interpretations(since_revision=before, batch_size=batch_size))

    assert sorted(i.provenance.source_id for i in touched) == ["i0", "i1", "i2"]
    assert len({i.revision for i in touched}) == 1
    assert all(i.policy_ids for i in touched)


def test_deletion_leaves_a_tombstone_and_unlinks_dependants(store: Store) -> None:
    store.upsert_policies([make_policy("p1")])
    policy = store.get_policy_by_key("test", "p1")
    assert policy is not None and policy.id is not None
    store.upsert_interpretations([make_interpretation("i1", ["test:p1"])])
    store.upsert_qa_pairs([make_qa("q1", policy_key="test:p1")])
    before = store.current_revision()

    assert store.delete_policy(policy.id) is True
    assert store.delete_policy(policy.id) is False

    tombstones = list(store.iter_tombstones(since_revision=before))
    assert [(t.kind, t.record_id, t.source, t.source_id) for t in tombstones] == [
        ("policy", policy.id, "test", "p1")
    ]
    assert tombstones[0].revision > before
    assert store.get_policy(policy.id) is None
    # dependants lose the id, keep the key, and move past the checkpoint so indexes refresh them
    interp = store.get_interpretation_by_key("test", "i1")
    qa = store.get_qa_pair_by_key("test", "q1")
    assert interp is not None and interp.policy_ids == [] and interp.policy_keys == ["test:p1"]
    assert qa is not None and qa.policy_id is None and qa.policy_key == "test:p1"
    assert [i.provenance.source_id for i in store.iter_interpretations(since_revision=before)] == ["i1"]

    # importing the policy again re-links both, under a new id (ids are never reused)
    store.upsert_policies([make_policy("p1")])
    again = store.get_policy_by_key("test", "p1")
    assert again is not None and again.id is not None and again.id != policy.id
    assert [i.provenance.source_id for i in store.interpretations_for_policy(again.id)] == ["i1"]
    assert [q.provenance.source_id for q in store.qa_for_policy(again.id)] == ["q1"]


def test_sync_checkpoints(store: Store) -> None:
    assert store.get_sync_checkpoint("opensearch") == 0
    store.set_sync_checkpoint("opensearch", 12)
    store.set_sync_checkpoint("sqlite-fts", 3)
    store.set_sync_checkpoint("opensearch", 15)
    assert store.get_sync_checkpoint("opensearch") == 15
    assert store.get_sync_checkpoint("sqlite-fts") == 3
    with pytest.raises(ValidationError):
        store.set_sync_checkpoint("opensearch", -1)


def test_a_sync_loop_sees_every_write_exactly_once_per_round(store: Store) -> None:
    """The documented loop: snapshot current_revision, read past the checkpoint, then store the snapshot."""
    seen: list[str] = []

    def sync_round() -> None:
        last = store.get_sync_checkpoint("test-index")
        snapshot = store.current_revision()
        seen.extend(p.provenance.source_id for p in store.iter_policies(since_revision=last))
        store.set_sync_checkpoint("test-index", snapshot)

    store.upsert_policies([make_policy("a"), make_policy("b")])
    sync_round()
    sync_round()  # nothing new
    store.upsert_policies([make_policy("b", title="b 改"), make_policy("c")])
    sync_round()
    assert seen == ["a", "b", "b", "c"]


def test_unchanged_upserts_do_not_move_the_revision(store: Store) -> None:
    store.upsert_qa_pairs([make_qa("q1"), make_qa("q2")])
    revision = store.current_revision()
    assert store.upsert_qa_pairs([make_qa("q1"), make_qa("q2")]).unchanged == 2
    assert store.current_revision() == revision
    assert list(store.iter_qa_pairs(since_revision=revision)) == []


def test_tombstones_are_pruned_only_past_every_checkpoint(store: Store) -> None:
    store.upsert_qa_pairs([make_qa("q1"), make_qa("q2")])
    ids = [q.id for q in store.iter_qa_pairs()]
    assert store.delete_qa_pair(ids[0]) and store.delete_qa_pair(ids[1])
    first, second = (t.revision for t in store.iter_tombstones())
    assert store.prune_tombstones() == 0  # no consumer has synced: keep everything

    store.set_sync_checkpoint("fast", second)
    store.set_sync_checkpoint("slow", first)
    assert store.sync_checkpoints() == {"fast": second, "slow": first}
    assert store.prune_tombstones() == 1
    assert [t.revision for t in store.iter_tombstones()] == [second]
