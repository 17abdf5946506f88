"""Concurrent cross-agency reads share write transactions, and each still records exactly what it showed."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx

from agencies.audit import verify_chains
from agencies.principals import Role
from gateway.repositories import Repositories
from tests.api.test_case_reads import AGREEMENT, KCSO, SPD, open_case
from tests.support.access import CASE, error_code, gql, token_for

READS = 40


async def test_concurrent_reads_each_record_their_disclosure_and_a_refused_one_fails_alone(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    owner = await token_for(repos, SPD, Role.ANALYST)
    grantee = await token_for(repos, KCSO, Role.ANALYST)
    cases = [await open_case(client, owner, f"SPD-C{n}") for n in range(4)]
    shared = await gql(
        client,
        AGREEMENT,
        {"a": {"granteeId": KCSO, "coverage": "ALL_CASES", "purpose": "task force"}},
        token=supervisor,
    )
    assert shared.get("errors") is None, shared

    reads = [
        gql(client, CASE, {"id": cases[n % len(cases)]}, token=grantee, purpose=f"joint operation {n}")
        for n in range(READS)
    ]
    without_purpose = gql(client, CASE, {"id": cases[0]}, token=grantee)
    answers = await asyncio.gather(*reads[: READS // 2], without_purpose, *reads[READS // 2 :])

    refused = answers.pop(READS // 2)
    assert error_code(refused) == "PURPOSE_REQUIRED"
    assert [answer["data"]["case"]["id"] for answer in answers] == [cases[n % len(cases)] for n in range(READS)]
    before, entries, after = await repos.audit.snapshot()
    assert verify_chains(entries, before, after) is None
    disclosed = [entry for entry in entries if entry.kind == "disclosure"]
    details = sorted((json.loads(entry.detail)["purpose"], json.loads(entry.detail)["cases"]) for entry in disclosed)
    assert details == sorted((f"joint operation {n}", [cases[n % len(cases)]]) for n in range(READS))
    appended_together = Counter((entry.chain, entry.at) for entry in disclosed)
    assert max(appended_together.values()) > 1, "no two reads shared a write transaction"
    report = await gql(client, "{ accessReport { totalCount } }", token=supervisor)
    assert report["data"]["accessReport"]["totalCount"] == READS
