"""Policy vocabulary as data: glossary (名词诠释), synonym sets, stopwords, and their validating loader."""

from __future__ import annotations

from synonyms.errors import DataFileError
from synonyms.loader import (
    DATA_DIR,
    GlossaryEntry,
    SynonymRule,
    load_glossary,
    load_stopwords,
    load_synonym_rules,
    load_synonym_sets,
    load_word_list,
)

__all__ = [
    "DATA_DIR",
    "DataFileError",
    "GlossaryEntry",
    "SynonymRule",
    "load_glossary",
    "load_stopwords",
    "load_synonym_rules",
    "load_synonym_sets",
    "load_word_list",
]
