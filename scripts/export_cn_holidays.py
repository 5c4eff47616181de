"""One-off: write kb/calendar/data/cn_holidays.yaml from chinese_calendar's data for 2020-2026.

chinese_calendar transcribes the State Council General Office's yearly notices
(国务院办公厅关于X年部分节假日安排的通知);
we read it once so that our own file is the source of truth and a new year can be added by hand, without code.
Run: .venv/bin/python scripts/export_cn_holidays.py [--first 2020 --last 2026]
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import defaultdict
from pathlib import Path

from chinese_calendar import constants

OUT = Path(__file__).resolve().parents[1] / "kb" / "calendar" / "data" / "cn_holidays.yaml"

HEADER = """\
# 全国法定节假日与调休上班日 — China's public holidays and make-up working days (调休上班日).
# Source: 国务院办公厅关于<年>年部分节假日安排的通知 (the State Council General Office's yearly notice).
# 2020-2026 were transcribed from the `chinese_calendar` package's data by scripts/export_cn_holidays.py.
#
# To add a year (e.g. 2027, once the notice is published, usually in November of the year before):
# copy a year block, keep `source`, list every day off under `holidays` and every weekend day that is
# a working day under `workdays`. A range is written "YYYY-MM-DD..YYYY-MM-DD" (both ends included).
# A year listed here is treated as complete; a year not listed falls back to weekends-only with a warning.
years:
"""


def _ranges(days: list[dt.date]) -> list[str]:
    """Collapse sorted days into 'a..b' runs of consecutive dates."""
    out: list[str] = []
    start = prev = days[0]
    for day in [*days[1:], None]:  # type: ignore[list-item]
        if day is not None and day - prev == dt.timedelta(days=1):
            prev = day
            continue
        out.append(start.isoformat() if start == prev else f"{start.isoformat()}..{prev.isoformat()}")
        if day is not None:
            start = prev = day
    return out


def _by_name(table: dict[dt.date, str], year: int) -> dict[str, list[dt.date]]:
    grouped: dict[str, list[dt.date]] = defaultdict(list)
    for day, english in sorted(table.items()):
        if day.year == year:
            grouped[constants.Holiday(english).chinese].append(day)
    return grouped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first", type=int, default=2020)
    parser.add_argument("--last", type=int, default=2026)
    args = parser.parse_args()
    lines = [HEADER]
    for year in range(args.first, args.last + 1):
        lines.append(f"  {year}:\n")
        lines.append(f"    source: 国务院办公厅关于{year}年部分节假日安排的通知\n")
        for key, table in (("holidays", constants.holidays), ("workdays", constants.workdays)):
            lines.append(f"    {key}:\n")
            for name, days in _by_name(table, year).items():
                items = ", ".join(f'"{r}"' for r in _ranges(days))
                lines.append(f"      {name}: [{items}]\n")
    OUT.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
