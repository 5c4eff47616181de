"""Chinese text analysis: normalization, segmentation, 文号 and clause parsing, glossary lookup."""

from __future__ import annotations

from analyzers import clauses, docnumber
from analyzers.clauses import ClauseRef, ClauseSpan, find_clause_refs, split_clauses
from analyzers.docnumber import DocNumber, find_doc_numbers, parse_doc_number
from analyzers.glossary import glossary_terms_in
from analyzers.normalizers import normalize, normalize_aligned, normalize_pair
from analyzers.segmenter import Segmenter, get_segmenter
from analyzers.tokens import (
    TOKEN_SEPARATOR,
    IndexForms,
    bigram_text,
    cjk_bigrams,
    index_forms,
    index_tokens,
    query_terms,
    segment_for_index,
)

__all__ = [
    "TOKEN_SEPARATOR",
    "ClauseRef",
    "ClauseSpan",
    "DocNumber",
    "IndexForms",
    "Segmenter",
    "bigram_text",
    "cjk_bigrams",
    "clauses",
    "docnumber",
    "find_clause_refs",
    "find_doc_numbers",
    "get_segmenter",
    "glossary_terms_in",
    "index_forms",
    "index_tokens",
    "normalize",
    "normalize_aligned",
    "normalize_pair",
    "parse_doc_number",
    "query_terms",
    "segment_for_index",
    "split_clauses",
]
