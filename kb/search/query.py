"""The search query model (what callers ask) and the parsed query (what query understanding made of it)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kb.models import DocumentType, Validity

#: Facets a caller may ask for; each is a keyword field on every backend.
POLICY_FACETS: tuple[str, ...] = (
    "issuing_bodies",
    "subject_category",
    "document_type",
    "validity",
    "year",
    "audiences",
    "region",
    "source",
)

MAX_PAGE_SIZE = 100
#: Deepest result a caller may page to (page * size); engines refuse deeper windows anyway.
MAX_RESULT_WINDOW = 10_000


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


class SearchFilters(BaseModel):
    """Filters: values inside one field are OR-ed, fields are AND-ed."""

    model_config = ConfigDict(extra="forbid")

    issuing_body: list[str] = Field(default_factory=list, description="发文机关")
    subject_category: list[str] = Field(default_factory=list, description="主题分类 (any level of the path)")
    document_type: list[DocumentType] = Field(default_factory=list)
    year: list[int] = Field(default_factory=list, description="publish year")
    date_from: date | None = Field(default=None, description="publish_date >= date_from")
    date_to: date | None = Field(default=None, description="publish_date <= date_to")
    validity: list[Validity] = Field(
        default_factory=list, description="效力状态; asking for any disables demotion"
    )
    audience: list[str] = Field(default_factory=list)
    region: list[str] = Field(default_factory=list)
    source: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_range(self) -> SearchFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to; swap them")
        return self

    def is_empty(self) -> bool:
        return self == SearchFilters()


class SearchQuery(BaseModel):
    """One search request against the policies index (Q&A and glossary reuse text/page/size)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", description="what the user typed; never parsed as engine syntax")
    filters: SearchFilters = Field(default_factory=SearchFilters)
    facets: list[str] = Field(default_factory=list, description=f"any of {', '.join(POLICY_FACETS)}")
    facet_size: int = Field(default=20, ge=1, le=200)
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = Field(default=1, ge=1)
    size: int = Field(default=10, ge=1, le=MAX_PAGE_SIZE)
    highlight: bool = True

    @model_validator(mode="after")
    def _check(self) -> SearchQuery:
        unknown = [f for f in self.facets if f not in POLICY_FACETS]
        if unknown:
            raise ValueError(f"unknown facet(s) {unknown}; choose from {list(POLICY_FACETS)}")
        if self.page * self.size > MAX_RESULT_WINDOW:
            raise ValueError(
                f"page*size must be <= {MAX_RESULT_WINDOW}; narrow the query instead of paging deeper"
            )
        return self

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


class WeightedTerm(BaseModel):
    """A query token with its weight (1.0 for what the user typed, less for expansions)."""

    term: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=10)


class ParsedQuery(BaseModel):
    """What query understanding extracted from the text; the compilers consume only this."""

    raw: str = ""
    normalized: str = ""
    terms: list[str] = Field(default_factory=list, description="normalized tokens, stopwords removed")
    bigrams: list[str] = Field(default_factory=list, description="CJK character bigrams of the query")
    phrases: list[str] = Field(default_factory=list, description="quoted phrases, matched as phrases")
    title_phrases: list[str] = Field(
        default_factory=list, description="《书名号》 titles: boost title phrase"
    )
    exact_titles: list[str] = Field(
        default_factory=list, description="whole titles as stored that the query names: boost exactly those"
    )
    expansions: list[WeightedTerm] = Field(default_factory=list, description="synonyms etc. with weights")
    doc_number_key: str | None = Field(default=None, description="canonical 文号 key, exact match")
    doc_number_raw: str | None = None
    clause_number: int | None = Field(default=None, description="第12条 -> 12: target that clause")
    clause_sub_number: int | None = None

    def is_empty(self) -> bool:
        """True when nothing in the query can match text (then the search is a pure filter/browse)."""
        return not (
            self.terms
            or self.bigrams
            or self.phrases
            or self.title_phrases
            or self.exact_titles
            or self.expansions
            or self.doc_number_key
        )
