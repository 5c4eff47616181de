"""Every call into the search engine goes through here, so a slow or dead engine gives a fast 503."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import ParamSpec, TypeVar

from kb.errors import KBError, SearchUnavailableError

P = ParamSpec("P")
T = TypeVar("T")

# Calls run on a small pool so the request thread can stop waiting; a hung call keeps its worker until the
# client's own timeout frees it, which is why the pool is bounded rather than one thread per request.
_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="policykb-engine")

#: Slack over the engine client's own timeout before the API gives up waiting.
GUARD_SLACK_SECONDS = 0.5


def call_engine(timeout: float, what: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` and return its result, or raise SearchUnavailableError after ``timeout`` seconds."""
    future = _POOL.submit(fn, *args, **kwargs)
    try:
        return future.result(timeout=timeout + GUARD_SLACK_SECONDS)
    except FutureTimeout:
        future.cancel()
        raise SearchUnavailableError(
            f"the search engine did not answer {what} within {timeout:.1f} s; try again in a moment",
            message_zh=f"检索服务在 {timeout:.1f} 秒内没有响应（{what}），请稍后再试",
        ) from None
    except KBError:
        raise
    except (ConnectionError, TimeoutError, OSError) as exc:
        # A backend should raise SearchUnavailableError itself; this catches low-level errors that slip past.
        raise SearchUnavailableError(
            f"the search engine could not be reached ({what}): {exc}",
        ) from exc
