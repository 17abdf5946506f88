"""Start, stop and inspect a local Neo4j Community server run by the `SettNeo4j` Java launcher.

The jars come from Maven Central through `mvn` (cached in the user's Maven repository), the launcher is
compiled once into a cache folder outside the source tree, and the server's data lives in a folder of
the caller's choosing. The server listens on 127.0.0.1 only and requires a password, generated on first
start and kept beside the data (mode 0600).
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable

from graph.runtime.maven import resolve_classpath
from graph.runtime.processes import LocalNeo4jError, find_processes, is_alive, run, wait_until_gone

RUNTIME_SOURCES = Path(__file__).parent
LAUNCHER_CLASS = "SettNeo4j"
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)
USER = "neo4j"


@dataclass(frozen=True)
class LocalNeo4jConfig:
    home: Path
    bolt_port: int = 7687
    heap_mb: int = 1024
    pagecache_mb: int = 256
    cache_dir: Path = Path.home() / ".cache" / "sett" / "neo4j-runtime"
    owner_pid: int | None = None
    """When set, the server ends as soon as this process ends (used by `make run` and the tests)."""
    settings: tuple[tuple[str, str], ...] = ()
    """Further Neo4j settings (name, value), written to HOME/neo4j.conf for the launcher."""


@dataclass(frozen=True)
class RuntimeStatus:
    running: bool
    pid: int | None
    uri: str
    home: Path


class LocalNeo4j:
    def __init__(self, config: LocalNeo4jConfig) -> None:
        self.config = config

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.config.bolt_port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, self._password())

    @property
    def _pid_file(self) -> Path:
        return self.config.home / "sett-neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.config.home / "sett-neo4j.log"

    def install(self) -> str:
        """Fetches the jars (once) and compiles the launcher (once); returns the Java classpath.

        Several first installs at once (two checkouts, or `make test` beside `make run`) take turns on the
        cache: the second waits for the first and then finds everything in place."""
        cache = self.config.cache_dir
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / "install.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return self._install(cache)

    def _install(self, cache: Path) -> str:
        pom = RUNTIME_SOURCES / "pom.xml"
        classpath_file = cache / "classpath.txt"
        if _stale(classpath_file, pom) or not all(Path(jar).exists() for jar in _jars(classpath_file)):
            resolve_classpath(pom, cache)
        jars = classpath_file.read_text().strip()
        source = RUNTIME_SOURCES / f"{LAUNCHER_CLASS}.java"
        compiled = cache / "classes" / f"{LAUNCHER_CLASS}.class"
        if _stale(compiled, source):
            run(
                [_tool("javac"), "-cp", jars, "-d", str(compiled.parent), str(source)],
                "compiling the Neo4j launcher",
            )
        return f"{compiled.parent}{os.pathsep}{jars}"

    def status(self) -> RuntimeStatus:
        pids = self._running_pids()
        return RuntimeStatus(bool(pids), pids[0] if pids else None, self.uri, self.config.home)

    def start(self, timeout: float = 180.0) -> RuntimeStatus:
        """Starts the server unless it already runs; returns once Bolt accepts our credentials."""
        current = self.status()
        if current.running:
            try:
                self._wait_for_bolt(current.pid, timeout)
                return current
            except LocalNeo4jError:
                if current.pid is not None and is_alive(current.pid):
                    raise
                # it was stopping; start a new one below
        self._pid_file.unlink(missing_ok=True)  # stale: its process is gone
        if _port_in_use(self.config.bolt_port):
            raise LocalNeo4jError(
                f"port {self.config.bolt_port} is taken by another program; "
                "set SETT_NEO4J_BOLT_PORT to a free port or NEO4J_URI to use that server"
            )
        classpath = self.install()
        self.config.home.mkdir(parents=True, exist_ok=True)
        command = [
            _tool("java"),
            f"-Xmx{self.config.heap_mb}m",
            *JVM_OPTIONS,
            "-cp",
            classpath,
            LAUNCHER_CLASS,
            str(self.config.home.resolve()),
            str(self.config.bolt_port),
            str(self.config.pagecache_mb),
        ]
        if self.config.owner_pid is not None:
            command.append(str(self.config.owner_pid))
        settings = "".join(f"{name}={value}\n" for name, value in self.config.settings)
        (self.config.home / "neo4j.conf").write_text(settings, encoding="utf-8")
        env = {**os.environ, "SETT_NEO4J_LOCAL_PASSWORD": self._password()}
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        self._pid_file.write_text(str(process.pid))
        self._wait_for_bolt(process.pid, timeout, process)
        return RuntimeStatus(True, process.pid, self.uri, self.config.home)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stops the server (SIGTERM, then SIGKILL after `timeout`); returns whether one was running."""
        pids = self._running_pids()
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
        for pid in pids:
            if not wait_until_gone(pid, timeout):
                os.kill(pid, signal.SIGKILL)
                wait_until_gone(pid, 10.0)
        self._pid_file.unlink(missing_ok=True)
        return bool(pids)

    def _running_pids(self) -> list[int]:
        """Our launcher's processes for this data folder, whether or not the pid file still names them."""
        home = str(self.config.home.resolve())
        return find_processes(lambda argv: LAUNCHER_CLASS in argv and home in argv)

    def _password(self) -> str:
        path = self.config.home / "sett-neo4j.password"
        if not path.exists():
            self.config.home.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def _wait_for_bolt(self, pid: int | None, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
        """Waits for the launcher's ready file (written once the password is set), then for Bolt to answer."""
        deadline = time.monotonic() + timeout
        ready_file = self.config.home / "sett-neo4j.ready"
        with GraphDatabase.driver(self.uri, auth=self.auth, connection_timeout=2.0) as driver:
            while True:
                if process is not None and process.poll() is not None:
                    raise LocalNeo4jError(f"Neo4j exited with code {process.returncode}:\n{self._log_tail()}")
                if pid is not None and not is_alive(pid):
                    raise LocalNeo4jError(f"Neo4j (pid {pid}) is gone:\n{self._log_tail()}")
                if ready_file.exists() and ready_file.read_text().strip() == str(pid):
                    try:
                        driver.verify_connectivity()
                        return
                    except (ServiceUnavailable, OSError):
                        pass
                if time.monotonic() > deadline:
                    raise LocalNeo4jError(f"Neo4j was not ready within {timeout:.0f}s:\n{self._log_tail()}")
                time.sleep(0.1)

    def _log_tail(self, lines: int = 30) -> str:
        if not self.log_file.exists():
            return "(no log)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(f"`{name}` is not on PATH; the local Neo4j needs Java 17+ and Maven")
    return path


def _stale(product: Path, source: Path) -> bool:
    return not product.exists() or product.stat().st_mtime < source.stat().st_mtime


def _jars(classpath_file: Path) -> list[str]:
    return classpath_file.read_text().strip().split(os.pathsep) if classpath_file.exists() else []


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
