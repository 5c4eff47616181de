#!/usr/bin/env python3
"""Start, stop and inspect a throw-away PostgreSQL from Debian's packages (stdlib only, no venv needed).

    python3 scripts/pg_server.py start|stop|status|url|logs [--port 55432]

initdb into ``var/postgres/<port>/`` (or ``$POLICYKB_PG_STATE_DIR/<port>``), trust auth, loopback TCP
plus a unix socket in the state dir, fsync off (test data only). PostgreSQL refuses to run as root, so as
root the server runs as the ``postgres`` system user (created if missing). Creates ``policykb_test``.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PORT = 55432
DEFAULT_DB = "policykb_test"
SUPERUSER = "postgres"
RUN_AS = "postgres"


class PgServerError(RuntimeError):
    """PostgreSQL could not be set up, started or stopped; the message says why."""


def _others_can_enter(path: Path) -> bool:
    """True if every existing ancestor of ``path`` lets other users traverse it (mode o+x)."""
    return all(p.stat().st_mode & 0o001 for p in [path, *path.parents] if p.exists())


def state_dir(port: int) -> Path:
    """Where the cluster on ``port`` lives; as root, outside a checkout the postgres user cannot enter."""
    if os.environ.get("POLICYKB_PG_STATE_DIR"):
        return Path(os.environ["POLICYKB_PG_STATE_DIR"]).resolve() / str(port)
    base = (REPO / "var" / "postgres").resolve()
    if os.geteuid() == 0 and not _others_can_enter(base):
        # e.g. a clone under a mktemp -d (mode 700) directory: the server user could not reach its data.
        tag = hashlib.sha256(str(REPO).encode()).hexdigest()[:10]
        base = Path("/var/tmp/policykb-postgres") / tag
    return base / str(port)


def bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<ver>/bin (or $POLICYKB_PG_BIN)."""
    if os.environ.get("POLICYKB_PG_BIN"):
        return Path(os.environ["POLICYKB_PG_BIN"])
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise PgServerError(
            "PostgreSQL binaries not found under /usr/lib/postgresql: run scripts/system_deps.sh"
        )
    return versions[-1]


def url(port: int, database: str = DEFAULT_DB) -> str:
    return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/{database}"


def _as_server_user(cmd: list[str]) -> list[str]:
    """Prefix ``cmd`` with runuser when we are root (postgres will not run as root)."""
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", RUN_AS, "--", *cmd]


def _ensure_user(home: Path) -> None:
    if os.geteuid() != 0:
        return
    try:
        pwd.getpwnam(RUN_AS)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS], check=True
        )
    uid, gid = pwd.getpwnam(RUN_AS).pw_uid, pwd.getpwnam(RUN_AS).pw_gid
    if home.stat().st_uid != uid:  # first use: hand the state dir to the server user
        for path in [home, *home.rglob("*")]:
            os.lchown(path, uid, gid)


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, cwd=cwd)
    if proc.returncode != 0:
        raise PgServerError(f"{what} failed ({' '.join(cmd)}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def is_up(port: int) -> bool:
    """True when a PostgreSQL accepts connections on 127.0.0.1:port."""
    isready = bin_dir() / "pg_isready"
    proc = subprocess.run(
        [str(isready), "-h", "127.0.0.1", "-p", str(port), "-t", "2"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    return proc.returncode == 0


def psql(port: int, sql: str, database: str = "postgres") -> str:
    """Run one SQL statement as the superuser over TCP; returns unaligned tuples-only output."""
    cmd = [
        str(bin_dir() / "psql"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        SUPERUSER,
        "-d",
        database,
        "-v",
        "ON_ERROR_STOP=1",
        "-At",
        "-c",
        sql,
    ]
    return _run(cmd, "psql").strip()


def create_database(port: int, name: str) -> None:
    if psql(port, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":
        psql(port, f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def drop_database(port: int, name: str) -> None:
    psql(port, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def log_tail(port: int, lines: int = 40) -> str:
    log = state_dir(port) / "postgres.log"
    try:
        text = log.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"--- {log}: (no log yet)"
    return f"--- last {len(text)} lines of {log}:\n" + "\n".join(text)


def _port_taken(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start(port: int = DEFAULT_PORT) -> str:
    """initdb on first use, start if not up, create policykb_test; returns its SQLAlchemy URL."""
    lock_dir = Path(tempfile.gettempdir())
    with (lock_dir / f"policykb-pg-{port}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test sessions starting at once must not both initdb
        return _start_locked(port)


def _start_locked(port: int) -> str:
    if not is_up(port):
        if _port_taken(port):
            raise PgServerError(f"port {port} is taken by something that is not PostgreSQL; use --port")
        home = state_dir(port)
        data, sock = home / "data", home / "run"
        created = [d for d in [home, *home.parents] if not d.exists()]
        home.mkdir(parents=True, exist_ok=True)
        for d in created:  # whatever the umask, the server user must be able to walk down to its data
            d.chmod(0o755)
        sock.mkdir(exist_ok=True)
        _ensure_user(home)
        bins = bin_dir()
        if not (data / "PG_VERSION").exists():
            if data.exists():
                shutil.rmtree(data)
            _run(
                _as_server_user(
                    [
                        str(bins / "initdb"),
                        "-D",
                        str(data),
                        "-U",
                        SUPERUSER,
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                "initdb",
                cwd=home,
            )
        opts = (
            f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        try:
            _run(
                _as_server_user(
                    [
                        str(bins / "pg_ctl"),
                        "-D",
                        str(data),
                        "-l",
                        str(home / "postgres.log"),
                        "-o",
                        opts,
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ]
                ),
                "pg_ctl start",
                cwd=home,
            )
        except PgServerError as exc:
            raise PgServerError(f"{exc}\n{log_tail(port)}") from exc
    create_database(port, DEFAULT_DB)
    return url(port)


def stop(port: int = DEFAULT_PORT) -> bool:
    """Fast shutdown; True if a server of ours was running."""
    data = state_dir(port) / "data"
    if not (data / "postmaster.pid").exists():
        return False
    _run(
        _as_server_user([str(bin_dir() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop"]),
        "pg_ctl stop",
        cwd=state_dir(port),
    )
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "status", "url", "logs"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("POLICYKB_PG_PORT", DEFAULT_PORT)))
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            print(f"PostgreSQL 已就绪 / ready: {start(args.port)}")
            print(f"  log: {state_dir(args.port) / 'postgres.log'}")
        elif args.command == "stop":
            print(("stopped 已停止" if stop(args.port) else "not running 未运行") + f" port {args.port}")
        elif args.command == "status":
            up = is_up(args.port)
            print(f"{'up 运行中' if up else 'down 未运行'} {url(args.port)}")
            return 0 if up else 3
        elif args.command == "url":
            print(url(args.port))
        else:
            print(log_tail(args.port))
    except PgServerError as exc:
        print(f"pg-server 错误 / error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
