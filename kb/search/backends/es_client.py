"""A thin adapter over the official clients: ``opensearch-py`` (OpenSearch), ``elasticsearch`` (ES 8/9).

Both get the same request bodies; the adapter only hides how each client is called, puts a timeout on
every call, and maps engine failures to kb.errors (unreachable/overloaded -> SearchUnavailableError,
a refused request -> QueryError).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar

from kb.errors import QueryError, SearchError, SearchUnavailableError
from kb.settings import Settings

T = TypeVar("T")


class EngineError(SearchUnavailableError):
    """The engine answered with an overload or server error (retryable), with its HTTP status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def _raise_for_status(status: int | None, what: str, detail: Any, exc: Exception) -> None:
    text = f"{what}: HTTP {status}: {str(detail)[:500]}"
    if status is None or status == 429 or status >= 500:
        raise EngineError(text, status) from exc
    if status == 404:
        raise SearchError(text) from exc
    raise QueryError(text) from exc


class EngineClient(ABC):
    """What the backend needs from a client; every method takes the shared request bodies."""

    def __init__(self, settings: Settings) -> None:
        # POLICYKB_SEARCH_URL may list a cluster's nodes, comma-separated; the client fails over between them.
        self.urls = [u.strip().rstrip("/") for u in settings.search_url.split(",") if u.strip()]
        self.url = ", ".join(self.urls)
        self.timeout = settings.search_timeout_seconds

    @abstractmethod
    def _call(self, what: str, fn: Callable[[Any, dict[str, Any]], T], timeout: float | None = None) -> T:
        """Run ``fn(client, timeout_kwargs)`` with a timeout, mapping client errors to kb.errors."""

    @abstractmethod
    def close(self) -> None: ...

    def health(self) -> dict[str, Any]:
        return dict(self._call("cluster health", lambda c, t: c.cluster.health(**t)))

    def create_index(self, name: str, body: dict[str, Any]) -> None:
        self._call(f"create index {name}", lambda c, t: c.indices.create(index=name, body=body, **t), 30)

    def delete_index(self, name: str) -> None:
        self._call(f"delete index {name}", lambda c, t: c.indices.delete(index=name, **t), 30)

    def indices(self, pattern: str) -> list[str]:
        """Names of the indices matching a wildcard pattern."""
        found = self._call(
            f"list indices {pattern}",
            lambda c, t: c.indices.get(index=pattern, allow_no_indices=True, ignore_unavailable=True, **t),
        )
        return sorted(found)

    def alias_targets(self, alias: str) -> list[str]:
        """Indices behind an alias (empty when the alias does not exist)."""
        try:
            found = self._call(f"get alias {alias}", lambda c, t: c.indices.get_alias(name=alias, **t))
        except SearchError as exc:
            if "HTTP 404" in str(exc):
                return []
            raise
        return sorted(found)

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        self._call(
            "update aliases", lambda c, t: c.indices.update_aliases(body={"actions": actions}, **t), 30
        )

    def refresh(self, index: str) -> None:
        self._call(f"refresh {index}", lambda c, t: c.indices.refresh(index=index, **t), 30)

    def index_setting(self, index: str, name: str) -> str | None:
        """One setting of an index as the engine reports it (flat name, e.g. index.refresh_interval)."""
        found = self._call(
            f"get settings {index}",
            lambda c, t: c.indices.get_settings(index=index, name=name, flat_settings=True, **t),
        )
        value = (found.get(index) or {}).get("settings", {}).get(name)
        return None if value is None else str(value)

    def put_settings(self, index: str, settings: dict[str, Any]) -> None:
        self._call(
            f"put settings {index}", lambda c, t: c.indices.put_settings(index=index, body=settings, **t), 30
        )

    def force_merge(self, index: str, max_num_segments: int = 1, timeout: float = 1800) -> None:
        """Merge an index down to ``max_num_segments`` (blocking; only for versions nobody writes to)."""
        self._call(
            f"force merge {index}",
            lambda c, t: c.indices.forcemerge(index=index, max_num_segments=max_num_segments, **t),
            timeout,
        )

    def count(self, index: str) -> int:
        return int(self._call(f"count {index}", lambda c, t: c.count(index=index, **t))["count"])

    def search(self, index: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call(f"search {index}", lambda c, t: c.search(index=index, body=body, **t)))

    def bulk(self, operations: list[dict[str, Any]], timeout: float = 60) -> dict[str, Any]:
        return dict(self._call("bulk", lambda c, t: c.bulk(body=operations, **t), timeout))


class OpenSearchClient(EngineClient):
    """opensearch-py (OpenSearch 2/3)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        from opensearchpy import OpenSearch

        auth = (
            (settings.search_username, settings.search_password or "") if settings.search_username else None
        )
        # Retries of answered requests happen where we can count them (bulk); the client itself only
        # moves on to another node when one cannot be reached (never on a status or a timeout).
        self._client = OpenSearch(
            hosts=self.urls,
            http_auth=auth,
            timeout=self.timeout,
            max_retries=len(self.urls) - 1,
            retry_on_status=(),
            retry_on_timeout=False,
            verify_certs=settings.search_verify_certs,
        )

    def close(self) -> None:
        self._client.close()

    def _call(self, what: str, fn: Callable[[Any, dict[str, Any]], T], timeout: float | None = None) -> T:
        from opensearchpy import exceptions as os_exc

        try:
            return fn(self._client, {"request_timeout": timeout or self.timeout})
        except os_exc.ConnectionError as exc:  # includes ConnectionTimeout
            raise EngineError(f"{what}: cannot reach {self.url}: {exc}") from exc
        except os_exc.TransportError as exc:
            status = exc.status_code if isinstance(exc.status_code, int) else None
            _raise_for_status(status, what, exc.info or exc.error, exc)
            raise  # unreachable: _raise_for_status always raises


class ElasticsearchClient(EngineClient):
    """The official elasticsearch client 8.x/9.x (Elasticsearch 8/9)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        from elasticsearch import Elasticsearch

        auth = (
            (settings.search_username, settings.search_password or "") if settings.search_username else None
        )
        self._client = Elasticsearch(
            self.urls,
            basic_auth=auth,
            api_key=settings.search_api_key,
            request_timeout=self.timeout,
            max_retries=len(self.urls) - 1,
            retry_on_status=(),
            retry_on_timeout=False,
            verify_certs=settings.search_verify_certs,
        )

    def close(self) -> None:
        self._client.close()

    def _call(self, what: str, fn: Callable[[Any, dict[str, Any]], T], timeout: float | None = None) -> T:
        import elastic_transport
        import elasticsearch

        try:
            return fn(self._client.options(request_timeout=timeout or self.timeout), {})
        except elastic_transport.ConnectionError as exc:
            raise EngineError(f"{what}: cannot reach {self.url}: {exc}") from exc
        except elasticsearch.ApiError as exc:
            _raise_for_status(exc.meta.status, what, exc.body, exc)
            raise


def make_client(settings: Settings, flavor: str) -> EngineClient:
    """The adapter for ``flavor`` (opensearch | elasticsearch)."""
    if flavor == "elasticsearch":
        return ElasticsearchClient(settings)
    return OpenSearchClient(settings)
