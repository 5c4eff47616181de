"""CSV/XLSX exports of the question list and the weekly zero-result / no-answer report."""
# ruff: noqa: E501  (Chinese test sentences are wide)

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from kb.auth import Principal, Role
from kb.models import Channel
from kb.store import Store
from kb.store.tables import SearchLogRow
from kb.workflow import ConsultationCreate, QuestionFilters, SqlQuestionRepository, WorkflowService
from kb.workflow.exports import COLUMNS, to_csv, to_xlsx
from kb.workflow.search_report import search_gap_report

BJ = ZoneInfo("Asia/Shanghai")
STAFF = Principal(role=Role.STAFF, key_id=1)


def _service(store: Store) -> WorkflowService:
    return WorkflowService(SqlQuestionRepository(store), clock=lambda: datetime(2026, 10, 13, 9, 0, tzinfo=BJ))


def test_csv_and_xlsx_carry_the_staff_columns(store: Store) -> None:
    service = _service(store)
    a = service.capture(ConsultationCreate(question="高校在线教学有哪些要求？", channel=Channel.HOTLINE), STAFF).question
    service.capture(ConsultationCreate(question="=HYPERLINK(\"x\") 这是什么？", channel=Channel.WEBSITE), STAFF)
    assert a is not None and a.id is not None
    service.send(a.id, "市教育局", None, STAFF)
    views, _ = service.list_questions(QuestionFilters(), STAFF)

    text = to_csv(views).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [name for name, _ in COLUMNS]
    sent_row = next(r for r in rows[1:] if r[1] == "高校在线教学有哪些要求？")
    header = rows[0]
    assert sent_row[header.index("承办部门")] == "市教育局"
    assert sent_row[header.index("状态")] == "已转办"
    assert sent_row[header.index("答复期限")] == "2026-10-16"
    assert sent_row[header.index("渠道")] == "热线"
    formula_row = next(r for r in rows[1:] if "HYPERLINK" in r[1])
    assert formula_row[1].startswith("'=")  # never run as a spreadsheet formula

    book = load_workbook(io.BytesIO(to_xlsx(views)))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [name for name, _ in COLUMNS] and len(values) == 3
    assert any(row[3] == "市教育局" and row[9] == "2026-10-16" for row in values[1:])
    assert sheet.freeze_panes == "A2"


def _log(store: Store, at: datetime, query: str, total: int, kind: str = "policy", channel: str = "website") -> None:
    with store.write_session() as session:
        session.add(SearchLogRow(at=at, query=query, filters={}, total=total, latency_ms=1.0, channel=channel, kind=kind))


def test_weekly_report_of_zero_results_and_no_answers(store: Store) -> None:
    mon = datetime(2026, 10, 12, 10, 0, tzinfo=BJ)
    _log(store, mon, "养犬登记", 0)
    _log(store, mon, "养犬登记？", 0, channel="hotline")
    _log(store, mon, "养老金", 5)
    _log(store, mon, "灵活就业如何办理失业登记", 0, kind="qa", channel="hotline")
    # Sunday 23:30 Beijing belongs to the week before, though it is Sunday 15:30 UTC.
    _log(store, datetime(2026, 10, 11, 23, 30, tzinfo=BJ).astimezone(UTC), "公积金提取", 0)
    weeks = search_gap_report(store, date(2026, 10, 1), date(2026, 10, 18))
    assert [w.week_start for w in weeks] == [date(2026, 10, 12), date(2026, 10, 5)]
    this = weeks[0]
    assert (this.searches, this.zero_results, this.no_answers) == (4, 2, 1)
    assert this.top[0].count == 2 and this.top[0].kind == "policy" and this.top[0].channels == ["hotline", "website"]
    assert [m.query for m in this.top] == ["养犬登记", "灵活就业如何办理失业登记"]  # first spelling wins a tie
    assert weeks[1].top[0].query == "公积金提取"
    assert abs(this.miss_rate - 0.75) < 1e-9
