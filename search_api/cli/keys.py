"""``policykb keys create|list|revoke``: API keys for agents, staff and departments (shown once)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from kb.auth import ApiKeyService, Role
from kb.auth.repository import SqlApiKeyRepository
from kb.errors import KBError
from kb.settings import get_settings
from kb.store import Store

keys_app = typer.Typer(help="API 密钥管理 / API keys: create, list, revoke.", no_args_is_help=True)
_console = Console()


def _service() -> ApiKeyService:
    settings = get_settings()
    return ApiKeyService(SqlApiKeyRepository(Store.from_settings(settings)), settings)


def _fail(exc: KBError) -> typer.Exit:
    _console.print(f"[red]{exc.message_zh} / {exc}[/red]")
    return typer.Exit(1)


@keys_app.command("create")
def create_key(
    role: Role = typer.Option(..., "--role", help="agent | staff | department"),
    department: str | None = typer.Option(None, "--department", help="department name, for department keys"),
    name: str | None = typer.Option(None, "--name", help="who holds the key (shown in the history)"),
) -> None:
    """创建密钥（只显示一次）/ create a key; it is printed once and stored only as a hash."""
    try:
        created = _service().create(role, department=department, name=name)
    except KBError as exc:
        raise _fail(exc) from exc
    record = created.record
    _console.print(f"id={record.id} role={record.role.value} department={record.department or '-'}")
    _console.print("请立即保存，此密钥不会再次显示 / save it now, it will not be shown again:")
    typer.echo(created.key)


@keys_app.command("list")
def list_keys() -> None:
    """列出密钥（不含密钥本身）/ list keys without their secrets."""
    table = Table("id", "role", "department", "name", "created", "last used", "revoked")
    table.add_column("prefix", no_wrap=True, min_width=14)
    for r in _service().list():
        table.add_row(
            str(r.id),
            r.role.value,
            r.department or "",
            r.name or "",
            f"{r.created_at:%Y-%m-%d %H:%M}",
            f"{r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "",
            f"{r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "",
            r.prefix + "…",
        )
    _console.print(table)


@keys_app.command("revoke")
def revoke_key(key_id: int = typer.Argument(..., help="the id shown by `keys list`")) -> None:
    """吊销密钥（立即生效）/ revoke a key at once."""
    try:
        record = _service().revoke(key_id)
    except KBError as exc:
        raise _fail(exc) from exc
    _console.print(f"revoked key {record.id} ({record.role.value}) at {record.revoked_at:%Y-%m-%d %H:%M:%S}")


def register(app: typer.Typer) -> None:
    """Add the ``keys`` command group."""
    app.add_typer(keys_app, name="keys")
