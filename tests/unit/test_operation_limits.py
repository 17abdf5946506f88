"""Operation limits: the shape and the estimated cost of a document, counted before anything runs."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, get_operation_ast, parse

from gateway.limits import LimitExceeded, OperationLimits, check_cost, shape_of
from gateway.schema import schema

LIMITS = OperationLimits()


def operation(document: str) -> tuple[Any, OperationDefinitionNode]:
    parsed = parse(document)
    found = get_operation_ast(parsed)
    assert found is not None
    return parsed, found


def shape(document: str, limits: OperationLimits = LIMITS) -> Any:
    return shape_of(*operation(document), limits)


def cost(document: str, variables: dict[str, Any] | None = None, limits: OperationLimits = LIMITS) -> int:
    return check_cost(schema._schema, *operation(document), variables, limits)


def refused(call: Any, *args: Any, **kwargs: Any) -> LimitExceeded:
    with pytest.raises(LimitExceeded) as caught:
        call(*args, **kwargs)
    return caught.value


def test_a_case_page_costs_its_fields_once_per_case_it_may_hold() -> None:
    page = "{ cases(first: 20) { totalCount edges { node { id title } } } }"
    assert cost(page) == 1 + 20 * (1 + 1 + 1 + 1 + 1)
    assert cost(page.replace("20", "100")) == 1 + 100 * 5
    by_variable = "query($n: Int) { cases(first: $n) { edges { node { id } } } }"
    assert cost(by_variable, {"n": 50}) == 1 + 50 * 3
    assert cost(by_variable, {}) == 1 + LIMITS.default_page * 3  # unset: the default page
    assert cost("{ me { agencyId roles } }") == 3


def test_pages_past_the_maximum_are_refused_also_when_the_size_comes_in_a_variable() -> None:
    fields = " ".join(("id", "title", "summary", "status", "labels", "openedOn", "agencyCaseNumber", "ownerAgencyId"))
    page = f"cases(first: 100) {{ edges {{ node {{ {fields} }} }} }}"
    assert cost(f"{{ a: {page} }}") == 1 + 100 * 10
    exceeded = refused(cost, f"{{ a: {page} b: {page} c: {page} d: {page} e: {page} }}")
    assert (exceeded.limit, exceeded.maximum) == ("cost", LIMITS.cost)
    assert "cost" in str(exceeded)
    by_variable = "query($n: Int) { cases(first: $n) { edges { node { id } } } }"
    assert refused(cost, by_variable, {"n": 1_000_000}).limit == "cost"
    assert refused(cost, "{ cases(first: 99999999999) { totalCount } }").limit == "cost"


def test_fragments_count_each_time_they_are_spread() -> None:
    document = """
    query { a: me { ...M } b: me { ...M } }
    fragment M on Principal { agencyId roles scopes }
    """
    assert cost(document) == 2 * (1 + 3)
    assert shape(document).fields == 2 * (1 + 3)
    assert shape(document).aliases == 2


def test_the_shape_counts_depth_aliases_directives_and_root_fields() -> None:
    found = shape("query { a: me { agencyId @include(if: true) } b: __typename }")
    assert (found.depth, found.aliases, found.directives, found.root_fields) == (2, 2, 1, 2)


@pytest.mark.parametrize(
    ("document", "limit"),
    [
        ("{ " + " ".join(f"a{n}: __typename" for n in range(31)) + " }", "aliases"),
        ("{ me { " + " ".join(f"x{n}: roles" for n in range(31)) + " } }", "aliases"),
        ("{ " + "__typename @skip(if: false) " * 21 + "}", "directives"),
        ("{ " + "me { agencyId } " * 21 + "}", "rootFields"),
        ("{ me { " + "agencyId " * 501 + "} }", "fields"),
        ("{ " + "a { " * 13 + "b" + " }" * 13 + " }", "depth"),
    ],
)
def test_an_operation_past_a_limit_is_refused_naming_the_limit(document: str, limit: str) -> None:
    assert refused(shape, document).limit == limit


def test_fragments_that_spread_each_other_are_refused_without_being_walked_whole() -> None:
    def spreading(levels: int) -> str:
        fragments = "\n".join(f"fragment F{n} on Principal {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels))
        return f"{{ me {{ ...F0 }} }}\n{fragments}\nfragment F{levels} on Principal {{ agencyId }}"

    assert refused(shape, spreading(11)).limit == "fields"  # 2**11 fields when expanded; the walk stops at 501
    assert refused(shape, spreading(30)).limit == "depth"  # 2**30; fragments in fragments count as depth


def test_inline_fragments_nested_past_the_depth_are_refused_before_they_outgrow_the_stack() -> None:
    levels = 100
    document = "{ " + "... on Query { " * levels + "__typename" + " }" * levels + " }"
    assert refused(shape, document).limit == "depth"


def test_introspection_is_left_to_the_introspection_rule() -> None:
    deep = "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } }"  # noqa: E501
    assert shape(deep).depth == 0
    assert cost(deep) == 0


def test_limits_can_be_raised() -> None:
    wide = "{ " + " ".join(f"a{n}: __typename" for n in range(40)) + " }"
    assert shape(wide, OperationLimits(aliases=40, root_fields=40)).aliases == 40
