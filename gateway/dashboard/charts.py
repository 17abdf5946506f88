"""Inline SVG charts, drawn on the server: no script, no font, no file from anywhere."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import escape

from strategy.models import Indicator, Measurement, Status

COLOURS = {
    Status.MET: "#1b7837",
    Status.ON_TRACK: "#5aae61",
    Status.AT_RISK: "#e08214",
    Status.OFF_TRACK: "#c51b7d",
    Status.NOT_STARTED: "#8c8c8c",
}


def percent(ratio: float | None) -> str:
    """A progress ratio (as the API gives it, to four places) as the dashboard shows it."""
    return "-" if ratio is None else f"{ratio * 100:.1f}%"


def progress_bar(achieved: float | None, expected: float, status: Status, *, width: int = 220) -> str:
    """A bar filled to p, with a mark at e (where it should be by now)."""
    filled = round((achieved or 0) * width)
    mark = round(expected * width)
    label = f"progress {percent(achieved)}, expected {percent(expected)}, {status.value}"
    return (
        f'<svg class="bar" width="{width}" height="14" viewBox="0 0 {width} 14" role="img" '
        f'aria-label="{escape(label)}">'
        f'<rect width="{width}" height="14" fill="#eee"/>'
        f'<rect width="{filled}" height="14" fill="{COLOURS[status]}"/>'
        f'<line x1="{mark}" x2="{mark}" y1="0" y2="14" stroke="#222" stroke-width="2"/></svg>'
    )


def trend(indicator: Indicator, measurements: list[Measurement], *, width: int = 560, height: int = 220) -> str:
    """Measured values over the plan's time, against the straight path from baseline to target."""
    pad = 36
    start, end = indicator.start_date, indicator.target_date
    last = max([end, *(m.as_of for m in measurements)])
    first = min([start, *(m.as_of for m in measurements)])
    span = max((last - first).days, 1)
    values = [indicator.baseline, indicator.target, *(m.value for m in measurements)]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1

    def x(day: date) -> float:
        return pad + (width - 2 * pad) * (day - first).days / span

    def y(value: Decimal) -> float:
        return height - pad - float((value - low) / (high - low)) * (height - 2 * pad)

    path = " ".join(f"{x(m.as_of):.1f},{y(m.value):.1f}" for m in measurements)
    dots = "".join(
        f'<circle cx="{x(m.as_of):.1f}" cy="{y(m.value):.1f}" r="3.5" fill="#2166ac">'
        f"<title>{escape(str(m.value))} on {m.as_of.isoformat()}</title></circle>"
        for m in measurements
    )
    label = f"{indicator.title}: {len(measurements)} values against the target {indicator.target}"
    return (
        f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">'
        f'<rect width="{width}" height="{height}" fill="#fafafa" stroke="#ddd"/>'
        f'<line x1="{x(start):.1f}" y1="{y(indicator.baseline):.1f}" x2="{x(end):.1f}" y2="{y(indicator.target):.1f}" '
        f'stroke="#999" stroke-dasharray="5,4"><title>planned path</title></line>'
        f'<line x1="{pad}" x2="{width - pad}" y1="{y(indicator.target):.1f}" y2="{y(indicator.target):.1f}" '
        f'stroke="{COLOURS[Status.MET]}"><title>target {escape(str(indicator.target))}</title></line>'
        f'<text x="{pad}" y="{y(indicator.target) - 4:.1f}" font-size="11">target {escape(str(indicator.target))} '
        f"by {end.isoformat()}</text>"
        f'<text x="{pad}" y="{height - 8}" font-size="11">{first.isoformat()}</text>'
        f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{last.isoformat()}</text>'
        + (f'<polyline points="{path}" fill="none" stroke="#2166ac" stroke-width="2"/>' if measurements else "")
        + dots
        + "</svg>"
    )


def money_bars(rows: list[tuple[str, Decimal, Decimal]], *, width: int = 560) -> str:
    """Allocated (light) and spent (dark) per row, to one scale."""
    if not rows:
        return "<p>No resources allocated.</p>"
    label_width, bar_height, gap = 250, 14, 10
    top = max(amount for _, amount, _ in rows) or Decimal(1)
    scale = (width - label_width - 10) / float(top)
    height = len(rows) * (bar_height + gap) + gap
    parts = []
    for index, (label, allocated, spent) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        parts.append(
            f'<text x="0" y="{y + 11}" font-size="11">{escape(label[:42])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{float(allocated) * scale:.1f}" height="{bar_height}" '
            f'fill="#92c5de"><title>allocated ${allocated:,}</title></rect>'
            f'<rect x="{label_width}" y="{y}" width="{float(spent) * scale:.1f}" height="{bar_height}" '
            f'fill="#2166ac"><title>spent ${spent:,}</title></rect>'
        )
    return (
        f'<svg class="money" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="resources by funding stream, allocated and spent">{"".join(parts)}</svg>'
    )
