#!/usr/bin/env python3
"""Start, stop and inspect a local OpenSearch 2.19.6 built from Maven Central (stdlib only, no venv).

    python3 scripts/search_server.py start [--nodes 1|3] [--port P]
    python3 scripts/search_server.py stop|status|logs [--port P]
    python3 scripts/search_server.py kill-node N | start-node N [--port P]

One JVM per node (scripts/opensearch/NodeLauncher.java around the codelibs runner), loopback only, plain HTTP.
Node k of a cluster listens on HTTP port P+k-1 and transport port P+k+99. State (configs, data, logs,
pid files) lives under ``var/opensearch/<P>/`` in the repository, or under ``$POLICYKB_OPENSEARCH_STATE_DIR``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POM_DIR = REPO / "scripts" / "opensearch"
LAUNCHER_SOURCE = POM_DIR / "NodeLauncher.java"
DEFAULT_PORT = 9201
DEFAULT_CLUSTER_PORT = 9211
TRANSPORT_OFFSET = 100
# Only the modules whose jars the pom resolves; the runner would otherwise probe a longer list.
MODULES = ",".join(
    [
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.painless.PainlessPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.index.rankeval.RankEvalPlugin",
        "org.opensearch.index.reindex.ReindexPlugin",
        "org.opensearch.transport.Netty4Plugin",
    ]
)


class SearchServerError(RuntimeError):
    """The server could not be built, started or stopped; the message says why and where the logs are."""


@dataclass(frozen=True)
class Cluster:
    """Where one local cluster lives and which ports its nodes use."""

    port: int
    nodes: int
    state_dir: Path
    heap: str = ""  # -Xms/-Xmx per node; "" = $POLICYKB_OPENSEARCH_HEAP or 1g (one node) / 640m (three)

    @property
    def home(self) -> Path:
        return self.state_dir / str(self.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def name(self) -> str:
        return f"policykb-{self.port}"

    def http_port(self, node: int) -> int:
        return self.port + node - 1

    def transport_port(self, node: int) -> int:
        return self.http_port(node) + TRANSPORT_OFFSET

    def node_dir(self, node: int) -> Path:
        return self.home / f"node_{node}"

    def stdout_log(self, node: int) -> Path:
        return self.node_dir(node) / "stdout.log"

    def server_log(self, node: int) -> Path:
        return self.node_dir(node) / "logs" / f"{self.name}.log"

    def pid_file(self, node: int) -> Path:
        return self.node_dir(node) / "node.pid"

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.http_port(n)}" for n in range(1, self.nodes + 1)]

    def kill_node(self, node: int, sig: signal.Signals = signal.SIGKILL) -> bool:
        return kill_node(self.port, node, sig, base=self.state_dir)

    def start_node(self, node: int, timeout_s: float = 180) -> None:
        start_node(self.port, node, timeout_s, base=self.state_dir)

    def stop(self) -> bool:
        return stop(self.port, base=self.state_dir)


def state_dir() -> Path:
    return Path(os.environ.get("POLICYKB_OPENSEARCH_STATE_DIR", REPO / "var" / "opensearch")).resolve()


def load_cluster(port: int, nodes: int | None = None, base: Path | None = None) -> Cluster:
    """The cluster on ``port`` under ``base`` (default state_dir()), as its cluster.json describes it."""
    base = base or state_dir()
    meta_file = base / str(port) / "cluster.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    return Cluster(port=port, nodes=nodes or meta.get("nodes", 1), state_dir=base, heap=meta.get("heap", ""))


# ---------------------------------------------------------------- build: class path and launcher


def _jdk_tool(name: str) -> str:
    """``java``/``javac`` of a Java 17 JDK: OpenSearch 2.19 wants 17-21; the machine also has Temurin 25.

    ``$POLICYKB_OPENSEARCH_JAVA_HOME`` wins; then Debian's OpenJDK 17; then whatever is on PATH.
    JAVA_HOME is deliberately not used, since it may point at the newer JDK set for other tools.
    """
    homes = [os.environ.get("POLICYKB_OPENSEARCH_JAVA_HOME", ""), "/usr/lib/jvm/java-17-openjdk-amd64"]
    for home in filter(None, homes):
        tool = Path(home, "bin", name)
        if tool.exists():
            return str(tool)
    found = shutil.which(name)
    if not found:
        raise SearchServerError(f"{name} not found: install openjdk-17-jdk-headless (scripts/system_deps.sh)")
    return found


def classpath(base: Path) -> str:
    """The server's class path, rebuilt with Maven only when the pom changed or a cached jar is gone."""
    key = hashlib.sha256((POM_DIR / "pom.xml").read_bytes()).hexdigest()
    cp_file, key_file = base / "classpath.txt", base / "classpath.key"
    if cp_file.exists() and key_file.exists() and key_file.read_text() == key:
        cached = cp_file.read_text().strip()
        if cached and all(Path(p).exists() for p in cached.split(os.pathsep)):
            return cached
    mvn = shutil.which("mvn")
    if not mvn:
        raise SearchServerError("mvn not found: install maven (scripts/system_deps.sh)")
    base.mkdir(parents=True, exist_ok=True)
    print("resolving OpenSearch jars with Maven (first run downloads ~65 MB into ~/.m2) ...", flush=True)
    cmd = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(POM_DIR / "pom.xml"),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={cp_file}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or not cp_file.exists():
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        raise SearchServerError(f"Maven could not resolve the OpenSearch jars ({' '.join(cmd)}):\n{tail}")
    key_file.write_text(key)
    return cp_file.read_text().strip()


