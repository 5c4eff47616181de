"""``policykb search`` (检索政策), ``policykb reindex`` (重建索引) and ``policykb sync-index`` (增量同步)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from indexer.index_sync import IndexSyncError, default_workers, reindex, sync_index
from kb.errors import KBError
from kb.models import DocumentType, Validity
from kb.search import get_backend
from kb.search.base import IndexKind, SearchFilters, SearchQuery, SearchResults, SortOrder
from kb.search.highlight import plain_text
from kb.settings import get_settings
from kb.store import Store
from search_api.cli.batch import run_search_batch
from search_api.cli.progress import reindex_progress

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(exc: Exception) -> typer.Exit:
    zh = getattr(exc, "message_zh", "出错")
    err.print(f"[red]{zh} / {exc}[/red]")
    return typer.Exit(1)


def results_json(results: SearchResults) -> dict[str, object]:
    """The documented JSON shape of `policykb search --json`."""
    return {
        "total": results.total,
        "hits": [h.to_cli_dict() for h in results.hits],
        "facets": {name: {b.value: b.count for b in buckets} for name, buckets in results.facets.items()},
    }


def _print(results: SearchResults) -> None:
    console.print(f"共 {results.total} 条 / {results.total} hits ({results.took_ms:.0f} ms)")
    for hit in results.hits:
        number = f" {hit.doc_number}" if hit.doc_number else ""
        console.print(
            f"[bold]{hit.title}[/bold]{number}  [dim]{hit.source}:{hit.source_id} {hit.score:.3f}[/dim]"
        )
        if hit.highlight:
            console.print("    " + plain_text(hit.highlight).replace("\n", " ")[:160], markup=False)
        if hit.clause:
            console.print(f"    条款 {hit.clause.label}", markup=False)
        for interp in hit.interpretations:
            console.print(f"    解读: {interp.title} ({interp.kind})", markup=False)
    for name, buckets in results.facets.items():
        console.print(f"[dim]{name}: " + ", ".join(f"{b.value} {b.count}" for b in buckets) + "[/dim]")


def register(app: typer.Typer) -> None:
    @app.command("search")
    def search(
        query: str = typer.Argument("", help="检索词 / what to search for"),
        as_json: bool = typer.Option(False, "--json", help="print JSON: total, hits, facets"),
        size: int = typer.Option(10, "--size", min=1, max=100),
        page: int = typer.Option(1, "--page", min=1),
        kind: IndexKind = typer.Option(IndexKind.POLICIES, "--kind", help="policies | qa | glossary"),
        issuing_body: list[str] = typer.Option([], "--issuing-body", help="发文机关 (repeatable)"),
        subject_category: list[str] = typer.Option([], "--category", help="主题分类 (repeatable)"),
        document_type: list[DocumentType] = typer.Option([], "--type", help="文件类型 (repeatable)"),
        year: list[int] = typer.Option([], "--year", help="publish year (repeatable)"),
        date_from: str | None = typer.Option(None, "--from", help="publish date from, YYYY-MM-DD"),
        date_to: str | None = typer.Option(None, "--to", help="publish date to, YYYY-MM-DD"),
        validity: list[Validity] = typer.Option([], "--validity", help="有效/失效/废止/修订/未知"),
        audience: list[str] = typer.Option([], "--audience"),
        region: list[str] = typer.Option([], "--region"),
        source: list[str] = typer.Option([], "--source"),
        facet: list[str] = typer.Option([], "--facet", help="facet to count (repeatable)"),
        newest: bool = typer.Option(False, "--newest", help="sort by publish date instead of relevance"),
        batch: Path | None = typer.Option(
            None, "--batch", help='JSONL of {"qid", "query", "filters"?}: one JSON line out per query'
        ),
    ) -> None:
        """Search the index (检索政策、问答、名词)."""
        if batch is not None:
            try:
                run_search_batch(batch, size=size, kind=kind)
            except (KBError, OSError) as exc:
                raise _fail(exc) from exc
            return
        try:
            filters = SearchFilters(
                issuing_body=issuing_body,
                subject_category=subject_category,
                document_type=document_type,
                year=year,
                validity=validity,
                audience=audience,
                region=region,
                source=source,
                date_from=date.fromisoformat(date_from) if date_from else None,
                date_to=date.fromisoformat(date_to) if date_to else None,
            )
            request = SearchQuery(
                text=query,
                filters=filters,
                size=size,
                page=page,
                facets=facet,
                sort=SortOrder.NEWEST if newest else SortOrder.RELEVANCE,
            )
        except ValueError as exc:
            err.print(f"[red]查询条件有误 / invalid query: {exc}[/red]")
            raise typer.Exit(2) from exc
        try:
            backend = get_backend(get_settings())
            run = {
                IndexKind.POLICIES: backend.search,
                IndexKind.QA: backend.search_qa,
                IndexKind.GLOSSARY: backend.search_glossary,
            }[kind]
            results = run(request)
        except KBError as exc:
            raise _fail(exc) from exc
        if as_json:
            typer.echo(json.dumps(results_json(results), ensure_ascii=False, indent=2))
        else:
            _print(results)

    @app.command("reindex")
    def reindex_command(
        kind: list[IndexKind] = typer.Option([], "--kind", help="only these index kinds (default: all)"),
        workers: int = typer.Option(
            default_workers(),
            "--workers",
            min=1,
            max=64,
            help="processes building documents (分词进程数); default min(2, CPUs)",
        ),
    ) -> None:
        """Rebuild the search index from the store, blue/green (重建索引，检索不中断)."""
        settings = get_settings()
        try:
            store = Store(settings.resolved_database_url)
            backend = get_backend(settings)
            with reindex_progress(console) as progress:
                report = reindex(
                    store, backend, kinds=kind or tuple(IndexKind), workers=workers, progress=progress
                )
        except IndexSyncError as exc:
            err.print(f"[red]{exc.message_zh} / {exc}[/red]")
            raise typer.Exit(1) from exc
        except KBError as exc:
            raise _fail(exc) from exc
        console.print(f"重建完成 / reindexed: {report.summary()}")

    @app.command("sync-index")
    def sync_command() -> None:
        """Index what changed in the store since the last sync (增量同步索引)."""
        settings = get_settings()
        try:
            report = sync_index(Store(settings.resolved_database_url), get_backend(settings))
        except KBError as exc:
            raise _fail(exc) from exc
        console.print(f"同步 / synced: {report.summary()}")
        if not report.ok:
            for kind_name, kind_report in report.reports.items():
                for failure in kind_report.failed[:10]:
                    err.print(f"[red]{kind_name} {failure.id}: {failure.reason}[/red]")
            raise typer.Exit(1)
