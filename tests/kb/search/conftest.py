"""Backends for the search contract suite: the embedded SQLite one and the real OpenSearch server.

``make_backend`` gives an empty backend of the parametrized kind; ``corpus_backend`` one loaded with the
factory corpus (module-scoped: the read-only contract tests share it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from search_factories import load_corpus

from kb.search import get_backend
from kb.search.base import BaseSearchBackend
from kb.settings import Settings

BACKENDS = ["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)]

BackendFactory = Callable[[], BaseSearchBackend]


def _settings(kind: str, tmp: Path, request: pytest.FixtureRequest) -> Settings:
    if kind == "sqlite":
        return Settings(data_dir=tmp, search_backend="sqlite", database_url=f"sqlite:///{tmp / 'kb.db'}")
    url: str = request.getfixturevalue("opensearch_url")
    return Settings(
        data_dir=tmp,
        search_backend="opensearch",
        search_url=url,
        search_timeout_seconds=30,
        search_index_prefix=f"tsearch{uuid.uuid4().hex[:8]}",
    )


def _cleanup(backend: BaseSearchBackend) -> None:
    if backend.name == "opensearch":
        from kb.search.backends.opensearch import EsSearchBackend

        assert isinstance(backend, EsSearchBackend)
        for name in backend.client.indices(f"{backend.prefix}-*"):
            backend.client.delete_index(name)
    backend.close()


@pytest.fixture(params=BACKENDS)
def backend_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_backend(
    backend_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[BackendFactory]:
    """Builds empty backends of the parametrized kind (each one its own db file / index prefix)."""
    made: list[BaseSearchBackend] = []

    def make() -> BaseSearchBackend:
        folder = tmp_path / f"b{len(made)}"
        folder.mkdir()
        backend = get_backend(_settings(backend_kind, folder, request))
        made.append(backend)
        return backend

    yield make
    for backend in made:
        _cleanup(backend)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_backend(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BaseSearchBackend]:
    """A backend holding the factory corpus, shared by the read-only tests of a module."""
    backend = get_backend(_settings(str(request.param), tmp_path_factory.mktemp("search"), request))
    load_corpus(backend)
    yield backend
    _cleanup(backend)
