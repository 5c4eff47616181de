"""效力状态: keep what the source states, otherwise derive it from the policy's dates."""

from __future__ import annotations

from datetime import date

from kb.models import Policy, Validity


def derive_validity(
    *,
    stated: Validity | None,
    effective_date: date | None,
    expiry_date: date | None,
    today: date,
) -> Validity:
    """A stated validity wins; else expiry passed → 失效, start reached → 有效, otherwise 未知."""
    if stated is not None and stated is not Validity.UNKNOWN:
        return stated
    if expiry_date is not None and expiry_date < today:
        return Validity.EXPIRED
    if effective_date is not None and effective_date <= today:
        return Validity.VALID
    # Not yet in force, or no dates at all: saying 有效 would be a guess.
    return Validity.UNKNOWN


def policy_validity(policy: Policy, today: date) -> Validity:
    """The validity to store for a policy on ``today``."""
    return derive_validity(
        stated=policy.validity if policy.validity_stated else None,
        effective_date=policy.effective_date,
        expiry_date=policy.expiry_date,
        today=today,
    )
