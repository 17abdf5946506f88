"""`/graphql` over HTTP: POST a JSON body, get a JSON answer; GraphiQL on GET in development.

The schema is strawberry's; this endpoint executes it with graphql-core directly, so that a request costs
its parse (once per distinct document, cached with its validation), its resolvers and one JSON encoding,
without a per-request extension and view machinery. Every error carries an `extensions.code` (see
`gateway.errors`), and input that is not a GraphQL request is answered 4xx in the same JSON shape.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, cast

from graphql import (
    DocumentNode,
    FloatValueNode,
    GraphQLError,
    GraphQLSchema,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.validation import ValidationRule
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from strawberry.execution.is_awaitable import optimized_is_awaitable
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.schema import validate_document

from gateway.errors import coded_errors, request_error
from gateway.limits import LIMIT_CODE, LimitExceeded, OperationLimits, check_cost, shape_of

DOCUMENT_CACHE_SIZE = 512
"""Parsed and validated documents kept by their text; the few that clients send again and again stay."""
CACHED_DOCUMENT_CHARS = 16_384
"""Longer documents are parsed each time, so that the cache's memory stays small whatever clients send."""


@dataclass(frozen=True)
class Prepared:
    document: DocumentNode | None
    errors: list[GraphQLError]


class Documents:
    """Parse and validate, once per document text."""

    def __init__(self, schema: GraphQLSchema, limits: OperationLimits, maxsize: int = DOCUMENT_CACHE_SIZE) -> None:
        self._schema = schema
        self._limits = limits
        self._maxsize = maxsize
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()

    def get(self, query: str) -> Prepared:
        found = self._prepared.get(query)
        if found is not None:
            self._prepared.move_to_end(query)
            return found
        prepared = self._prepare(query)
        if len(query) <= CACHED_DOCUMENT_CHARS:
            self._prepared[query] = prepared
            if len(self._prepared) > self._maxsize:
                self._prepared.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        limits = self._limits
        try:
            document = parse(query, max_lexical_tokens=limits.tokens, max_comments=limits.tokens)
        except GraphQLError as error:
            if "Document contains more than" in error.message:  # graphql-core's own limits
                return Prepared(None, [LimitExceeded("tokens", limits.tokens, error.message).as_graphql_error()])
            return Prepared(None, [error])
        try:
            for operation in document.definitions:
                if isinstance(operation, OperationDefinitionNode):
                    shape_of(document, operation, limits)
        except LimitExceeded as exceeded:
            return Prepared(None, [exceeded.as_graphql_error()])
        too_long = validate_document(self._schema, document, (NumbersThatFit,))
        if too_long:
            return Prepared(None, too_long)
        return Prepared(document, validate_document(self._schema, document, tuple(specified_rules)))


class NumbersThatFit(ValidationRule):
    """Number literals longer than any Int or Float holds. Run alone before the standard rules, whose
    coercion of a 5,000-digit literal fails inside Python's int() and would be reported as a crash."""

    MAX_CHARS = 64

    def enter_int_value(self, node: IntValueNode, *_: Any) -> None:
        self._check(node)

    def enter_float_value(self, node: FloatValueNode, *_: Any) -> None:
        self._check(node)

    def _check(self, node: IntValueNode | FloatValueNode) -> None:
        if len(node.value) > self.MAX_CHARS:
            message = (
                f"a number literal has {len(node.value)} characters; no Int or Float takes more than {self.MAX_CHARS}"
            )
            self.report_error(GraphQLError(message, node))


ContextFactory = Callable[[Request], Awaitable[Any]]


