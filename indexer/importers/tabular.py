"""Rows of JSONL, CSV and XLSX files as dicts with their line numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.errors import DatasetError
from indexer.importers.base import ImportReport, open_text, read_jsonl

TABULAR_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".csv.gz", ".xlsx")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in TABULAR_SUFFIXES if name.endswith(s)), path.suffix.lower())


def read_rows(
    path: Path, report: ImportReport, *, sheet: str | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) from a .jsonl(.gz), .csv(.gz) or .xlsx file; headers are stripped of spaces and BOMs."""
    suffix = _suffix(path)
    if suffix in (".jsonl", ".jsonl.gz"):
        yield from read_jsonl(path, report)
    elif suffix in (".csv", ".csv.gz"):
        yield from _read_csv(path, report)
    elif suffix == ".xlsx":
        yield from _read_xlsx(path, report, sheet)
    else:
        raise DatasetError(
            f"{path}: unsupported file type {suffix!r}; use .jsonl, .csv or .xlsx",
            message_zh=f"不支持的文件类型：{suffix}",
        )


def _read_csv(path: Path, report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
        for row in reader:
            report.rows_read += 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                report.error(path, reader.line_num, f"{len(row)} cells but {len(header)} columns")
                continue
            yield reader.line_num, dict(zip(header, row, strict=False))


def _read_xlsx(path: Path, report: ImportReport, sheet: str | None) -> Iterator[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise DatasetError(f"{path}: cannot open workbook ({exc})", message_zh="无法打开 Excel 文件") from exc
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        for number, values in enumerate(rows, start=2):
            report.rows_read += 1
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values, strict=False) if h}
    finally:
        workbook.close()
