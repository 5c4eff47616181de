"""Suggest the department for an unanswered question from the policies closest to it.

The closest policies come from the policy search; each hit votes, weighted by its rank (1/rank:
engine scores are not comparable between queries or engines), for the directory departments its
issuing bodies (发文机关) and subject categories (主题分类) point to.
Bodies like 国务院 or 省人民政府 point nowhere and abstain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kb.errors import ConfigurationError
from kb.workflow.schemas import RouteEvidence, RouteSuggestion

DEFAULT_DIRECTORY_FILE = Path(__file__).resolve().parent / "data" / "departments.yaml"


@dataclass(frozen=True)
class Department:
    name: str
    category: str | None
    match: tuple[str, ...]


@dataclass(frozen=True)
class PolicyCandidate:
    """What the router needs of a close policy (from a search hit, enriched from the store)."""

    policy_id: int
    title: str
    issuing_bodies: Sequence[str]
    subject_category: Sequence[str]
    score: float


class DepartmentDirectory:
    """The departments questions can be sent to, with the name fragments that point to each."""

    def __init__(self, departments: Sequence[Department]) -> None:
        self.departments = list(departments)
        self._fragments = sorted(
            ((frag, d) for d in self.departments for frag in d.match), key=lambda fd: -len(fd[0])
        )

    @classmethod
    def from_file(cls, path: Path = DEFAULT_DIRECTORY_FILE) -> DepartmentDirectory:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            departments = [
                Department(str(d["name"]), d.get("category"), tuple(str(m) for m in d.get("match") or ()))
                for d in data["departments"]
            ]
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise ConfigurationError(
                f"{path}: cannot read the department directory ({exc}); "
                "expected departments: [{name, match}]"
            ) from exc
        return cls(departments)

    def names(self) -> list[str]:
        return [d.name for d in self.departments]

    def by_name(self, name: str) -> Department | None:
        return next((d for d in self.departments if d.name == name), None)

    def department_for(self, text: str) -> Department | None:
        """The department whose longest fragment occurs in ``text`` (an issuing body or a category)."""
        # 人民政府 contains 民政: a government's general office is not the civil-affairs bureau.
        text = text.replace("人民政府", "政府")
        for fragment, department in self._fragments:
            if fragment in text:
                return department
        return None


@lru_cache(maxsize=1)
def default_directory() -> DepartmentDirectory:
    return DepartmentDirectory.from_file()


def title_issuer(title: str) -> str | None:
    """The issuing body a title starts with (titles read 发文机关 + 关于 + 事由 + 文种)."""
    head, sep, _ = title.partition("关于")
    head = head.strip()
    return head if sep and 2 <= len(head) <= 40 else None


def suggest_department(
    candidates: Sequence[PolicyCandidate], directory: DepartmentDirectory, *, max_evidence: int = 5
) -> RouteSuggestion:
    """Rank-weighted vote of the close policies' issuing bodies, then subject categories (half weight)."""
    votes: dict[str, float] = defaultdict(float)
    evidence: list[RouteEvidence] = []
    for rank, policy in enumerate(candidates, start=1):
        weight = 1.0 / rank
        voted: set[str] = set()
        bodies = list(policy.issuing_bodies)
        if not bodies:
            # Many imported documents lack the 发文机关 field but name the issuer in the title.
            issuer = title_issuer(policy.title)
            bodies = [issuer] if issuer else []
        for body in bodies:
            department = directory.department_for(body)
            if department and department.name not in voted:
                votes[department.name] += weight
                voted.add(department.name)
        if not voted:
            # Categories speak only when no issuing body did: a 人社 policy filed under 财政 is still 人社.
            for category in policy.subject_category:
                department = directory.department_for(category)
                if department and department.name not in voted:
                    votes[department.name] += weight / 2
                    voted.add(department.name)
        if not voted:
            # Last, the title's subject (河北省城镇供水用水管理办法 → 住建): weaker, but often all there is.
            department = directory.department_for(policy.title)
            if department:
                votes[department.name] += weight / 2
                voted.add(department.name)
        if voted and len(evidence) < max_evidence:
            evidence.append(
                RouteEvidence(
                    policy_id=policy.policy_id,
                    title=policy.title,
                    issuing_bodies=list(policy.issuing_bodies),
                    subject_category=list(policy.subject_category),
                    score=policy.score,
                )
            )
    if not votes:
        return RouteSuggestion(department=None, evidence=[])
    total = sum(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    return RouteSuggestion(
        department=ranked[0][0],
        score=round(ranked[0][1] / total, 4),
        alternatives=[(name, round(v / total, 4)) for name, v in ranked[1:4]],
        evidence=evidence,
    )


PolicySearch = Callable[[str, int], Sequence[PolicyCandidate]]


class DepartmentRouter:
    """Routes a question: search close policies, then vote (see suggest_department)."""

    def __init__(self, search: PolicySearch, directory: DepartmentDirectory | None = None, top_k: int = 10):
        self._search = search
        self.directory = directory or default_directory()
        self._top_k = top_k

    def suggest(self, question: str) -> RouteSuggestion:
        return suggest_department(self._search(question, self._top_k), self.directory)
