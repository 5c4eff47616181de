"""Word segmentation with jieba semantics and the policy glossary as user dictionary, loaded once per process.

jieba is the reference. rjieba (jieba-rs) is used when installed because
tests/analyzers/test_rjieba_equality.py asserts it yields exactly jieba's tokens, with the same user
words, on real documents; set POLICYKB_SEGMENTER=jieba to force the reference.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol

import jieba

EngineName = Literal["jieba", "rjieba"]
ENGINE_ENV = "POLICYKB_SEGMENTER"

jieba.setLogLevel(logging.WARNING)


class _Engine(Protocol):
    def cut(self, text: str) -> list[str]: ...

    def cut_for_search(self, text: str) -> list[str]: ...


class _JiebaEngine:
    def __init__(self, words: Sequence[tuple[str, int]]) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for word, freq in words:
            self.tokenizer.add_word(word, freq)

    def cut(self, text: str) -> list[str]:
        return list(self.tokenizer.cut(text, HMM=True))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self.tokenizer.cut_for_search(text, HMM=True))


class _RJiebaEngine:
    def __init__(self, words: Sequence[tuple[str, int]]) -> None:
        import rjieba

        self.tokenizer = rjieba.Jieba()
        for word, freq in words:
            self.tokenizer.add_word(word, freq, None)

    def cut(self, text: str) -> list[str]:
        return list(self.tokenizer.cut(text, True))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self.tokenizer.cut_for_search(text, True))


def user_word_frequencies(words: Iterable[str]) -> list[tuple[str, int]]:
    """Frequencies that keep each user word whole, computed once with jieba so both engines get the same."""
    reference = jieba.Tokenizer()
    reference.initialize()
    unique = sorted({w for w in words if w and not w.isspace()})
    out: list[tuple[str, int]] = []
    for word in unique:
        # suggest_freq(tune=False) is the smallest frequency that beats the word's own split.
        freq = max(int(reference.suggest_freq(word, tune=False)), USER_WORD_MIN_FREQ)
        out.append((word, freq))
    return out


#: A floor so that user words also win against neighbours in context, not only when cut alone.
USER_WORD_MIN_FREQ = 2000


def default_engine() -> EngineName:
    """rjieba if installed (unless POLICYKB_SEGMENTER=jieba), else jieba."""
    wanted = os.environ.get(ENGINE_ENV, "").strip().lower()
    if wanted == "jieba":
        return "jieba"
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


class Segmenter:
    """A loaded segmenter: cut() is precise mode (index), cut_for_search() search mode. Thread-safe."""

    def __init__(self, user_words: Iterable[str] = (), engine: EngineName | None = None) -> None:
        self.engine_name: EngineName = engine or default_engine()
        self.user_words = user_word_frequencies(user_words)
        self._engine: _Engine = (
            _RJiebaEngine(self.user_words) if self.engine_name == "rjieba" else _JiebaEngine(self.user_words)
        )

    def cut(self, text: str) -> list[str]:
        """Precise-mode tokens; their concatenation is exactly ``text``."""
        return self._engine.cut(text)

    def cut_for_search(self, text: str) -> list[str]:
        """Search-mode tokens: precise tokens plus dictionary sub-words (中华人民共和国 → 中华, 人民 …)."""
        return self._engine.cut_for_search(text)


_lock = threading.Lock()
_default: Segmenter | None = None


def glossary_user_words() -> list[str]:
    """Every glossary term and alias, in the forms the index and query pipelines produce."""
    from analyzers.normalizers import normalize, normalize_aligned
    from synonyms import load_glossary

    forms: set[str] = set()
    for entry in load_glossary():
        for form in entry.forms:
            forms.update({normalize_aligned(form), normalize(form)})
    return sorted(forms)


def get_segmenter() -> Segmenter:
    """The process-wide segmenter with the glossary loaded (built on first use)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Segmenter(glossary_user_words())
    return _default
