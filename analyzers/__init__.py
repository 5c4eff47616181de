"""Chinese text analysis: normalization, segmentation, 文号 and clause parsing, glossary lookup."""

from __future__ import annotations

from analyzers import clauses, docnumber
from analyzers.clauses import ClauseRef, ClauseSpan, find_clause_refs, split_clauses
from analyzers.docnumber import DocNumber, find_doc_numbers, parse_doc_number
from analyzers.glossary import glossary_terms_in
from analyzers.normalizers import normalize, normalize_aligned
from analyzers.segmenter import Segmenter, get_segmenter
from analyzers.tokens import TOKEN_SEPARATOR, cjk_bigrams, index_tokens, query_terms, segment_for_index

__all__ = [
    "TOKEN_SEPARATOR",
    "ClauseRef",
    "ClauseSpan",
    "DocNumber",
    "Segmenter",
    "cjk_bigrams",
    "clauses",
    "docnumber",
    "find_clause_refs",
    "find_doc_numbers",
    "get_segmenter",
    "glossary_terms_in",
    "index_tokens",
    "normalize",
    "normalize_aligned",
    "parse_doc_number",
    "query_terms",
    "segment_for_index",
    "split_clauses",
]
