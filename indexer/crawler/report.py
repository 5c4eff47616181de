"""The crawl summary: fetched, new, changed, unchanged, skipped, failed with reasons."""

from __future__ import annotations

from pydantic import BaseModel, Field
from rich.console import Console
from rich.table import Table


class FailedPage(BaseModel):
    url: str
    reason: str
    action: str  # retry | back_off | give_up: what the error said; the runner gave up after its attempts


class CrawlSummary(BaseModel):
    profile: str
    run_id: int = 0
    resumed: bool = False
    fetched: int = 0  # HTTP exchanges that produced a response (including 304)
    list_pages: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0  # 304 answers to our conditional requests (counted in unchanged too)
    retries: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    failed: list[FailedPage] = Field(default_factory=list)
    attachments: int = 0
    interpretations_linked: int = 0
    interpretations_unlinked: int = 0
    warnings: list[str] = Field(default_factory=list)
    budget_exhausted: bool = False

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    @property
    def written(self) -> int:
        return self.new + self.changed


def print_crawl_summary(summary: CrawlSummary, console: Console) -> None:
    """A table of counts, then the failures with their reasons."""
    table = Table(
        title=f"抓取结果 / crawl summary — {summary.profile} (run {summary.run_id}"
        f"{', resumed' if summary.resumed else ''})"
    )
    table.add_column("")
    table.add_column("count", justify="right")
    rows = [
        ("fetched 抓取", summary.fetched),
        ("list pages 列表页", summary.list_pages),
        ("new 新增", summary.new),
        ("changed 更新", summary.changed),
        ("unchanged 未变", summary.unchanged),
        ("  of which 304", summary.not_modified),
        ("retries 重试", summary.retries),
        ("failed 失败", len(summary.failed)),
        ("attachments 附件", summary.attachments),
        ("解读 linked 已关联", summary.interpretations_linked),
        ("解读 unlinked 未关联", summary.interpretations_unlinked),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    for reason, count in sorted(summary.skipped.items()):
        table.add_row(f"skipped 跳过: {reason}", str(count))
    console.print(table)
    for failure in summary.failed:
        console.print(f"  [red]failed[/red] {failure.url}: {failure.reason} ({failure.action})")
    for warning in summary.warnings:
        console.print(f"  [yellow]warning[/yellow] {warning}")
    if summary.budget_exhausted:
        console.print("  [yellow]--max-pages reached; the next crawl resumes where this one stopped[/yellow]")
