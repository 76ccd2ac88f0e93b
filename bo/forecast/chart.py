"""Where the forecast's chart puts things: dated weeks along the bottom, round money values up
the side, each scenario's line, the base case's band and the minimum (the HTML template only
draws what this returns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bo.forecast.model import Forecast

WIDTH, HEIGHT = 760, 340
LEFT, RIGHT, TOP, BOTTOM = 96, 20, 34, 56
COLOURS = ("#336699", "#cc8844", "#339933", "#993399")  # the base case first
BAND = "#d5e3f0"
MINIMUM = "#bb3333"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge
    ticks: tuple[tuple[float, str], ...]  # (y, label) up the side
    dates: tuple[tuple[float, str], ...]  # (x, label) along the bottom
    lines: tuple[tuple[str, str, str], ...]  # (scenario, colour, points)
    dots: tuple[tuple[float, float, str], ...]  # the base case's weeks: x, y, its title
    band: str  # polygon points: the base case's high ends, then its low ends
    minimum: float  # y of the minimum line
    minimum_label: str
    legend: tuple[tuple[float, str, str, bool], ...]  # x, label, colour, a band (not a line)
    band_colour: str = BAND
    minimum_colour: str = MINIMUM


def _step(span: Decimal) -> Decimal:
    """A round step that cuts `span` into four to eight parts: 1, 2 or 5 times a power of 10."""
    raw = span / 5 if span > 0 else Decimal(1)
    power = Decimal(10) ** (raw.adjusted())
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return power * factor
    return power * 10


def build_chart(runs: Sequence[Forecast]) -> Chart:
    """The chart of one currency's forecasts (the base case first)."""
    base = runs[0]
    values = [base.minimum, base.opening]
    for run in runs:
        values += [w.closing for w in run.weeks]
    values += [w.low for w in base.weeks] + [w.high for w in base.weeks]
    step = _step(max(values) - min(values))
    low = (min(values) / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = (max(values) / step).to_integral_value(rounding="ROUND_CEILING") * step
    if high == low:
        high = low + step
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    count = len(base.weeks)

    def x(index: int) -> float:  # 0 is the as-of day, 1 the end of the first week
        return round(LEFT + (right - LEFT) * index / max(count, 1), 1)

    def y(value: Decimal) -> float:
        return round(float(bottom - (bottom - TOP) * (value - low) / (high - low)), 1)

    ticks = []
    value = low
    while value <= high:
        ticks.append((y(value), f"{value:,.0f}"))
        value += step
    every = 1 if count <= 14 else (2 if count <= 28 else 4)
    dates = [(x(0), f"{base.as_of:%b %-d}")]
    dates += [(x(i), f"{w.end:%b %-d}") for i, w in enumerate(base.weeks, 1) if i % every == 0]
    lines = []
    for index, run in enumerate(runs):
        points = [(x(0), y(run.opening))] + [
            (x(i), y(w.closing)) for i, w in enumerate(run.weeks, 1)
        ]
        lines.append(
            (run.scenario, COLOURS[index % len(COLOURS)], " ".join(f"{a},{b}" for a, b in points))
        )
    top_edge = [(x(i), y(w.high)) for i, w in enumerate(base.weeks, 1)]
    low_edge = [(x(i), y(w.low)) for i, w in enumerate(base.weeks, 1)]
    band = [(x(0), y(base.opening)), *top_edge, *reversed(low_edge)]
    dots = [
        (x(i), y(w.closing), f"{w.end}: {w.closing:,} (band {w.low:,} to {w.high:,})")
        for i, w in enumerate(base.weeks, 1)
    ]
    legend, at = [], float(LEFT)
    for label, colour, band_entry in [
        *((scenario, colour, False) for scenario, colour, _ in lines),
        ("band (9 weeks in 10)", BAND, True),
    ]:
        legend.append((at, label, colour, band_entry))
        at += 30 + 6.5 * len(label)  # about the width of 11px text
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        right,
        TOP,
        bottom,
        tuple(ticks),
        tuple(dates),
        tuple(lines),
        tuple(dots),
        " ".join(f"{a},{b}" for a, b in band),
        y(base.minimum),
        f"minimum {base.minimum:,} {base.currency}",
        tuple(legend),
    )
