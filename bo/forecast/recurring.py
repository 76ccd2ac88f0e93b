"""Cash that moves on a schedule, by history or as bo.yaml declares it: payroll, taxes, rent,
a loan, interest, fees (monthly, twice a month, every week or two, quarterly or yearly); the
card and the taxes withheld are `paid_off`; the irregular rest comes at its average.

A series is one payee's movements to one account, in one currency and one direction. It
recurs monthly when it shows in 3 of the last 4 months (paid twice a month, it is two series,
the month's first and second payment), every one, two or four weeks when its dates step so,
quarterly when three months apart, yearly when it came in the same month of two years.
"""

from __future__ import annotations

import calendar as calendar_module
import functools
import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from bo.calendar import BusinessCalendar
from bo.forecast.history import Movement
from bo.forecast.model import CENT, ZERO, Flow, month_start
from bo.settings import Settings

LOOKBACK_MONTHS, MIN_MONTHS = 4, 3
# Payments in the same months of each year, each within half again of the others: an
# installment set ahead (an owner's estimated taxes: April, June, September, January), not
# what the owners take from the cash at hand, which ranges far wider.
INSTALLMENT_SPREAD = Decimal("1.5")
WEEKLY_STEPS = (1, 2, 4)  # every week, two weeks, four weeks
MIN_WEEKLY = 4  # occurrences
IRREGULAR_DAYS, MIN_IRREGULAR_DAYS = 182, 28

Key = tuple[str, str, str, bool]  # payee, account on the other side, currency, money in


@dataclass(frozen=True)
class Series:
    """A recurring movement of cash."""

    payee: str
    currency: str
    amount: Decimal  # negative is money out
    cadence: str  # monthly | weekly | quarterly | yearly
    day: int = 1  # monthly, quarterly, yearly: the day of the month it is due
    shift: str = "after"  # a day off moves it to the business day "before" or "after"
    last: date | None = None  # weekly, quarterly, yearly: the latest date seen
    step: int = 0  # weekly: days between
    done: frozenset[tuple[int, int]] = frozenset()  # monthly: months it was already paid in
    months: tuple[int, ...] = tuple(range(1, 13))
    start: date | None = None
    until: date | None = None
    basis: str = ""
    kind: str = "recurring"  # or declared
    counter: str = ""
    key: Key | None = None
    limit: Decimal | None = None  # a loan: payments stop when its balance is repaid
    installment: bool = False  # yearly: amounts alike, set ahead (see INSTALLMENT_SPREAD)


def occurrences(item: Series, as_of: date, end: date, calendar: BusinessCalendar | None):
    """The dates `item` falls on after `as_of` up to `end`."""
    if item.cadence == "weekly" and item.last:
        when = item.last + timedelta(days=item.step)
        while when <= end:
            if when > as_of:
                yield when
            when += timedelta(days=item.step)
        return
    step = {"monthly": 1, "quarterly": 3, "yearly": 12}[item.cadence]
    month = month_start(item.last, step) if item.last and step > 1 else month_start(as_of)
    while month <= end:
        when = in_month(month, item.day, calendar, item.shift)
        if (
            month.month in item.months
            and (month.year, month.month) not in item.done
            and as_of < when <= end
            and (item.start is None or when >= item.start)
            and (item.until is None or when <= item.until)
        ):
            yield when
        month = month_start(month, step)


@functools.lru_cache(maxsize=65536)
def in_month(month: date, day: int, calendar: BusinessCalendar | None, shift: str = "after"):
    """The business day a payment due on `day` of `month` goes out: the one `shift` of it,
    or the other way when that would leave the month (payroll on the last business day)."""
    last = calendar_module.monthrange(month.year, month.month)[1]
    due = month.replace(day=min(day, last))
    if calendar is None or calendar.is_business_day(due):
        return due
    steps = (1, -1) if shift == "after" else (-1, 1)
    for step in steps:
        when = due
        while not calendar.is_business_day(when):
            when += timedelta(days=step)
        if when.month == due.month:
            return when
    return due


