"""kb.validity: a stated validity wins, otherwise the dates decide."""

from __future__ import annotations

from datetime import date

import pytest

from kb.models import Policy, Provenance, Validity
from kb.validity import derive_validity, policy_validity

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("stated", "effective", "expiry", "expected"),
    [
        (Validity.REPEALED, date(2000, 1, 1), None, Validity.REPEALED),
        (Validity.VALID, None, date(2020, 1, 1), Validity.VALID),  # the source's word beats our dates
        (None, date(2020, 1, 1), date(2025, 12, 31), Validity.EXPIRED),
        (None, date(2020, 1, 1), TODAY, Validity.VALID),  # expires at the end of today
        (None, date(2020, 1, 1), None, Validity.VALID),
        (None, TODAY, None, Validity.VALID),
        (None, date(2027, 1, 1), None, Validity.UNKNOWN),  # not yet in force
        (None, None, None, Validity.UNKNOWN),
        (Validity.UNKNOWN, None, date(2020, 1, 1), Validity.EXPIRED),  # 未知 is no statement
    ],
)
def test_derive_validity(
    stated: Validity | None, effective: date | None, expiry: date | None, expected: Validity
) -> None:
    assert (
        derive_validity(stated=stated, effective_date=effective, expiry_date=expiry, today=TODAY) is expected
    )


def test_policy_validity_ignores_an_unstated_value() -> None:
    policy = Policy(
        provenance=Provenance(source="t", source_id="1"),
        title="某办法",
        validity=Validity.VALID,
        validity_stated=False,
        expiry_date=date(2021, 6, 30),
    )
    assert policy_validity(policy, TODAY) is Validity.EXPIRED
    stated = policy.model_copy(update={"validity_stated": True})
    assert policy_validity(stated, TODAY) is Validity.VALID
