"""``POST /api/consultations``: answer from the Q&A if confident, else file an unanswered question."""

from __future__ import annotations

from fastapi import APIRouter

from kb.workflow import ConsultationCreate
from search_api.deps import CurrentAgent
from search_api.routes.questions import WORKFLOW_RESPONSES
from search_api.schemas.workflow import ConsultationResponse, QuestionPublic
from search_api.services.workflow import WorkflowDep

router = APIRouter(prefix="/api", tags=["consultations"], responses=WORKFLOW_RESPONSES)

_MESSAGES = {
    "answered": "知识库已有答案",
    "created": "已转入待答复清单，将由责任部门在 3 个工作日内答复",
    "merged": "已并入相同的待答复问题（咨询次数 +1）",
}


@router.post("/consultations", response_model=ConsultationResponse)
def create_consultation(
    body: ConsultationCreate, agent: CurrentAgent, workflow: WorkflowDep
) -> ConsultationResponse:
    """Capture a consultation (agent or staff key). 坐席登记咨询：有可靠答案直接返回，否则转入待答复清单."""
    result = workflow.capture(body, agent)
    question = QuestionPublic.from_view(workflow.view(result.question)) if result.question else None
    return ConsultationResponse(
        outcome=result.outcome, answer=result.answer, question=question, message_zh=_MESSAGES[result.outcome]
    )
