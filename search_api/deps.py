"""FastAPI dependencies as ``Annotated`` aliases: SettingsDep, StoreDep, BackendDep, CurrentAgent, …"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from kb.auth import ApiKeyService, Principal, Role, require_role
from kb.auth.repository import SqlApiKeyRepository
from kb.models import Channel
from kb.qa import QAMatcher
from kb.query import QueryUnderstanding
from kb.search.base import BaseSearchBackend
from kb.settings import Settings
from kb.store import Store
from search_api.services.glossary import GlossaryCache
from search_api.services.suggest import FrequentQueries
from search_api.services.understanding import QARarityCache, UnderstandingCache

API_KEY_HEADER = "X-API-Key"
#: Header a client sets to say where a search comes from (website, hotline, …); logged with the search.
CHANNEL_HEADER = "X-PolicyKB-Channel"

_api_key_header = APIKeyHeader(
    name=API_KEY_HEADER, auto_error=False, description="API key for agent, staff and department users"
)


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The knowledge-base store (system of record)."""
    store: Store = request.app.state.store
    return store


def get_backend(request: Request) -> BaseSearchBackend:
    """The configured search backend."""
    backend: BaseSearchBackend = request.app.state.backend
    return backend


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
BackendDep = Annotated[BaseSearchBackend, Depends(get_backend)]


def get_principal(request: Request, api_key: Annotated[str | None, Security(_api_key_header)]) -> Principal:
    """Who is calling: public without a key; a bad key is a 401."""
    service: ApiKeyService = request.app.state.key_service
    return service.authenticate(api_key)


def get_current_agent(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A hotline agent (staff may act as agents too)."""
    require_role(principal, Role.AGENT, Role.STAFF)
    return principal


def get_current_staff(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    """A staff member working the unanswered-question list."""
    require_role(principal, Role.STAFF)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
CurrentAgent = Annotated[Principal, Depends(get_current_agent)]
CurrentStaff = Annotated[Principal, Depends(get_current_staff)]


def get_channel(request: Request) -> Channel:
    """The channel a search is logged under: the X-PolicyKB-Channel header if valid; else hotline on the
    agent endpoints and website elsewhere (public search takes no key, so it never looks at one)."""
    declared = request.headers.get(CHANNEL_HEADER, "").strip().lower()
    if declared in {c.value for c in Channel}:
        return Channel(declared)
    return Channel.HOTLINE if request.url.path.startswith("/api/qa") else Channel.WEBSITE


ChannelDep = Annotated[Channel, Depends(get_channel)]


def build_key_service(store: Store, settings: Settings) -> ApiKeyService:
    """The API key service over the store's database."""
    return ApiKeyService(SqlApiKeyRepository(store), settings)


def get_glossary(request: Request) -> GlossaryCache:
    """The cached glossary view."""
    glossary: GlossaryCache = request.app.state.glossary
    return glossary


def get_frequent_queries(request: Request) -> FrequentQueries:
    """The cached frequent-query list."""
    frequent: FrequentQueries = request.app.state.frequent_queries
    return frequent


GlossaryDep = Annotated[GlossaryCache, Depends(get_glossary)]
FrequentQueriesDep = Annotated[FrequentQueries, Depends(get_frequent_queries)]


def get_understanding(request: Request) -> QueryUnderstanding:
    """Query understanding over the store's titles and the glossary."""
    cache: UnderstandingCache = request.app.state.understanding
    return cache.get()


def get_qa_matcher(
    request: Request,
    backend: BackendDep,
    settings: SettingsDep,
    understanding: Annotated[QueryUnderstanding, Depends(get_understanding)],
) -> QAMatcher:
    """The calibrated hotline Q&A matcher over the current query understanding and Q&A word rarity.

    Built once and reused until the understanding or the rarity is rebuilt (a store revision): building it
    per request read the calibration file every time.
    """
    state = request.app.state
    rarity_cache: QARarityCache = state.qa_rarity
    rarity = rarity_cache.get()
    wanted = settings.qa_confidence_threshold
    matcher: QAMatcher | None = getattr(state, "qa_lookup_matcher", None)
    if (
        matcher is None
        or matcher.backend is not backend
        or matcher.understanding is not understanding
        or matcher.rarity is not rarity
        or (wanted is not None and matcher.threshold != wanted)
    ):
        matcher = QAMatcher(backend, understanding, threshold=wanted, rarity=rarity)
        state.qa_lookup_matcher = matcher
    return matcher


UnderstandingDep = Annotated[QueryUnderstanding, Depends(get_understanding)]
QAMatcherDep = Annotated[QAMatcher, Depends(get_qa_matcher)]
