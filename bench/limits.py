"""Hostile requests against a production gateway: how fast each is refused, and what it costs in memory.

    python -m bench.limits

Sends, without a token, the requests of issue 8's probe (333,333 aliases, 1,000 aliases of `agency(id:)`,
depth 50, 1,000 duplicated fields, a 10 MB body), each `--rounds` times, and prints for each its answer
(status and code) and the slowest of its round trips, then the gateway's resident and peak memory before and
after. A production gateway refuses most of them before parsing: the body limit (128 KiB), or the rule that
only trusted documents run.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

import httpx

from bench.reads import fresh_neo4j, sett_server

HOSTILE = {
    "333,333 aliases": "{ " + " ".join(f"a{n}: __typename" for n in range(333_333)) + " }",
    "1,000 aliases of agency(id:)": "{ "
    + " ".join(f'a{n}: agency(id: "WASPD0000") {{ name }}' for n in range(1000))
    + " }",
    "depth 50": "{ " + "me { " * 50 + "agencyId" + " }" * 50 + " }",
    "1,000 duplicated fields": "{ me { " + "agencyId " * 1000 + "} }",
    "10 MB body": "{ __typename }" + " " * 10_000_000,
}


def memory(pid: int) -> str:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return f"RSS {fields['VmRSS'].strip()}, peak {fields['VmHWM'].strip()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with fresh_neo4j() as (connection, redis_url), sett_server(connection, redis_url) as url:
        port = url.rsplit(":", 1)[1].split("/")[0]
        pid = int(subprocess.check_output(["pgrep", "-f", f"sett serve --port {port}"]).split()[0])
        print(f"gateway before: {memory(pid)}")
        with httpx.Client(timeout=120) as client:
            for name, query in HOSTILE.items():
                slowest, answer = 0.0, ""
                for _ in range(rounds):
                    started = time.perf_counter()
                    response = client.post(url, json={"query": query})
                    slowest = max(slowest, time.perf_counter() - started)
                    code = response.json()["errors"][0]["extensions"]["code"]
                    answer = f"{response.status_code} {code}"
                print(f"{name:30} {len(query):>10,} bytes  {answer:28} slowest {slowest * 1000:6.0f} ms")
        print(f"gateway after:  {memory(pid)}")


if __name__ == "__main__":
    main()