def launcher_classes(base: Path, cp: str) -> Path:
    """Compile NodeLauncher.java once per (source, class path) into the state dir."""
    key = hashlib.sha256(LAUNCHER_SOURCE.read_bytes() + cp.encode()).hexdigest()[:16]
    out = base / "launcher" / key
    if (out / "NodeLauncher.class").exists():
        return out
    javac = _jdk_tool("javac")
    out.mkdir(parents=True, exist_ok=True)
    cmd = [javac, "-cp", cp, "-d", str(out), str(LAUNCHER_SOURCE)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SearchServerError(f"javac failed on {LAUNCHER_SOURCE}:\n{proc.stdout}{proc.stderr}")
    return out


# ---------------------------------------------------------------- configs and processes


def write_config(cluster: Cluster, node: int) -> None:
    conf = cluster.node_dir(node) / "config"
    conf.mkdir(parents=True, exist_ok=True)
    lines = [
        "# written by scripts/search_server.py; rewritten on every start",
        f"cluster.name: {cluster.name}",
        "network.host: 127.0.0.1",
        f"transport.port: {cluster.transport_port(node)}",
        # A test server must not turn indices read-only because the shared disk is fairly full.
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "action.auto_create_index: true",
    ]
    if cluster.nodes == 1:
        lines.append("discovery.type: single-node")
    else:
        seeds = ", ".join(f'"127.0.0.1:{cluster.transport_port(n)}"' for n in range(1, cluster.nodes + 1))
        names = ", ".join(f'"node-{n}"' for n in range(1, cluster.nodes + 1))
        lines += [f"discovery.seed_hosts: [{seeds}]", f"cluster.initial_cluster_manager_nodes: [{names}]"]
    (conf / "opensearch.yml").write_text("\n".join(lines) + "\n")


def heap() -> str:
    return os.environ.get("POLICYKB_OPENSEARCH_HEAP", "")


def _alive(pid: int) -> bool:
    """True if ``pid`` runs and is not a zombie (reaping it first when it is our own child)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in {"Z", "X"}


def node_pid(cluster: Cluster, node: int) -> int | None:
    """The pid of a live node JVM of this cluster, else None (stale pid files are ignored)."""
    try:
        pid = int(cluster.pid_file(node).read_text().strip())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    if not cmdline:  # briefly empty while the java launcher execs
        return pid
    return pid if b"NodeLauncher" in cmdline and str(cluster.node_dir(node)).encode() in cmdline else None


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_base_port(nodes: int, first: int = 9241, last: int = 9400) -> int:
    """A base port in [first, last] whose HTTP and transport ports for ``nodes`` nodes are all free."""
    for base in range(first, last - nodes + 2, nodes + 2):
        ports = [base + i for i in range(nodes)] + [base + TRANSPORT_OFFSET + i for i in range(nodes)]
        if not any(_port_in_use(p) for p in ports):
            return base
    raise SearchServerError(f"no free block of {nodes} HTTP + {nodes} transport ports from {first} to {last}")


def spawn_node(cluster: Cluster, node: int) -> int:
    """Start node ``node`` detached (own session, no stdin); returns its pid."""
    for port in (cluster.http_port(node), cluster.transport_port(node)):
        if _port_in_use(port):
            raise SearchServerError(
                f"port {port} is already taken by another process; stop it or choose another --port"
            )
    base = cluster.state_dir
    cp = classpath(base)
    classes = launcher_classes(base, cp)
    write_config(cluster, node)
    ndir = cluster.node_dir(node)
    size = cluster.heap or heap() or ("1g" if cluster.nodes == 1 else "640m")
    cmd = [
        _jdk_tool("java"),
        f"-Xms{size}",
        f"-Xmx{size}",
        "-XX:+ExitOnOutOfMemoryError",
        "-Dfile.encoding=UTF-8",
        f"-Djava.io.tmpdir={ndir / 'tmp'}",
        "-cp",
        f"{classes}{os.pathsep}{cp}",
        "NodeLauncher",
        f"node-{node}",
        str(cluster.http_port(node)),
        "-basePath",
        str(ndir),
        "-confPath",
        str(ndir / "config"),
        "-dataPath",
        str(ndir / "data"),
        "-logsPath",
        str(ndir / "logs"),
        "-numOfNode",
        "1",
        "-clusterName",
        cluster.name,
        "-moduleTypes",
        MODULES,
        "-printOnFailure",
    ]
    (ndir / "tmp").mkdir(parents=True, exist_ok=True)
    log = cluster.stdout_log(node)
    if log.exists():
        log.replace(log.with_suffix(".log.1"))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ndir,
            start_new_session=True,
        )
    cluster.pid_file(node).write_text(f"{proc.pid}\n")
    return proc.pid


def health(url: str, timeout: float = 2.0, query: str = "") -> dict[str, object] | None:
    """``GET /_cluster/health`` as a dict, or None when nothing answers."""
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health{query}", timeout=timeout) as resp:
            data: dict[str, object] = json.loads(resp.read())
            return data
    except (OSError, ValueError, urllib.error.URLError):
        return None


def wait_healthy(cluster: Cluster, nodes: list[int], deadline_s: float) -> None:
    """Wait for yellow with all nodes joined; fail early if a node JVM exits."""
    query = f"?wait_for_status=yellow&wait_for_nodes={cluster.nodes}&timeout=5s"
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        for n in nodes:
            if node_pid(cluster, n) is None:
                raise SearchServerError(f"OpenSearch node-{n} exited during start-up\n{log_tail(cluster, n)}")
        for n in nodes:
            data = health(f"http://127.0.0.1:{cluster.http_port(n)}", timeout=8, query=query)
            if data is not None and not data.get("timed_out", True):
                return
        time.sleep(1)
    tails = "\n".join(log_tail(cluster, n) for n in nodes)
    raise SearchServerError(f"OpenSearch was not healthy within {deadline_s:.0f} s\n{tails}")


def log_tail(cluster: Cluster, node: int = 1, lines: int = 60) -> str:
    """The last lines of a node's console log, headed by its path (for error messages)."""
    log = cluster.stdout_log(node)
    try:
        text = log.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return f"--- {log}: (no log yet)"
    return f"--- last {len(text)} lines of {log}:\n" + "\n".join(text)


@contextlib.contextmanager
def _locked(base: Path) -> Iterator[None]:
    """Serialize start/stop between processes sharing a state dir."""
    base.mkdir(parents=True, exist_ok=True)
    with (base / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


# ---------------------------------------------------------------- commands (also the Python API)


def start(
    port: int, nodes: int = 1, timeout_s: float | None = None, base: Path | None = None, heap: str = ""
) -> Cluster:
    """Start the cluster on ``port`` unless already up; raise SearchServerError with log tails on failure."""
    timeout_s = timeout_s or float(os.environ.get("POLICYKB_OPENSEARCH_START_TIMEOUT", "180"))
    cluster = Cluster(port=port, nodes=nodes, state_dir=base or state_dir(), heap=heap)
    with _locked(cluster.state_dir):
        meta = cluster.home / "cluster.json"
        if meta.exists() and json.loads(meta.read_text())["nodes"] != nodes:
            # The data dirs hold the other topology's cluster state; mixing them would not form a cluster.
            raise SearchServerError(
                f"{cluster.home} holds a cluster with another node count; stop it and delete that directory"
            )
        up = health(cluster.url)
        if up is not None and int(str(up.get("number_of_nodes", 0))) >= nodes:
            return cluster
        cluster.home.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"nodes": nodes, "port": port, "url": cluster.url, "heap": heap}) + "\n")
        started = [n for n in range(1, nodes + 1) if node_pid(cluster, n) is None]
        for n in started:
            spawn_node(cluster, n)
        try:
            wait_healthy(cluster, list(range(1, nodes + 1)), timeout_s)
        except SearchServerError:
            for n in started:
                _stop_node(cluster, n, signal.SIGKILL, 10)
            raise
    return cluster


