"""Parameters and response of ``GET /api/search`` (policy search with interpretations, Q&A and glossary)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from kb.models import DocumentType, Validity
from kb.search.query import MAX_PAGE_SIZE, POLICY_FACETS, SortOrder
from search_api.query_input import HARD_QUERY_CAP
from search_api.schemas.common import (
    GlossaryEntryPublic,
    InterpretationLinkPublic,
    ProvenancePublic,
    QAPreviewPublic,
    UnderstoodQueryPublic,
)

FacetName = StrEnum("FacetName", {name.upper(): name for name in POLICY_FACETS})  # type: ignore[misc]

#: Longest filter value accepted (a 发文机关 or region name); longer is a 422.
MAX_FILTER_VALUE_CHARS = 100
#: Most values one filter may list.
MAX_FILTER_VALUES = 20
MAX_PAGE = 1000

FilterValues = list[Annotated[str, StringConstraints(max_length=MAX_FILTER_VALUE_CHARS)]]
Year = Annotated[int, Field(ge=1900, le=2100)]


class SearchParams(BaseModel):
    """Query parameters of a policy search; list parameters repeat (``issuing_body=a&issuing_body=b``)."""

    q: str = Field(
        default="", max_length=HARD_QUERY_CAP, description="what the visitor typed (中文、文号、第N条…)"
    )
    issuing_body: FilterValues = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="发文机关"
    )
    subject_category: FilterValues = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="主题分类"
    )
    document_type: list[DocumentType] = Field(
        default_factory=list, max_length=MAX_FILTER_VALUES, description="文件类型"
    )
    year: list[Year] = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="发布年份")
    year_from: int | None = Field(
        default=None, ge=1900, le=2100, description="published in or after this year"
    )
    year_to: int | None = Field(
        default=None, ge=1900, le=2100, description="published in or before this year"
    )
    date_from: date | None = Field(default=None, description="publish_date ≥ date_from (YYYY-MM-DD)")
    date_to: date | None = Field(default=None, description="publish_date ≤ date_to (YYYY-MM-DD)")
    validity: list[Validity] = Field(default_factory=list, max_length=5, description="效力状态")
    audience: FilterValues = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="适用对象")
    region: FilterValues = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="地区")
    source: FilterValues = Field(default_factory=list, max_length=MAX_FILTER_VALUES, description="数据来源")
    facets: list[FacetName] = Field(default_factory=list, description="facets to count")
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = Field(default=1, ge=1, le=MAX_PAGE)
    size: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)
    highlight: bool = True

    def range_problem(self) -> tuple[str, str] | None:
        """(field, reason) when a range runs backwards, else None."""
        if self.year_from and self.year_to and self.year_from > self.year_to:
            return "year_from", "year_from is after year_to; swap them"
        if self.date_from and self.date_to and self.date_from > self.date_to:
            return "date_from", "date_from is after date_to; swap them"
        start, end = self.effective_date_range()
        if start and end and start > end:
            return "date_from", "the years and dates given leave no day in range; widen them"
        return None

    def effective_date_range(self) -> tuple[date | None, date | None]:
        """date_from/date_to narrowed by year_from/year_to."""
        start, end = self.date_from, self.date_to
        if self.year_from is not None:
            year_start = date(self.year_from, 1, 1)
            start = max(start, year_start) if start else year_start
        if self.year_to is not None:
            year_end = date(self.year_to, 12, 31)
            end = min(end, year_end) if end else year_end
        return start, end


class FacetBucketPublic(BaseModel):
    value: str
    count: int


class ClauseMatchPublic(BaseModel):
    """The clause (条) that matched the query."""

    number: int
    sub_number: int | None = None
    label: str = Field(description="as written, e.g. 第十二条")
    text: str
    text_html: str = Field(description="the clause, HTML-escaped, matches in <mark>")


class PolicyHitPublic(BaseModel):
    """One policy with its interpretations, matching clause, related Q&A and provenance."""

    id: int
    title: str
    title_html: str = Field(description="HTML-escaped title, matches in <mark>")
    doc_number: str | None = Field(default=None, description="文号")
    issuing_bodies: list[str] = Field(default_factory=list)
    document_type: str | None = None
    validity: str | None = Field(default=None, description="有效 / 失效 / 废止 / 修订 / 未知")
    publish_date: date | None = None
    score: float
    snippet_html: str | None = Field(
        default=None, description="best fragment, HTML-escaped, matches in <mark>"
    )
    matching_clause: ClauseMatchPublic | None = None
    interpretations: list[InterpretationLinkPublic] = Field(default_factory=list)
    related_qa: list[QAPreviewPublic] = Field(default_factory=list)
    provenance: ProvenancePublic
    page_url: str = Field(description="this service's page for the policy")


class SearchResponsePublic(BaseModel):
    """A page of policy hits, facets, glossary definitions, and what the query was understood as."""

    query: str = Field(description="the query as searched, after cleaning")
    notices: list[str] = Field(default_factory=list, description="what was changed about the query, and why")
    understood: UnderstoodQueryPublic | None = None
    total: int
    page: int
    size: int
    pages: int
    sort: SortOrder
    took_ms: float
    hits: list[PolicyHitPublic]
    facets: dict[str, list[FacetBucketPublic]] = Field(default_factory=dict)
    glossary: list[GlossaryEntryPublic] = Field(
        default_factory=list, description="terms of the query, defined"
    )
