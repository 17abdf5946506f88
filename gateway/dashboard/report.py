"""The quarterly progress report: one row per indicator, as CSV and as a printable page."""

from __future__ import annotations

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
    """One row per indicator: where it sits, its latest value and source, and its progress."""
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
                        "; ".join(goal_held.title for goal_held in seen.goals[goal.id].held_back_by),
                    ]
                )
    return rows


def quarter(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def last_quarter_end(today: date) -> date:
    """The last day of the quarter before the one `today` is in."""
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
