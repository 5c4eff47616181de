"""Q&A lookup for hotline agents: engine candidates, confidence, validity, source clause, no-answer."""

from __future__ import annotations

import time
from datetime import date

import analyzers
from kb.models import Policy, QAPair, Validity
from kb.qa import QAMatch, QAMatcher
from kb.search.query import SearchQuery
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


def qa_validity(qa: QAPair, policy: Policy | None, today: date) -> str:
    """有效, 失效 (its dates have passed or its policy is expired/repealed) or 未生效."""
    if qa.valid_from and qa.valid_from > today:
        return "未生效"
    if qa.valid_until and qa.valid_until < today:
        return "失效"
    if policy is not None and policy.validity.value in _INVALID_POLICY:
        return "失效"
    return "有效"


def _source_clause(qa: QAPair, policy: Policy | None) -> SourceClausePublic | None:
    if not qa.clause_label:
        return None
    wanted = analyzers.normalize(qa.clause_label)
    text = None
    if policy is not None:
        for clause in policy.clauses:
            if analyzers.normalize(clause.label) == wanted:
                text = clause.text
                break
    return SourceClausePublic(label=qa.clause_label, text=text)


def _answer(match: QAMatch, qa: QAPair, policy: Policy | None, today: date) -> QAAnswerPublic:
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
            validity=policy.validity.value,
            page_url=policy_page_url(policy.id),
        )
        if policy is not None and policy.id is not None
        else None,
        clause=_source_clause(qa, policy),
        validity=qa_validity(qa, policy, today),
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
    policy_ids = {qa.policy_id for qa in pairs.values() if qa.policy_id is not None}
    policies = {p.id: p for p in ctx.store.get_policies(sorted(policy_ids))}
    today = date.today()
    ranked: list[QAAnswerPublic] = []
    for match in result.candidates:
        qa = pairs.get(match.id)
        if qa is None:  # indexed but gone from the store: the index is catching up
            continue
        policy = policies.get(qa.policy_id) if qa.policy_id is not None else None
        ranked.append(_answer(match, qa, policy, today))
    threshold = result.threshold
    # The matcher decides whether there is an answer at all; an expired entry is never read out to a caller
    # as the answer (it stays a candidate), and the rest of the ranking is shown as alternatives.
    answers: list[QAAnswerPublic] = []
    if not result.no_answer:
        answers = [a for a in ranked if a.confidence >= threshold and a.validity == "有效"][:size]
    shown = {a.id for a in answers}
    candidates = [a for a in ranked if a.id not in shown][:NO_ANSWER_CANDIDATES]
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
