"""computedIndicators' as-of time: whole days in UTC, never later than now, and a time without an offset read as
UTC (rather than failing to compare with an aware one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from agencies.principals import AuthMethod, Principal, Role, scopes_for
from strategy.models import ComputedCount
from strategy.service import computed_values

NOW = datetime(2026, 10, 14, 9, 30, 15, 123456, tzinfo=UTC)
READER = Principal(
    subject="reader",
    agency_id="WA0170000",
    roles=frozenset({Role.COORDINATOR}),
    scopes=scopes_for(frozenset({Role.COORDINATOR})),
    method=AuthMethod.SETT_TOKEN,
)


class Counts:
    """Counts nothing; remembers the times it was asked for."""

    def __init__(self) -> None:
        self.asked: list[datetime] = []

    async def count(self, what: ComputedCount, until: datetime) -> int:
        self.asked.append(until)
        return 0


async def as_of(until: datetime | None) -> datetime:
    counts = Counts()
    found = await computed_values(principal=READER, until=until, counts=counts, clock=lambda: NOW)
    assert {value.as_of for value in found} == set(counts.asked)
    (moment,) = set(counts.asked)
    return moment


async def test_a_time_is_counted_as_of_the_start_of_its_day_in_utc() -> None:
    midnight = datetime(2026, 9, 30, tzinfo=UTC)
    assert await as_of(datetime(2026, 9, 30, 17, 4, 5, 678901, tzinfo=UTC)) == midnight
    assert await as_of(datetime(2026, 9, 30, 17, 4, 5, 678902, tzinfo=UTC)) == midnight
    assert await as_of(midnight) == midnight
    eastern = timezone(timedelta(hours=-5))
    assert await as_of(datetime(2026, 9, 30, 22, 0, tzinfo=eastern)) == datetime(2026, 10, 1, tzinfo=UTC)


async def test_a_time_without_an_offset_is_read_as_utc() -> None:
    assert await as_of(datetime(2026, 9, 30, 17, 4, 5)) == datetime(2026, 9, 30, tzinfo=UTC)
    assert await as_of(datetime(2027, 1, 1)) == NOW


async def test_never_later_than_now_and_now_by_default() -> None:
    assert await as_of(None) == NOW
    assert await as_of(NOW + timedelta(days=3)) == NOW
    assert await as_of(NOW) == datetime(2026, 10, 14, tzinfo=UTC)
