"""The retry policy, decided from the error's ``action``: retry, back off (Retry-After) or give up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from indexer.errors import Action, IngestError, RateLimitedError
from indexer.profiles.model import FetchRules

T = TypeVar("T")


def should_retry(error: BaseException) -> bool:
    """Transient errors and rate limits are retried; 4xx, robots.txt and bad content never."""
    return isinstance(error, IngestError) and error.action in (Action.RETRY, Action.BACK_OFF)


def _waiter(rules: FetchRules) -> Callable[[RetryCallState], float]:
    jitter = wait_exponential_jitter(
        multiplier=rules.backoff_initial_seconds,
        max=rules.backoff_max_seconds,
        jitter=rules.backoff_initial_seconds,
    )

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(error.retry_after, rules.max_retry_after_seconds)
        return float(jitter(state))

    return wait


async def with_retries(
    call: Callable[[], Awaitable[T]],
    rules: FetchRules,
    on_retry: Callable[[BaseException], None] | None = None,
) -> T:
    """Run ``call`` under the policy; the last error is re-raised when attempts run out."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        if on_retry is not None and error is not None:
            on_retry(error)

    def retryable(error: BaseException) -> bool:
        # A Retry-After beyond our cap means "come back much later": give up for this crawl.
        if isinstance(error, RateLimitedError) and (error.retry_after or 0) > rules.max_retry_after_seconds:
            return False
        return should_retry(error)

    retrying = AsyncRetrying(
        stop=stop_after_attempt(rules.attempts),
        wait=_waiter(rules),
        retry=retry_if_exception(retryable),
        before_sleep=before_sleep,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            return await call()
    raise AssertionError("unreachable: tenacity either returns or re-raises")
