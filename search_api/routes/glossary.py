"""``GET /api/glossary/{term}``: one glossary entry, by its term or an alias."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from kb.errors import NotFoundError
from search_api.deps import GlossaryDep
from search_api.errors import ERROR_RESPONSES, ErrorPublic
from search_api.schemas.common import GlossaryEntryPublic

router = APIRouter(prefix="/api", tags=["glossary"], responses=ERROR_RESPONSES)


@router.get(
    "/glossary/{term}",
    response_model=GlossaryEntryPublic,
    summary="Define a policy term 名词诠释",
    responses={404: {"model": ErrorPublic, "description": "no such term or alias"}},
)
def read_glossary_term(
    term: Annotated[str, Path(min_length=1, max_length=50, description="term or alias, e.g. 社保")],
    glossary: GlossaryDep,
) -> GlossaryEntryPublic:
    """The definition of a term; aliases (社保 → 社会保险) and traditional characters resolve to the entry."""
    entry = glossary.lookup(term)
    if entry is None:
        raise NotFoundError(
            f"no glossary entry for {term!r}; try /api/suggest?q={term} for similar terms",
            message_zh=f"词汇表中没有“{term}”，可在检索框中输入查看相近词",
        )
    return GlossaryEntryPublic.from_model(entry)
