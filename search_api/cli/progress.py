"""Progress bars of the CLI: the standard bar, and one bar per index kind for ``policykb reindex``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from indexer.index_sync import Progress as ReindexProgress
from kb.search.base import IndexKind


def progress_bars(console: Console) -> Progress:
    """description, bar, done/total, elapsed — kept on screen when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@contextmanager
def reindex_progress(console: Console) -> Iterator[ReindexProgress]:
    """A hook for ``reindex(progress=...)`` that draws one bar per kind while the context is open."""
    bars = progress_bars(console)
    tasks: dict[IndexKind, TaskID] = {}

    def hook(kind: IndexKind, done: int, total: int) -> None:
        if kind not in tasks:
            tasks[kind] = bars.add_task(f"重建 / reindex {kind.value}", total=total)
        bars.update(tasks[kind], completed=done, total=total)

    with bars:
        yield hook
