"""`zebra solr start|stop|status [--cloud]`: a local Solr 9.10 built from Maven Central jars.

Owns building the launcher (solr/launcher, Maven; skipped when up to date, offline when it
can), starting it in the background, waiting until it is healthy (no core init failures,
ping OK) and stopping it through its pid file. State and logs live under `<data_dir>/solr`.
Standalone: http://127.0.0.1:8983/solr/zebra. Cloud: 2 nodes on 8984 and 8985, fresh each start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import requests
import typer

from cli.common import console, err
from core.config import get_settings

SOLR_DIR = Path(__file__).resolve().parents[1] / "solr"
LAUNCHER = SOLR_DIR / "launcher"
CONFIGSET = SOLR_DIR / "configsets" / "zebra"
MAIN_CLASS = "zebra.solr.ZebraSolr"
PORTS = {False: 8983, True: 8984}

solr_app = typer.Typer(help="Run a local Solr (standalone core or 2-node SolrCloud) for the solr backend.",
                       no_args_is_help=True)


class SolrLaunchError(RuntimeError):
    """The local Solr could not be built, started or stopped; the message names the log to read."""


@dataclass(frozen=True)
class Node:
    """One local Solr (standalone or cloud): where it listens and keeps its files."""

    state: Path
    cloud: bool
    port: int

    @property
    def mode(self) -> str:
        return "cloud" if self.cloud else "standalone"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/solr"

    @property
    def pid_file(self) -> Path:
        return self.state / f"{self.mode}.pid"

    @property
    def log_dir(self) -> Path:
        return self.state / "logs" / self.mode


def build_launcher(quiet: bool = True) -> None:
    """`mvn package` in solr/launcher when its classpath is missing or older than its sources."""
    jar = LAUNCHER / "target" / "zebra-solr-launcher-1.0.jar"
    sources = [LAUNCHER / "pom.xml", *(LAUNCHER / "src").rglob("*.java")]
    if jar.is_file() and (LAUNCHER / "target" / "lib").is_dir() and \
            jar.stat().st_mtime >= max(p.stat().st_mtime for p in sources):
        return
    base = ["mvn", "-B", "-q", "package", "-DskipTests"]
    for cmd in (base + ["-o"], base):  # offline first: after one online build everything is in ~/.m2
        try:
            done = subprocess.run(cmd, cwd=LAUNCHER, capture_output=quiet, text=True)
        except FileNotFoundError:
            raise SolrLaunchError("Maven (`mvn`) is not installed; install it (Debian: apt-get install maven)") \
                from None
        if done.returncode == 0:
            return
    raise SolrLaunchError(f"building {LAUNCHER} with Maven failed:\n{(done.stdout or '')[-2000:]}")


def _pid(node: Node) -> int | None:
    """The pid in the pid file, if that process is alive and is our launcher."""
    try:
        pid = int(node.pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if MAIN_CLASS.encode() in cmdline else None


def problem(node: Node, name: str = "zebra") -> str | None:
    """Why the Solr at `node` is not ready to serve `name`, or None when it is."""
    try:
        if node.cloud:
            cluster = requests.get(f"{node.base_url}/admin/collections", timeout=5,
                                   params={"action": "CLUSTERSTATUS", "wt": "json"}).json()["cluster"]
            if len(cluster.get("live_nodes", [])) < 2:
                return f"{len(cluster.get('live_nodes', []))} of 2 nodes live"
        else:
            status = requests.get(f"{node.base_url}/admin/cores", timeout=5,
                                  params={"action": "STATUS", "wt": "json", "indexInfo": "false"}).json()
            if status.get("initFailures"):
                return f"core init failures: {status['initFailures']}"
        ping = requests.get(f"{node.base_url}/{name}/admin/ping", params={"wt": "json"}, timeout=5)
        if ping.status_code != 200 or ping.json().get("status") != "OK":
            return f"ping of {name!r} answered HTTP {ping.status_code}"
    except (requests.RequestException, ValueError, KeyError) as exc:
        return f"no answer at {node.base_url} ({exc.__class__.__name__})"
    return None


def start(node: Node, timeout: float = 180, heap: str = "768m") -> str:
    """Start `node` in the background (build first if needed) and wait until healthy; returns how it went."""
    if _pid(node) is not None:
        why = problem(node)
        if why is None:
            return f"already running (pid {_pid(node)}) at {node.base_url}"
        raise SolrLaunchError(f"Solr {node.mode} (pid {_pid(node)}) runs but is not healthy: {why}; "
                              f"see {node.log_dir}/solr.log or run `zebra solr stop`")
    if problem(node) is None:
        raise SolrLaunchError(f"another Solr already answers at {node.base_url}; stop it or choose --port")
    build_launcher()
    node.log_dir.mkdir(parents=True, exist_ok=True)
    cmd = ["java", f"-Xmx{heap}", f"-Dsolr.log.dir={node.log_dir}",
           f"-Dlog4j2.configurationFile={LAUNCHER / 'log4j2.xml'}",
           "-cp", f"{LAUNCHER / 'target' / 'classes'}:{LAUNCHER / 'target' / 'lib'}/*", MAIN_CLASS,
           "--state", str(node.state), "--configset", str(CONFIGSET), "--port", str(node.port)]
    cmd += ["--cloud"] if node.cloud else []
    console_log = node.log_dir / "console.log"
    with console_log.open("ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    node.pid_file.write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    while (why := problem(node)) is not None:
        if proc.poll() is not None:
            node.pid_file.unlink(missing_ok=True)
            tail = console_log.read_text(errors="replace")[-1500:]
            raise SolrLaunchError(f"Solr {node.mode} exited with code {proc.returncode}; see {console_log}:\n{tail}")
        if time.monotonic() > deadline:
            raise SolrLaunchError(f"Solr {node.mode} not healthy after {timeout:g} s ({why}); "
                                  f"see {node.log_dir}/solr.log; it is still running (pid {proc.pid})")
        time.sleep(1)
    return f"started (pid {proc.pid}) at {node.base_url}/zebra; logs in {node.log_dir}"


def _alive(pid: int) -> bool:
    """Whether `pid` still runs; reaps it when it is our exited child (a zombie otherwise stays in /proc)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def stop(node: Node, timeout: float = 60) -> str:
    pid = _pid(node)
    if pid is None:
        node.pid_file.unlink(missing_ok=True)
        return "not running"
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    node.pid_file.unlink(missing_ok=True)
    return f"stopped (pid {pid})"


