from __future__ import annotations

from graph.hints import Hints


def test_a_key_is_false_until_learnt_true_and_again_when_learnt_false() -> None:
    hints = Hints()
    assert hints.get(("case", "A", "1")) is False
    hints.put(("case", "A", "1"), True)
    assert hints.get(("case", "A", "1")) is True
    hints.put(("case", "A", "1"), False)
    assert hints.get(("case", "A", "1")) is False


def test_the_oldest_hints_go_first_when_full() -> None:
    hints = Hints(maxsize=2)
    for key in ("a", "b", "c"):
        hints.put(key, True)
    assert [hints.get(key) for key in ("a", "b", "c")] == [False, True, True]