class GraphQLEndpoint:
    """The ASGI app behind the `/graphql` route."""

    def __init__(
        self, schema: GraphQLSchema, *, context: ContextFactory, executor: Any, ide: bool, limits: OperationLimits
    ) -> None:
        self._schema = schema
        self._limits = limits
        self._documents = Documents(schema, limits)
        self._context = context
        self._executor = executor
        self._ide = ide

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self._answer(request)
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        if request.method == "GET":
            return self._get(request)
        try:
            payload = await _graphql_request(request, self._limits.body_bytes)
        except NotAGraphQLRequest as not_graphql:
            return request_error(not_graphql.status, str(not_graphql), code=not_graphql.code)
        query, variables, operation_name = payload["query"], payload.get("variables"), payload.get("operationName")
        prepared = self._documents.get(query)
        if prepared.errors or prepared.document is None:
            return self._result(request, None, prepared.errors)
        refused = self._refusal(prepared.document, operation_name, variables)
        if refused is not None:
            return refused if isinstance(refused, Response) else self._result(request, None, [refused])
        result = execute(
            self._schema,
            prepared.document,
            context_value=await self._context(request),
            variable_values=variables,
            operation_name=operation_name,
            executor_class=self._executor,
            is_awaitable=cast("Any", optimized_is_awaitable),  # strawberry's faster check, as it uses
        )
        if isawaitable(result):
            result = await result
        return self._result(request, result.data, result.errors or [])

    def _refusal(
        self, document: DocumentNode, operation_name: str | None, variables: dict[str, Any] | None
    ) -> Response | GraphQLError | None:
        """Why the operation asked for may not run: no such operation, a subscription, or too costly."""
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return request_error(400, _no_operation(operation_name))
        if operation.operation not in (OperationType.QUERY, OperationType.MUTATION):
            return request_error(400, "subscriptions are not served over HTTP")
        try:
            check_cost(self._schema, document, operation, variables, self._limits)
        except LimitExceeded as exceeded:
            return exceeded.as_graphql_error()
        return None

    def _get(self, request: Request) -> Response:
        if "text/html" not in request.headers.get("accept", ""):
            return request_error(405, "send GraphQL requests with POST", headers={"Allow": "POST"})
        if not self._ide:
            return request_error(404, "not found")
        return HTMLResponse(get_graphql_ide_html("graphiql"))

    @staticmethod
    def _result(request: Request, data: dict[str, Any] | None, errors: list[GraphQLError]) -> Response:
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = coded_errors(errors, request.state.request_id, request.state.client_request_id)
        return JSONResponse(body)


class NotAGraphQLRequest(Exception):
    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


async def _graphql_request(request: Request, most_bytes: int) -> dict[str, Any]:
    """The JSON body of a GraphQL request; NotAGraphQLRequest when it is not one."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise NotAGraphQLRequest(415, "send the GraphQL request as `Content-Type: application/json`")
    body = await _body(request, most_bytes)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise NotAGraphQLRequest(400, "the request body is not JSON in UTF-8") from None
    except ValueError:  # Python's bound on the digits of an integer
        raise NotAGraphQLRequest(400, "the request holds a number with more digits than Sett reads") from None
    if _SURROGATE_ESCAPE.search(body) and _holds_lone_surrogate(payload):
        raise NotAGraphQLRequest(400, "the request holds a lone UTF-16 surrogate escape, which is not text")
    if not isinstance(payload, dict):
        raise NotAGraphQLRequest(400, "the request body must be a JSON object with a `query`")
    if not isinstance(payload.get("query"), str) or not payload["query"].strip():
        raise NotAGraphQLRequest(400, "the request has no `query` string")
    if not isinstance(payload.get("variables"), dict | None):
        raise NotAGraphQLRequest(400, "`variables` must be a JSON object")
    if not isinstance(payload.get("operationName"), str | None):
        raise NotAGraphQLRequest(400, "`operationName` must be a string")
    return payload


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A JSON escape of half a surrogate pair: whole pairs (an emoji) decode to one character, lone ones to none."""


def _holds_lone_surrogate(payload: Any) -> bool:
    try:
        json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return True
    return False


async def _body(request: Request, most_bytes: int) -> bytes:
    """The request body, read no further than `most_bytes`, whatever Content-Length claims."""
    too_large = NotAGraphQLRequest(413, f"the request body is larger than {most_bytes} bytes", LIMIT_CODE)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > most_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > most_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _no_operation(name: str | None) -> str:
    if name is None:
        return "the document holds several operations: name the one to run with `operationName`"
    return f"the document has no operation named {name!r}"
