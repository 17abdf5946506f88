from __future__ import annotations

import pytest
import typer

from gateway.cli.common import fail


def test_an_error_is_printed_as_it_is_even_where_it_looks_like_markup(capsys: pytest.CaptureFixture[str]) -> None:
    exit_ = fail("case 'SPD-[B]1[/B]' and 'spd-[b]1[/b]' clash", code=3)
    assert isinstance(exit_, typer.Exit)
    assert exit_.exit_code == 3
    assert capsys.readouterr().err == "error: case 'SPD-[B]1[/B]' and 'spd-[b]1[/b]' clash\n"
