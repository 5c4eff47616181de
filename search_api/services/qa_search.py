"""Q&A lookup for hotline agents: engine candidates, confidence, validity, source clause, no-answer."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

import analyzers
from kb.models import Policy, QAPair, Validity
from kb.qa import QAMatch, QAMatcher
from kb.search.query import SearchQuery
from kb.store import Store
from kb.store.tables import PolicyClauseRow, PolicyRow
from search_api.engine_guard import call_engine
from search_api.query_input import clean_query
from search_api.sanitize import safe_highlight
from search_api.schemas.common import ProvenancePublic
from search_api.schemas.qa import PolicyRefPublic, QAAnswerPublic, QASearchResponsePublic, SourceClausePublic
from search_api.services.enrich import policy_page_url
from search_api.services.inputs import InputError
from search_api.services.policy_search import SearchContext, log_search

#: Engine candidates re-scored per lookup (more than shown, so confidence can reorder them).
CANDIDATE_POOL = 20
#: Closest other entries shown beside the answers (or instead of them when there is none).
NO_ANSWER_CANDIDATES = 3
_INVALID_POLICY = {Validity.EXPIRED.value, Validity.REPEALED.value}


@dataclass(frozen=True)
class PolicyBrief:
    """What a Q&A answer shows of its policy; read as a few columns, not as a whole Policy with its body."""

    id: int
    title: str
    doc_number: str | None
    validity: str


@dataclass(frozen=True)
class _Ranked:
    match: QAMatch
    qa: QAPair
    policy: PolicyBrief | None
    validity: str


def qa_validity(qa: QAPair, policy: Policy | PolicyBrief | None, today: date) -> str:
    """有效, 失效 (its dates have passed or its policy is expired/repealed) or 未生效."""
    if qa.valid_from and qa.valid_from > today:
        return "未生效"
    if qa.valid_until and qa.valid_until < today:
        return "失效"
    if policy is not None:
        validity = policy.validity if isinstance(policy, PolicyBrief) else policy.validity.value
        if validity in _INVALID_POLICY:
            return "失效"
    return "有效"


def policy_briefs(store: Store, policy_ids: set[int]) -> dict[int, PolicyBrief]:
    """Id, title, 文号 and validity of these policies, in one read."""
    if not policy_ids:
        return {}
    with store.read_session() as session:
        rows = session.execute(
            select(PolicyRow.id, PolicyRow.title, PolicyRow.doc_number, PolicyRow.validity).where(
                PolicyRow.id.in_(sorted(policy_ids))
            )
        ).all()
    return {pid: PolicyBrief(pid, title, doc_number, validity) for pid, title, doc_number, validity in rows}


def policy_clauses(store: Store, policy_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """(label, text) of every clause of these policies, in body order."""
    found: dict[int, list[tuple[str, str]]] = {}
    if not policy_ids:
        return found
    with store.read_session() as session:
        for policy_id, label, text in session.execute(
            select(PolicyClauseRow.policy_id, PolicyClauseRow.label, PolicyClauseRow.text)
            .where(PolicyClauseRow.policy_id.in_(sorted(policy_ids)))
            .order_by(PolicyClauseRow.policy_id, PolicyClauseRow.ordinal)
        ):
            found.setdefault(policy_id, []).append((label, text))
    return found


def _source_clause(qa: QAPair, clauses: list[tuple[str, str]]) -> SourceClausePublic | None:
    if not qa.clause_label:
        return None
    wanted = analyzers.normalize(qa.clause_label)
    text = None
    for label, clause_text in clauses:
        if analyzers.normalize(label) == wanted:
            text = clause_text
            break
    return SourceClausePublic(label=qa.clause_label, text=text)


def _answer(ranked: _Ranked, clauses: dict[int, list[tuple[str, str]]]) -> QAAnswerPublic:
    match, qa, policy = ranked.match, ranked.qa, ranked.policy
    assert qa.id is not None
    return QAAnswerPublic(
        id=qa.id,
        question=qa.question,
        question_html=safe_highlight(qa.question),
        answer=qa.answer,
        department=qa.department,
        policy=PolicyRefPublic(
            id=policy.id,
            title=policy.title,
            doc_number=policy.doc_number,
            validity=policy.validity,
            page_url=policy_page_url(policy.id),
        )
        if policy is not None
        else None,
        clause=_source_clause(qa, clauses.get(policy.id, []) if policy is not None else []),
        validity=ranked.validity,
        valid_from=qa.valid_from,
        valid_until=qa.valid_until,
        confidence=round(match.confidence, 3),
        provenance=ProvenancePublic.from_model(qa.provenance),
    )


def search_qa(q: str, size: int, ctx: SearchContext, matcher: QAMatcher) -> QASearchResponsePublic:
    """Answers the matcher is confident in (valid ones only), else no_answer with the closest candidates."""
    started = time.perf_counter()
    cleaned = clean_query(q, ctx.settings.max_query_chars)
    if not cleaned.text:
        raise InputError("q", "type the caller's question", message_zh="请输入来电人的问题")
    result = call_engine(
        ctx.settings.search_timeout_seconds, "Q&A search", matcher.match, cleaned.text, CANDIDATE_POOL
    )
    pairs = {qa.id: qa for qa in ctx.store.get_qa_pairs([m.id for m in result.candidates])}
    policies = policy_briefs(ctx.store, {qa.policy_id for qa in pairs.values() if qa.policy_id is not None})
    today = date.today()
    ranked: list[_Ranked] = []
    for match in result.candidates:
        qa = pairs.get(match.id)
        if qa is None:  # indexed but gone from the store: the index is catching up
            continue
        policy = policies.get(qa.policy_id) if qa.policy_id is not None else None
        ranked.append(_Ranked(match, qa, policy, qa_validity(qa, policy, today)))
    threshold = result.threshold
    # The matcher decides whether there is an answer at all; an expired entry is never read out to a caller
    # as the answer (it stays a candidate), and the rest of the ranking is shown as alternatives.
    chosen: list[_Ranked] = []
    if not result.no_answer:
        # The public confidence is rounded to 3 places; the threshold applies to what is shown.
        chosen = [r for r in ranked if round(r.match.confidence, 3) >= threshold and r.validity == "有效"][
            :size
        ]
    shown = {r.qa.id for r in chosen}
    others = [r for r in ranked if r.qa.id not in shown][:NO_ANSWER_CANDIDATES]
    # Clause texts only for the entries shown that cite one (a statute's clauses are most of its text).
    cited = {r.policy.id for r in chosen + others if r.policy is not None and r.qa.clause_label}
    clauses = policy_clauses(ctx.store, cited)
    answers = [_answer(r, clauses) for r in chosen]
    candidates = [_answer(r, clauses) for r in others]
    took_ms = (time.perf_counter() - started) * 1000
    log_search(ctx, SearchQuery(text=cleaned.text), len(answers), took_ms, kind="qa")
    response = QASearchResponsePublic(
        query=cleaned.text,
        notices=cleaned.notices,
        no_answer=not answers,
        threshold=threshold,
        answers=answers,
        candidates=candidates,
        took_ms=round(took_ms, 1),
    )
    if not answers:
        response.message = (
            "no confident answer; send the question to the unanswered list (POST /api/consultations)"
        )
        response.message_zh = "未找到可靠答案，可转入待答复问题清单"
    return response
