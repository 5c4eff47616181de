"""``policykb serve`` (the API and pages under uvicorn) and ``policykb demo`` (demo data, then serve)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from kb.errors import KBError, SearchError, ValidationError
from kb.search.base import BaseSearchBackend
from kb.settings import Settings, get_settings
from kb.store import Store

console = Console(stderr=True)

DEFAULT_DEMO_DIR = Path("var/demo")
WORKER_HEALTHCHECK_SECONDS = 120


def _run(settings: Settings, host: str, port: int, workers: int = 1, access_log: bool = True) -> None:
    import uvicorn

    common: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "access_log": access_log,
        "proxy_headers": False,
    }
    if workers > 1:
        # Each worker process builds its own app from the same POLICYKB_* environment (uvicorn needs an
        # import string to start workers); the settings were validated above, in this process. A worker's
        # start-up (segmenter dictionary, vocabularies) can hold the GIL for seconds, so the supervisor's
        # health ping gets a generous deadline instead of killing workers that are still starting.
        uvicorn.run(
            "search_api.app:create_app",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
            **common,
        )
        return
    from search_api.app import create_app

    uvicorn.run(create_app(settings), **common)


def load_demo_data(store: Store, backend: BaseSearchBackend) -> str:
    """Write the 示例市 demo records (kb.demo) to the store, then sync the index; returns a summary."""
    from indexer.index_sync import sync_index
    from kb.demo import demo_records

    records = demo_records()
    written = [
        store.upsert_policies(records.policies),
        store.upsert_interpretations(records.interpretations),
        store.upsert_qa_pairs(records.qa_pairs),
    ]
    failed = [f for report in written for f in report.failed]
    if failed:
        raise ValidationError(
            f"demo records refused by the store: {failed[:3]}", message_zh="示例数据写入失败"
        )
    sync = sync_index(store, backend)
    if not sync.ok:
        raise SearchError(f"demo index sync failed: {sync}", message_zh="示例数据索引失败")
    return (
        f"{len(records.policies)} policies, {len(records.interpretations)} interpretations, "
        f"{len(records.qa_pairs)} Q&A; index at revision {sync.to_revision}"
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``demo``."""

    @app.command("serve")
    def serve_command(
        host: str = typer.Option("127.0.0.1", "--host", help="address to bind (0.0.0.0 for all)"),
        port: int = typer.Option(8000, "--port", min=1, max=65535),
        workers: int | None = typer.Option(
            None,
            "--workers",
            min=1,
            max=64,
            help="worker processes, one per core is usual (default: POLICYKB_API_WORKERS, 1)",
        ),
        access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="log every request"),
    ) -> None:
        """启动检索服务 / serve the API and the web pages with the POLICYKB_* settings."""
        try:
            settings = get_settings()
        except KBError as exc:
            console.print(f"[red]{exc.message_zh}[/red]: {exc}")
            raise typer.Exit(2) from exc
        workers = workers or settings.api_workers
        console.print(
            f"policykb: http://{host}:{port}/  (backend {settings.search_backend}, {workers} worker(s))"
        )
        _run(settings, host, port, workers=workers, access_log=access_log)

    @app.command("demo")
    def demo_command(
        host: str = typer.Option("127.0.0.1", "--host"),
        port: int = typer.Option(8000, "--port", min=1, max=65535),
        data_dir: Path = typer.Option(DEFAULT_DEMO_DIR, "--data-dir", help="where the demo database lives"),
        load_only: bool = typer.Option(False, "--load-only", help="load the demo data and exit"),
    ) -> None:
        """演示：载入示例数据并启动 / load the demo data into the embedded default and serve it."""
        from kb.auth import ApiKeyService, Role
        from kb.auth.repository import SqlApiKeyRepository
        from kb.search import get_backend

        # The demo always runs on the embedded default, in its own directory, whatever POLICYKB_* says.
        settings = Settings(data_dir=data_dir, database_url=None, search_backend="sqlite", env="development")
        store = Store.from_settings(settings)
        backend = get_backend(settings)
        try:
            report = load_demo_data(store, backend)
        except KBError as exc:
            console.print(f"[red]{exc.message_zh}[/red]: {exc}")
            raise typer.Exit(1) from exc
        typer.echo(f"demo data loaded into {settings.resolved_database_url}: {report}")
        keys = ApiKeyService(SqlApiKeyRepository(store), settings)
        agent_key = keys.create(Role.AGENT, name="demo agent").key
        backend.close()
        store.close()
        base = f"http://{host}:{port}"
        # Plain echo, not rich: a wrapped URL cannot be copied.
        typer.echo(f"政策检索 public search:   {base}/")
        typer.echo(f"坐席知识库 agent console: {base}/agent#key={agent_key}")
        typer.echo(f"API 文档 API docs:        {base}/docs")
        if not load_only:
            _run(settings, host, port)
