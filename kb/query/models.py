"""What query understanding made of a query, in a form a user (and a test) can read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kb.search.query import ParsedQuery


class DocNumberTarget(BaseModel):
    """A 文号 found in the query: as typed and as the canonical key the index stores."""

    raw: str
    key: str


class ClauseTarget(BaseModel):
    """A clause reference (第十二条 / 第12条), and the title it was attached to if any."""

    number: int
    sub_number: int | None = None
    label: str
    of_title: str | None = None


class TitleTarget(BaseModel):
    """A document title the query names (《…》 or nearly a whole title)."""

    title: str
    score: float = Field(description="similarity 0-100; 100 = exactly a known form of the title")
    via: str = Field(description="bracketed | near_title | clause_title")


class ExpandedTerm(BaseModel):
    """A term added to the query at a lower weight than what was typed, and why."""

    term: str
    weight: float
    reason: str = Field(description="synonym | abbreviation | pinyin | initials | homophone")
    source: str = Field(default="", description="the part of the query it came from")


class UnderstoodQuery(BaseModel):
    """The query as understood; ``parsed`` is what the search backends compile."""

    raw: str
    normalized: str
    doc_number: DocNumberTarget | None = None
    clause: ClauseTarget | None = None
    titles: list[TitleTarget] = Field(default_factory=list)
    expanded: list[ExpandedTerm] = Field(default_factory=list)
    glossary_terms: list[str] = Field(default_factory=list)
    pinyin: list[str] = Field(
        default_factory=list, description="syllables (or initials) read from Latin input"
    )
    parsed: ParsedQuery

    def explain(self) -> dict[str, Any]:
        """The short account shown with results: {"doc_number", "clause", "title", "expanded", ...}."""
        return {
            "doc_number": self.doc_number.key if self.doc_number else None,
            "clause": self.clause.label if self.clause else None,
            "title": [t.title for t in self.titles],
            "expanded": [e.model_dump() for e in self.expanded],
            "glossary": list(self.glossary_terms),
            "pinyin": list(self.pinyin),
        }