def _misfit(paid: Sequence[date], day: int, shift: str, calendar: BusinessCalendar | None) -> int:
    return sum(abs((in_month(d.replace(day=1), day, calendar, shift) - d).days) for d in paid)


def nominal_day(paid: Sequence[date], calendar: BusinessCalendar | None) -> tuple[int, str, int]:
    """The day of the month a series is due on, which way a day off moves it, and how many
    days its dates miss by in all: the pair its dates fit best (their median drifts with
    weekends)."""
    return _nominal_day(tuple(paid), calendar)


# The band's past forecasts see the same series again and again, a week apart.
@functools.lru_cache(maxsize=4096)
def _nominal_day(paid: tuple[date, ...], calendar: BusinessCalendar | None) -> tuple[int, str, int]:
    # Candidates: the days the dates fell on, give or take the weekend they may have moved
    # by, and the month's end.
    days = {d.day + step for d in paid for step in range(-3, 4) if 1 <= d.day + step <= 31}
    day, shift = min(
        ((day, shift) for day in sorted(days | {31}) for shift in ("after", "before")),
        key=lambda pair: (_misfit(paid, *pair, calendar), abs(pair[0] - paid[-1].day)),
    )
    return day, shift, _misfit(paid, day, shift, calendar)


def _amount(amounts: Sequence[Decimal]) -> tuple[Decimal, str]:
    """A series' next amount: the latest, when it mostly repeats (payroll, rent: they step up
    with a hire or a new lease, which an average lags); else the mean of the last three."""
    pairs = list(itertools.pairwise(amounts))
    if not pairs or sum(a == b for a, b in pairs) * 2 >= len(pairs):
        return amounts[-1], "the latest amount"
    recent = amounts[-3:]
    return (sum(recent, ZERO) / len(recent)).quantize(CENT), f"the mean of the last {len(recent)}"


def _monthly(
    payments: Sequence[tuple[date, Decimal]],
    as_of: date,
    calendar: BusinessCalendar | None,
    base: dict,
) -> tuple[list[Series], int]:
    by_month: dict[tuple[int, int], list[tuple[date, Decimal]]] = defaultdict(list)
    for day, amount in payments:
        by_month[(day.year, day.month)].append((day, amount))
    if len(by_month) < MIN_MONTHS:
        return [], 0
    per_month = int(statistics.median(len(v) for v in by_month.values()))
    found, misfit = [], 0
    for index in range(per_month):
        series = [v[index] for v in by_month.values() if len(v) > index]
        day, shift, miss = nominal_day([d for d, _ in series], calendar)
        misfit += miss
        amount, how = _amount([a for _, a in series])
        nth = f"{'first' if index == 0 else 'second' if index == 1 else f'#{index + 1}'} of "
        found.append(
            Series(
                **base,
                amount=amount,
                cadence="monthly",
                day=day,
                shift=shift,
                done=frozenset(m for m, v in by_month.items() if len(v) > index),
                basis=(
                    f"monthly{(' (' + nth + str(per_month) + ')') if per_month > 1 else ''}"
                    f" on the {day}{ordinal(day)}, seen in {len(series)} of the last "
                    f"{LOOKBACK_MONTHS + 1} months; {how}"
                ),
            )
        )
    return found, misfit


def _weekly(payments: Sequence[tuple[date, Decimal]], base: dict) -> tuple[Series | None, int]:
    if len(payments) < MIN_WEEKLY:
        return None, 0
    days = [d for d, _ in payments]
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    step = 7 * min(WEEKLY_STEPS, key=lambda n: abs(statistics.median(gaps) - 7 * n))
    if any(abs(g - step) > 3 for g in gaps):
        return None, 0
    last = days[-1]
    misfit = sum(abs((last - d).days - step * round((last - d).days / step)) for d in days)
    amount, how = _amount([a for _, a in payments])
    every = {7: "every week", 14: "every two weeks", 28: "every four weeks"}[step]
    return (
        Series(
            **base,
            amount=amount,
            cadence="weekly",
            last=last,
            step=step,
            basis=f"{every} since {days[0]} ({len(days)} times); {how}",
        ),
        misfit,
    )


