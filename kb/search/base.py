"""The search backend abstraction: Index (writes), QueryCompiler (query -> engine), Results, Backend.

Modelled on django-modelsearch: each backend module subclasses these roles and ends with
``SearchBackend = ...``; ``kb.search.get_backend`` loads the configured one by name.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, Field

from kb.search.documents import GlossaryDocument, PolicyDocument, QADocument
from kb.search.query import (
    ParsedQuery,
    SearchFilters,
    SearchQuery,
    SortOrder,
    WeightedTerm,
)
from kb.search.results import ClauseHit, FacetBucket, HitKind, InterpretationRef, SearchHit, SearchResults
from kb.search.understanding import QueryParser, parse_query
from kb.settings import Settings

__all__ = [
    "BaseIndex",
    "BaseQueryCompiler",
    "BaseResults",
    "BaseSearchBackend",
    "BulkFailure",
    "BulkReport",
    "ClauseHit",
    "Document",
    "FacetBucket",
    "IndexKind",
    "InterpretationRef",
    "ParsedQuery",
    "SearchFilters",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "SortOrder",
    "WeightedTerm",
]

Document = PolicyDocument | QADocument | GlossaryDocument


class IndexKind(StrEnum):
    POLICIES = "policies"
    QA = "qa"
    GLOSSARY = "glossary"


#: What a hit of each index kind calls itself.
HIT_KINDS: dict[IndexKind, HitKind] = {
    IndexKind.POLICIES: "policy",
    IndexKind.QA: "qa",
    IndexKind.GLOSSARY: "glossary",
}


class BulkFailure(BaseModel):
    """A document the engine refused for good (after retries), with the engine's reason."""

    id: str
    status: int | None = None
    reason: str


class BulkReport(BaseModel):
    """Exact accounting of a bulk write: submitted == indexed + deleted + len(failed)."""

    submitted: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: list[BulkFailure] = Field(default_factory=list)
    retries: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def add(self, other: BulkReport) -> BulkReport:
        """Fold another report into this one (in place) and return self."""
        self.submitted += other.submitted
        self.indexed += other.indexed
        self.deleted += other.deleted
        self.failed.extend(other.failed)
        self.retries += other.retries
        return self


B = TypeVar("B", bound="BaseSearchBackend")


class BaseIndex(ABC, Generic[B]):
    """Writes to one kind of index: versions behind an alias, bulk, delete, alias swap."""

    def __init__(self, backend: B, kind: IndexKind) -> None:
        self.backend = backend
        self.kind = kind

    @abstractmethod
    def create_version(self) -> str:
        """Create a new empty versioned index and return its name (not yet behind the alias)."""

    @abstractmethod
    def current_version(self) -> str | None:
        """The versioned index the alias points to, or None when there is none yet."""

    @abstractmethod
    def list_versions(self) -> list[str]:
        """Every versioned index of this kind, oldest first."""

    @abstractmethod
    def swap_alias(self, version: str) -> None:
        """Point the alias at ``version`` atomically: searches see the old or the new index, never none."""

    @abstractmethod
    def drop_version(self, version: str) -> None:
        """Delete a versioned index (refuses the one behind the alias)."""

    @abstractmethod
    def bulk_index(self, documents: Iterable[Document], *, version: str | None = None) -> BulkReport:
        """Index (insert or replace by id) documents into ``version`` or the alias target."""

    @abstractmethod
    def delete(self, ids: Iterable[int], *, version: str | None = None) -> BulkReport:
        """Delete documents by id; a missing id counts as deleted (the goal state holds)."""

    @abstractmethod
    def count(self, *, version: str | None = None) -> int:
        """Number of documents in ``version`` or the alias target."""

    @abstractmethod
    def policies_citing(self, interpretation_ids: Iterable[int]) -> list[int]:
        """Ids of indexed policies that show any of these interpretations (to refresh them)."""

    def refresh(self, *, version: str | None = None) -> None:
        """Make recent writes searchable (a no-op where writes are visible at once)."""

    def ensure(self) -> str:
        """The live version, creating an empty one behind the alias if there is none."""
        current = self.current_version()
        if current is not None:
            return current
        version = self.create_version()
        self.swap_alias(version)
        return version


class BaseQueryCompiler(ABC):
    """Turns (SearchQuery, ParsedQuery) into the engine's query for one index kind."""

    def __init__(self, query: SearchQuery, parsed: ParsedQuery, kind: IndexKind) -> None:
        self.query = query
        self.parsed = parsed
        self.kind = kind

    @property
    def demote_invalid(self) -> bool:
        """Demote expired/repealed documents unless the caller filters on validity explicitly."""
        return not self.query.filters.validity

    def highlight_texts(self) -> tuple[list[str], list[str]]:
        """What highlights mark: (query tokens as they are, texts to segment and mark as phrases).

        Both compilers build their highlight queries from this, so the same words light up on every backend;
        a 文号 is marked where the text cites it, although it is matched by its key.
        """
        parsed = self.parsed
        texts = [e.term for e in parsed.expansions] + parsed.phrases + parsed.title_phrases
        if self.kind is IndexKind.POLICIES and parsed.doc_number_key:
            texts.append(_cited_form(parsed.doc_number_key, parsed.doc_number_raw))
        tokens = [t for t in dict.fromkeys(parsed.terms) if t.strip()]
        return tokens, [t for t in dict.fromkeys(texts) if t.strip()]

    @abstractmethod
    def compile(self) -> Any:
        """The engine query (a request body, or SQL with parameters)."""


