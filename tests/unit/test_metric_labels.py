"""The labels of the metrics stay few, whatever clients send."""

from __future__ import annotations

from gateway.metrics import OperationLabels
from gateway.observe import route_of


def test_an_operation_name_becomes_a_label_only_when_it_ran_is_plain_and_there_is_room() -> None:
    labels = OperationLabels(most=3)
    assert labels.label(None, ran=True) == "anonymous"
    assert labels.label("FirstSeenRefused", ran=False) == "other"
    assert labels.label("CaseById", ran=True) == "CaseById"
    assert labels.label("CaseById", ran=False) == "CaseById"  # known now: its refusals show under it too
    assert labels.label("x" * 65, ran=True) == "other"
    assert labels.label("bad name\n", ran=True) == "other"
    assert labels.label("Second", ran=True) == "Second"
    assert labels.label("Third", ran=True) == "Third"
    assert labels.label("Fourth", ran=True) == "other"  # no room left
    assert labels.label("FirstSeenRefused", ran=True) == "other"


def test_a_path_is_counted_under_its_route() -> None:
    assert route_of("/graphql") == "/graphql"
    assert route_of("/metrics") == "/metrics"
    assert route_of("/graphiql/assets/graphiql.min.js") == "/graphiql/assets/"
    assert route_of("/wp-admin/anything/" + "x" * 500) == "other"
