"""Working-day arithmetic on 2026 (春节, 国庆) and on 2027, which has no data yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import kb.calendar as cal
from kb.calendar import CalendarDataError, WorkingCalendar
from kb.errors import ValidationError

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday, 春节 make-up working day
        (D(2026, 2, 15), False),  # Sunday, first day of 春节
        (D(2026, 2, 18), False),  # Wednesday inside 春节
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up working day
        (D(2026, 10, 1), False),
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, 国庆 make-up working day
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 9, 20), True),  # Sunday, make-up working day
        (D(2027, 1, 1), True),  # Friday in 2027: no data yet, weekends only
        (D(2027, 1, 2), False),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert cal.is_working_day(day) is working


def test_due_date_before_national_day_skips_the_holiday_and_counts_the_makeup_saturday() -> None:
    result = cal.add_working_days(D(2026, 9, 30), 3)  # Wednesday
    assert result == cal.WorkdayResult(D(2026, 10, 10), None)  # Thu 8, Fri 9, Sat 10 (调休)


def test_sending_during_a_holiday_counts_from_the_next_working_day() -> None:
    assert cal.add_working_days(D(2026, 10, 3), 3).date == D(2026, 10, 10)
    assert cal.add_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)


def test_spring_festival() -> None:
    # Friday 13 Feb -> Sat 14 (调休), then 15..23 off -> Tue 24, Wed 25.
    assert cal.add_working_days(D(2026, 2, 13), 3).date == D(2026, 2, 25)
    assert cal.add_working_days(D(2026, 2, 20), 3).date == D(2026, 2, 26)


def test_sending_on_a_weekday_and_on_the_weekend_before_give_the_same_due_date() -> None:
    friday, saturday, sunday = D(2026, 11, 6), D(2026, 11, 7), D(2026, 11, 8)
    due = {cal.add_working_days(d, 3).date for d in (friday, saturday, sunday)}
    assert due == {D(2026, 11, 11)}


def test_2027_is_weekends_only_with_a_visible_warning() -> None:
    result = cal.add_working_days(D(2027, 4, 30), 3)  # Friday; 2027 data not published in our file
    assert result.date == D(2027, 5, 5)
    assert result.warning is not None
    assert "2027" in result.warning and "weekends only" in result.warning and "仅周末" in result.warning


def test_a_span_crossing_into_2027_warns() -> None:
    result = cal.add_working_days(D(2026, 12, 30), 3)
    assert result.date == D(2027, 1, 4)
    assert result.warning is not None and "2027" in result.warning


def test_known_year_has_no_warning_and_n_zero_is_start() -> None:
    assert cal.add_working_days(D(2026, 6, 1), 0) == cal.WorkdayResult(D(2026, 6, 1), None)
    with pytest.raises(ValidationError):
        cal.add_working_days(D(2026, 6, 1), -1)


def test_working_days_between_counts_days_after_a_up_to_b() -> None:
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert cal.working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert cal.working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0
    assert cal.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_year_is_added_by_data_file_only(tmp_path: Path) -> None:
    extra = _write(
        tmp_path,
        "years:\n  2027:\n    source: test\n    holidays:\n      劳动节: ['2027-05-01..2027-05-05']\n"
        "    workdays:\n      劳动节: ['2027-05-08']\n",
    )
    calendar = WorkingCalendar.from_files([cal.DEFAULT_HOLIDAY_FILE, extra])
    assert 2027 in calendar.known_years
    assert not calendar.is_working_day(D(2027, 5, 3))
    assert calendar.is_working_day(D(2027, 5, 8))
    result = calendar.add_working_days(D(2027, 4, 30), 3)
    assert result.date == D(2027, 5, 8) and result.warning is None


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("years:\n  2027:\n    holidays:\n      x: ['2027-13-01']\n", "not a date"),
        ("years:\n  2027:\n    holidays:\n      x: ['2028-01-01']\n", "not in 2027"),
        ("years:\n  2027:\n    workdays:\n      x: ['2027-05-06']\n", "weekday"),
        (
            "years:\n  2027:\n    holidays:\n      x: ['2027-05-08']\n"
            "    workdays:\n      x: ['2027-05-08']\n",
            "both",
        ),
        ("nothing: here\n", "years"),
    ],
)
def test_bad_data_file_names_the_problem(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(CalendarDataError, match=needle):
        WorkingCalendar.from_files([_write(tmp_path, body)])


def test_packaged_file_covers_2020_to_2026() -> None:
    assert set(range(2020, 2027)) <= set(cal.default_calendar().known_years)
    assert cal.default_calendar().holiday_name(D(2026, 10, 1)) == "国庆节"


def test_file_agrees_with_chinese_calendar_for_every_day_2020_to_2026() -> None:
    import chinese_calendar

    day = D(2020, 1, 1)
    while day <= D(2026, 12, 31):
        assert cal.is_working_day(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
