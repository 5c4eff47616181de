"""Generic column-mapped imports (CSV / JSONL) and the 报备目录 XLSX importer, into a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.errors import MappingError
from indexer.importers import catalog, generic
from indexer.importers.registry import run_records
from kb.models import DocumentType, Validity
from kb.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'kb.db'}")


def test_csv_policies_with_mapping_keep_good_rows_and_report_bad_ones(
    fixtures_dir: Path, store: Store
) -> None:
    tables = fixtures_dir / "tables"
    mapping = generic.load_mapping(tables / "policies_mapping.yaml")
    report = run_records("bj_portal", tables / "policies.csv", generic.make_records(mapping), store)
    assert report.written["policy"].inserted == 2
    assert [(e.line, "title" in e.reason) for e in report.errors] == [(3, True)]
    policy = store.get_policy_by_key("bj_portal", "bj-001")
    assert policy is not None
    assert policy.issuing_bodies == ["北京市人民政府", "北京市科学技术委员会"]
    assert policy.doc_number_key == "京政发|2024|9" and policy.region == "北京"
    assert policy.validity is Validity.VALID and policy.validity_stated
    assert [c.label for c in policy.clauses if c.number] == ["第一条", "第二条"]
    bad_date = store.get_policy_by_key("bj_portal", "bj-003")
    assert bad_date is not None and bad_date.publish_date is None and bad_date.validity is Validity.EXPIRED
    again = run_records("bj_portal", tables / "policies.csv", generic.make_records(mapping), store)
    assert again.written["policy"].model_dump() == {"inserted": 0, "updated": 0, "unchanged": 2, "failed": 0}


def test_jsonl_qa_with_mapping(fixtures_dir: Path, store: Store) -> None:
    tables = fixtures_dir / "tables"
    mapping = generic.load_mapping(tables / "qa_mapping.yaml")
    report = run_records("bj_hotline", tables / "qa.jsonl", generic.make_records(mapping), store)
    assert report.written["qa"].inserted == 2
    reasons = {e.line: e.reason for e in report.errors}
    assert "answer" in reasons[2] and "invalid JSON" in reasons[3]
    qa = store.get_qa_pair_by_key("bj_hotline", "q1")
    assert qa is not None and qa.department == "北京市科学技术委员会" and qa.policy_key == "bj_portal:bj-001"


def test_mapping_with_unknown_field_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: policy\nsource: x\ncolumns:\n  titel: 标题\n", encoding="utf-8")
    with pytest.raises(MappingError, match="titel"):
        generic.load_mapping(bad)


def test_mapped_column_missing_from_file_is_reported_once(tmp_path: Path, store: Store) -> None:
    data = tmp_path / "p.csv"
    data.write_text("标题,正文\n一个文件的标题,正文内容\n", encoding="utf-8")
    mapping = generic.ColumnMapping(
        kind="policy", source="t", columns={"title": "标题", "doc_number": "文号"}
    )
    report = run_records("t", data, generic.make_records(mapping), store)
    assert report.written["policy"].inserted == 1
    assert [e.reason for e in report.errors] == [
        "mapped column '文号' never appears in the file (映射的列不存在)"
    ]


def test_catalog_xlsx_article_8_columns(fixtures_dir: Path, store: Store) -> None:
    path = fixtures_dir / "tables" / "catalog.xlsx"
    report = run_records("bj_mzj", path, catalog.catalog_records("bj_mzj"), store)
    assert report.written["policy"].inserted == 3
    assert report.notes == {"skipped: 公开属性 不予公开": 1}
    assert [(e.line, "标题" in e.reason) for e in report.errors] == [(5, True)]
    rule = store.get_policy_by_key("bj_mzj", "京民发|2024|21")
    assert rule is not None and rule.document_type is DocumentType.NORMATIVE_DOCUMENT
    assert str(rule.written_date) == "2024-05-06" and str(rule.publish_date) == "2024-05-10"
    notice = store.get_policy_by_key("bj_mzj", "京民函|2024|88")
    assert notice is not None and notice.document_type is not DocumentType.NORMATIVE_DOCUMENT
    chinese_dates = store.get_policy_by_key("bj_mzj", "京民发|2024|23")
    assert chinese_dates is not None and str(chinese_dates.publish_date) == "2024-05-22"


def test_interpretations_imported_alone_link_to_policies_already_in_the_store(
    tmp_path: Path, fixtures_dir: Path, store: Store
) -> None:
    from indexer.importers.registry import context_from_store

    tables = fixtures_dir / "tables"
    run_records(
        "bj_portal",
        tables / "policies.csv",
        generic.make_records(generic.load_mapping(tables / "policies_mapping.yaml")),
        store,
    )
    data = tmp_path / "jd.csv"
    data.write_text(
        "编号,标题,正文\njd-1,《北京市促进科技成果转化若干措施》解读,高校院所可以自主决定。\n",
        encoding="utf-8",
    )
    mapping = generic.ColumnMapping(
        kind="interpretation", source="bj_portal", id="编号", columns={"title": "标题", "text": "正文"}
    )
    report = run_records(
        "bj_portal", data, generic.make_records(mapping), store, context=context_from_store(store)
    )
    assert report.written["interpretation"].inserted == 1
    item = store.get_interpretation_by_key("bj_portal", "jd-1")
    assert item is not None and item.policy_keys == ["bj_portal:bj-001"]
