"""``policykb questions export|gaps`` and ``policykb workdays``: the unanswered list, offline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import typer
from rich.console import Console

import kb.calendar as workcal
from kb.auth import Principal, Role
from kb.models import QuestionStatus
from kb.settings import get_settings
from kb.store import Store
from kb.workflow import QuestionFilters, SqlQuestionRepository, WorkflowService
from kb.workflow.exports import to_csv, to_xlsx
from kb.workflow.search_report import search_gap_report

questions_app = typer.Typer(help="待答复问题 / unanswered questions: export, gaps.", no_args_is_help=True)
_console = Console()
#: The command line acts with server access, as staff; its history entries say so.
CLI_ACTOR = Principal(role=Role.STAFF, name="cli")


def _store() -> Store:
    return Store.from_settings(get_settings())


@questions_app.command("export")
def export_questions(
    out: Path = typer.Option(..., "--out", help="file to write; .csv or .xlsx"),
    status: list[QuestionStatus] = typer.Option([], "--status", help="repeat for several"),
    department: str | None = typer.Option(None, "--department"),
    overdue: bool | None = typer.Option(None, "--overdue/--not-overdue"),
) -> None:
    """导出清单 / export the (filtered) list to CSV or XLSX."""
    service = WorkflowService(SqlQuestionRepository(_store()))
    filters = QuestionFilters(status=status, department=department, overdue=overdue)
    views, total = service.list_questions(filters, CLI_ACTOR, limit=10_000)
    if out.suffix.lower() not in {".csv", ".xlsx"}:
        _console.print("[red]--out 须以 .csv 或 .xlsx 结尾 / --out must end in .csv or .xlsx[/red]")
        raise typer.Exit(2)
    out.write_bytes(to_csv(views) if out.suffix.lower() == ".csv" else to_xlsx(views))
    _console.print(f"wrote {len(views)} of {total} questions to {out}")


@questions_app.command("gaps")
def search_gaps(
    weeks: int = typer.Option(4, "--weeks", min=1, max=52), top: int = typer.Option(10, "--top")
) -> None:
    """检索缺口周报 / zero-result searches and Q&A lookups without an answer, by week."""
    until = date.today()
    for week in search_gap_report(_store(), until - timedelta(weeks=weeks), until, top=top):
        _console.print(
            f"[bold]{week.week_start}[/bold] searches={week.searches} zero={week.zero_results} "
            f"no_answer={week.no_answers} miss_rate={week.miss_rate:.1%}"
        )
        for missed in week.top:
            _console.print(f"  {missed.count:>4}  {missed.kind:<6} {missed.query}")


def register(app: typer.Typer) -> None:
    """Add ``questions`` and ``workdays``."""
    app.add_typer(questions_app, name="questions")

    @app.command("workdays")
    def workdays(
        start: str = typer.Argument(..., help="YYYY-MM-DD, e.g. the sending date"),
        n: int = typer.Option(3, "--n", min=0, help="working days to add"),
    ) -> None:
        """工作日计算 / the n-th working day after a date on the official calendar (with its warning)."""
        try:
            day = date.fromisoformat(start)
        except ValueError as exc:
            _console.print(f"[red]日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD: {start!r}[/red]")
            raise typer.Exit(2) from exc
        result = workcal.add_working_days(day, n)
        typer.echo(result.date.isoformat())
        if result.warning:
            _console.print(f"[yellow]{result.warning}[/yellow]")
