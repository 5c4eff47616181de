"""One Settings object, read from ``POLICYKB_*`` environment variables and validated once at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kb.errors import ConfigurationError

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKB_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/policykb.db"
    )
    search_backend: Literal["sqlite", "elasticsearch", "opensearch"] = "sqlite"
    search_url: str = "http://127.0.0.1:9200"
    search_index_prefix: str = "policykb"
    # Replicas of every new index version; 1 on a three-node cluster keeps all shards when a node is lost.
    search_replicas: int = Field(default=0, ge=0, le=5)
    search_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    #: Worker processes of ``policykb serve`` (``--workers`` overrides it); one per core is the usual choice.
    api_workers: int = Field(default=1, ge=1, le=64)
    search_username: str | None = None
    search_password: str | None = None
    search_api_key: str | None = None
    search_verify_certs: bool = True
    max_query_chars: int = Field(default=200, ge=10, le=5000)
    max_request_bytes: int = Field(
        default=1_048_576, ge=1024, description="largest request body the API accepts"
    )
    qa_confidence_threshold: float | None = Field(
        default=None, ge=0, le=1, description="override of the calibrated no-answer threshold"
    )
    secret_key: str = "change-me"
    bootstrap_admin_key: str | None = None
    cors_origins: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.env == "production":
            if self.secret_key in {"change-me", "", "changeme", "secret"}:
                raise ValueError(
                    "POLICYKB_SECRET_KEY is a placeholder; set a long random value for production"
                )
            if len(self.secret_key) < 24:  # the key hashes' pepper: a short one can be guessed offline
                raise ValueError("POLICYKB_SECRET_KEY must be at least 24 characters in production")
            if self.bootstrap_admin_key is not None and len(self.bootstrap_admin_key) < 24:
                raise ValueError("POLICYKB_BOOTSTRAP_ADMIN_KEY must be at least 24 characters in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'policykb.db').as_posix()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; raises ConfigurationError with the reason when invalid."""
    try:
        return Settings()
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise ConfigurationError(f"invalid POLICYKB_* settings: {exc}") from exc
