"""Search over the knowledge base: one abstraction (kb.search.base), an embedded and a server backend."""

from __future__ import annotations

import importlib
from typing import Any

from kb.errors import ConfigurationError
from kb.search.base import BaseSearchBackend
from kb.settings import Settings

#: Backend name (POLICYKB_SEARCH_BACKEND) -> module under kb.search.backends.
BACKEND_MODULES: dict[str, str] = {
    "sqlite": "kb.search.backends.sqlite",
    "opensearch": "kb.search.backends.opensearch",
    "elasticsearch": "kb.search.backends.opensearch",
}


def get_backend(settings: Settings, **kwargs: Any) -> BaseSearchBackend:
    """The configured search backend, loaded by name."""
    name = settings.search_backend
    if name not in BACKEND_MODULES:
        raise ConfigurationError(
            f"unknown search backend {name!r}; "
            f"set POLICYKB_SEARCH_BACKEND to one of {sorted(BACKEND_MODULES)}",
            message_zh=f"未知的检索后端 {name}",
        )
    module = importlib.import_module(BACKEND_MODULES[name])
    backend_class: type[BaseSearchBackend] = module.SearchBackend
    if name in {"opensearch", "elasticsearch"}:
        kwargs.setdefault("flavor", name)
    return backend_class(settings, **kwargs)
