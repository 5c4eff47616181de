"""Read one policy with everything linked to it."""

from __future__ import annotations

from kb.errors import NotFoundError
from kb.models import Policy, QAStatus
from kb.store import Store
from search_api.schemas.policy import PolicyLinkPublic, PolicyPublic
from search_api.services.enrich import policy_page_url


def load_policy(store: Store, policy_id: int) -> PolicyPublic:
    """The policy with its interpretations and published Q&A; NotFoundError when there is none."""
    policy = store.get_policy(policy_id)
    if policy is None:
        raise NotFoundError(
            f"no policy with id {policy_id}; search for it at /api/search",
            message_zh=f"没有编号为 {policy_id} 的政策文件，请通过检索查找",
        )
    interpretations = store.interpretations_for_policy(policy_id)
    qa_pairs = [qa for qa in store.qa_for_policy(policy_id) if qa.status is QAStatus.PUBLISHED]
    return PolicyPublic.build(policy, interpretations, qa_pairs, _resolve(store, policy))


def _resolve(store: Store, policy: Policy) -> dict[str, PolicyLinkPublic]:
    links: dict[str, PolicyLinkPublic] = {}
    for key in [*policy.supersedes, *policy.superseded_by]:
        source, _, source_id = key.partition(":")
        other = store.get_policy_by_key(source, source_id) if source and source_id else None
        if other is not None and other.id is not None:
            links[key] = PolicyLinkPublic(
                key=key,
                id=other.id,
                title=other.title,
                validity=other.validity.value,
                page_url=policy_page_url(other.id),
            )
    return links
