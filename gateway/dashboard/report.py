"""The quarterly progress report: one row per indicator, as CSV and as a printable page."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from gateway.strategy.types import ratio
from strategy import service

REPORT_COLUMNS = (
    "as_of",
    "quarter",
    "pillar",
    "goal",
    "objective",
    "lead_agency",
    "indicator",
    "kind",
    "unit",
    "baseline",
    "target",
    "target_date",
    "latest_value",
    "latest_as_of",
    "latest_source",
    "achieved",
    "expected",
    "status",
    "held_back_by",
)


def report_rows(overview: service.Overview) -> list[list[str]]:
    """One row per indicator: where it sits, its latest value and source, and its progress; `held_back_by` names
    the indicators that hold the row's objective back."""
    plan, seen = overview.plan, overview.picture
    rows = []
    for goal in plan.goals:
        for objective in plan.objectives_of(goal.id):
            for indicator in plan.indicators_of(objective.id):
                found = seen.indicators[indicator.id]
                latest = found.latest
                rows.append(
                    [
                        seen.as_of.isoformat(),
                        quarter(seen.as_of),
                        goal.pillar.value,
                        goal.title,
                        objective.title,
                        objective.lead_agency_id,
                        indicator.title,
                        indicator.kind.value,
                        indicator.unit,
                        str(indicator.baseline),
                        str(indicator.target),
                        indicator.target_date.isoformat(),
                        str(latest.value) if latest else "",
                        latest.as_of.isoformat() if latest else "",
                        latest.source if latest else "",
                        "" if found.achieved is None else str(ratio(found.achieved)),
                        str(ratio(found.expected)),
                        found.status.value,
                        "; ".join(held.title for held in seen.objectives[objective.id].held_back_by),
                    ]
                )
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection)."""
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(cell: str) -> str:
    """A cell that no spreadsheet runs as a formula: text that begins like one is prefixed with `'` (which
    spreadsheets show as text). A plain number, such as a negative baseline, is left as it is."""
    if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def report_csv(overview: service.Overview) -> str:
    """The report as CSV (RFC 4180 line ends), each cell spreadsheet-safe: titles, units and sources are
    written by people, and a coordinator opens the file in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in report_rows(overview))
    return out.getvalue()


def quarter(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def last_quarter_end(today: date) -> date:
    """The last day of the quarter before the one `today` is in."""
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
