"""Finding and waiting for local processes through /proc (Linux)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")


class LocalNeo4jError(Exception):
    """The local Neo4j could not be installed, started or stopped; the message says why."""


def run(command: list[str], what: str, cwd: Path | None = None) -> None:
    """Runs a set-up tool; on failure raises with the end of its output."""
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        raise LocalNeo4jError(f"{what} failed (exit {result.returncode}):\n{output}")


def find_processes(matches: Callable[[list[str]], bool]) -> list[int]:
    """Live processes whose argument list satisfies `matches`, oldest first."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if matches([part.decode(errors="replace") for part in argv]) and is_alive(pid):
            found.append(pid)
    return sorted(found)


def is_alive(pid: int) -> bool:
    """True while the process runs; a zombie (exited, not yet reaped) counts as gone and is reaped if ours."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        state = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while is_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
