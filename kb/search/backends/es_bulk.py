"""Bulk writes with retries and exact per-document accounting.

Every action carries an explicit ``_id``, so resending one the engine may already have applied is an
overwrite, not a duplicate: a document ends up in the index exactly once however often it is retried.
Whole-request failures (connection, 429, 5xx) resend the batch; item-level 429/5xx resend those items
only; any other item error is final and reported with the engine's reason. Nothing is dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from kb.search.backends.es_client import EngineClient, EngineError
from kb.search.base import BulkFailure, BulkReport

MAX_BATCH_DOCS = 250
MAX_BATCH_BYTES = 4_000_000
RETRYABLE_ITEM_STATUS = frozenset({429, 502, 503, 504}) | frozenset(range(500, 600))


@dataclass
class BulkAction:
    op: str  # "index" | "delete"
    index: str
    id: str
    source: dict[str, Any] | None = None

    def lines(self) -> list[dict[str, Any]]:
        head = {self.op: {"_index": self.index, "_id": self.id}}
        return [head] if self.source is None else [head, self.source]

    def size(self) -> int:
        return len(json.dumps(self.source, ensure_ascii=False).encode("utf-8")) if self.source else 64


class _ItemsPending(Exception):
    """Some items got a retryable status; the round is retried with just those."""


class BulkWriter:
    """Sends actions in batches; ``attempts`` and ``wait_*`` bound the retries per batch."""

    def __init__(
        self, client: EngineClient, *, attempts: int = 8, wait_min: float = 0.1, wait_max: float = 5.0
    ) -> None:
        self.client = client
        self.attempts = attempts
        self.wait_min = wait_min
        self.wait_max = wait_max

    def write(self, actions: Iterable[BulkAction]) -> BulkReport:
        report = BulkReport()
        for batch in _batches(actions):
            report.add(self._write_batch(batch))
        return report

    def _write_batch(self, batch: list[BulkAction]) -> BulkReport:
        report = BulkReport(submitted=len(batch))
        pending: dict[str, BulkAction] = {a.id: a for a in batch}
        last_reason: dict[str, str] = {}
        rounds = 0

        def send() -> None:
            nonlocal rounds
            rounds += 1
            operations = [line for action in pending.values() for line in action.lines()]
            try:
                response = self.client.bulk(operations)
            except EngineError as exc:
                for key in pending:
                    last_reason[key] = str(exc)[:300]
                raise
            for item in response.get("items", []):
                op, result = next(iter(item.items()))
                key, status = str(result.get("_id")), int(result.get("status", 0))
                if key not in pending:
                    continue
                if 200 <= status < 300 or (op == "delete" and status == 404):
                    action = pending.pop(key)
                    if action.op == "delete":
                        report.deleted += 1
                    else:
                        report.indexed += 1
                elif status in RETRYABLE_ITEM_STATUS:
                    last_reason[key] = f"HTTP {status}: {_reason(result)}"
                else:
                    pending.pop(key)
                    report.failed.append(BulkFailure(id=key, status=status, reason=_reason(result)))
            if pending:
                raise _ItemsPending()

        retrying = Retrying(
            retry=retry_if_exception_type((EngineError, _ItemsPending)),
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=self.wait_min, max=self.wait_max),
        )
        try:
            retrying(send)
        except RetryError:
            for key in pending:
                report.failed.append(
                    BulkFailure(
                        id=key,
                        status=None,
                        reason=f"gave up after {self.attempts} attempts: {last_reason.get(key, 'no answer')}",
                    )
                )
        report.retries = max(rounds - 1, 0)
        return report


def _reason(result: dict[str, Any]) -> str:
    error = result.get("error")
    if isinstance(error, dict):
        return f"{error.get('type')}: {error.get('reason')}"[:500]
    return str(error)[:500]


def _batches(actions: Iterable[BulkAction]) -> Iterator[list[BulkAction]]:
    batch: list[BulkAction] = []
    ids: set[tuple[str, str]] = set()
    size = 0
    for action in actions:
        action_size = action.size()
        key = (action.index, action.id)
        # A repeated id starts a new batch: ids are unique within a batch, so accounting is per document.
        if batch and (len(batch) >= MAX_BATCH_DOCS or size + action_size > MAX_BATCH_BYTES or key in ids):
            yield batch
            batch, size, ids = [], 0, set()
        batch.append(action)
        ids.add(key)
        size += action_size
    if batch:
        yield batch
