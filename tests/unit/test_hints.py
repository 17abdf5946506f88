from __future__ import annotations

from graph.hints import Hints, Tendency


def test_a_hint_is_unknown_until_learnt_and_then_what_was_learnt_last() -> None:
    hints: Hints[bool] = Hints()
    assert hints.get(("case", "A", "1")) is None
    hints.put(("case", "A", "1"), True)
    assert hints.get(("case", "A", "1")) is True
    hints.put(("case", "A", "1"), False)
    assert hints.get(("case", "A", "1")) is False


def test_the_least_recently_learnt_hints_go_first_when_full() -> None:
    hints: Hints[bool] = Hints(maxsize=2)
    for key in ("a", "b", "c"):
        hints.put(key, True)
    assert [hints.get(key) for key in ("a", "b", "c")] == [None, True, True]


def test_a_tendency_follows_what_most_recent_reads_did() -> None:
    tendency = Tendency()
    assert tendency.expects_foreign("A") is False
    for _ in range(4):
        tendency.learn("A", True)
    assert tendency.expects_foreign("A") is True
    assert tendency.expects_foreign("B") is False
    for _ in range(4):
        tendency.learn("A", False)
    assert tendency.expects_foreign("A") is False


def test_one_read_against_the_trend_does_not_turn_it() -> None:
    tendency = Tendency()
    for _ in range(10):
        tendency.learn("A", True)
    tendency.learn("A", False)
    assert tendency.expects_foreign("A") is True
