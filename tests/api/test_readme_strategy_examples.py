"""The README's strategy coordinator examples run as written against the demo strategy, each answering data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from agencies.principals import Role
from gateway.cli.demo_strategy import seed_strategy
from gateway.repositories import Repositories
from tests.support.access import gql, token_for

README = Path(__file__).parents[2] / "README.md"
EXAMPLE = re.compile(r"""^gql "\$(COORDINATOR|REGIONAL)" '([^']*)'(?: '' '([^']*)')?$""", re.MULTILINE)


async def test_every_coordinator_example_in_the_readme_runs(client: httpx.AsyncClient, repos: Repositories) -> None:
    strategy_id = await seed_strategy(repos)
    tokens = {
        "COORDINATOR": await token_for(repos, "USOVC0000", Role.NATIONAL_COORDINATOR),
        "REGIONAL": await token_for(repos, "USHSI0000", Role.COORDINATOR),
    }
    plan = await repos.strategy.plan(strategy_id)
    assert plan is not None
    objective = next(o for o in plan.objectives if "USHSI0000" in o.responsible_agency_ids)
    indicator = next(i for i in plan.indicators if i.objective_id == objective.id and i.kind.value == "MANUAL")
    ids = {"<strategy id>": strategy_id, "<objective id>": objective.id, "<indicator id>": indicator.id}
    examples = EXAMPLE.findall(README.read_text())
    assert len(examples) >= 9
    for who, query, written in examples:
        variables = written
        for placeholder, value in ids.items():
            variables = variables.replace(placeholder, value)
        body = await gql(
            client, json.loads(f'"{query}"'), json.loads(variables) if variables else None, token=tokens[who]
        )
        assert body.get("errors") is None, (query, body)
        assert all(value is not None for value in body["data"].values()), query
