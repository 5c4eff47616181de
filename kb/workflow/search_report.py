"""What people could not find (article 34): zero-result searches and Q&A lookups without an answer, by week.

Policy searches are logged with their hit total, Q&A lookups with the number of confident answers, so
``total == 0`` means "zero results" for the first and "no confident answer" (low confidence) for the second.
Weeks run Monday to Sunday in Beijing time; queries are grouped by their dedup key (same question, other
punctuation or script).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import select

from kb.store import Store
from kb.store.tables import SearchLogRow
from kb.workflow.dedup import dedup_key

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class MissedQuery(BaseModel):
    query: str = Field(description="the most frequent spelling of the query")
    count: int
    kind: str = Field(description="policy (zero results) or qa (no confident answer)")
    channels: list[str] = Field(default_factory=list)


class WeekReport(BaseModel):
    week_start: date
    searches: int
    zero_results: int = Field(description="policy searches with no hit")
    no_answers: int = Field(description="Q&A lookups with no confident answer (low confidence)")
    top: list[MissedQuery] = Field(default_factory=list)

    @property
    def miss_rate(self) -> float:
        return (self.zero_results + self.no_answers) / self.searches if self.searches else 0.0


def _week_start(at: datetime) -> date:
    local = at.astimezone(CHINA_TZ).date()
    return local - timedelta(days=local.weekday())


def search_gap_report(store: Store, since: date, until: date, *, top: int = 20) -> list[WeekReport]:
    """Weeks (newest first) between ``since`` and ``until`` (Beijing dates, inclusive) with the top misses."""
    start = datetime.combine(since, time.min, tzinfo=CHINA_TZ).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=CHINA_TZ).astimezone(UTC)
    with store.read_session() as session:
        rows = session.execute(
            select(
                SearchLogRow.at,
                SearchLogRow.query,
                SearchLogRow.total,
                SearchLogRow.kind,
                SearchLogRow.channel,
            )
            .where(SearchLogRow.at >= start, SearchLogRow.at < end)
            .order_by(SearchLogRow.id)
        ).all()
    searches: Counter[date] = Counter()
    zero: Counter[date] = Counter()
    no_answer: Counter[date] = Counter()
    groups: dict[date, dict[tuple[str, str], Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    channels: dict[tuple[date, str, str], set[str]] = defaultdict(set)
    for at, query, total, kind, channel in rows:
        week = _week_start(at)
        searches[week] += 1
        if total != 0 or not (query or "").strip():
            continue
        kind = "qa" if kind == "qa" else "policy"
        (no_answer if kind == "qa" else zero)[week] += 1
        key = (dedup_key(query), kind)
        groups[week][key][query] += 1
        if channel:
            channels[(week, *key)].add(channel)
    reports = []
    for week in sorted(searches, reverse=True):
        missed = [
            MissedQuery(
                query=spellings.most_common(1)[0][0],
                count=sum(spellings.values()),
                kind=key[1],
                channels=sorted(channels[(week, *key)]),
            )
            for key, spellings in groups[week].items()
        ]
        missed.sort(key=lambda m: (-m.count, m.query))
        reports.append(
            WeekReport(
                week_start=week,
                searches=searches[week],
                zero_results=zero[week],
                no_answers=no_answer[week],
                top=missed[:top],
            )
        )
    return reports
