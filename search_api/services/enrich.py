"""Turn backend hits into API hits: safe highlights, interpretations, related Q&A, glossary, provenance."""

from __future__ import annotations

import analyzers
from kb.models import QAPair
from kb.search.query import ParsedQuery
from kb.search.results import SearchHit
from search_api.sanitize import excerpt, plain_text, safe_highlight, safe_link
from search_api.schemas.common import (
    GlossaryEntryPublic,
    InterpretationLinkPublic,
    ProvenancePublic,
    QAPreviewPublic,
)
from search_api.schemas.search import ClauseMatchPublic, PolicyHitPublic
from search_api.services.glossary import GlossaryCache

#: Related Q&A shown under each policy hit.
RELATED_QA_PER_HIT = 3
#: Characters of body text shown when the engine returned no highlighted fragment.
SNIPPET_FALLBACK_CHARS = 120


def policy_page_url(policy_id: int) -> str:
    """This service's page for a policy."""
    return f"/policies/{policy_id}"


def _rank_related(qa_pairs: list[QAPair], parsed: ParsedQuery | None) -> list[QAPair]:
    # Q&A linked to the policy, those sharing most query words first; the store's order breaks ties.
    terms = set(parsed.terms) if parsed else set()

    def overlap(qa: QAPair) -> int:
        text = analyzers.normalize(qa.question + " " + " ".join(qa.alternative_questions))
        return sum(1 for term in terms if term in text)

    return sorted(qa_pairs, key=overlap, reverse=True)[:RELATED_QA_PER_HIT]


def _clause(hit: SearchHit) -> ClauseMatchPublic | None:
    # Number 0 is the text before the first 条 (or a text without any): not a clause worth pointing at.
    if hit.clause is None or hit.clause.number == 0:
        return None
    clause = hit.clause
    return ClauseMatchPublic(
        number=clause.number,
        sub_number=clause.sub_number,
        label=clause.label,
        text=plain_text(clause.text),
        text_html=safe_highlight(clause.highlight) if clause.highlight else safe_highlight(clause.text),
    )


def policy_hit(hit: SearchHit, related_qa: list[QAPair], parsed: ParsedQuery | None) -> PolicyHitPublic:
    """One API hit from a backend hit and the policy's published Q&A."""
    # The index carries each policy's interpretations (index sync refreshes a policy when one changes).
    interpretations = [
        InterpretationLinkPublic(
            id=ref.id,
            title=ref.title,
            kind=ref.kind,
            publish_date=ref.publish_date,
            url=safe_link(ref.url),
        )
        for ref in hit.interpretations
    ]
    related = [QAPreviewPublic.from_model(qa) for qa in _rank_related(related_qa, parsed)]
    snippet = safe_highlight(hit.highlight) if hit.highlight else None
    return PolicyHitPublic(
        id=hit.id,
        title=plain_text(hit.title),
        title_html=safe_highlight(hit.title_highlight or hit.title),
        doc_number=hit.doc_number,
        issuing_bodies=hit.issuing_bodies,
        document_type=hit.document_type,
        validity=hit.validity,
        publish_date=hit.publish_date,
        score=hit.score,
        snippet_html=snippet,
        matching_clause=_clause(hit),
        interpretations=interpretations,
        related_qa=related,
        provenance=ProvenancePublic(
            source=hit.source or "unknown", source_id=hit.source_id or str(hit.id), url=safe_link(hit.url)
        ),
        page_url=policy_page_url(hit.id),
    )


def glossary_for_text(text: str, glossary: GlossaryCache) -> list[GlossaryEntryPublic]:
    """Definitions of the glossary terms (or their aliases) mentioned in ``text``."""
    if not text:
        return []
    return [GlossaryEntryPublic.from_model(entry) for entry in glossary.mentioned_in(text)]


def snippet_or_excerpt(snippet_html: str | None, text: str) -> str:
    """The highlighted snippet, or the start of the text, escaped."""
    return snippet_html or safe_highlight(excerpt(text, SNIPPET_FALLBACK_CHARS))
