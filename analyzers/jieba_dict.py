"""jieba's word frequencies in ~6 MB instead of a ~70 MB dict: the same answers, for the reference engine.

``jieba.Tokenizer`` keeps ``FREQ`` as a dict of every word and every prefix of a word (prefixes at 0), about
580k str keys. The reference engine only reads it with ``in``, ``[]`` and ``get`` (DAG, route, HMM buffer,
search-mode grams) and writes user words with ``[]=``. ``CompactFreq`` answers those from one sorted string
of the dictionary's words (binary search), with user words in a small overlay dict, so the Tokenizer's
code runs unchanged on it. The words and the total are read from jieba's own dictionary file exactly as
``Tokenizer.gen_pfdict`` reads them (last frequency of a word wins; the total sums every line).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, MutableMapping

import jieba


class _Words:
    """The sorted words as a sequence (``bisect`` reads it through ``__getitem__``)."""

    def __init__(self, words: list[str]) -> None:
        self.text = "\n".join(words)
        self.starts = array("I", [0])
        position = 0
        for word in words:
            position += len(word) + 1
            self.starts.append(position)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, i: int) -> str:
        return self.text[self.starts[i]:self.starts[i + 1] - 1]


class CompactFreq(MutableMapping[str, int]):
    """jieba's FREQ semantics: a word -> its frequency; a prefix of a word -> 0; anything else is absent."""

    def __init__(self, freqs: dict[str, int]) -> None:
        ordered = sorted(freqs)
        self._words = _Words(ordered)
        self._freqs = array("q", (freqs[w] for w in ordered))
        self._overlay: dict[str, int] = {}

    def _find(self, key: str) -> tuple[int, bool]:
        # (index of the word equal to key or -1, whether key is a word or a prefix of one)
        words = self._words
        i = bisect_left(words, key)
        if i >= len(words):
            return -1, False
        word = words[i]
        if word == key:
            return i, True
        return -1, word.startswith(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        return key in self._overlay or self._find(key)[1]

    def __getitem__(self, key: str) -> int:
        if key in self._overlay:
            return self._overlay[key]
        index, present = self._find(key)
        if not present:
            raise KeyError(key)
        return self._freqs[index] if index >= 0 else 0

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key: str, value: int) -> None:
        self._overlay[key] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("jieba's dictionary words cannot be deleted (add the word with frequency 0)")

    def __iter__(self) -> Iterator[str]:
        raise TypeError("CompactFreq is not iterable (it answers lookups only)")

    def __len__(self) -> int:
        return len(self._words) + len(self._overlay)


def default_dictionary() -> tuple[dict[str, int], int]:
    """(word -> frequency, total) of jieba's default dictionary, read as ``Tokenizer.gen_pfdict`` reads it."""
    freqs: dict[str, int] = {}
    total = 0
    with jieba.Tokenizer().get_dict_file() as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.strip().decode("utf-8")
            try:
                word, freq_text = line.split(" ")[:2]
                freq = int(freq_text)
            except ValueError:
                raise ValueError(f"invalid jieba dictionary entry at line {lineno}: {line}") from None
            freqs[word] = freq
            total += freq
    return freqs, total


def compact_tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer on a CompactFreq of the default dictionary (initialized, no user words yet)."""
    freqs, total = default_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = CompactFreq(freqs)
    tokenizer.total = total
    tokenizer.initialized = True
    return tokenizer