def _any_running(cluster: Cluster) -> bool:
    return any(node_pid(cluster, n) for n in range(1, cluster.nodes + 1))


def _stop_node(cluster: Cluster, node: int, sig: signal.Signals, wait_s: float) -> bool:
    """Signal one node and wait for its JVM to exit; SIGKILL after ``wait_s``. True if it was running."""
    pid = node_pid(cluster, node)
    if pid is None:
        return False
    os.kill(pid, sig)
    deadline = time.monotonic() + wait_s
    while node_pid(cluster, node) is not None:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
        time.sleep(0.2)
    cluster.pid_file(node).unlink(missing_ok=True)
    return True


def stop(port: int, base: Path | None = None) -> bool:
    """SIGTERM every node of the cluster on ``port`` and wait; True if any was running."""
    cluster = load_cluster(port, base=base)
    with _locked(cluster.state_dir):
        stopped = [_stop_node(cluster, n, signal.SIGTERM, 60) for n in range(1, cluster.nodes + 1)]
    return any(stopped)


def kill_node(port: int, node: int, sig: signal.Signals = signal.SIGKILL, base: Path | None = None) -> bool:
    """Kill one node (SIGKILL by default: a crash, not a clean shutdown); True if it was running."""
    return _stop_node(load_cluster(port, base=base), node, sig, 30)


