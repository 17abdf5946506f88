from gateway.auth.middleware import client_request_id, new_request_id


def test_request_ids_are_unique_and_carry_the_processes_prefix() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert len({request_id.rsplit("-", 1)[0] for request_id in ids}) == 1
    assert len(ids[0].rsplit("-", 1)[0]) == 16


def test_a_client_request_id_is_kept_only_when_short_and_printable() -> None:
    assert client_request_id("req-123") == "req-123"
    assert client_request_id(None) is None
    assert client_request_id("") is None
    assert client_request_id("x" * 129) is None
    assert client_request_id('forged\n{"level": "INFO"}') is None
    assert client_request_id("requête") is None
