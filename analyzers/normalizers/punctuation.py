"""Punctuation unification, one character for one: quote, bracket, dash and dot variants → one form each.

Runs after width folding, so full-width ASCII punctuation is already ASCII. Square-ish brackets become the
GB/T 9704 文号 brackets 〔〕, so 国发[2018]39号 and 国发【2018】39号 index like 国发〔2018〕39号.
"""

from __future__ import annotations

from analyzers.normalizers.base import CharMap, Normalizer

_GROUPS = {
    '"': "“”„‟〝〞〟「」『』﹁﹂﹃﹄",
    "'": "‘’‚‛′",
    "〔": "[【〖〘〚［",
    "〕": "]】〗〙〛］",
    "-": "‐‑‒–—―−﹘﹣",
    "~": "〜～∼",
    "·": "•‧∙・･",
}
_TABLE = {char: target for target, chars in _GROUPS.items() for char in chars}
_MAP = CharMap(_TABLE)


def unify_punctuation(text: str) -> str:
    """Map punctuation variants to one form each (“”「」→", 【】[]→〔〕, —–→-, •・→·)."""
    return _MAP.apply(text)


PUNCTUATION = Normalizer("punctuation", True, unify_punctuation)
