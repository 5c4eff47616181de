"""Suggestions and health responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SuggestionPublic(BaseModel):
    """One completion for the search box."""

    text: str
    kind: Literal["title", "glossary", "query"] = Field(
        description="policy title, glossary term, frequent query"
    )


class SuggestResponsePublic(BaseModel):
    prefix: str
    suggestions: list[SuggestionPublic]


class HealthPublic(BaseModel):
    """The process is alive."""

    status: Literal["ok"] = "ok"


class ComponentStatusPublic(BaseModel):
    ok: bool
    detail: str = ""


class ReadyPublic(BaseModel):
    """Whether the store and the search engine answer."""

    status: Literal["ready", "unavailable"]
    backend: str = Field(description="configured search backend")
    store: ComponentStatusPublic
    engine: ComponentStatusPublic
