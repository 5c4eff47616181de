"""docker-compose.yml and the Dockerfile describe the deployment the README promises.

The compose plugin is not installed on this machine (``docker compose`` is an unknown command), so
``test_compose_config_by_docker_or_yaml_only_without_plugin`` runs ``docker compose config`` only where the
plugin exists; here it checks the YAML alone and says so with a warning. The other tests check the YAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kb.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SECRETS = ("ELASTIC_PASSWORD", "POSTGRES_PASSWORD", "POLICYKB_SECRET_KEY")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _compose_plugin() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30).returncode == 0


def test_compose_config_by_docker_or_yaml_only_without_plugin(compose: dict[str, Any]) -> None:
    if not _compose_plugin():
        warnings.warn(
            "docker compose plugin not installed: docker-compose.yml checked as YAML only", stacklevel=1
        )
        assert set(compose) >= {"services", "volumes"}
        return
    env = {name: "x" * 32 for name in SECRETS} | {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["docker", "compose", "-f", str(REPO / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_services_and_health_checks_match_the_readme(compose: dict[str, Any], tmp_path: Path) -> None:
    services = compose["services"]
    assert set(services) == {"elasticsearch", "postgres", "api", "loader"}
    assert services["elasticsearch"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert services["postgres"]["image"].startswith("postgres:")
    for name in ("elasticsearch", "postgres"):
        assert services[name]["healthcheck"]["test"], f"{name} has no health check"
    for name in ("api", "loader"):
        assert services[name]["build"] == "."
        conditions = {dep: spec["condition"] for dep, spec in services[name]["depends_on"].items()}
        assert conditions == {"elasticsearch": "service_healthy", "postgres": "service_healthy"}
    assert services["loader"]["profiles"] == ["load"]  # one-shot: not started by `up`
    # The API's own health check lives in the image, against a route the app really serves.
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"HEALTHCHECK .*\n.*http://127\.0\.0\.1:8000/healthz", dockerfile)
    from fastapi.testclient import TestClient

    from search_api.app import create_app
    from tests.search_api.conftest import make_settings

    with TestClient(create_app(make_settings(tmp_path, "sqlite"))) as client:
        assert client.get("/healthz").status_code == 200


def test_security_as_a_local_deployment_should_be(compose: dict[str, Any]) -> None:
    services = compose["services"]
    es_env = services["elasticsearch"]["environment"]
    assert es_env["xpack.security.enabled"] == "true" and es_env["discovery.type"] == "single-node"
    assert "ports" not in services["elasticsearch"] and "ports" not in services["postgres"]
    assert all(p.startswith("127.0.0.1:") for p in services["api"]["ports"])  # loopback only
    api_env = services["api"]["environment"]
    assert api_env["POLICYKB_ENV"] == "production"  # refuses example keys and default secrets
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    for secret in SECRETS:
        assert f"${{{secret}:?" in text, f"{secret} must be required from .env, not defaulted"


def test_every_policykb_variable_is_a_setting(compose: dict[str, Any]) -> None:
    fields = set(Settings.model_fields)
    for name in ("api", "loader"):
        for key in compose["services"][name]["environment"]:
            assert key.startswith("POLICYKB_") and key.removeprefix("POLICYKB_").lower() in fields, key


def test_the_loader_command_names_real_cli_commands(compose: dict[str, Any]) -> None:
    from search_api.cli.main import app

    command = compose["services"]["loader"]["command"][-1]
    steps = [step.split() for step in command.split("&&")]
    runner = CliRunner()
    for step in steps:
        assert step[0] == "policykb"
        words = [w for w in step[1:] if not w.startswith("/")]
        result = runner.invoke(app, [*words, "--help"])
        assert result.exit_code == 0, f"`policykb {' '.join(words)}` is not a command: {result.output}"
