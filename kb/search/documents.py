"""Index documents built from store records: the same analysed fields go to every backend.

Segmentation happens here, in Python, once: ``*_seg`` fields hold ``segment_for_index`` output (the text with
U+200B between tokens, length-preserving once U+200B is removed) and ``*_bigrams`` hold space-separated CJK
character bigrams of the normalized text, a recall field beside the word field.
"""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from itertools import accumulate

from pydantic import BaseModel, Field

import analyzers
from kb.models import Clause, GlossaryTerm, Interpretation, Policy, QAPair, record_key
from kb.search.results import InterpretationRef

#: U+200B separates tokens inside ``*_seg`` fields; engines tokenize on it.
ZWSP = "\u200b"
#: Separator between values of a multi-valued text field folded into one column (keywords, alt questions).
VALUE_SEPARATOR = "\n"
#: Interpretation text beyond this is not indexed: the head of a 解读 says what it is about.
MAX_INTERPRETATION_CHARS = 20_000


def segment(text: str) -> str:
    """Index form of a text: normalized, U+200B between tokens."""
    return analyzers.segment_for_index(text) if text else ""


def bigrams(text: str) -> str:
    """Space-separated CJK bigrams of the normalized text."""
    return analyzers.bigram_text(analyzers.normalize(text)) if text else ""


def forms(text: str) -> analyzers.IndexForms:
    """``segment(text)`` and ``bigrams(text)`` together, normalizing the text once."""
    return analyzers.index_forms(text)


def glossary_id(term: str) -> int:
    """A stable integer id for a glossary term (the glossary has no store ids of its own)."""
    return zlib.crc32(term.encode("utf-8"))


class IndexedClause(BaseModel):
    number: int
    sub_number: int | None = None
    label: str
    text: str
    text_seg: str


class PolicyDocument(BaseModel):
    """A policy as indexed: display fields, analysed text fields and keyword filter fields."""

    id: int
    source: str
    source_id: str
    url: str | None = None
    title: str
    title_seg: str
    title_bigrams: str
    doc_number: str | None = None
    doc_number_key: str | None = None
    keywords: list[str] = Field(default_factory=list)
    keywords_seg: str = ""
    body: str = ""
    body_seg: str = ""
    body_bigrams: str = ""
    clauses: list[IndexedClause] = Field(default_factory=list)
    interpretations_seg: str = ""
    interpretations_bigrams: str = ""
    interpretations: list[InterpretationRef] = Field(default_factory=list)
    interpretation_ids: list[int] = Field(default_factory=list, description="to find policies to refresh")
    issuing_bodies: list[str] = Field(default_factory=list)
    subject_category: list[str] = Field(default_factory=list)
    document_type: str | None = None
    validity: str
    year: int | None = None
    publish_date: date | None = None
    audiences: list[str] = Field(default_factory=list)
    region: str | None = None
    level: str | None = None


class QADocument(BaseModel):
    """A Q&A pair as indexed: question and alternatives weigh most, then the answer, then the policy title."""

    id: int
    source: str
    source_id: str
    question: str
    question_seg: str
    alternatives_seg: str = ""
    alternative_questions: list[str] = Field(default_factory=list)
    question_bigrams: str = ""
    answer: str
    answer_seg: str
    answer_bigrams: str = ""
    policy_title: str | None = None
    policy_title_seg: str = ""
    policy_id: int | None = None
    clause_label: str | None = None
    department: str | None = None
    status: str
    valid_until: date | None = None


class GlossaryDocument(BaseModel):
    id: int
    term: str
    term_seg: str
    aliases: list[str] = Field(default_factory=list)
    aliases_seg: str = ""
    definition: str
    definition_seg: str
    category: str | None = None


def _category_levels(path: list[str]) -> list[str]:
    # A filter on any level of 主题分类 should match: index every element of the path.
    return [p for p in dict.fromkeys(s.strip() for s in path) if p]


