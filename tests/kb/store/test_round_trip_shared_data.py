"""Round trips with records built from ../shared/data: lawrefbook laws with clauses, hebei 解读, ncp Q&A."""

from __future__ import annotations

from pathlib import Path

from store_factories import hebei_interpretation_with_policy, lawrefbook_policies, ncp_documents, ncp_qa_pairs

from kb.models import Validity
from kb.store import Store


def test_lawrefbook_laws_with_clauses_round_trip(store: Store, shared_data: Path) -> None:
    laws = lawrefbook_policies(shared_data, limit=5)
    report = store.upsert_policies(laws)
    assert report.inserted == 5 and not report.failed

    for law in laws:
        got = store.get_policy_by_key("lawrefbook", law.provenance.source_id)
        assert got is not None
        assert got.content_hash() == law.content_hash()
        assert [(c.number, c.label, c.chapter) for c in got.clauses] == [
            (c.number, c.label, c.chapter) for c in law.clauses
        ]
        assert got.validity in {Validity.VALID, Validity.EXPIRED}
    # a hit can point at 第十二条: the clause keeps its number, label and chapter
    twelfth = [c for c in store.get_policies(report.inserted_ids)[0].clauses if c.number == 12]
    assert twelfth and twelfth[0].label == "第十二条" and twelfth[0].text

    again = store.upsert_policies(lawrefbook_policies(shared_data, limit=5))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)


def test_hebei_interpretation_links_to_its_policy_in_either_order(store: Store, shared_data: Path) -> None:
    interpretation, policy = hebei_interpretation_with_policy(shared_data)
    # the interpretation arrives first: its key waits for the policy
    store.upsert_interpretations([interpretation])
    waiting = store.get_interpretation_by_key("hebei", interpretation.provenance.source_id)
    assert waiting is not None and waiting.policy_ids == []

    store.upsert_policies([policy])
    stored_policy = store.get_policy_by_key("hebei", policy.provenance.source_id)
    assert stored_policy is not None and stored_policy.id is not None
    linked = store.interpretations_for_policy(stored_policy.id)
    assert [i.provenance.source_id for i in linked] == [interpretation.provenance.source_id]
    assert linked[0].policy_ids == [stored_policy.id]
    assert linked[0].revision is not None and waiting.revision is not None
    assert linked[0].revision > waiting.revision  # the index must refresh the interpretation

    again = store.upsert_interpretations([interpretation])
    assert again.unchanged == 1


def test_ncp_qa_pairs_rest_on_their_documents(store: Store, shared_data: Path) -> None:
    pairs = ncp_qa_pairs(shared_data, limit=40)
    docids = {p.policy_key.split(":", 1)[1] for p in pairs if p.policy_key}
    documents = ncp_documents(shared_data, docids)
    assert documents, "the ncp corpus holds the documents the Q&A cite"

    store.upsert_policies(documents)
    report = store.upsert_qa_pairs(pairs)
    assert report.inserted == len(pairs) and not report.failed

    by_doc = {
        d.provenance.source_id: store.get_policy_by_key("ncp", d.provenance.source_id) for d in documents
    }
    for pair in pairs:
        got = store.get_qa_pair_by_key("ncp_qa", pair.provenance.source_id)
        assert got is not None and got.answer == pair.answer
        target = by_doc.get(pair.policy_key.split(":", 1)[1] if pair.policy_key else "")
        assert got.policy_id == (target.id if target else None)
    some = next(d for d in by_doc.values() if d is not None)
    assert some.id is not None
    expected = {p.provenance.source_id for p in pairs if p.policy_key == f"ncp:{some.provenance.source_id}"}
    assert {q.provenance.source_id for q in store.qa_for_policy(some.id)} == expected

    assert store.upsert_qa_pairs(ncp_qa_pairs(shared_data, limit=40)).unchanged == len(pairs)
