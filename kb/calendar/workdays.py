"""Working-day arithmetic on the official calendar (holidays and 调休 make-up working days).

Rule for deadlines (article 31: answered "within 3 working days"): the day of sending never counts,
whether it is a working day or not, because the department only has part of it; the due date is the end
of the n-th working day strictly after the sending date. So a question sent on a Friday at 09:00 or at
17:59 is due at the end of Wednesday, and one sent on a Saturday or during 国庆 counts from the next
working day (that day is day 1): the department always gets n full working days. Years missing from the
data file fall back to weekends-only and say so in a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.calendar.loader import DEFAULT_HOLIDAY_FILE, HolidayYear, load_holiday_years
from kb.errors import ValidationError

#: Stop instead of looping forever on absurd inputs (about 30 years of working days).
_MAX_WORKING_DAYS = 8000


@dataclass(frozen=True)
class WorkdayResult:
    """A computed date, plus a warning when part of the span had no official calendar data."""

    date: dt.date
    warning: str | None = None


def unknown_years_warning(years: Iterable[int], source: Path | str = DEFAULT_HOLIDAY_FILE.name) -> str | None:
    """The bilingual warning shown on an item whose dates fall in years without holiday data."""
    missing = sorted(set(years))
    if not missing:
        return None
    listed = "、".join(str(y) for y in missing)
    names = ", ".join(str(y) for y in missing)
    return (
        f"{listed} 年的节假日安排尚未录入（{source}），已按仅周末休息计算，"
        "到期日可能不准确，请补录国务院办公厅通知。"
        f" / No holiday data for {names} in {source}: counted weekends only, so the date may be off; "
        "add that year's State Council holiday notice to the file."
    )


class WorkingCalendar:
    """Answers 'is this a working day' from loaded holiday years; unknown years use weekends only."""

    def __init__(self, years: dict[int, HolidayYear], source: str = DEFAULT_HOLIDAY_FILE.name) -> None:
        self._years = years
        self._source = source

    @classmethod
    def from_files(cls, paths: Iterable[Path] | None = None) -> WorkingCalendar:
        """Build from YAML holiday files (default: kb/calendar/data/cn_holidays.yaml)."""
        path_list = list(paths) if paths is not None else [DEFAULT_HOLIDAY_FILE]
        return cls(load_holiday_years(path_list), ", ".join(p.name for p in path_list))

    @property
    def known_years(self) -> list[int]:
        return sorted(self._years)

    def is_known(self, day: dt.date) -> bool:
        """True when the day's year has official data (otherwise answers are weekends-only guesses)."""
        return day.year in self._years

    def is_working_day(self, day: dt.date) -> bool:
        """Working day: a weekday that is not a holiday, or a weekend day listed as 调休上班."""
        year = self._years.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True
            if day in year.holidays:
                return False
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday (or the holiday a make-up working day belongs to) of this day, if any."""
        year = self._years.get(day.year)
        if year is None:
            return None
        return year.holidays.get(day) or year.workdays.get(day)

    def warning_for(self, first: dt.date, last: dt.date) -> str | None:
        """A warning when any year between the two dates (inclusive) has no holiday data."""
        low, high = min(first, last), max(first, last)
        return unknown_years_warning(
            (y for y in range(low.year, high.year + 1) if y not in self._years), self._source
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1).date

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        """The n-th working day strictly after ``start`` (n >= 1); n == 0 returns start unchanged."""
        if n < 0:
            raise ValidationError(f"n must be >= 0 working days, got {n}", message_zh="工作日天数不能为负数")
        if n > _MAX_WORKING_DAYS:
            raise ValidationError(f"n={n} working days is too many (max {_MAX_WORKING_DAYS})")
        day, counted = start, 0
        while counted < n:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return WorkdayResult(date=day, warning=self.warning_for(start, day))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d <= b (negative when b < a), e.g. working days overdue."""
        if b < a:
            return -self.working_days_between(b, a)
        if (b - a).days > _MAX_WORKING_DAYS * 2:
            raise ValidationError(f"span {a}..{b} is too long to count working days")
        count, day = 0, a
        while day < b:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
