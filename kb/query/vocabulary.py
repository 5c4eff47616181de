"""The words query understanding may correct towards: policy titles, their words, and glossary terms.

Built once per process from the titles in the knowledge base (and the glossary), so pinyin, initials and
homophone typos are only ever mapped to words that really occur in titles — that is what keeps a pinyin
query from flooding the results with unrelated homophones.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import analyzers
from kb.query.pinyin import reading

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
#: Words (and runs of adjacent title words) between these lengths become correction targets.
MIN_WORD_CHARS = 2
MAX_WORD_CHARS = 8
#: At most this many adjacent title words are joined into one candidate (无废 + 城市 -> 无废城市).
MAX_JOINED_TOKENS = 3
#: Smallest trigram filter (bits, a power of two); it grows to 16 bits per distinct piece.
TRIGRAM_FILTER_MIN_BITS = 1 << 16


@dataclass
class Vocabulary:
    """Titles, title words with their title frequency, glossary terms, and pinyin/initials indexes."""

    titles: list[str] = field(default_factory=list)
    #: normalized title -> the titles as stored (an exact-title boost must use the stored form).
    stored_titles: dict[str, list[str]] = field(default_factory=dict)
    word_freq: Counter[str] = field(default_factory=Counter)
    glossary: set[str] = field(default_factory=set)
    by_reading: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)
    by_initials: dict[str, Counter[str]] = field(default_factory=dict)
    _title_text: str = ""
    #: A one-hash Bloom filter of every 3-character piece of every title (see ``in_titles``).
    _trigrams: bytearray = field(default_factory=bytearray)

    @classmethod
    def build(cls, titles: Iterable[str], glossary_terms: Iterable[str] = ()) -> Vocabulary:
        """Index normalized titles and glossary terms."""
        vocab = cls()
        seen_titles: set[str] = set()
        # Readings are taken from the whole title (pypinyin then sees each word in context) and sliced.
        readings: dict[str, tuple[str, ...]] = {}
        for raw in titles:
            title = analyzers.normalize(raw).strip()
            if not title:
                continue
            stored = vocab.stored_titles.setdefault(title, [])
            if raw not in stored:
                stored.append(raw)
            if title in seen_titles:
                continue
            seen_titles.add(title)
            vocab.titles.append(title)
            for word, syllables in set(_title_words(title)):
                vocab.word_freq[word] += 1
                readings.setdefault(word, syllables)
        for term in glossary_terms:
            word = analyzers.normalize(term).strip()
            if _CJK.match(word) and MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS:
                vocab.glossary.add(word)
                vocab.word_freq[word] += 1
        by_reading: defaultdict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        by_initials: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for word, freq in vocab.word_freq.items():
            syllables = readings.get(word) or reading(word)
            if len(syllables) != len(word):
                continue
            by_reading[syllables][word] += freq
            if len(word) >= 3:
                by_initials["".join(syllable[0] for syllable in syllables)][word] += freq
        vocab.by_reading = dict(by_reading)
        vocab.by_initials = dict(by_initials)
        # One string with a separator nobody types: "does this text occur in any title" becomes `in`.
        vocab._title_text = "\x00".join(vocab.titles)
        vocab._trigrams = _trigram_filter(vocab.titles)
        return vocab

    def __len__(self) -> int:
        return len(self.titles)

    def in_titles(self, text: str) -> bool:
        """True when ``text`` occurs inside some title.

        The homophone pass asks this for every 3-6 character window of a query, and a substring search of all
        titles costs ~0.1 ms; most windows of a colloquial question have a 3-character piece no title has,
        which the filter answers at once (a piece it has, or wrongly thinks it has, goes to the real search).
        """
        if not text:
            return False
        bits = self._trigrams
        if bits and len(text) >= 3:
            mask = len(bits) * 8 - 1
            for i in range(len(text) - 2):
                h = hash(text[i:i + 3]) & mask
                if not bits[h >> 3] & (1 << (h & 7)):
                    return False
        return text in self._title_text

    def is_word(self, text: str) -> bool:
        return text in self.word_freq

    def homophones(self, text: str) -> list[str]:
        """Title words read exactly like ``text`` but written differently, most frequent first."""
        found = self.by_reading.get(reading(text))
        if not found:
            return []
        return [w for w, _ in found.most_common() if w != text]

    def words_for_syllables(self, syllables: tuple[str, ...]) -> list[tuple[str, int]]:
        """Title words whose reading is exactly ``syllables``, with their frequency."""
        return self.by_reading.get(syllables, Counter()).most_common()

    def words_for_initials(self, initials: str) -> list[tuple[str, int]]:
        """Title words (3+ characters) whose syllable initials spell ``initials``."""
        return self.by_initials.get(initials, Counter()).most_common()


def _trigram_filter(titles: list[str]) -> bytearray:
    """Bits set for hash(piece) of every 3-character piece of the titles (str hashes are per process)."""
    pieces = sum(max(0, len(title) - 2) for title in titles)
    size = TRIGRAM_FILTER_MIN_BITS
    while size < 16 * pieces:  # at most ~6 % false positives with one hash function
        size *= 2
    bits = bytearray(size // 8)
    mask = size - 1
    for title in titles:
        for i in range(len(title) - 2):
            h = hash(title[i:i + 3]) & mask
            bits[h >> 3] |= 1 << (h & 7)
    return bits


def _title_words(title: str) -> list[tuple[str, tuple[str, ...]]]:
    """Correction targets of one title with their readings: its words and runs of up to three words."""
    tokens: list[tuple[int, str, tuple[str, ...]]] = []
    position = 0
    for token in analyzers.get_segmenter().cut(title):
        if _CJK.match(token):
            # Read per token (cached): pypinyin picks a polyphone's reading from the word it is in.
            syllables = reading(token)
            if len(syllables) == len(token):
                tokens.append((position, token, syllables))
        position += len(token)
    words: list[tuple[str, tuple[str, ...]]] = []
    for i in range(len(tokens)):
        word = ""
        joined: tuple[str, ...] = ()
        previous_end = tokens[i][0]
        for j in range(i, min(i + MAX_JOINED_TOKENS, len(tokens))):
            token_start, token, syllables = tokens[j]
            if j > i and not _joinable(title[previous_end:token_start]):
                break
            word += token
            joined += syllables
            previous_end = token_start + len(token)
            if len(word) > MAX_WORD_CHARS:
                break
            if len(word) >= MIN_WORD_CHARS:
                words.append((word, joined))
    return words


def _joinable(gap: str) -> bool:
    # 双随机、一公开 is one phrase to a person typing shuangsuiji yigongkai; punctuation does not split it.
    return len(gap) <= 1 and not any(ch.isalnum() for ch in gap)
