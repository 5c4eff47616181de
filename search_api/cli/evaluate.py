"""``policykb eval``: relevance of the configured OpenSearch against the judged sets and the baselines."""

from __future__ import annotations

from pathlib import Path

import typer

from scripts.relevance.main import EvalConfig, evaluate


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command."""

    @app.command("eval")
    def eval_command(
        search_url: str = typer.Option(
            "http://127.0.0.1:9201", "--search-url", help="OpenSearch to evaluate on"
        ),
        sets: str = typer.Option("own,ncp,qa", "--sets", help="comma-separated: own, ncp, qa"),
        shared_data: Path = typer.Option(EvalConfig().shared_data, "--shared-data"),
        work_dir: Path = typer.Option(
            EvalConfig().work_dir, "--work-dir", help="eval store + per-query file"
        ),
        no_baselines: bool = typer.Option(False, "--no-baselines"),
        reindex: bool = typer.Option(False, "--reindex", help="rebuild the eval indexes from the store"),
        calibrate: bool = typer.Option(
            False, "--calibrate", help="save the Q&A threshold found on the dev set"
        ),
        report: Path | None = typer.Option(None, "--report", help="write the markdown tables to this file"),
    ) -> None:
        """相关性评测 / nDCG@10, MRR@10, Recall@50 per query kind, baselines, Q&A top-1/top-3/no-answer."""
        command = f"policykb eval --search-url {search_url} --sets {sets}" + (
            " --calibrate" if calibrate else ""
        )
        config = EvalConfig(
            search_url=search_url,
            shared_data=shared_data,
            work_dir=work_dir,
            sets=[s.strip() for s in sets.split(",") if s.strip()],
            baselines=not no_baselines,
            reindex=reindex,
            calibrate=calibrate,
            report_path=report,
            command=command,
        )
        typer.echo(evaluate(config))
