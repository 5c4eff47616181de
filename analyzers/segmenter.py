"""Word segmentation with jieba semantics and the policy glossary as user dictionary, loaded once per process.

jieba is the reference. rjieba (jieba-rs) is used when installed because
tests/analyzers/test_rjieba_equality.py asserts it yields exactly jieba's tokens, with the same user
words, on real documents; set POLICYKB_SEGMENTER=jieba to force the reference.

Measured differences between the engines are handled here rather than hidden:
- jieba's ``add_word`` adds the frequency of a word that is already in the dictionary to the total a
  second time, jieba-rs replaces it; the jieba engine's total is corrected to the replace semantics so
  that near ties (群众意见 vs 群众|意见) fall the same way.
- on ASCII symbols inside a block (2019-2021, 0.10g, www.gov.cn) jieba-rs keeps one token where jieba
  splits, and jieba-rs counts more code points as Han; runs around such characters go to jieba itself,
  everything else (nearly all policy text) goes to jieba-rs in one call per stretch.
- exact ties between two segmentations are broken differently (策策策策策); real text has not shown one.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal

import jieba

from analyzers.jieba_dict import compact_tokenizer

EngineName = Literal["jieba", "rjieba"]
ENGINE_ENV = "POLICYKB_SEGMENTER"
#: A floor so that user words also win against neighbours in context, not only when cut alone.
USER_WORD_MIN_FREQ = 2000

jieba.setLogLevel(logging.WARNING)

# Characters on which jieba-rs and jieba disagree: ASCII symbols inside a block (2019-2021, 0.10g) and Han
# outside jieba's U+4E00-U+9FD5 block range (jieba-rs also takes extension A, compatibility ideographs and
# the supplementary planes into blocks). A run of block characters around one of them goes to jieba.
_RISKY_CHARS = "+#&._%\\-\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_RISKY = re.compile(f"[{_RISKY_CHARS}]")
_RUN_CHAR = re.compile(f"[\u4e00-\u9fd5a-zA-Z0-9{_RISKY_CHARS}]")
_RUN_TAIL = re.compile(f"[\u4e00-\u9fd5a-zA-Z0-9{_RISKY_CHARS}]+")


class _JiebaEngine:
    """The reference: jieba's Python tokenizer with the user words.

    ``compact`` reads jieba's dictionary into analyzers.jieba_dict.CompactFreq (~6 MB, same lookups, each a
    binary search) instead of jieba's ~70 MB dict: right for the few runs rjieba hands over, too slow for
    whole documents (the POLICYKB_SEGMENTER=jieba engine keeps the dict).
    """

    def __init__(self, words: Sequence[tuple[str, int]], *, compact: bool = False) -> None:
        self.compact = compact
        if compact:
            self.tokenizer = compact_tokenizer()
        else:
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


#: Whether the reference engine beside rjieba is loaded on analyzers.jieba_dict (see use_compact_reference).
_compact_reference = False


def use_compact_reference(enabled: bool = True) -> None:
    """Load jieba's reference engine (runs around ASCII symbols) on the ~6 MB CompactFreq from now on.

    For a process where memory counts and segmentation volume does not (the API: queries and titles).
    Tokens are identical; each dictionary lookup is a binary search, so whole documents segment ~3x slower
    (1.34 M characters of policy bodies: 0.26 -> 0.75 CPU s), which is why indexing keeps jieba's dict.
    Takes effect the next time the reference engine is loaded (see Segmenter.release_reference).
    """
    global _compact_reference
    _compact_reference = enabled


#: Whether a segmenter has taken over rjieba's module-level instance (see _new_rjieba).
_rjieba_default_taken = False
_rjieba_lock = threading.Lock()


def _new_rjieba() -> Any:
    """A fresh jieba-rs instance with its default dictionary; the first one is the instance ``import rjieba``
    already built (``rjieba._DEFAULT_JIEBA``, ~25 MB), which nothing else in the project uses: building a
    second one kept two copies of the dictionary in every process. rjieba's module-level functions then see
    the user words too."""
    global _rjieba_default_taken
    import rjieba

    with _rjieba_lock:
        default = getattr(rjieba, "_DEFAULT_JIEBA", None)
        if not _rjieba_default_taken and default is not None:
            _rjieba_default_taken = True
            return default
    return rjieba.Jieba()


class _RJiebaEngine:
    def __init__(self, words: Sequence[tuple[str, int]]) -> None:
        self.tokenizer: Any = _new_rjieba()
        for word, freq in words:
            self.tokenizer.add_word(word, freq, None)

    def cut_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut(block, True))

    def search_block(self, block: str) -> list[str]:
        return list(self.tokenizer.cut_for_search(block, True))


def user_word_frequencies(words: Iterable[str]) -> list[tuple[str, int]]:
    """Frequencies that keep each user word whole, computed once with jieba so both engines get the same."""
    reference = compact_tokenizer()  # the same frequencies as jieba's dict, without its ~70 MB
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


def _risky_runs(text: str) -> Iterator[tuple[int, int]]:
    """Maximal runs of block characters around each character the engines treat differently."""
    position = 0
    while (hit := _RISKY.search(text, position)) is not None:
        start = hit.start()
        while start > 0 and _RUN_CHAR.match(text, start - 1):
            start -= 1
        run_end = _RUN_TAIL.match(text, hit.start())
        end = run_end.end() if run_end else hit.end()
        yield start, end
        position = end


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
                    compact = self._fast is not None and _compact_reference
                    self._reference = _JiebaEngine(self.user_words, compact=compact)
        return self._reference

    def release_reference(self) -> bool:
        """Drop jieba's reference engine (~70 MB) when rjieba does the rest; True when one was dropped.

        It is only needed for runs around ASCII symbols, which titles have (2019-2021, 0.5%) and queries
        rarely: a process that has built its vocabulary can give the memory back, and the next such run
        loads the engine again (same user words, same tokens; about a second).
        """
        reference = self._reference
        # A compact reference (use_compact_reference) holds ~6 MB: keeping it saves a reload (~1 s).
        if self._fast is None or reference is None or reference.compact:
            return False
        with self._lock:
            self._reference = None
        return True

    def _split(self, text: str, search: bool) -> list[str]:
        if self._fast is None:
            reference = self._reference_engine()
            return reference.search_block(text) if search else reference.cut_block(text)
        fast_cut = self._fast.search_block if search else self._fast.cut_block
        out: list[str] = []
        position = 0
        for start, end in _risky_runs(text):
            if start > position:
                out.extend(fast_cut(text[position:start]))
            slow = self._reference_engine()
            out.extend(slow.search_block(text[start:end]) if search else slow.cut_block(text[start:end]))
            position = end
        if position < len(text):
            out.extend(fast_cut(text[position:]))
        return out

    def cut(self, text: str) -> list[str]:
        """Precise-mode tokens; their concatenation is exactly ``text``."""
        return self._split(text, search=False)

    def cut_for_search(self, text: str) -> list[str]:
        """Search-mode tokens: precise tokens plus dictionary sub-words (中华人民共和国 → 中华, 人民 …)."""
        return self._split(text, search=True)


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


def release_reference_engine() -> bool:
    """``Segmenter.release_reference`` on the process-wide segmenter, if it has been built."""
    return _default.release_reference() if _default is not None else False


def get_segmenter() -> Segmenter:
    """The process-wide segmenter with the glossary loaded (built on first use)."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Segmenter(glossary_user_words())
    return _default
