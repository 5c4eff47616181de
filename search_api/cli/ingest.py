"""``policykb import``, ``policykb load-shared`` and ``policykb crawl``: getting content into the store."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from indexer.errors import IngestError
from indexer.importers.base import ImportReport
from kb.errors import KBError
from kb.store import Store
from search_api.cli.progress import progress_bars

# Piped output (CI logs, benchmarks) gets a wide table instead of rich's 80-column default.
console = Console(width=None if sys.stdout.isatty() else 140)
MAX_ERRORS_SHOWN = 20


class RichProgress:
    """The runner's progress hook drawn with rich (one task per dataset or crawl)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def start(self, description: str, total: int | None) -> None:
        self.task = self.progress.add_task(description, total=total)

    def update(self, completed: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=completed)


def _progress() -> Progress:
    return progress_bars(console)


def _store(database_url: str | None) -> Store:
    from kb.settings import get_settings

    return Store(database_url) if database_url else Store.from_settings(get_settings())


def print_reports(reports: list[ImportReport]) -> None:
    """The summary table, the notes (quirks, links) and the first bad rows with file:line."""
    table = Table(title="导入结果 / import summary")
    for column in ("dataset", "rows", "records", "inserted", "updated", "unchanged", "failed", "bad rows"):
        table.add_column(column, justify="right" if column != "dataset" else "left")
    for report in reports:
        counts = report.written.values()
        table.add_row(
            report.dataset,
            str(report.rows_read),
            ", ".join(f"{k} {v}" for k, v in report.records.items()) or "0",
            str(sum(c.inserted for c in counts)),
            str(sum(c.updated for c in counts)),
            str(sum(c.unchanged for c in counts)),
            str(sum(c.failed for c in counts)),
            str(len(report.errors)),
        )
    console.print(table)
    for report in reports:
        for note, count in sorted(report.notes.items()):
            console.print(f"  [dim]{report.dataset}[/dim] {note}: {count}")
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            console.print(f"  [yellow]{error}[/yellow]")
        if len(report.errors) > MAX_ERRORS_SHOWN:
            console.print(f"  … {len(report.errors) - MAX_ERRORS_SHOWN} more bad rows in {report.dataset}")


def import_command(
    dataset: Annotated[
        str,
        typer.Argument(
            help="govcn | hebei | lawrefbook | bj_zyj | ncp | tipdm | zhongshan | generic | catalog"
        ),
    ],
    path: Annotated[Path, typer.Argument(help="数据文件或目录 / dataset file or folder")],
    mapping: Annotated[Path | None, typer.Option(help="generic: 字段映射 YAML / column mapping file")] = None,
    source: Annotated[str, typer.Option(help="catalog: 来源名称 / provenance source")] = "catalog",
    database_url: Annotated[str | None, typer.Option(help="覆盖 POLICYKB_DATABASE_URL")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
) -> None:
    """导入一个数据集 / import one dataset into the store (idempotent: a second run changes nothing)."""
    from indexer.importers import catalog, generic
    from indexer.importers.registry import context_from_store, import_dataset, run_records

    try:
        store = _store(database_url)
        with _progress() as progress:
            hook = RichProgress(progress)
            if dataset == "generic":
                if mapping is None:
                    raise typer.BadParameter("generic needs --mapping FILE (字段映射文件)")
                rules = generic.load_mapping(mapping)
                report = run_records(
                    rules.source,
                    path,
                    generic.make_records(rules),
                    store,
                    context=context_from_store(store) if rules.kind == "interpretation" else None,
                    progress=hook,
                    batch_size=batch_size,
                )
            elif dataset == "catalog":
                report = run_records(
                    source, path, catalog.catalog_records(source), store, progress=hook, batch_size=batch_size
                )
            else:
                report = import_dataset(dataset, path, store, progress=hook, batch_size=batch_size)
    except (IngestError, KBError) as exc:
        console.print(f"[red]{exc.message_zh}[/red]: {exc}")
        raise typer.Exit(2) from exc
    print_reports([report])


def load_shared_command(
    directory: Annotated[Path, typer.Argument(help="共享数据目录 / the shared data folder")] = Path(
        "../shared/data"
    ),
    only: Annotated[list[str] | None, typer.Option(help="只导入这些数据集 / only these datasets")] = None,
    database_url: Annotated[str | None, typer.Option(help="覆盖 POLICYKB_DATABASE_URL")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
) -> None:
    """一次导入全部共享数据 / import every dataset in the shared data folder, in dependency order."""
    from indexer.importers.registry import load_shared

    try:
        store = _store(database_url)
        with _progress() as progress:
            reports = load_shared(
                directory, store, progress=RichProgress(progress), batch_size=batch_size, only=only
            )
    except (IngestError, KBError) as exc:
        console.print(f"[red]{exc.message_zh}[/red]: {exc}")
        raise typer.Exit(2) from exc
    print_reports(reports)


def crawl_command(
    profile: Annotated[str, typer.Argument(help="站点配置名或 YAML 文件 / profile name or YAML file")],
    since: Annotated[
        str | None, typer.Option(help="只抓取此日期后发布的 / only pages published on or after YYYY-MM-DD")
    ] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="最多抓取页面数 / page budget")] = None,
    start_url: Annotated[
        str | None, typer.Option(help="覆盖配置中的起始地址 / override the start URL")
    ] = None,
    database_url: Annotated[str | None, typer.Option(help="覆盖 POLICYKB_DATABASE_URL")] = None,
    state: Annotated[Path | None, typer.Option(help="增量抓取状态文件 / crawl state file")] = None,
) -> None:
    """抓取政府网站 / crawl a government site by its profile (incremental, polite, resumable)."""
    from indexer.crawler.report import print_crawl_summary
    from indexer.crawler.runner import crawl
    from indexer.profiles import load_profile, with_start_urls

    try:
        since_date = date.fromisoformat(since) if since else None
    except ValueError as exc:
        raise typer.BadParameter(f"--since 应为 YYYY-MM-DD / must be YYYY-MM-DD, got {since!r}") from exc
    try:
        site = load_profile(profile)
        if start_url:
            site = with_start_urls(site, [start_url])
        store = _store(database_url)
        with _progress() as progress:
            summary = crawl(
                site,
                store,
                since=since_date,
                max_pages=max_pages,
                state_path=state,
                progress=RichProgress(progress),
            )
    except (IngestError, KBError) as exc:
        console.print(f"[red]{exc.message_zh}[/red]: {exc}")
        raise typer.Exit(2) from exc
    print_crawl_summary(summary, console)


def register(app: typer.Typer) -> None:
    """Add import, load-shared and crawl to the policykb CLI."""
    app.command("import")(import_command)
    app.command("load-shared")(load_shared_command)
    app.command("crawl")(crawl_command)
