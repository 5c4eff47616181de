"""The demo data set: every record validates, every link resolves, every clause label points at real text."""

from __future__ import annotations

import pytest

from kb.demo import demo_records
from kb.models import Validity, record_key


@pytest.fixture(scope="module")
def records():
    return demo_records()


def test_demo_has_enough_to_show_every_feature(records):
    assert len(records.policies) >= 24
    assert len(records.interpretations) >= 24
    assert len(records.qa_pairs) >= 40
    validities = {p.validity for p in records.policies}
    assert {Validity.VALID, Validity.EXPIRED, Validity.REPEALED} <= validities
    assert any(len(p.issuing_bodies) > 1 for p in records.policies), "joint issuance is shown"
    assert any(p.benefit_items for p in records.policies), "惠企 items are shown"
    assert sum(1 for p in records.policies if len(p.clauses) >= 12) >= 2, "clause search needs long rules"


def test_every_policy_has_a_parsed_doc_number(records):
    for policy in records.policies:
        assert policy.doc_number and policy.doc_number_key, policy.title


def test_links_resolve_to_demo_policies(records):
    keys = {record_key(p.provenance) for p in records.policies}
    for interpretation in records.interpretations:
        assert interpretation.policy_keys and set(interpretation.policy_keys) <= keys, interpretation.title
    for qa in records.qa_pairs:
        assert qa.policy_key in keys, qa.question
    for policy in records.policies:
        assert set(policy.supersedes + policy.superseded_by) <= keys, policy.title


def test_every_policy_has_an_interpretation(records):
    interpreted = {k for i in records.interpretations for k in i.policy_keys}
    missing = [p.title for p in records.policies if record_key(p.provenance) not in interpreted]
    assert len(missing) <= 2, missing


def test_clause_labels_point_at_the_policy_text(records):
    by_key = {record_key(p.provenance): p for p in records.policies}
    for qa in records.qa_pairs:
        policy = by_key[qa.policy_key]
        labels = {c.label for c in policy.clauses}
        assert qa.clause_label in labels or (qa.clause_label and qa.clause_label in policy.text), (
            qa.question,
            qa.clause_label,
        )


def test_numbered_articles_become_clauses(records):
    rule = next(p for p in records.policies if p.title == "示例市优化营商环境条例")
    numbers = [c.number for c in rule.clauses]
    assert numbers == list(range(1, 22))
    twelfth = next(c for c in rule.clauses if c.number == 12)
    assert twelfth.label == "第十二条"
    assert "三十日" in twelfth.text
    assert twelfth.chapter and "政务服务" in twelfth.chapter
