"""``policykb import`` and ``policykb crawl`` end to end through the CLI."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from kb.store import Store
from search_api.cli.main import app
from tests.indexer.crawler.site import SiteServer, build_site
from tests.indexer.crawler.test_loopback_crawl import local_profile

runner = CliRunner()


def test_import_prints_summary_and_bad_rows_and_is_idempotent(tmp_path: Path, fixtures_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    tables = fixtures_dir / "tables"
    args = [
        "import",
        "generic",
        str(tables / "policies.csv"),
        "--mapping",
        str(tables / "policies_mapping.yaml"),
        "--database-url",
        url,
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "policies.csv:3" in first.output and "title" in first.output
    second = runner.invoke(app, args)
    assert second.exit_code == 0
    assert Store(url).count_policies() == 2


def test_import_unknown_dataset_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", "nope", str(tmp_path), "--database-url", f"sqlite:///{tmp_path}/k.db"]
    )
    assert result.exit_code == 2 and "unknown dataset 'nope'" in result.output


def test_crawl_command_with_since_and_summary(tmp_path: Path) -> None:
    site = build_site()
    with SiteServer(site) as server:
        profile_file = tmp_path / "local.yaml"
        profile_file.write_text(
            yaml.safe_dump(local_profile(server.base_url).model_dump(), allow_unicode=True), encoding="utf-8"
        )
        url = f"sqlite:///{tmp_path / 'kb.db'}"
        result = runner.invoke(
            app,
            [
                "crawl",
                str(profile_file),
                "--since",
                "2025-01-15",
                "--database-url",
                url,
                "--state",
                str(tmp_path / "state.sqlite"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "crawl summary" in result.output and "HTTP 404" in result.output
        assert "published before --since" in result.output
        store = Store(url)
        # 1001 (01-10), 1002 (01-12) are older than --since; 1003, 1005, 1006 are kept.
        assert (
            store.get_policy_by_key("beijing", f"{server.base_url}/zhengce/202501/t20250110_1001.html")
            is None
        )
        assert store.get_policy_by_key("beijing", f"{server.base_url}/busy/t20250120_1006.html") is not None
        bad = runner.invoke(app, ["crawl", str(profile_file), "--since", "15/01/2025", "--database-url", url])
        assert bad.exit_code != 0
