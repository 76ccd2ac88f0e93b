"""Owners who take the cash beyond a reserve: a level the cash is brought down to, not a sum.

A distribution of a different sum each time is a decision the forecast does not count on, but
one that leaves the cash at the same level every time (after each quarter, whatever is above
about 240,000 goes to the owners, the line of credit first) is a habit: the books show it as
the cash at the end of those days. The forecast then takes out what it expects above that
level on the next such day, and nothing when it expects less.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bo.calendar import BusinessCalendar
from bo.forecast.history import History, Movement, _on
from bo.forecast.model import CENT, Flow, month_start
from bo.forecast.recurring import in_month, ordinal

# Two sweeps to the same level are a habit when, on every day between them and since that
# the cadence names, the cash was under the level and nothing was taken (a quarter with
# nothing above the reserve is the rule at work, not an exception); four years, as a
# business that only has cash to spare in a good year sweeps once or twice in them.
LOOKBACK_DAYS, MIN_SWEEPS = 1461, 2
# The cash after each sweep within 3% of their median: a level kept, not a coincidence.
LEVEL_SPREAD = Decimal("0.03")
CADENCES = (1, 2, 3, 4, 6, 12)  # months between sweeps (a skipped one allowed)


@dataclass(frozen=True)
class Sweep:
    currency: str
    payee: str
    level: Decimal  # the cash left after it
    every: int  # months
    last: date  # the latest one seen
    day: int  # of the month
    basis: str
    seen: tuple[date, ...] = ()


def _out_to_owners(m: Movement, history: History) -> bool:
    return m.amount < 0 and history.kinds.get(m.counter, ("", ""))[1] == "equity"


def find_sweeps(history: History) -> list[Sweep]:
    """Each currency's sweep: at least two days in the last four years on which the owners
    took money out and the cash ended within 3% of one level, at a steady number of months
    apart, and on every other day of that cadence since the first the cash was under it."""
    since = history.as_of - timedelta(days=LOOKBACK_DAYS)
    days: dict[tuple[str, str, str], set[date]] = defaultdict(set)
    for m in history.movements:
        if m.date > since and _out_to_owners(m, history):
            days[(m.currency, m.payee, m.counter)].add(m.date)
    found = []
    for (currency, payee, _), seen in sorted(days.items()):
        if len(seen) < MIN_SWEEPS or currency not in history.cash_days:
            continue
        when = sorted(seen)
        after = sorted(_on(history.cash_days[currency], d) for d in when)
        level = after[len(after) // 2]
        if level <= 0 or any(abs(a - level) > level * LEVEL_SPREAD for a in after):
            continue
        index = [d.year * 12 + d.month for d in when]
        gap = math.gcd(*(b - a for a, b in itertools.pairwise(index)))
        if gap not in CADENCES:
            continue
        day = sorted(d.day for d in when)[len(when) // 2]
        if not _kept_under(history, currency, when, gap, day, level):
            continue
        found.append(
            Sweep(
                currency,
                payee,
                level,
                gap,
                when[-1],
                day,
                f"the cash beyond about {level:,} {currency} taken out every "
                f"{'month' if gap == 1 else f'{gap} months'} about the {day}{ordinal(day)}: "
                f"{len(when)} times since {when[0]}, the cash after it {after[0]:,} to "
                f"{after[-1]:,}",
                tuple(when),
            )
        )
    return found


def _kept_under(
    history: History, currency: str, when: Sequence[date], every: int, day: int, level: Decimal
) -> bool:
    """Whether on each day of the cadence from the first sweep to `as_of` with no sweep the
    cash ended under the level (plus its 3%): nothing was left above it untaken."""
    seen = {(d.year, d.month) for d in when}
    month = month_start(when[0], every)
    while True:
        last = (month_start(month, 1) - timedelta(days=1)).day
        then = month.replace(day=min(day, last))
        if then > history.as_of:
            return True
        kept = _on(history.cash_days[currency], then) <= level * (1 + LEVEL_SPREAD)
        if (month.year, month.month) not in seen and not kept:
            return False
        month = month_start(month, every)


def not_swept(history: History, sweeps: Sequence[Sweep]) -> list[Movement]:
    """The movements but what went out to the owners or a lender on a sweep's days: it
    belongs to the sweep, not to the series or the irregular rest."""
    days = {(s.currency, day) for s in sweeps for day in s.seen}
    return [
        m
        for m in history.movements
        if not (
            (m.currency, m.date) in days
            and m.amount < 0
            and history.kinds.get(m.counter, ("", ""))[1] in ("equity", "liability")
        )
    ]


def sweep_dates(sweep: Sweep, as_of: date, end: date, calendar: BusinessCalendar | None):
    month = month_start(sweep.last, sweep.every)
    while month <= end:
        when = in_month(month, sweep.day, calendar)
        if as_of < when <= end:
            yield when
        month = month_start(month, sweep.every)


def with_sweeps(
    flows: Sequence[Flow],
    opening: Decimal,
    sweeps: Sequence[Sweep],
    as_of: date,
    end: date,
    calendar: BusinessCalendar | None = None,
) -> list[Flow]:
    """`flows` and, on each sweep's next days, what is expected above its level then."""
    dates = sorted(
        ((when, sweep) for sweep in sweeps for when in sweep_dates(sweep, as_of, end, calendar)),
        key=lambda pair: pair[0],
    )
    if not dates:
        return list(flows)
    ordered = sorted(flows, key=lambda f: f.date)
    out = list(flows)
    cash, index = opening, 0
    for when, sweep in dates:
        while index < len(ordered) and ordered[index].date <= when:
            cash += ordered[index].amount
            index += 1
        above = (cash - sweep.level).quantize(CENT)
        if above > 0:
            out.append(
                Flow(when, -above, f"{sweep.payee} (sweep)", "sweep", sweep.basis, sweep.currency)
            )
            cash -= above
    return sorted(out, key=lambda f: (f.date, f.what, f.amount))