def start_node(port: int, node: int, timeout_s: float = 180, base: Path | None = None) -> Cluster:
    """Start one stopped node again and wait until the cluster has all its nodes."""
    cluster = load_cluster(port, base=base)
    with _locked(cluster.state_dir):
        if node_pid(cluster, node) is None:
            spawn_node(cluster, node)
        wait_healthy(cluster, [node], timeout_s)
    return cluster


def status_line(port: int) -> tuple[bool, str]:
    cluster = load_cluster(port)
    data = health(cluster.url)
    if data is None:
        running = [n for n in range(1, cluster.nodes + 1) if node_pid(cluster, n)]
        extra = f" (JVM of node(s) {running} running but not answering)" if running else ""
        return False, f"down 未运行 {cluster.url}{extra}"
    return True, (
        f"up 运行中 {cluster.url} cluster={data.get('cluster_name')} status={data.get('status')} "
        f"nodes={data.get('number_of_nodes')}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "status", "logs", "kill-node", "start-node"])
    parser.add_argument("node", nargs="?", type=int, help="node number for kill-node/start-node")
    parser.add_argument("--nodes", type=int, choices=[1, 3], default=1)
    parser.add_argument(
        "--port",
        type=int,
        help=f"HTTP port of node 1 (default {DEFAULT_PORT}, {DEFAULT_CLUSTER_PORT} with --nodes 3)",
    )
    parser.add_argument("--signal", choices=["KILL", "TERM"], default="KILL", help="for kill-node")
    parser.add_argument("--lines", type=int, default=60, help="for logs")
    args = parser.parse_args(argv)
    # kill-node/start-node only make sense on the three-node cluster, so they default to its port.
    multi = args.nodes == 3 or args.command in {"kill-node", "start-node"}
    port = args.port or (DEFAULT_CLUSTER_PORT if multi else DEFAULT_PORT)
    try:
        if args.command == "start":
            cluster = start(port, args.nodes)
            print(f"OpenSearch 已就绪 / ready: {cluster.url} ({cluster.nodes} node(s))")
            for n in range(1, cluster.nodes + 1):
                print(f"  node-{n}: http://127.0.0.1:{cluster.http_port(n)}  log: {cluster.stdout_log(n)}")
            return 0
        if args.command == "stop":
            print(("stopped 已停止 " if stop(port) else "not running 未运行 ") + f"http://127.0.0.1:{port}")
            return 0
        if args.command == "status":
            up, line = status_line(port)
            print(line)
            return 0 if up else 3
        if args.command == "logs":
            cluster = load_cluster(port)
            for n in range(1, cluster.nodes + 1):
                print(log_tail(cluster, n, args.lines))
            return 0
        if args.node is None:
            parser.error(f"{args.command} needs a node number")
        if args.command == "kill-node":
            done = kill_node(port, args.node, signal.Signals[f"SIG{args.signal}"])
            print(f"node-{args.node} " + ("killed 已终止" if done else "was not running 未运行"))
            return 0
        cluster = start_node(port, args.node)
        print(f"node-{args.node} up 已启动: http://127.0.0.1:{cluster.http_port(args.node)}")
        return 0
    except SearchServerError as exc:
        print(f"search-server 错误 / error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
