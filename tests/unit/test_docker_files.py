"""What can be checked of the Docker image without a Docker engine: the files that describe it.

No image is built here (the machines that run the tests have no Docker engine); these tests read the
Dockerfile, compose.yaml and .dockerignore, and `tests/api/test_docker_health_check.py` runs the health
check's own command against a live gateway.
"""

from __future__ import annotations

import fnmatch
import shlex
from pathlib import Path, PurePosixPath

from gateway.settings import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "docker" / "Dockerfile"
COMPOSE = PROJECT_ROOT / "docker" / "compose.yaml"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    found: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        whole = (pending + stripped).strip()
        pending = ""
        name, _, rest = whole.partition(" ")
        found.append((name.upper(), rest.strip()))
    return found


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for name, rest in instructions():
        if name == "ENV":
            for item in shlex.split(rest):
                key, _, setting = item.partition("=")
                values[key] = setting
    return values


def health_check() -> list[str]:
    (check,) = [rest for name, rest in instructions() if name == "HEALTHCHECK"]
    return shlex.split(check)


def health_check_command() -> str:
    """The Python code the health check runs (`CMD python -c "<code>"`)."""
    words = health_check()
    command = words[words.index("CMD") + 1 :]
    assert command[:2] == ["python", "-c"], command
    (code,) = command[2:]
    return code


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves `path` (relative to the context) out: a pattern matches it or a folder
    holding it, and `**/` matches at any depth. (Docker's `*` stops at `/`; none of ours relies on that.)"""
    parts = PurePosixPath(path).parts
    held_in = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]  # "a", "a/b", "a/b/c"
    at_any_depth = ["/".join(parts[start:end]) for end in range(1, len(parts) + 1) for start in range(end)]
    for pattern in patterns:
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern.removeprefix("**/")) for part in at_any_depth):
                return True
        elif any(fnmatch.fnmatchcase(folder, pattern) for folder in held_in):
            return True
    return False


def ignore_patterns() -> list[str]:
    lines = [line.strip() for line in DOCKERIGNORE.read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_the_image_runs_in_production_mode_by_default() -> None:
    assert env()["SETT_ENVIRONMENT"] == "production"
    assert env()["SETT_HOST"] == "0.0.0.0"  # noqa: S104 - inside the container; compose publishes it on loopback


def test_the_agency_data_is_copied_into_the_image_where_the_settings_look() -> None:
    copies = [shlex.split(rest) for name, rest in instructions() if name == "COPY"]
    destinations = {source: destination for *sources, destination in copies for source in sources}
    assert "data/fbi_cde_agencies.csv" in destinations
    assert (PROJECT_ROOT / "data" / "fbi_cde_agencies.csv").is_file()
    where = PurePosixPath("/app") / destinations["data/fbi_cde_agencies.csv"]
    assert str(where) == env()["SETT_AGENCIES_CSV"]


def test_the_health_check_asks_readiness_and_allows_a_start_period() -> None:
    words = health_check()
    options = dict(word.removeprefix("--").split("=", 1) for word in words[: words.index("CMD")])
    assert options["start-period"].endswith("s")
    assert int(options["start-period"].removesuffix("s")) >= 60
    assert "/readyz" in health_check_command()
    assert "/healthz" not in health_check_command()


def test_every_file_the_image_copies_exists_and_is_in_the_build_context() -> None:
    patterns = ignore_patterns()
    for name, rest in instructions():
        if name != "COPY":
            continue
        *sources, _ = shlex.split(rest)
        for source in sources:
            assert (PROJECT_ROOT / source).exists(), source
            assert not ignored(source, patterns), f"{source} is copied but .dockerignore leaves it out"


def test_the_build_context_leaves_out_what_the_image_must_not_hold() -> None:
    patterns = ignore_patterns()
    for path in (".venv", ".git", ".sett/neo4j/data", "gateway/__pycache__/app.cpython-311.pyc", "tools/graphiql"):
        assert ignored(path, patterns), path
    for path in ("gateway/app.py", "graph/migrations", "data/fbi_cde_agencies.csv", "pyproject.toml", "README.md"):
        assert not ignored(path, patterns), path


def test_compose_runs_production_with_a_password_of_the_operators_own_and_the_data_of_the_image() -> None:
    text = COMPOSE.read_text()
    assert "SETT_ENVIRONMENT: ${SETT_ENVIRONMENT:-production}" in text
    assert "${NEO4J_PASSWORD:?" in text
    assert "NEO4J_PASSWORD:-" not in text  # no default password to forget to change
    assert "shared/data" not in text  # the agencies come with the image, not from a folder beside it
