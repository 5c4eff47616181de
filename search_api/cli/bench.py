"""``policykb bench``: the benchmark of issue 9 (scripts/bench; figures, not tests)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add ``bench``."""
    from scripts.bench.cli import bench

    app.command("bench")(bench)