def _cited_form(key: str, raw: str | None) -> str:
    # 国办发|2018|39 -> 国办发〔2018〕39号; brackets are separators, so any bracket form in a text is marked.
    parts = key.split("|")
    if len(parts) == 3 and all(parts):
        return f"{parts[0]}〔{parts[1]}〕{parts[2]}号"
    return raw or key


class BaseResults(ABC):
    """Wraps a raw engine response and turns it into SearchResults."""

    def __init__(self, compiler: BaseQueryCompiler, raw: Any) -> None:
        self.compiler = compiler
        self.raw = raw

    @abstractmethod
    def hits(self) -> list[SearchHit]: ...

    @abstractmethod
    def total(self) -> int: ...

    @abstractmethod
    def facets(self) -> dict[str, list[FacetBucket]]: ...

    def to_results(self, took_ms: float) -> SearchResults:
        return SearchResults(
            hits=self.hits(),
            total=self.total(),
            facets=self.facets(),
            took_ms=took_ms,
            understood=self.compiler.parsed,
        )


class BaseSearchBackend(ABC):
    """Wires the roles together; subclasses set the class attributes and implement ``execute``."""

    name: ClassVar[str] = "base"
    index_class: ClassVar[type[BaseIndex[Any]]]
    query_compiler_class: ClassVar[type[BaseQueryCompiler]]
    results_class: ClassVar[type[BaseResults]]

    def __init__(self, settings: Settings, *, parser: QueryParser | None = None) -> None:
        self.settings = settings
        max_chars = settings.max_query_chars
        self.parser: QueryParser = parser or (lambda text: parse_query(text, max_chars=max_chars))
        self._indexes: dict[IndexKind, BaseIndex[Any]] = {}

    def index(self, kind: IndexKind | str = IndexKind.POLICIES) -> BaseIndex[Any]:
        """The writer of one index kind."""
        kind = IndexKind(kind)
        if kind not in self._indexes:
            self._indexes[kind] = self.index_class(self, kind)
        return self._indexes[kind]

    def parse(self, text: str) -> ParsedQuery:
        return self.parser(text) if text.strip() else ParsedQuery(raw=text)

    def _run(self, query: SearchQuery, kind: IndexKind, parsed: ParsedQuery | None = None) -> SearchResults:
        started = time.perf_counter()
        parsed = parsed or self.parse(query.text)
        if query.text.strip() and parsed.is_empty() and parsed.clause_number is None:
            # Text with nothing searchable in it (only stopwords or punctuation) matches nothing; it must not
            # turn into "browse everything" the way an empty search box does.
            return SearchResults(understood=parsed, took_ms=(time.perf_counter() - started) * 1000)
        compiler = self.query_compiler_class(query, parsed, kind)
        raw = self.execute(compiler)
        results = self.results_class(compiler, raw)
        return results.to_results(took_ms=(time.perf_counter() - started) * 1000)

    def search(self, query: SearchQuery, *, parsed: ParsedQuery | None = None) -> SearchResults:
        """Search policies; ``parsed`` overrides query understanding (the relevance hook)."""
        return self._run(query, IndexKind.POLICIES, parsed)

    def search_qa(self, query: SearchQuery, *, parsed: ParsedQuery | None = None) -> SearchResults:
        """Search published Q&A pairs (filters and facets do not apply)."""
        return self._run(query, IndexKind.QA, parsed)

    def search_glossary(self, query: SearchQuery, *, parsed: ParsedQuery | None = None) -> SearchResults:
        """Search glossary terms, aliases and definitions."""
        return self._run(query, IndexKind.GLOSSARY, parsed)

    @abstractmethod
    def execute(self, compiler: BaseQueryCompiler) -> Any:
        """Run a compiled query against the engine and return its raw response."""

    @abstractmethod
    def suggest(self, prefix: str, size: int = 10) -> list[str]:
        """Policy titles starting with ``prefix`` (for the search box)."""

    @abstractmethod
    def ping(self) -> bool:
        """True when the engine answers."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def ensure_indexes(self) -> None:
        """Make sure every index kind has a live version."""
        for kind in IndexKind:
            self.index(kind).ensure()

    @staticmethod
    def ids_of(documents: Sequence[Document]) -> list[int]:
        return [d.id for d in documents]
