"""What Sett accepts as text: one rule for every field (agencies.text)."""

from __future__ import annotations

import pytest

from agencies.text import clean_line, clean_lines, clean_paragraphs


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("a\x00b", "a control character"),
        ("two\nlines", "a control character"),
        ("audit \u202egnippam\u202c review", "reverses the order"),
        ("one\u2028line", "a line or paragraph separator"),
        ("one\u2029line", "a line or paragraph separator"),
        ("half \ud800 a pair", "lone UTF-16 surrogate"),
        ("not \ufdd0 a character", "noncharacter"),
        ("   ", "must not be blank"),
    ],
)
def test_a_line_refuses_what_would_not_read_as_stored(written: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        clean_line(written, max_chars=100)


def test_a_line_is_trimmed_and_stored_in_one_unicode_form() -> None:
    assert clean_line("  Jose\u0301 \u200f ", max_chars=100) == "Jos\u00e9 \u200f"
    with pytest.raises(ValueError, match="at most 5 characters, not 6"):
        clean_line("abcdef", max_chars=5)


def test_paragraphs_keep_their_breaks_as_line_feeds() -> None:
    assert clean_paragraphs("one\r\ntwo\u2028three\u2029four\tend", max_chars=100) == "one\ntwo\nthree\nfour\tend"
    assert clean_paragraphs("", max_chars=100) == ""


def test_a_list_drops_duplicates_keeps_order_and_is_bounded() -> None:
    assert clean_lines(["B", " A", "B "], max_chars=10, max_items=3) == ("B", "A")
    with pytest.raises(ValueError, match="at most 2 entries, not 3"):
        clean_lines(["a", "b", "c"], max_chars=10, max_items=2)
