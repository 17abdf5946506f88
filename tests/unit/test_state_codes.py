"""Agency filters name a state by its postal code or its exact name, never by a name that sounds like one."""

from __future__ import annotations

import pytest

from agencies.errors import InvalidInput
from agencies.models import state_code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("WA", "WA"),
        (" wa ", "WA"),
        ("Washington", "WA"),
        ("new  york", "NY"),
        ("District of Columbia", "DC"),
        ("Puerto Rico", "PR"),
        ("gu", "GU"),
    ],
)
def test_a_code_or_an_exact_name_gives_the_postal_code(written: str, code: str) -> None:
    assert state_code(written) == code


@pytest.mark.parametrize("written", ["Texes", "Washingtun", "XX", "53", "", "   "])
def test_a_misspelling_a_number_or_nothing_is_refused(written: str) -> None:
    with pytest.raises(InvalidInput, match=r"no U\.S\. state or territory"):
        state_code(written)
