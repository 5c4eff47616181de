"""``GET /api/policies/{policy_id}``: one policy in full."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from search_api.deps import StoreDep
from search_api.errors import ERROR_RESPONSES, ErrorPublic
from search_api.schemas.policy import PolicyPublic
from search_api.services.policies import load_policy

router = APIRouter(prefix="/api", tags=["policies"], responses=ERROR_RESPONSES)


@router.get(
    "/policies/{policy_id}",
    response_model=PolicyPublic,
    summary="Read one policy 政策全文",
    responses={404: {"model": ErrorPublic, "description": "no policy with this id"}},
)
def read_policy(policy_id: Annotated[int, Path(ge=1, le=2**63 - 1)], store: StoreDep) -> PolicyPublic:
    """Metadata, clauses, interpretations, related Q&A, attachments and 惠企 items of one policy."""
    return load_policy(store, policy_id)
