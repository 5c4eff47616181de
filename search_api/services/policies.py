"""Read one policy with everything linked to it."""

from __future__ import annotations

from kb.errors import NotFoundError
from kb.models import QAStatus
from kb.store import Store
from search_api.schemas.policy import PolicyPublic


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
    return PolicyPublic.build(policy, interpretations, qa_pairs)
