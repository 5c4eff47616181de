"""Site profiles: YAML data per site plus one small adapter module per profile (searxng-engine style)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from indexer.errors import ProfileError
from indexer.profiles.model import SiteProfile

PROFILES_DIR = Path(__file__).with_name("data")


def available_profiles() -> list[str]:
    """Names of the shipped profiles."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def load_profile(name_or_path: str | Path) -> SiteProfile:
    """A shipped profile by name, or a profile YAML file by path; ProfileError names file and field."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        raise ProfileError(
            f"no profile {name_or_path!r}; shipped: {', '.join(available_profiles())}",
            message_zh=f"找不到站点配置：{name_or_path}",
        )
    try:
        profile = SiteProfile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ProfileError(f"{path}: invalid profile ({exc})", message_zh=f"站点配置有误：{path}") from exc
    adapter_module(profile)  # fail at load time, not half-way through a crawl
    return profile


def adapter_module(profile: SiteProfile) -> ModuleType:
    """The adapter module ``indexer.profiles.<adapter>`` with parse_list and parse_detail."""
    try:
        module = importlib.import_module(f"indexer.profiles.{profile.adapter}")
    except ImportError as exc:
        raise ProfileError(f"profile {profile.name}: adapter {profile.adapter!r} not found") from exc
    for function in ("parse_list", "parse_detail"):
        if not callable(getattr(module, function, None)):
            raise ProfileError(f"adapter {profile.adapter!r} lacks {function}()")
    return module


def with_start_urls(profile: SiteProfile, urls: list[str]) -> SiteProfile:
    """The profile started elsewhere; the generic profile then allows only the new hosts."""
    hosts = [urlsplit(u).netloc for u in urls]
    allowed = hosts if profile.adapter == "generic" else list(dict.fromkeys([*profile.allowed_hosts, *hosts]))
    return profile.model_copy(update={"start_urls": urls, "allowed_hosts": allowed})
