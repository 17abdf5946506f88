"""Running the real `sett` command in a subprocess, pointed at a given Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.driver import Neo4jConnection

SETT = Path(sys.executable).parent / "sett"


def sett_env(connection: Neo4jConnection | None = None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NEO4J_", "SETT_"))}
    if connection is not None:
        env["NEO4J_URI"] = connection.uri
        env["NEO4J_DATABASE"] = connection.database
        if connection.auth is not None:
            env["NEO4J_USERNAME"], env["NEO4J_PASSWORD"] = connection.auth
    return {**env, "CI": "true", **extra}


def sett(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SETT), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
