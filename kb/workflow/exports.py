"""Export the filtered question list to CSV and XLSX (the format departments work in)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kb.workflow.schemas import QuestionView
from kb.workflow.transitions import STATUS_LABELS_ZH

CHINA_TZ = ZoneInfo("Asia/Shanghai")

#: (header, width in characters) of the columns staff asked for, in order.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("编号", 8),
    ("问题", 60),
    ("状态", 12),
    ("承办部门", 22),
    ("建议部门", 22),
    ("渠道", 18),
    ("咨询次数", 10),
    ("登记时间", 18),
    ("转办时间", 18),
    ("答复期限", 12),
    ("是否超期", 10),
    ("超期工作日", 12),
    ("日历提示", 30),
    ("答复", 60),
    ("依据政策", 24),
    ("依据条款", 12),
    ("审核意见", 30),
    ("关闭原因", 20),
    ("联系编号", 16),
)

_CHANNELS_ZH = {"website": "网站", "hotline": "热线", "service_centre": "政务服务中心", "api": "接口"}


def _when(value: datetime | None) -> str:
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def export_rows(views: Sequence[QuestionView]) -> list[list[str | int]]:
    """One row per question, columns as in COLUMNS; times in Beijing time."""
    rows: list[list[str | int]] = []
    for view in views:
        q = view.question
        rows.append(
            [
                q.id or "",
                q.question,
                STATUS_LABELS_ZH[q.status],
                q.department or "",
                q.suggested_department or "",
                "、".join(_CHANNELS_ZH.get(c.value, c.value) for c in q.channels),
                q.ask_count,
                _when(q.created_at),
                _when(q.sent_at),
                _day(q.due_date),
                "是" if view.overdue else "否",
                view.days_overdue,
                q.calendar_warning or "",
                q.answer or "",
                q.answer_policy_key or "",
                q.answer_clause_label or "",
                q.review_comment or "",
                q.close_reason or "",
                q.contact_ref or "",
            ]
        )
    return rows


def _safe_cell(value: str | int) -> str | int:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def to_csv(views: Sequence[QuestionView]) -> bytes:
    """UTF-8 CSV with a BOM so that Excel on Chinese Windows opens it correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _ in COLUMNS])
    for row in export_rows(views):
        writer.writerow([_safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(views: Sequence[QuestionView], title: str = "未答复问题") -> bytes:
    """An XLSX workbook: bold header, frozen first row, column widths, wrapped question/answer text."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title[:31]
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(views):
        # Control characters (a caller can type them) are not allowed in XLSX cells; openpyxl would raise.
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in map(_safe_cell, row)]
        )
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (name, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if name in {"问题", "答复", "审核意见", "日历提示"}:
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
