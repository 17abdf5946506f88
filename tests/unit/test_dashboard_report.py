"""The quarterly report's quarters: named by the day, and the default report is the last complete quarter."""

from __future__ import annotations

from datetime import date

from gateway.dashboard.report import last_quarter_end, quarter


def test_quarters_are_named_and_the_last_complete_one_ends_the_day_before_this_one_began() -> None:
    assert quarter(date(2026, 9, 30)) == "Q3 2026"
    assert quarter(date(2026, 10, 1)) == "Q4 2026"
    assert last_quarter_end(date(2026, 12, 7)) == date(2026, 9, 30)
    assert last_quarter_end(date(2026, 10, 1)) == date(2026, 9, 30)
    assert last_quarter_end(date(2026, 2, 14)) == date(2025, 12, 31)
    assert last_quarter_end(date(2026, 9, 30)) == date(2026, 6, 30)
