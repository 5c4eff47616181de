"""Query understanding (文号, 第N条, 《title》 and near titles, synonyms, pinyin and homophone typos).

``QueryUnderstanding.understand(text)`` returns an ``UnderstoodQuery`` whose ``parsed`` field is the
``ParsedQuery`` every search backend compiles; ``parser()`` plugs it into a backend as its QueryParser.
"""

from __future__ import annotations

from kb.query.expansion import SynonymExpander
from kb.query.models import ClauseTarget, DocNumberTarget, ExpandedTerm, TitleTarget, UnderstoodQuery
from kb.query.titles import TitleIndex, TitleMatch
from kb.query.understand import QueryUnderstanding
from kb.query.vocabulary import Vocabulary

__all__ = [
    "ClauseTarget",
    "DocNumberTarget",
    "ExpandedTerm",
    "QueryUnderstanding",
    "SynonymExpander",
    "TitleIndex",
    "TitleMatch",
    "TitleTarget",
    "UnderstoodQuery",
    "Vocabulary",
]
