"""Resolving the Neo4j jars with Maven.

The machine's own `mvn` (3.8 on Debian) resolves Neo4j's large dependency graph one POM at a time,
which takes many minutes on a fresh machine. Maven 3.9's breadth-first collector fetches POMs in
parallel and needs well under a minute, so the machine's `mvn` is used only to fetch Maven 3.9 itself
(a release artifact on Maven Central) into the cache, once.
"""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path

from graph.runtime.processes import LocalNeo4jError, run

MAVEN_VERSION = "3.9.11"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
PARALLEL_RESOLUTION = (
    "-Daether.dependencyCollector.impl=bf",
    "-Daether.dependencyCollector.bf.threads=16",
    "-Dmaven.artifact.threads=16",
)


def resolve_classpath(pom: Path, cache: Path) -> str:
    """The classpath of `pom`'s dependencies, downloaded into the user's Maven repository."""
    output = cache / "classpath.txt"
    run(
        [
            str(maven(cache)),
            "-B",
            "-q",
            "-f",
            str(pom),
            *PARALLEL_RESOLUTION,
            f"{DEPENDENCY_PLUGIN}:build-classpath",
            f"-Dmdep.outputFile={output}",
        ],
        "resolving the Neo4j jars with Maven",
    )
    return output.read_text().strip()


def maven(cache: Path) -> Path:
    """Maven 3.9 from the cache, fetched there with the machine's `mvn` the first time."""
    home = cache / f"apache-maven-{MAVEN_VERSION}"
    executable = home / "bin" / "mvn"
    if executable.exists():
        return executable
    system_mvn = shutil.which("mvn")
    if system_mvn is None:
        raise LocalNeo4jError("`mvn` is not on PATH; the local Neo4j needs Maven to fetch its jars")
    download = cache / "download"
    run(
        [
            system_mvn,
            "-B",
            "-q",
            f"{DEPENDENCY_PLUGIN}:copy",
            f"-Dartifact=org.apache.maven:apache-maven:{MAVEN_VERSION}:tar.gz:bin",
            f"-DoutputDirectory={download}",
        ],
        f"fetching Maven {MAVEN_VERSION}",
        cwd=cache,
    )
    archive = download / f"apache-maven-{MAVEN_VERSION}-bin.tar.gz"
    with tarfile.open(archive) as tar:
        tar.extractall(cache, filter="data")
    archive.unlink()
    executable.chmod(0o755)
    return executable
