"""The shared datasets map to kb models with provenance, quirks handled, and re-imports change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.importers import bj_zyj, hebei, lawrefbook, ncp, tipdm, zhongshan
from indexer.importers.base import ImportReport, Record
from indexer.importers.context import ImportContext
from indexer.importers.registry import import_dataset, load_shared
from kb.models import DocumentType, Interpretation, InterpretationKind, Policy, QAPair, Validity
from kb.store import Store

pytestmark = pytest.mark.slow


def collect(produce: Iterator[tuple[Record, int]]) -> dict[str, Record]:
    return {f"{r.provenance.source}:{r.provenance.source_id}": r for r, _line in produce}


@pytest.fixture(scope="module")
def lawref(shared_data_dir: Path) -> tuple[dict[str, Record], ImportReport]:
    report = ImportReport(dataset="lawrefbook", path="")
    records = collect(lawrefbook.records(shared_data_dir / lawrefbook.DEFAULT_PATH, report, ImportContext()))
    return records, report


def _by_title(records: dict[str, Record], title: str, region: str) -> list[Policy]:
    found = [r for r in records.values() if isinstance(r, Policy) and r.title == title and r.region == region]
    return sorted(found, key=lambda p: str(p.publish_date))


def test_lawrefbook_version_chain_marks_older_versions_amended(
    lawref: tuple[dict[str, Record], ImportReport],
) -> None:
    records, report = lawref
    old, new = _by_title(records, "北京市优化营商环境条例", "北京")
    # Older versions carry the newest publish_date in the data; ours is the version's own date.
    assert (str(old.publish_date), str(new.publish_date)) == ("2020-03-27", "2024-11-29")
    assert old.validity is Validity.AMENDED and not old.validity_stated
    assert old.superseded_by == [f"lawrefbook:{new.provenance.source_id}"]
    assert new.supersedes == [f"lawrefbook:{old.provenance.source_id}"]
    assert new.validity is Validity.VALID
    # Article numbers shift between versions: article 12 is a different text.
    old12 = next(c for c in old.clauses if c.number == 12)
    new12 = next(c for c in new.clauses if c.number == 12)
    assert old12.text != new12.text
    assert old.document_type is DocumentType.LOCAL_REGULATION
    assert report.notes["older version marked 修订 (superseded)"] >= 105


def test_lawrefbook_wrong_expired_flag_is_corrected_from_the_repealing_law(
    lawref: tuple[dict[str, Record], ImportReport],
) -> None:
    records, _ = lawref
    (repealed,) = _by_title(records, "个体工商户条例", "全国")
    assert repealed.validity is Validity.REPEALED
    (successor,) = _by_title(records, "促进个体工商户发展条例", "全国")
    assert repealed.superseded_by == [f"lawrefbook:{successor.provenance.source_id}"]
    # A later law with the same title as a repealed one stays valid (国家安全法 2015 vs 反间谍法 2014).
    (security,) = _by_title(records, "中华人民共和国国家安全法", "全国")
    assert security.validity is Validity.VALID


def test_lawrefbook_empty_texts_are_reported_with_file_and_line(
    lawref: tuple[dict[str, Record], ImportReport],
) -> None:
    _, report = lawref
    assert report.errors and all(e.line > 0 and "empty text" in e.reason for e in report.errors)
    assert report.errors[0].file.endswith("laws.jsonl.gz")


@pytest.fixture(scope="module")
def hebei_import(shared_data_dir: Path) -> tuple[dict[str, Record], ImportReport]:
    report = ImportReport(dataset="hebei", path="")
    records = collect(hebei.records(shared_data_dir / "hebei", report, ImportContext()))
    return records, report


def test_hebei_quirks_are_handled(hebei_import: tuple[dict[str, Record], ImportReport]) -> None:
    records, report = hebei_import
    # A Hebei implementation notice cites the national number; it is not its own 文号.
    notice = records["hebei:8f0775abbcc9"]
    assert isinstance(notice, Policy) and notice.doc_number is None
    assert report.notes["doc_number_guess rejected (cited another document)"] > 100
    # 年报-labelled policies stay policies; real annual reports are typed as such.
    assert isinstance(records["hebei:3e61a127865d"], Policy)
    assert records["hebei:3e61a127865d"].document_type is not DocumentType.ANNUAL_REPORT  # type: ignore[union-attr]
    annual = [
        r for r in records.values() if isinstance(r, Policy) and r.document_type is DocumentType.ANNUAL_REPORT
    ]
    assert annual and all("年度报告" in p.title or "年报" in p.title for p in annual)
    assert report.notes["exact duplicate skipped (-N id)"] > 0
    # Kept '-N' records differ from their base record; identical ones were dropped.
    for key, record in records.items():
        base = records.get(key.rsplit("-", 1)[0]) if key.rsplit("-", 1)[-1].isdigit() else None
        if base is not None and isinstance(record, Policy) and isinstance(base, Policy):
            assert (record.title, record.text) != (base.title, base.text), key


def test_hebei_interpretations_are_linked_by_evidence(
    hebei_import: tuple[dict[str, Record], ImportReport],
) -> None:
    records, report = hebei_import
    interpretations = [r for r in records.values() if isinstance(r, Interpretation)]
    assert len(interpretations) >= 207
    linked = [i for i in interpretations if i.policy_keys]
    assert len(linked) >= 100
    assert all(k in records and isinstance(records[k], Policy) for i in linked for k in i.policy_keys)
    # 《河北省人民政府关于…的通知》的政策解读 → the policy titled 关于…的通知 (issuer prefix differs).
    pension = records["hebei:54b2b0f36ca7"]
    assert isinstance(pension, Interpretation) and pension.policy_keys == ["hebei:f0e0994018f6"]
    graphic = [i for i in interpretations if i.title.startswith("一图读懂")]
    assert graphic and all(i.kind is InterpretationKind.GRAPHIC for i in graphic)
    assert report.notes["explicit link confirmed"] > 0


def test_bj_zyj_attachments_from_python_repr_strings(shared_data_dir: Path) -> None:
    report = ImportReport(dataset="bj_zyj", path="")
    records = collect(bj_zyj.records(shared_data_dir / bj_zyj.DEFAULT_PATH, report, ImportContext()))
    notice = records["bj_zyj:521c3d24ace5"]
    assert isinstance(notice, Policy) and notice.region == "北京"
    assert [a.file_type for a in notice.attachments] == ["docx"] * 5
    assert notice.attachments[1].title == "1.特等奖推荐意见表"
    assert len(records) == 104 and not report.errors


def test_ncp_documents_and_qa_keep_their_ids_and_link(shared_data_dir: Path) -> None:
    report = ImportReport(dataset="ncp", path="")
    records = collect(ncp.records(shared_data_dir / "ncp_qa", report, ImportContext()))
    qa = records["ncp:17f3894afaba3f24a3ccd550fe442177"]
    assert isinstance(qa, QAPair) and qa.policy_key == "ncp:356fb8b804d73c3bab18472c36e67a3f"
    assert qa.policy_key in records
    assert sum(isinstance(r, Policy) for r in records.values()) == 599
    assert sum(isinstance(r, QAPair) for r in records.values()) == 2474


def test_tipdm_replies_and_zhongshan_guides(shared_data_dir: Path) -> None:
    report = ImportReport(dataset="tipdm", path="")
    assert tipdm.find_file(shared_data_dir / "tipdm").name == "messages_with_replies.jsonl.gz"
    replies = collect(tipdm.records(shared_data_dir / "tipdm", report, ImportContext()))
    message = replies["tipdm:2554"]
    assert isinstance(message, QAPair) and message.question == "A3区潇楚南路洋湖段怎么还没修好？"
    assert message.answer.startswith("网友“A00023583”") and str(message.valid_from) == "2019-05-09"
    guides = collect(
        zhongshan.records(
            shared_data_dir / "zhongshan_guide", ImportReport(dataset="z", path=""), ImportContext()
        )
    )
    guide = guides["zhongshan:11440000006939756B2440101007000"]
    assert isinstance(guide, Policy) and guide.issuing_bodies == ["广东省发展和改革委员会"]
    item = guide.benefit_items[0]
    assert item.phone == "020-34121084" and item.address == "广州市越秀区东风中路305号5号楼808房"
    assert "提价申报申请报告" in (item.materials or "")


def test_import_into_the_store_twice_changes_nothing(tmp_path: Path, shared_data_dir: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'kb.db'}")
    first = load_shared(shared_data_dir, store, only=["govcn", "bj_zyj"])
    assert [r.written["policy"].inserted for r in first] == [60, 88]
    revision = store.current_revision()
    again = import_dataset("govcn", shared_data_dir / "govcn_pages", store)
    assert again.written["policy"].model_dump() == {"inserted": 0, "updated": 0, "unchanged": 60, "failed": 0}
    assert store.current_revision() == revision
    policy = store.get_policy_by_key("govcn", "5365945")
    assert (
        policy is not None and policy.doc_number_key == "国发|2019|5" and policy.issuing_bodies == ["国务院"]
    )
    assert policy.subject_category == ["市场监管、安全生产监管", "工商"]
