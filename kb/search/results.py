"""What a search returns: hits (with highlights, the matching clause, interpretations), facets, total."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kb.search.query import ParsedQuery


class InterpretationRef(BaseModel):
    """An interpretation shown under its policy hit."""

    id: int | None = None
    title: str
    kind: str | None = None
    publish_date: date | None = None
    url: str | None = None


class ClauseHit(BaseModel):
    """The clause (条) of a policy that matched the query."""

    number: int
    sub_number: int | None = None
    label: str
    text: str
    highlight: str | None = Field(default=None, description="HTML-escaped text with <em> around matches")


HitKind = Literal["policy", "qa", "glossary"]


class SearchHit(BaseModel):
    """One hit; policy hits fill the policy fields, Q&A hits the Q&A fields, glossary hits term/definition."""

    # Backends fill hits field by field from engine JSON: validate each assignment (dates, nested models).
    model_config = ConfigDict(validate_assignment=True)

    kind: HitKind = "policy"
    id: int
    source: str | None = None
    source_id: str | None = None
    url: str | None = None
    title: str
    doc_number: str | None = None
    score: float
    highlight: str | None = Field(default=None, description="best body fragment, HTML-escaped, <em> marks")
    title_highlight: str | None = None
    clause: ClauseHit | None = None
    interpretations: list[InterpretationRef] = Field(default_factory=list)
    issuing_bodies: list[str] = Field(default_factory=list)
    document_type: str | None = None
    validity: str | None = None
    publish_date: date | None = None
    # Q&A
    question: str | None = None
    alternative_questions: list[str] = Field(default_factory=list)
    answer: str | None = None
    policy_id: int | None = None
    department: str | None = None
    clause_label: str | None = None
    # glossary
    aliases: list[str] = Field(default_factory=list)
    definition: str | None = None

    def to_cli_dict(self) -> dict[str, Any]:
        """The shape `policykb search --json` prints."""
        return {
            "id": self.id,
            "source": self.source,
            "source_id": self.source_id,
            "title": self.title,
            "doc_number": self.doc_number,
            "score": self.score,
            "highlight": self.highlight or self.title_highlight,
            "clause": self.clause.model_dump(mode="json") if self.clause else None,
            "interpretations": [i.model_dump(mode="json") for i in self.interpretations],
        }


class FacetBucket(BaseModel):
    value: str
    count: int


class SearchResults(BaseModel):
    hits: list[SearchHit] = Field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetBucket]] = Field(default_factory=dict)
    took_ms: float = 0.0
    understood: ParsedQuery | None = None

    def facet_counts(self, name: str) -> dict[str, int]:
        """A facet as {value: count}, handy for tests and the CLI."""
        return {b.value: b.count for b in self.facets.get(name, [])}
