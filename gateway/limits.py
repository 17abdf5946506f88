"""Limits on what one GraphQL request may ask, all checked before anything runs.

The parse is bounded by the number of tokens; the shape of the operation (depth, aliases, directives, root
fields) is counted once per document; the cost is estimated per request, since a page size may come from a
variable. Cost: each field costs 1, and what is selected under a field with a `first` argument (a page)
costs as many times as the page may hold. Lists without `first` (the persons of a case, its team) are
loaded in batches across the whole answer, so they count once. Introspection (`__schema`, `__type`) is
not counted in depth or cost: whether it may be asked at all is decided elsewhere.

All of it runs before validation, whose check of overlapping fields grows with the square of their number.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

LIMIT_CODE = "LIMIT_EXCEEDED"
INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class OperationLimits:
    body_bytes: int = 128 * 1024
    tokens: int = 5_000
    depth: int = 12
    aliases: int = 30
    directives: int = 20
    root_fields: int = 20
    fields: int = 500
    """Field selections in the whole operation, counted each time a fragment is spread."""
    cost: int = 5_000
    default_page: int = 20
    """The page size assumed for a `first` left out or given as a variable that is not set."""


class LimitExceeded(Exception):
    def __init__(self, limit: str, maximum: int, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.maximum = maximum

    def as_graphql_error(self) -> GraphQLError:
        return GraphQLError(str(self), extensions={"code": LIMIT_CODE, "limit": self.limit, "maximum": self.maximum})


@dataclass(frozen=True)
class Shape:
    depth: int
    aliases: int
    directives: int
    root_fields: int
    fields: int


class _Walk:
    """Walks the selections of one operation, fragments expanded where they are spread, and stops as soon as
    a limit is passed: a document whose fragments spread each other many times never gets walked whole."""

    def __init__(self, document: DocumentNode, limits: OperationLimits) -> None:
        self.fragments = {
            node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)
        }
        self.limits = limits
        self.aliases = 0
        self.directives = 0
        self.fields_seen = 0
        self.depth = 0

    def fields(
        self, selections: SelectionSetNode | None, spread: tuple[str, ...] = (), nested: int = 0
    ) -> Iterator[FieldNode]:
        """The fields of a selection set, through inline fragments and fragment spreads (each spread anew);
        fragments nested in fragments count towards the depth, so that no nesting outgrows the stack."""
        if selections is None:
            return
        if nested > self.limits.depth:
            raise LimitExceeded("depth", self.limits.depth, f"fragments are nested deeper than {self.limits.depth}")
        for selection in selections.selections:
            self.directives += len(selection.directives or ())
            if self.directives > self.limits.directives:
                raise LimitExceeded(
                    "directives",
                    self.limits.directives,
                    f"the operation uses more than {self.limits.directives} directives",
                )
            if isinstance(selection, FieldNode):
                self.fields_seen += 1
                if self.fields_seen > self.limits.fields:
                    raise LimitExceeded(
                        "fields", self.limits.fields, f"the operation selects more than {self.limits.fields} fields"
                    )
                if selection.alias is not None:
                    self.aliases += 1
                    if self.aliases > self.limits.aliases:
                        raise LimitExceeded(
                            "aliases", self.limits.aliases, f"the operation has more than {self.limits.aliases} aliases"
                        )
                yield selection
            elif isinstance(selection, InlineFragmentNode):
                yield from self.fields(selection.selection_set, spread, nested + 1)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in spread:  # validation reports cycles and unknown ones
                    yield from self.fields(fragment.selection_set, (*spread, name), nested + 1)

    def measure(self, selections: SelectionSetNode | None, depth: int) -> None:
        if depth > self.limits.depth:
            raise LimitExceeded("depth", self.limits.depth, f"the operation is nested deeper than {self.limits.depth}")
        self.depth = max(self.depth, depth)
        for field in self.fields(selections):
            if field.name.value not in INTROSPECTION:
                self.measure(field.selection_set, depth + 1)


def shape_of(document: DocumentNode, operation: OperationDefinitionNode, limits: OperationLimits) -> Shape:
    """Depth, aliases, directives and root fields of `operation`; LimitExceeded as soon as one is passed."""
    walk = _Walk(document, limits)
    walk.directives += len(operation.directives or ())
    roots = sum(1 for field in walk.fields(operation.selection_set) if field.name.value not in INTROSPECTION)
    if roots > limits.root_fields:
        raise LimitExceeded(
            "rootFields", limits.root_fields, f"the operation asks for more than {limits.root_fields} root fields"
        )
    walk.aliases = walk.directives = walk.fields_seen = 0
    walk.measure(operation.selection_set, 0)
    return Shape(walk.depth, walk.aliases, walk.directives, roots, walk.fields_seen)


def check_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    limits: OperationLimits,
) -> int:
    """The estimated cost of `operation` with these variables; LimitExceeded once it passes the maximum."""
    root = {
        OperationType.QUERY: schema.query_type,
        OperationType.MUTATION: schema.mutation_type,
    }.get(operation.operation)
    walk = _Walk(document, limits)
    total = 0

    def cost(selections: SelectionSetNode | None, parent: GraphQLNamedType | None, times: int) -> None:
        nonlocal total
        for field in walk.fields(selections):
            name = field.name.value
            if name in INTROSPECTION:
                continue
            total += times
            if total > limits.cost:
                raise LimitExceeded("cost", limits.cost, f"the operation's estimated cost is over {limits.cost}")
            definition = (
                parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
            )
            child = get_named_type(definition.type) if definition is not None else None
            page = _page_size(field, variables, limits) if definition is not None and "first" in definition.args else 1
            cost(field.selection_set, child, times * max(page, 1))

    cost(operation.selection_set, root, 1)
    return total


def _page_size(field: FieldNode, variables: Mapping[str, Any] | None, limits: OperationLimits) -> int:
    for argument in field.arguments or ():
        if argument.name.value != "first":
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return int(value.value) if len(value.value) < 10 else limits.cost + 1
        if isinstance(value, VariableNode):
            given = (variables or {}).get(value.name.value)
            return given if isinstance(given, int) and not isinstance(given, bool) else limits.default_page
    return limits.default_page