def policy_document(policy: Policy, interpretations: Iterable[Interpretation] = ()) -> PolicyDocument:
    """Build the index document of a stored policy and the interpretations linked to it."""
    if policy.id is None:
        raise ValueError(f"policy {record_key(policy.provenance)} has no store id; store it before indexing")
    interps = list(interpretations)
    interp_text = VALUE_SEPARATOR.join(
        f"{i.title}{VALUE_SEPARATOR}{i.text[:MAX_INTERPRETATION_CHARS]}" for i in interps
    )
    keywords = [k for k in policy.keywords if k.strip()]
    day = policy.publish_date or policy.written_date
    title, body, interp = forms(policy.title), forms(policy.text), forms(interp_text)
    return PolicyDocument(
        id=policy.id,
        source=policy.provenance.source,
        source_id=policy.provenance.source_id,
        url=policy.provenance.url,
        title=policy.title,
        title_seg=title.segmented,
        title_bigrams=title.bigrams,
        doc_number=policy.doc_number,
        doc_number_key=policy.doc_number_key or _doc_number_key(policy.doc_number),
        keywords=keywords,
        keywords_seg=segment(VALUE_SEPARATOR.join(keywords)),
        body=policy.text,
        body_seg=body.segmented,
        body_bigrams=body.bigrams,
        clauses=_clauses(policy, body.segmented),
        interpretations_seg=interp.segmented,
        interpretations_bigrams=interp.bigrams,
        interpretations=[
            InterpretationRef(
                id=i.id, title=i.title, kind=str(i.kind), publish_date=i.publish_date, url=i.provenance.url
            )
            for i in interps
        ],
        interpretation_ids=[i.id for i in interps if i.id is not None],
        issuing_bodies=[b for b in policy.issuing_bodies if b.strip()],
        subject_category=_category_levels(policy.subject_category),
        document_type=str(policy.document_type) if policy.document_type else None,
        validity=str(policy.validity),
        year=day.year if day else None,
        publish_date=day,
        audiences=[a for a in policy.audiences if a.strip()],
        region=policy.region,
        level=policy.level,
    )


def _clauses(policy: Policy, body_seg: str) -> list[IndexedClause]:
    # Stored clauses win; otherwise split the body, so a clause can be returned for any statute-like text.
    clauses = policy.clauses or [
        Clause(number=s.number, sub_number=s.sub_number, label=s.label, text=s.text)
        for s in analyzers.split_clauses(policy.text)
    ]
    cut = _segmented_slicer(policy.text, body_seg)
    indexed: list[IndexedClause] = []
    cursor = 0
    for c in clauses:
        if not (
            c.text.strip() and c.label.strip()
        ):  # a preamble (number 0, no label) is not a clause to show
            continue
        at = policy.text.find(c.text, cursor) if cut else -1
        if at >= 0 and cut is not None:
            # The clause is a piece of the body: reuse the body's segmentation instead of running jieba twice.
            text_seg = cut(at, at + len(c.text))
            cursor = at + len(c.text)
        else:
            text_seg = segment(c.text)
        indexed.append(
            IndexedClause(
                number=c.number, sub_number=c.sub_number, label=c.label, text=c.text, text_seg=text_seg
            )
        )
    return indexed


def _segmented_slicer(text: str, segmented: str) -> Callable[[int, int], str] | None:
    """Cut ``segmented`` by offsets of ``text`` (possible because removing U+200B gives text's length).

    Character i of ``text`` sits at i + k in ``segmented`` when it belongs to token k (k separators before
    it), so token start offsets and a bisection map offsets without a per-character table.
    """
    if not segmented:
        return None if text else (lambda start, end: "")
    starts = list(accumulate(map(len, segmented.split(ZWSP)), initial=0))
    if starts[-1] != len(text):
        return None

    def at(i: int) -> int:
        return i + bisect_right(starts, i) - 1

    def cut(start: int, end: int) -> str:
        if end <= start:
            return ""
        return segmented[at(start) : at(end - 1) + 1].strip(ZWSP)

    return cut


def _doc_number_key(doc_number: str | None) -> str | None:
    if not doc_number:
        return None
    from analyzers.docnumber import parse_doc_number

    parsed = parse_doc_number(doc_number)
    return parsed.key if parsed else None


def qa_document(qa: QAPair, policy_title: str | None = None) -> QADocument:
    """Build the index document of a stored Q&A pair."""
    if qa.id is None:
        raise ValueError(f"Q&A {record_key(qa.provenance)} has no store id; store it before indexing")
    alternatives = [q for q in qa.alternative_questions if q.strip()]
    question, answer = forms(qa.question), forms(qa.answer)
    all_questions = VALUE_SEPARATOR.join([qa.question, *alternatives])
    return QADocument(
        id=qa.id,
        source=qa.provenance.source,
        source_id=qa.provenance.source_id,
        question=qa.question,
        question_seg=question.segmented,
        alternatives_seg=segment(VALUE_SEPARATOR.join(alternatives)),
        alternative_questions=alternatives,
        question_bigrams=question.bigrams if all_questions == qa.question else bigrams(all_questions),
        answer=qa.answer,
        answer_seg=answer.segmented,
        answer_bigrams=answer.bigrams,
        policy_title=policy_title,
        policy_title_seg=segment(policy_title or ""),
        policy_id=qa.policy_id,
        clause_label=qa.clause_label,
        department=qa.department,
        status=str(qa.status),
        valid_until=qa.valid_until,
    )


def glossary_document(term: GlossaryTerm) -> GlossaryDocument:
    """Build the index document of a glossary term."""
    aliases = [a for a in term.aliases if a.strip()]
    return GlossaryDocument(
        id=glossary_id(term.term),
        term=term.term,
        term_seg=segment(term.term),
        aliases=aliases,
        aliases_seg=segment(VALUE_SEPARATOR.join(aliases)),
        definition=term.definition,
        definition_seg=segment(term.definition),
        category=term.category,
    )
