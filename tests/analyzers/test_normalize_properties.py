"""Property tests: normalization is total, idempotent and (for the aligned variant) length-preserving."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers import TOKEN_SEPARATOR, normalize, normalize_aligned, segment_for_index

# Any code point, surrogates included, plus a policy-flavoured alphabet so the CJK paths get exercised.
ANY_UNICODE = st.text(alphabet=st.characters(codec=None, categories=None), max_size=80)
POLICY_ALPHABET = st.sampled_from(
    [
        *"第十二条之一百零三章节款项國發〔〕［］【】（）()[]２０１８号號年月日一件事社保公积金薴",
        *["　", " ", "\n", "\t", "\u200b", "①", "㎡", "Ⅳ", "ﬁ", "“", "”", "—", "・"],
        *["A", "ａ", "1", "-", "."],
    ]
)
POLICY_TEXT = st.text(alphabet=POLICY_ALPHABET, max_size=60)
TEXT = st.one_of(ANY_UNICODE, POLICY_TEXT, st.text(max_size=80))
PROPERTY_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(TEXT)
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@PROPERTY_SETTINGS
@given(TEXT)
def test_normalize_aligned_preserves_length_and_is_idempotent(text: str) -> None:
    aligned = normalize_aligned(text)
    assert len(aligned) == len(text)
    assert normalize_aligned(aligned) == aligned


@PROPERTY_SETTINGS
@given(TEXT)
def test_removing_separators_from_index_text_gives_the_aligned_text(text: str) -> None:
    assert segment_for_index(text).replace(TOKEN_SEPARATOR, "") == normalize_aligned(text)


@PROPERTY_SETTINGS
@given(TEXT)
def test_normalized_text_never_contains_the_token_separator(text: str) -> None:
    assert TOKEN_SEPARATOR not in normalize(text)
    assert TOKEN_SEPARATOR not in normalize_aligned(text)


@PROPERTY_SETTINGS
@given(TEXT)
def test_parsers_never_raise_and_offsets_point_into_the_input(text: str) -> None:
    from analyzers import find_clause_refs, find_doc_numbers, glossary_terms_in, parse_doc_number, query_terms

    for number in find_doc_numbers(text):
        assert text[number.start:number.end] == number.raw
    for ref in find_clause_refs(text):
        assert text[ref.start:ref.end] == ref.label
    parse_doc_number(text)
    glossary_terms_in(text)
    assert all(term and term.strip() for term in query_terms(text))
