"""Computed indicators: counts from the operational graph at a time, turned into measurements of indicators.

Each value carries the time it was counted as of, and its source names the definition, so a coordinator can
trace every number. Values are counted at each quarter's end from the indicator's start up to `as_of`, and on
`as_of` itself, so that a computed indicator has a trend like a measured one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from strategy.models import DEFINITIONS, ComputedCount, Indicator, Measurement

COMPUTED_BY = "SETT"
"""The reporting agency of computed values: Sett itself."""


class CountSource(Protocol):
    async def count(self, what: ComputedCount, until: datetime) -> int:
        """How many there were at `until` (counts only: no identity leaves the graph)."""
        ...


@dataclass(frozen=True)
class ComputedValue:
    count: ComputedCount
    value: int
    as_of: datetime
    definition: str


def quarter_ends(start: date, end: date) -> list[date]:
    """The last days of the quarters that end in [start, end], then `end` if it is not one of them."""
    days = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        month = 3 * (quarter + 1)
        last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
        if last > end:
            break
        if last >= start:
            days.append(last)
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
    if not days or days[-1] != end:
        days.append(end)
    return days


def moment(day: date, now: datetime) -> datetime:
    """The time a value on `day` is counted as of: the end of that day (UTC), or now when that is sooner."""
    return min(datetime.combine(day, time.max, UTC), now)


def counted_as_of(until: datetime | None, now: datetime) -> datetime:
    """The time an asked-for count is taken as of: the start (00:00 UTC) of the day `until` falls on, read as
    UTC when it has no offset, and never later than now; now when nothing is asked. Whole days only, so that
    counts asked for at ever finer times cannot time another agency's disclosures to the second."""
    if until is None:
        return now
    aware = until if until.tzinfo is not None else until.replace(tzinfo=UTC)
    return min(datetime.combine(aware.astimezone(UTC).date(), time.min, UTC), now)


def as_measurement(indicator: Indicator, value: ComputedValue, day: date) -> Measurement:
    return Measurement(
        id=f"computed:{indicator.id}:{day.isoformat()}",
        indicator_id=indicator.id,
        value=Decimal(value.value),
        as_of=day,
        reporting_agency_id=COMPUTED_BY,
        source=f"Computed by Sett from the operational graph as of {value.as_of.isoformat(timespec='seconds')}: "
        f"{value.definition}",
        recorded_at=value.as_of,
        recorded_by="sett",
    )


async def computed_measurements(
    indicator: Indicator, as_of: date, now: datetime, counts: CountSource
) -> list[Measurement]:
    """The indicator's values at each quarter's end from its start up to `as_of`, and on `as_of`."""
    assert indicator.computed is not None
    if as_of < indicator.start_date:
        return []
    found = []
    for day in quarter_ends(indicator.start_date, min(as_of, now.date())):
        until = moment(day, now)
        value = ComputedValue(
            indicator.computed, await counts.count(indicator.computed, until), until, DEFINITIONS[indicator.computed]
        )
        found.append(as_measurement(indicator, value, day))
    return found
