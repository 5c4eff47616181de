"""Working-day calendar of the People's Republic of China (法定节假日与调休), from our own data file."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from kb.calendar.loader import DEFAULT_HOLIDAY_FILE, CalendarDataError, HolidayYear, load_holiday_years
from kb.calendar.workdays import WorkdayResult, WorkingCalendar, unknown_years_warning

__all__ = [
    "DEFAULT_HOLIDAY_FILE",
    "CalendarDataError",
    "HolidayYear",
    "WorkdayResult",
    "WorkingCalendar",
    "add_working_days",
    "default_calendar",
    "is_working_day",
    "load_holiday_years",
    "unknown_years_warning",
    "working_days_between",
]


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendar from the packaged holiday file, loaded once per process."""
    return WorkingCalendar.from_files()


def add_working_days(start: dt.date, n: int) -> WorkdayResult:
    """The n-th working day strictly after ``start``, with a warning for years without holiday data."""
    return default_calendar().add_working_days(start, n)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day on the official calendar (weekends-only for unknown years)."""
    return default_calendar().is_working_day(day)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days d with a < d <= b; negative when b < a."""
    return default_calendar().working_days_between(a, b)