def _spaced(
    payments: Sequence[tuple[date, Decimal]], months: int, base: dict, as_of: date
) -> Series | None:
    """Quarterly (3) or yearly (12): at least two, each `months` apart, the latest within one
    step of `as_of`."""
    if len(payments) < 2:
        return None
    days = [d for d, _ in payments]
    span = 30.44 * months
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    if any(abs(g - span) > 0.12 * span for g in gaps) or (as_of - days[-1]).days > span * 1.12:
        return None
    amount, how = _amount([a for _, a in payments])
    name = "quarterly" if months == 3 else "yearly"
    return Series(
        **base,
        amount=amount,
        cadence=name,
        day=days[-1].day,
        last=days[-1],
        basis=f"{name} (on {', '.join(str(d) for d in days)}); {how}",
    )


def _yearly(
    payments: Sequence[tuple[date, Decimal]],
    as_of: date,
    calendar: BusinessCalendar | None,
    base: dict,
) -> Series | None:
    """The months of the year it came in, in each of the last two years: an insurance
    premium, estimated taxes (April, June, September, January), a yearly renewal."""
    this_year = month_start(as_of, -11)
    last, before = [], []
    for day, amount in payments:
        if day >= this_year:
            last.append((day, amount))
        elif day >= month_start(this_year, -12):
            before.append((day, amount))
    months = sorted({d.month for d, _ in last} & {d.month for d, _ in before})
    if not months:
        return None
    seen = [(d, a) for d, a in last if d.month in months]
    day, shift, _ = nominal_day([d for d, _ in seen], calendar)
    sizes = [abs(a) for d, a in last + before if d.month in months]
    names = ", ".join(calendar_module.month_name[m] for m in months)
    return Series(
        **base,
        amount=(sum((a for _, a in seen), ZERO) / len(seen)).quantize(CENT),
        cadence="monthly",
        day=day,
        shift=shift,
        months=tuple(months),
        done=frozenset((d.year, d.month) for d, _ in last if month_start(d) == month_start(as_of)),
        basis=f"every year in {names}, as in each of the last two; the mean of the last year's",
        installment=max(sizes) <= min(sizes) * INSTALLMENT_SPREAD,
    )


def ordinal(day: int) -> str:
    """st, nd, rd or th, for the day of a month."""
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def financing(movement: Movement, kinds: dict[str, tuple[str, str]]) -> bool:
    """Borrowing, repaying a loan beyond its schedule, the owners putting money in or taking
    it out: decisions made on the cash at hand, not habits. A forecast shows the cash before
    them (new borrowing is never counted on), except payments that keep a schedule."""
    role, kind = kinds.get(movement.counter, ("", ""))
    return role == "loan" or kind == "equity" or (kind == "liability" and movement.amount > 0)


