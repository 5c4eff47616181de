"""``policykb db``: create / migrate the store's schema and show its state."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from kb.errors import KBError
from kb.settings import get_settings
from kb.store import Store
from kb.store import schema as store_schema

db_app = typer.Typer(help="数据库 / database: migrations and status.", no_args_is_help=True)
console = Console(soft_wrap=True)
_URL_HELP = "database URL (default: POLICYKB_DATABASE_URL or the SQLite file)"


def _url(url: str | None) -> str:
    return url or get_settings().resolved_database_url


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def upgrade(
    revision: str = typer.Option("head", help="target migration (default: the newest)"),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Apply the schema migrations (升级数据库结构)."""
    target = _url(url)
    try:
        store = Store(target, auto_upgrade=False, check_schema=False)
        before = store.schema_revision()
        store.upgrade(revision)
        after = store.schema_revision()
    except KBError as exc:
        console.print(f"[red]{exc.message_zh} / {exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"{_safe(target)}: {before or '(empty)'} → {after}")


@db_app.command("status")
def status(
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Show the schema version, the global revision and row counts (数据库状态)."""
    target = _url(url)
    try:
        store = Store(target, auto_upgrade=False, check_schema=False)
        current, head = store.schema_revision(), store_schema.head_revision()
        console.print(f"database: {_safe(target)} ({store.dialect})")
        console.print(f"schema:   {current or '(empty)'} (code needs {head})")
        if current != head:
            console.print("[yellow]数据库结构需要升级 / schema is behind: run `policykb db upgrade`[/yellow]")
            raise typer.Exit(2)
        console.print(f"revision: {store.current_revision()}")
        for name, count in store.counts().items():
            console.print(f"{name:16} {count}")
        for name, revision in sorted(store.sync_checkpoints().items()):
            behind = store.current_revision() - revision
            console.print(f"sync {name}: revision {revision} ({behind} behind)")
    except KBError as exc:
        console.print(f"[red]{exc.message_zh} / {exc}[/red]")
        raise typer.Exit(1) from exc


@db_app.command("refresh-validity")
def refresh_validity(
    today: str | None = typer.Option(None, help="the day to judge by, YYYY-MM-DD (default: today)"),
    url: str | None = typer.Option(None, help=_URL_HELP),
) -> None:
    """Re-derive 效力状态 from dates for policies whose source stated none (run daily)."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        console.print(
            f"[red]日期格式应为 YYYY-MM-DD / --today must look like 2026-12-31, got {today!r}[/red]"
        )
        raise typer.Exit(2) from exc
    try:
        changed = Store(_url(url)).refresh_derived_validity(day)
    except KBError as exc:
        console.print(f"[red]{exc.message_zh} / {exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"效力状态已更新 / validity changed on {changed} policies")


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group."""
    app.add_typer(db_app, name="db")
