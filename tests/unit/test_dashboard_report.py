"""The quarterly report: its quarters, the objective each row's `held_back_by` speaks of, and a CSV that no
spreadsheet runs as formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from gateway.dashboard.report import last_quarter_end, quarter, report_csv, report_rows, spreadsheet_safe
from strategy.models import Goal, Indicator, Measurement, Objective, Pillar, Strategy
from strategy.plan import Plan, picture
from strategy.resources import totals
from strategy.service import Overview

DAY = date(2026, 9, 30)


def indicator(id: str, objective: str, title: str, unit: str = "cases") -> Indicator:
    return Indicator(
        id=id,
        objective_id=objective,
        title=title,
        unit=unit,
        baseline=Decimal(-5),
        target=Decimal(10),
        start_date=date(2026, 1, 1),
        target_date=date(2026, 12, 31),
    )


def measured(indicator_id: str, value: str, source: str) -> Measurement:
    return Measurement(
        id=f"m-{indicator_id}",
        indicator_id=indicator_id,
        value=Decimal(value),
        as_of=date(2026, 9, 1),
        reporting_agency_id="USHSI0000",
        source=source,
        recorded_at=datetime(2026, 9, 1, tzinfo=UTC),
        recorded_by="coordinator@USHSI0000",
    )


def overview() -> Overview:
    """One goal with two objectives: A has an indicator not started beside one on track, B one that is MET."""
    plan = Plan(
        strategy=Strategy(id="s", title="Strategy (synthetic)"),
        goals=(Goal(id="g", strategy_id="s", title="Interagency coordination", pillar=Pillar.PARTNERSHIP),),
        objectives=(
            Objective(id="A", goal_id="g", title="=cmd|' /C calc'!A0", lead_agency_id="USHSI0000"),
            Objective(id="B", goal_id="g", title="Objective B", lead_agency_id="WASPD0000"),
        ),
        indicators=(
            indicator("a1", "A", "+Joint operations (not started)"),
            indicator("a2", "A", "Shared case files", unit="@units"),
            indicator("b1", "B", "Partners signed up"),
        ),
    )
    known = [measured("a2", "6", "@SUM(1+1)*cmd|' /C calc'!A0"), measured("b1", "10", "-2+3")]
    return Overview(plan, tuple(known), picture(plan, known, DAY), (), totals(plan, ()))


def test_quarters_are_named_and_the_last_complete_one_ends_the_day_before_this_one_began() -> None:
    assert quarter(date(2026, 9, 30)) == "Q3 2026"
    assert quarter(date(2026, 10, 1)) == "Q4 2026"
    assert last_quarter_end(date(2026, 12, 7)) == date(2026, 9, 30)
    assert last_quarter_end(date(2026, 10, 1)) == date(2026, 9, 30)
    assert last_quarter_end(date(2026, 2, 14)) == date(2025, 12, 31)
    assert last_quarter_end(date(2026, 9, 30)) == date(2026, 6, 30)


def test_each_row_names_what_holds_its_own_objective_back_not_its_goal() -> None:
    rows = {row[6]: row for row in report_rows(overview())}
    assert rows["+Joint operations (not started)"][-1] == "+Joint operations (not started)"
    assert rows["Shared case files"][-1] == "+Joint operations (not started)"
    assert rows["Partners signed up"][17] == "MET"
    assert rows["Partners signed up"][-1] == ""  # objective B is MET: nothing holds it back


def test_no_cell_of_the_csv_starts_a_formula() -> None:
    rows = list(csv.reader(io.StringIO(report_csv(overview()))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert not [cell for cell in cells if cell.startswith("-") and not cell.lstrip("-").replace(".", "").isdigit()]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'+Joint operations (not started)" in cells
    assert "'@units" in cells
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert "'-2+3" in cells
    assert "-5" in cells  # a negative baseline stays a number


def test_only_what_begins_like_a_formula_is_prefixed() -> None:
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("\rx") == "'\rx"
    assert spreadsheet_safe("\tx") == "'\tx"
    assert spreadsheet_safe("-0.25") == "-0.25"
    assert spreadsheet_safe("+5") == "+5"
    assert spreadsheet_safe("Minors referred (%)") == "Minors referred (%)"
    assert spreadsheet_safe("") == ""
