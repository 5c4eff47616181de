"""Link 政策解读 to the policies they explain: explicit links, a 文号 mentioned, a 《title》 named."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from indexer.importers.convert import doc_number_key, doc_numbers_in
from kb.models import InterpretationKind, Policy, record_key

RULES_FILE = Path(__file__).with_name("data") / "interpretations.yaml"
_TITLE_NOISE = re.compile(r"[\s\u3000“”\"'‘’「」『』《》〈〉<>]")
_NAMED = re.compile(r"《([^《》]{4,100})》")


@lru_cache(maxsize=1)
def _rules() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    return data


def is_interpretation_title(title: str) -> bool:
    """Does a title announce a 解读 (解读 / 图解 / 一图读懂 / 答记者问 …)?"""
    return re.search(str(_rules()["recognise"]), title) is not None


def interpretation_kind(title: str) -> InterpretationKind:
    """图解 / 问答 / 新闻发布会 … from the title; 文字解读 by default."""
    for rule in _rules()["kinds"]:  # type: ignore[attr-defined]
        if re.search(rule["pattern"], title):
            return InterpretationKind(rule["kind"])
    return InterpretationKind.TEXT


def normalize_title(title: str) -> str:
    """Title for matching: no spaces, quotes or book-title marks; (（ unified."""
    return _TITLE_NOISE.sub("", title).replace("（", "(").replace("）", ")")


def _about(title: str) -> str | None:
    """'河北省人民政府关于完善…的通知' -> '关于完善…的通知' (None when too short to be specific)."""
    position = title.find("关于")
    about = title[position:] if position >= 0 else ""
    return about if len(about) >= 12 else None


def named_titles(text: str) -> list[str]:
    """Every 《title》 in the text, in order, without duplicates."""
    return list(dict.fromkeys(m.strip() for m in _NAMED.findall(text)))


@dataclass
class PolicyIndex:
    """Policies by 文号 key and by normalized title (also by the 《X》 inside '关于印发《X》的通知')."""

    by_doc_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_title: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_about: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, policy: Policy) -> None:
        key = record_key(policy.provenance)
        if policy.doc_number_key and key not in self.by_doc_key[policy.doc_number_key]:
            self.by_doc_key[policy.doc_number_key].append(key)
        titles = {normalize_title(policy.title)} | {normalize_title(t) for t in named_titles(policy.title)}
        for title in titles:
            if len(title) >= 6 and key not in self.by_title[title]:
                self.by_title[title].append(key)
            about = _about(title)
            if about and key not in self.by_about[about]:
                self.by_about[about].append(key)

    def by_number(self, doc_key: str) -> list[str]:
        return list(self.by_doc_key.get(doc_key, []))

    def titled(self, title: str) -> list[str]:
        """Exact normalized title first; else the part from 关于 on (issuer prefixes vary)."""
        exact = self.by_title.get(normalize_title(title), [])
        if exact:
            return list(exact)
        about = _about(normalize_title(title))
        return list(self.by_about.get(about, [])) if about else []


@dataclass
class LinkResult:
    policy_keys: list[str]
    evidence: str | None  # explicit | title_named | doc_number | text_named | None


def link_interpretation(
    title: str,
    text: str,
    index: PolicyIndex,
    *,
    explicit: list[str] | None = None,
    exclude: str | None = None,
) -> LinkResult:
    """The policies an interpretation explains, by the strongest evidence found (at most 3)."""
    lead = text[: int(str(_rules()["lead_chars"]))]
    candidates: list[tuple[str, list[str]]] = [("explicit", list(explicit or []))]
    candidates.append(("title_named", [k for t in named_titles(title) for k in index.titled(t)]))
    if not candidates[-1][1]:
        # "XX办法政策解读" without 《》: strip the announcement words and try the rest as a title.
        bare = re.sub(r"^(【[^】]{1,8}】|(一图读懂|一图看懂|动画解读|图解|解读)\s*[：:｜|]?)\s*", "", title)
        bare = re.sub(r"(的)?(政策)?(解读|图解|问答|答记者问)$", "", bare)
        candidates.append(("title_named", index.titled(bare) if bare != title else []))
    numbers = [key for _, key, _ in doc_numbers_in(title)] + [key for _, key, _ in doc_numbers_in(lead)]
    candidates.append(("doc_number", [k for n in dict.fromkeys(numbers) for k in index.by_number(n)]))
    candidates.append(("text_named", [k for t in named_titles(lead) for k in index.titled(t)]))
    for evidence, keys in candidates:
        keys = [k for k in dict.fromkeys(keys) if k != exclude]
        if keys:
            return LinkResult(policy_keys=keys[:3], evidence=evidence)
    return LinkResult(policy_keys=[], evidence=None)


def verified_explicit(
    originals: list[dict[str, str]], doc_number_ref: str | None, index: PolicyIndex
) -> list[str]:
    """Keys of heuristic 'originals' we can confirm: a title of ours whose own 文号 is the one referred to."""
    ref_key = doc_number_key(doc_number_ref)
    confirmed: list[str] = []
    for original in originals:
        for key in index.titled(original.get("title", "")):
            numbered = index.by_number(ref_key) if ref_key else []
            if not ref_key or key in numbered:
                confirmed.append(key)
    return confirmed
