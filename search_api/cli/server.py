"""``policykb search-server start|stop|status|...``: the local OpenSearch for development and tests."""

from __future__ import annotations

import typer

from scripts import search_server


def register(app: typer.Typer) -> None:
    """Add the ``search-server`` command (a thin front for scripts/search_server.py)."""

    @app.command("search-server")
    def search_server_command(
        command: str = typer.Argument(..., help="start | stop | status | logs | kill-node | start-node"),
        node: int | None = typer.Argument(None, help="node number for kill-node / start-node"),
        nodes: int = typer.Option(1, "--nodes", help="1 or 3 nodes"),
        port: int | None = typer.Option(
            None, "--port", help="HTTP port of node 1 (default 9201; 9211 for 3 nodes)"
        ),
        sig: str = typer.Option("KILL", "--signal", help="KILL or TERM, for kill-node"),
        lines: int = typer.Option(60, "--lines", help="for logs"),
    ) -> None:
        """本地 OpenSearch 服务 / local OpenSearch 2.19.6 for development and tests."""
        argv = [command] + ([str(node)] if node is not None else [])
        argv += ["--nodes", str(nodes), "--signal", sig, "--lines", str(lines)]
        if port is not None:
            argv += ["--port", str(port)]
        raise typer.Exit(search_server.main(argv))
