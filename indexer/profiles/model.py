"""A site profile: the YAML description of how to crawl one site (validated with pydantic)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, Field, model_validator


class ListRules(BaseModel):
    """List (column) pages: where the detail links and the next page are."""

    detail_links: list[str] = Field(description="XPath (or 'css:' selector) yielding hrefs or <a> elements")
    detail_url_pattern: str | None = Field(default=None, description="regex a detail URL must match")
    next_page: list[str] = Field(default_factory=list, description="XPath/CSS of the next-page link")
    max_list_pages: int = Field(default=50, ge=1)


class DetailRules(BaseModel):
    """Detail pages: extraction rules; anything left empty falls back to the generic page parser."""

    body: list[str] = Field(default_factory=list, description="body container XPaths, first match wins")
    title: list[str] = Field(default_factory=list)
    publish_date: list[str] = Field(default_factory=list)
    issuing_body: list[str] = Field(default_factory=list)


class InterpretationRules(BaseModel):
    """How to recognise a 解读 page and find the policy it explains."""

    title_pattern: str = "(解读|图解|一图读懂|一图看懂|答记者问|问答)"
    url_pattern: str | None = Field(default=None, description="regex of the 解读 栏目 path, e.g. /zcjd/")
    policy_links: list[str] = Field(default_factory=list, description="XPath of the 原文 / 相关文件 link")


class FetchRules(BaseModel):
    """Politeness and robustness settings."""

    user_agent: str = Field(
        default="policykb-crawler/0.1 (policy knowledge base; polite, honours robots.txt)",
        pattern=r"^[\x20-\x7e]+$",
        description="ASCII only: HTTP headers cannot carry 中文",
    )
    requests_per_second: float = Field(default=1.0, gt=0, le=50)
    concurrency: int = Field(default=2, ge=1, le=16)
    timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    attempts: int = Field(default=4, ge=1, le=10)
    backoff_initial_seconds: float = Field(default=1.0, ge=0)
    backoff_max_seconds: float = Field(default=30.0, ge=0)
    max_retry_after_seconds: float = Field(default=120.0, ge=0)
    max_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=20)


class SiteProfile(BaseModel):
    """One site: where to start, which hosts, and the rules above; ``adapter`` names its Python module."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = ""
    adapter: str = "generic"
    source: str | None = Field(default=None, description="provenance source; default: the profile name")
    start_urls: list[str] = Field(min_length=1)
    allowed_hosts: list[str] = Field(default_factory=list)
    region: str | None = None
    level: str | None = None
    list: ListRules
    detail: DetailRules = Field(default_factory=DetailRules)
    interpretation: InterpretationRules = Field(default_factory=InterpretationRules)
    fetch: FetchRules = Field(default_factory=FetchRules)

    @model_validator(mode="after")
    def _default_hosts(self) -> SiteProfile:
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc for u in self.start_urls})
        return self

    @property
    def source_name(self) -> str:
        return self.source or self.name