def find_series(
    movements: Iterable[Movement],
    as_of: date,
    calendar: BusinessCalendar | None,
    kinds: dict[str, tuple[str, str]],
) -> list[Series]:
    """Every recurring series in the movements through `as_of` (never borrowing)."""
    groups: dict[Key, list[tuple[date, Decimal]]] = defaultdict(list)
    for m in movements:
        if financing(m, kinds) and m.amount > 0:
            continue
        groups[(m.payee, m.counter, m.currency, m.amount > 0)].append((m.date, m.amount))
    first = month_start(as_of, -LOOKBACK_MONTHS)
    found: list[Series] = []
    for key, payments in sorted(groups.items()):
        payee, counter, currency, _ = key
        payments.sort()
        base = {
            "payee": payee,
            "currency": currency,
            "counter": counter,
            "key": key,
            "kind": "recurring",
        }
        recent = [p for p in payments if p[0] >= first]
        monthly, monthly_miss = _monthly(recent, as_of, calendar, base)
        weekly, weekly_miss = _weekly(recent, base)
        if weekly and (not monthly or weekly_miss < monthly_miss):
            found.append(weekly)
        elif monthly:
            found += monthly
        else:
            # The months of each year first: a calendar of its own (estimated taxes in April,
            # June, September and January) is not every three months from the latest.
            spaced = _yearly(payments, as_of, calendar, base) or _spaced(
                [p for p in payments if p[0] >= as_of - timedelta(days=200)], 3, base, as_of
            )
            if spaced:
                found.append(spaced)
    labelled = []
    for item in found:
        role, kind = kinds.get(item.counter, ("", ""))
        if kind == "equity" and "latest" not in item.basis and not item.installment:
            # The owners taking what the cash allows, a different sum each time: a decision
            # made on the forecast, not a habit it can count on (a fixed draw is one, and
            # so are installments on a yearly calendar).
            continue
        labelled.append(replace(item, basis=f"{item.basis} ({role or kind} {item.counter})"))
    return labelled


def declared_series(settings: Settings) -> list[Series]:
    """bo.yaml's `forecast.recurring`."""
    return [
        Series(
            payee=item.payee,
            currency=item.amount.currency,
            amount=item.amount.number,
            cadence="monthly",
            day=item.day,
            months=tuple(item.months),
            start=item.start,
            until=item.until,
            basis=f"declared in bo.yaml (forecast.recurring[{i}])",
            kind="declared",
        )
        for i, item in enumerate(settings.forecast.recurring)
    ]


def series_flows(
    items: Sequence[Series],
    as_of: date,
    end: date,
    calendar: BusinessCalendar | None,
    loans: dict[str, Decimal],
) -> list[Flow]:
    flows = []
    for item in items:
        left = loans.get(item.counter) if item.kind == "recurring" else None
        for when in occurrences(item, as_of, end, calendar):
            amount = item.amount
            basis = item.basis
            if left is not None and amount < 0:
                if left <= 0:
                    break
                amount = -min(-amount, left)
                left += amount
                basis += f"; until the {loans[item.counter]:,} owed is repaid"
            flows.append(
                Flow(when, amount, f"{item.payee} ({item.kind})", item.kind, basis, item.currency)
            )
    return flows


# --- the rest ---------------------------------------------------------------------------------


def irregular_flows(
    movements: Sequence[Movement],
    series: Sequence[Series],
    as_of: date,
    start: date,
    end: date,
    declared: set[str],
    kinds: dict[str, tuple[str, str]],
) -> list[Flow]:
    """The movements no series explains, at their average a day over the last six months:
    one flow a week per currency. Financing is left out: it answers the cash, it does not
    make it."""
    days = min(IRREGULAR_DAYS, (as_of - start).days)
    if days < MIN_IRREGULAR_DAYS:
        return []
    known = {s.key for s in series}
    since = as_of - timedelta(days=days)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    counts: Counter[str] = Counter()
    for m in movements:
        key = (m.payee, m.counter, m.currency, m.amount > 0)
        if (
            since < m.date <= as_of
            and key not in known
            and m.payee.casefold() not in declared
            and not financing(m, kinds)
        ):
            totals[m.currency] += m.amount
            counts[m.currency] += 1
    flows = []
    for currency, total in sorted(totals.items()):
        per_day = total / days
        day = as_of + timedelta(days=1)
        while day <= end:
            week_end = min(day + timedelta(days=6), end)
            amount = (per_day * ((week_end - day).days + 1)).quantize(CENT)
            if amount:
                flows.append(
                    Flow(
                        day,
                        amount,
                        "irregular items",
                        "irregular",
                        f"{counts[currency]} movements no schedule explains, {total:,} "
                        f"{currency} in the last {days} days, at their average",
                        currency,
                    )
                )
            day += timedelta(days=7)
    return flows
