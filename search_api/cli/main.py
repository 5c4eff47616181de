"""The ``policykb`` command line. Each command group lives in its own module under ``search_api.cli``."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="policykb",
    help="policykb — search and knowledge base for Chinese government policy texts.",
    no_args_is_help=True,
    add_completion=False,
)

#: Modules under search_api.cli that define ``register(app: typer.Typer) -> None``. One line per module.
COMMAND_MODULES: tuple[str, ...] = (
    "serve",
    "server",
    "db",
    "keys",
    "questions",
    "analyze",
    "qa",
    "evaluate",
    "ingest",
    "search",
    "bench",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"search_api.cli.{name}")
        module.register(app)


@app.callback()
def _root() -> None:
    """policykb — 政策文件检索与知识库."""


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
