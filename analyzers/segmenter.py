"""Word segmentation with jieba semantics and the policy glossary as user dictionary, loaded once per process.

jieba is the reference. rjieba (jieba-rs) is used when installed because
tests/analyzers/test_rjieba_equality.py asserts it yields exactly jieba's tokens, with the same user
words, on real documents; set POLICYKB_SEGMENTER=jieba to force the reference.

Two measured differences between the engines are handled here rather than hidden:
- jieba's ``add_word`` adds the frequency of a word that is already in the dictionary to the total a
  second time, jieba-rs replaces it; the jieba engine's total is corrected to the replace semantics so
  that near ties (群众意见 vs 群众|意见) fall the same way.
- on ASCII punctuation inside a block (2019-2021, 0.10g, www.gov.cn) jieba-rs keeps one token where
  jieba splits; such blocks go to jieba itself, the pure Han/alphanumeric blocks go to jieba-rs.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

import jieba

EngineName = Literal["jieba", "rjieba"]
ENGINE_ENV = "POLICYKB_SEGMENTER"
#: A floor so that user words also win against neighbours in context, not only when cut alone.
USER_WORD_MIN_FREQ = 2000

jieba.setLogLevel(logging.WARNING)

# jieba's own block and skip patterns: the outer loop below is jieba.Tokenizer.cut, block by block.
_RE_HAN = jieba.re_han_default
_RE_SKIP = jieba.re_skip_default
_RJIEBA_SAFE = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9]+")


class _JiebaEngine:
    """The reference: jieba's Python tokenizer with the user words."""

    def __init__(self, words: Sequence[tuple[str, int]]) -> None:
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        freq = self.tokenizer.FREQ
        total = self.tokenizer.total + sum(f - freq.get(w, 0) for w, f in words)
        for word, f in words:
            self.tokenizer.add_word(word, f)
        self.tokenizer.total = total  # replace semantics, as jieba-rs (see module docstring)

    def cut_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut(block, HMM=True))

    def search_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut_for_search(block, HMM=True))


class _RJiebaEngine:
    def __init__(self, words: Sequence[tuple[str, int]]) -> None:
        import rjieba

        self.tokenizer = rjieba.Jieba()
        for word, freq in words:
            self.tokenizer.add_word(word, freq, None)

    def cut_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut(block, True))

    def search_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut_for_search(block, True))


def user_word_frequencies(words: Iterable[str]) -> list[tuple[str, int]]:
    """Frequencies that keep each user word whole, computed once with jieba so both engines get the same."""
    reference = jieba.Tokenizer()
    reference.initialize()
    unique = sorted({w for w in words if w and not w.isspace()})
    # suggest_freq(tune=False) is the smallest frequency that beats the word's own split.
    return [(w, max(int(reference.suggest_freq(w, tune=False)), USER_WORD_MIN_FREQ)) for w in unique]


def default_engine() -> EngineName:
    """rjieba if installed (unless POLICYKB_SEGMENTER=jieba), else jieba."""
    if os.environ.get(ENGINE_ENV, "").strip().lower() == "jieba":
        return "jieba"
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


def _pieces(text: str) -> Iterator[tuple[bool, str]]:
    """jieba's outer loop: (True, block) for text to segment, (False, token) for what it passes through."""
    for blk in _RE_HAN.split(text):
        if not blk:
            continue
        if _RE_HAN.match(blk):
            yield True, blk
            continue
        for x in _RE_SKIP.split(blk):
            if _RE_SKIP.match(x):
                yield False, x
            else:
                yield from ((False, xx) for xx in x)


class Segmenter:
    """A loaded segmenter: cut() is precise mode (index), cut_for_search() search mode. Thread-safe."""

    def __init__(self, user_words: Iterable[str] = (), engine: EngineName | None = None) -> None:
        self.engine_name: EngineName = engine or default_engine()
        self.user_words = user_word_frequencies(user_words)
        self._fast = _RJiebaEngine(self.user_words) if self.engine_name == "rjieba" else None
        self._reference: _JiebaEngine | None = None if self._fast else _JiebaEngine(self.user_words)
        self._lock = threading.Lock()

    def _reference_engine(self) -> _JiebaEngine:
        if self._reference is None:
            with self._lock:
                if self._reference is None:
                    self._reference = _JiebaEngine(self.user_words)
        return self._reference

    def _engine_for(self, block: str) -> _JiebaEngine | _RJiebaEngine:
        if self._fast is not None and _RJIEBA_SAFE.fullmatch(block):
            return self._fast
        return self._reference_engine()

    def cut(self, text: str) -> list[str]:
        """Precise-mode tokens; their concatenation is exactly ``text``."""
        out: list[str] = []
        for is_block, piece in _pieces(text):
            if is_block:
                out.extend(self._engine_for(piece).cut_block(piece))
            else:
                out.append(piece)
        return out

    def cut_for_search(self, text: str) -> list[str]:
        """Search-mode tokens: precise tokens plus dictionary sub-words (中华人民共和国 → 中华, 人民 …)."""
        out: list[str] = []
        for is_block, piece in _pieces(text):
            if is_block:
                out.extend(self._engine_for(piece).search_block(piece))
            else:
                out.append(piece)
        return out


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
