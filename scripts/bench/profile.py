"""Profile the API search services in-process (pyinstrument): ``python -m scripts.bench.profile KIND [N]``.

KIND is search | qa | engine-search | engine-qa; the app's state (store, backend, understanding, glossary,
Q&A matcher) is built by ``create_app`` from the POLICYKB_* environment (point it at a store the benchmark
built, e.g. /tmp/policykb-bench/shared). The services are called on this thread, so the profile shows
where a request's CPU goes (query understanding, engine call, enrichment, search log) without HTTP.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from pyinstrument import Profiler

from scripts.bench.queries import query_pools


def _direct(_timeout: float, _what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    kind = args[0] if args else "search"
    count = int(args[1]) if len(args) > 1 else 100
    from kb.models import Channel
    from kb.qa import QAMatcher
    from kb.search.base import SearchQuery
    from kb.settings import get_settings
    from search_api.app import create_app
    from search_api.schemas.search import SearchParams
    from search_api.services import policy_search, qa_search
    from search_api.services.policy_search import SearchContext

    # The engine guard runs engine calls on a worker thread, which the profiler does not see: call directly.
    for module in (policy_search, qa_search):
        module.call_engine = _direct  # type: ignore[attr-defined]
    app = create_app(get_settings())
    state = app.state
    # The app keeps a cache that follows the store (or, in older trees, the understanding itself).
    understanding = state.understanding.get() if hasattr(state.understanding, "get") else state.understanding
    matcher = QAMatcher(state.backend, understanding, threshold=state.settings.qa_confidence_threshold)
    ctx = SearchContext(
        settings=state.settings,
        store=state.store,
        backend=state.backend,
        channel=Channel.HOTLINE if kind.endswith("qa") else Channel.WEBSITE,
        glossary=state.glossary,
        understanding=understanding,
    )
    texts = query_pools()["qa" if kind.endswith("qa") else "search"][:count]
    calls = {
        "search": lambda t: policy_search.search_policies(SearchParams(q=t), ctx),
        "qa": lambda t: qa_search.search_qa(t, 5, ctx, matcher),
        "engine-search": lambda t: state.backend.search(SearchQuery(text=t)),
        "engine-qa": lambda t: state.backend.search_qa(SearchQuery(text=t, size=20)),
    }
    call = calls[kind]
    for text in texts[:5]:  # warm-up outside the profile (caches, first glossary load)
        call(text)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        call(text)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
