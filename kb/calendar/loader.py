"""Read the holiday data file(s): public holidays and 调休 make-up working days per year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.errors import ConfigurationError

DEFAULT_HOLIDAY_FILE = Path(__file__).resolve().parent / "data" / "cn_holidays.yaml"


class CalendarDataError(ConfigurationError):
    """The holiday data file is malformed; the message names the file, the year and the entry."""

    message_zh = "节假日数据文件有误"


@dataclass(frozen=True)
class HolidayYear:
    """One year's official arrangement: days off and weekend days that are working days (调休上班)."""

    year: int
    source: str
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)


def _parse_day(raw: Any, where: str) -> list[dt.date]:
    """One entry: a date, 'YYYY-MM-DD' or a range 'YYYY-MM-DD..YYYY-MM-DD' (both ends included)."""
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return [raw]
    if not isinstance(raw, str):
        raise CalendarDataError(f"{where}: expected a date or 'YYYY-MM-DD..YYYY-MM-DD', got {raw!r}")
    first, sep, last = raw.partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if sep else start
    except ValueError as exc:
        raise CalendarDataError(f"{where}: {raw!r} is not a date or range of dates ({exc})") from exc
    if end < start:
        raise CalendarDataError(f"{where}: range {raw!r} ends before it starts")
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _parse_group(raw: Any, year: int, kind: str, where: str) -> dict[dt.date, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CalendarDataError(f"{where}: '{kind}' must map a holiday name to a list of dates")
    days: dict[dt.date, str] = {}
    for name, entries in raw.items():
        items = entries if isinstance(entries, list) else [entries]
        for entry in items:
            for day in _parse_day(entry, f"{where} {kind}.{name}"):
                if day.year != year:
                    raise CalendarDataError(
                        f"{where} {kind}.{name}: {day} is not in {year}; list it under year {day.year}"
                    )
                days[day] = str(name)
    return days


def _parse_year(year_key: Any, body: Any, path: Path) -> HolidayYear:
    where = f"{path}: year {year_key}"
    try:
        year = int(year_key)
    except (TypeError, ValueError) as exc:
        raise CalendarDataError(f"{where}: the year key must be a number like 2027") from exc
    if not isinstance(body, dict):
        raise CalendarDataError(f"{where}: expected 'source', 'holidays' and 'workdays'")
    holidays = _parse_group(body.get("holidays"), year, "holidays", where)
    workdays = _parse_group(body.get("workdays"), year, "workdays", where)
    both = sorted(set(holidays) & set(workdays))
    if both:
        raise CalendarDataError(f"{where}: {both[0]} is listed both as a holiday and as a working day")
    # A make-up working day (调休上班) is by definition a Saturday or Sunday; a weekday there is a typo.
    weekday_workdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_workdays:
        raise CalendarDataError(
            f"{where}: {weekday_workdays[0]} is a weekday; "
            "'workdays' lists only weekend days worked (调休上班)"
        )
    return HolidayYear(year=year, source=str(body.get("source") or ""), holidays=holidays, workdays=workdays)


def load_holiday_years(paths: Iterable[Path] | None = None) -> dict[int, HolidayYear]:
    """Load every year from the given YAML files (default: the packaged file); a year may appear once only."""
    years: dict[int, HolidayYear] = {}
    for path in list(paths) if paths is not None else [DEFAULT_HOLIDAY_FILE]:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise CalendarDataError(f"cannot read holiday file {path}: {exc}") from exc
        except yaml.YAMLError as exc:
            raise CalendarDataError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
            raise CalendarDataError(f"{path}: expected a top-level 'years:' mapping")
        for key, body in data["years"].items():
            parsed = _parse_year(key, body, Path(path))
            if parsed.year in years:
                raise CalendarDataError(f"{path}: year {parsed.year} is defined twice")
            years[parsed.year] = parsed
    return years
