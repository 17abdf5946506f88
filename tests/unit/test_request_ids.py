from gateway.auth.middleware import new_request_id


def test_request_ids_are_unique_and_carry_the_processes_prefix() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert len({request_id.rsplit("-", 1)[0] for request_id in ids}) == 1
    assert len(ids[0].rsplit("-", 1)[0]) == 16
