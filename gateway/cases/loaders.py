"""Batched reads for the nested fields of cases: one query per field per request, however many cases."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from cases import identifiers, models, person_service
from gateway.context import Context

T = TypeVar("T")


def case_persons(context: Context) -> DataLoader[str, list[models.CasePerson]]:
    async def load(case_ids: list[str]) -> dict[str, list[models.CasePerson]]:
        return await person_service.persons_on_cases(
            principal=context.require_principal(),
            case_ids=case_ids,
            purpose=context.purpose,
            persons=context.repositories.persons,
        )

    return _loader(context, "case_persons", load)


def case_identifiers(context: Context) -> DataLoader[str, list[identifiers.Identifier]]:
    async def load(case_ids: list[str]) -> dict[str, list[identifiers.Identifier]]:
        return await person_service.identifiers_of_cases(
            principal=context.require_principal(),
            case_ids=case_ids,
            purpose=context.purpose,
            identifiers=context.repositories.identifiers,
        )

    return _loader(context, "case_identifiers", load)


def _loader(
    context: Context, name: str, load: Callable[[list[str]], Awaitable[dict[str, list[T]]]]
) -> DataLoader[str, list[T]]:
    """The request's loader called `name`, made on first use."""
    if name not in context.loaders:

        async def batch(keys: Sequence[str]) -> list[list[T]]:
            found = await load(list(dict.fromkeys(keys)))
            return [found.get(key, []) for key in keys]

        context.loaders[name] = DataLoader(load_fn=batch)
    loader: DataLoader[str, list[T]] = context.loaders[name]
    return loader