def _node(cloud: bool, port: Optional[int], state: Optional[Path]) -> Node:
    return Node(state=(state or get_settings().data_dir / "solr").resolve(), cloud=cloud, port=port or PORTS[cloud])


Cloud = Annotated[bool, typer.Option("--cloud", help="2 nodes + embedded ZooKeeper, 2-shard collection (port 8984).")]
Port = Annotated[Optional[int], typer.Option(help="Port (cloud: this and the next); default 8983, cloud 8984.")]
State = Annotated[Optional[Path], typer.Option("--dir", help="State and logs; default: <ZEBRA_DATA_DIR>/solr.")]


@solr_app.command("start")
def start_cmd(cloud: Cloud = False, port: Port = None, state: State = None,
              timeout: Annotated[float, typer.Option(help="Seconds to wait until healthy.")] = 180) -> None:
    """Build the launcher if needed, start Solr in the background and wait until it is healthy."""
    try:
        console.print(f"Solr {'cloud' if cloud else 'standalone'}: {start(_node(cloud, port, state), timeout)}")
    except SolrLaunchError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1)


@solr_app.command("stop")
def stop_cmd(cloud: Cloud = False, port: Port = None, state: State = None) -> None:
    """Stop the Solr started by `zebra solr start` (through its pid file)."""
    console.print(f"Solr {'cloud' if cloud else 'standalone'}: {stop(_node(cloud, port, state))}")


@solr_app.command("status")
def status_cmd(cloud: Cloud = False, port: Port = None, state: State = None) -> None:
    """Say whether the local Solr runs and is healthy (exit code 1 when it is not)."""
    node = _node(cloud, port, state)
    why, pid = problem(node), _pid(node)
    if why is None:
        console.print(f"Solr {node.mode}: healthy at {node.base_url}/zebra" + (f" (pid {pid})" if pid else ""))
        return
    err.print(f"Solr {node.mode}: not healthy: {why}" + (f" (pid {pid})" if pid else " (not started here)"))
    raise typer.Exit(1)
