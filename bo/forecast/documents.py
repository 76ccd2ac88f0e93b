"""Receipts on invoices and payments of bills, from each customer's and vendor's own history.

An open invoice is expected when its customer usually pays: that customer's typical days
after the due date, spread by how far that customer strays from its habit (late payments,
payments in parts; how far everyone strays from theirs, for a customer with fewer than eight
payments), in twenty equal parts, and only where it can still fall (an invoice already ten
days late is not expected before day eleven); the rest of an invoice paid in part comes in
the days that documents paid in parts took from their first part to their last. Invoices not
issued yet come in at the rate of the last six months (customers who are invoiced every month
for about the same amount, retainers, on their own day), each paid as its customer pays.
Bills go out the same way, by the habit of paying each vendor.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bo.forecast.history import Document, History
from bo.forecast.model import CENT, ZERO, Days, Flow, month_start, weighted_median

# Payments looked at for habits, and invoices for the rate of new ones.
HABIT_DAYS, RATE_DAYS, MIN_RATE_DAYS = 365, 182, 28
# With the seasons known, the rate comes from a whole year, each day counted by its season:
# twice the invoices of six months, and a season's misfit cancels over a whole cycle.
SEASONAL_RATE_DAYS = 365
# A party paid in enough invoices to have a habit of its own; with this many payments, its
# own straying from it; fewer samples of straying than this among everyone and everyone's
# days after the due date stand in for it.
OWN_HABIT, MIN_SCATTER = 2, 8
# Retainers and monthly bills: one document in at least 3 of the last 4 months, amounts
# within 15% of each other.
RECURRING_MONTHS, RECURRING_OF, RECURRING_SPREAD = 3, 4, Decimal("1.15")
DEFAULT_TERMS = 30
# Factors by month of the year need two full years of invoicing (one would take a single
# month's luck for the season); the last four years at most. Two waves a year: a season that
# rises and falls once, and how much steeper it rises than it falls.
SEASON_MONTHS, SEASON_MAX_MONTHS, SEASON_HARMONICS = 24, 48, 2
SEASON_FLOOR = 0.05  # a month with almost no invoicing still gets some
# A season is taken as found when at least half of its measured size is not chance (its
# waves' sum of squares at least twice what their errors alone would add): books with none
# measure a little by chance, and would then take a year's rate for a season that is not.
SEASON_MIN_KEEP = 0.5
UNSEEN_SPREAD_DAYS = 28  # later than ever seen: expected over the next four weeks
LAG_PARTS = 20


@dataclass(frozen=True)
class Habit:
    """How a customer pays (or how a vendor is paid): days after the due date, as a rule."""

    party: str
    days: int  # the typical days after the due date (weighted by amount)
    documents: int  # paid documents it rests on
    late: int  # of them, paid (in part) after the due date
    in_parts: int  # paid in more than one payment
    terms: int  # days from issue to due date

    def describe(self, side: str) -> str:
        who = "pays" if side == "receivable" else "is paid"
        if not self.documents:
            return f"{self.party or 'unknown'}: no history, as everyone ({self.days:+d} days)"
        parts = f", {self.in_parts} in parts" if self.in_parts else ""
        return (
            f"{self.party} {who} {_days(self.days)} (median of {self.documents} "
            f"{'invoice' if side == 'receivable' else 'bill'}(s), {self.late} late{parts})"
        )


def _days(days: int) -> str:
    if days == 0:
        return "on the due date"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'after' if days > 0 else 'before'} the due date"


@dataclass(frozen=True)
class Habits:
    """Every party's habit on one side, and the scatter around a habit."""

    side: str
    parties: dict[str, Habit]
    everyone: Habit
    scatter: Days  # days off a party's own habit, everyone's payments together
    own: dict[str, Days] = field(default_factory=dict)  # a party's own, where it has enough
    # Days from the first part of a document paid in parts to the last, everyone's together.
    rest: Days | None = None

    def of(self, party: str) -> Habit:
        return self.parties.get(party) or Habit(
            party, self.everyone.days, 0, 0, 0, self.everyone.terms
        )

    def after_due(self, party: str) -> Days:
        return self.own.get(party, self.scatter).shifted(self.of(party).days)


def learn_habits(documents: Sequence[Document], side: str, as_of: date) -> Habits:
    """Each party's habit from its documents paid in the last year."""
    since = as_of - timedelta(days=HABIT_DAYS)
    delays: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    terms: dict[str, list[int]] = defaultdict(list)
    rest: list[tuple[int, Decimal]] = []
    for doc in documents:
        if doc.due is not None:
            terms[doc.party].append((doc.due - doc.issued).days)
        recent = [(day, amount) for day, amount in doc.paid if day >= since]
        if doc.due is None or not recent:
            continue
        for day, amount in recent:
            delays[doc.party].append(((day - doc.due).days, amount))
        count = counts[doc.party]
        count[0] += 1
        count[1] += any(day > doc.due for day, _ in recent)
        count[2] += len(recent) > 1
        if len(doc.paid) > 1 and doc.open <= 0:
            later = sum((a for _, a in doc.paid[1:]), ZERO)
            rest.append(((doc.paid[-1][0] - doc.paid[0][0]).days, later))
    everyone_terms = (
        int(statistics.median(t for ts in terms.values() for t in ts)) if terms else DEFAULT_TERMS
    )
    pooled = [s for samples in delays.values() for s in samples]
    typical = weighted_median(pooled) if pooled else 0
    parties = {}
    scatter: list[tuple[int, Decimal]] = []
    own = {}
    for party in sorted(set(delays) | set(terms)):
        samples = delays.get(party, [])
        documents_paid, late, in_parts = counts.get(party, (0, 0, 0))
        if documents_paid >= OWN_HABIT:
            days = weighted_median(samples)
            scatter += [(d - days, w) for d, w in samples]
            if len(samples) >= MIN_SCATTER:
                own[party] = Days.of((d - days, w) for d, w in samples)
        elif documents_paid:
            days = round((weighted_median(samples) + typical) / 2)
        else:
            days = typical
        own_terms = int(statistics.median(terms[party])) if terms.get(party) else everyone_terms
        parties[party] = Habit(party, days, documents_paid, late, in_parts, own_terms)
    if len(scatter) < MIN_SCATTER:
        scatter = [(d - typical, w) for d, w in pooled]
    everyone = Habit("everyone", typical, len(counts), 0, 0, everyone_terms)
    return Habits(
        side,
        parties,
        everyone,
        Days.of(scatter),
        own,
        Days.of(rest) if len(rest) >= OWN_HABIT else None,
    )


# --- open documents ---------------------------------------------------------------------------


def open_document_flows(
    history: History,
    side: str,
    habits: Habits,
    doubtful_after: int | None,
) -> tuple[list[Flow], list[Flow]]:
    """The expected receipts of the open invoices (payments of the open bills), in parts on
    the days they may fall; and the long-overdue invoices not counted on."""
    sign = 1 if side == "receivable" else -1
    kind = "invoice" if side == "receivable" else "bill"
    flows, doubtful = [], []
    for doc in history.documents:
        if doc.side != side or doc.open <= 0:
            continue
        habit = habits.of(doc.party)
        due = doc.due or doc.issued + timedelta(days=habit.terms)
        late = (history.as_of - due).days
        what = f"{doc.party} {doc.number}"
        if doubtful_after is not None and late > doubtful_after:
            doubtful.append(Flow(due, sign * doc.open, what, kind, "", doc.currency, doc.party))
            continue
        if doc.paid and habits.rest is not None:
            # Paid in part: the rest comes as the rest of documents paid in parts came.
            first = doc.paid[0][0]
            spread = habits.rest.after((history.as_of - first).days)
            if spread is not None:
                basis = (
                    f"{sum(a for _, a in doc.paid):,} of {doc.amount:,} paid from {first}: the "
                    f"rest in the days others paid in parts took after their first part"
                )
                flows += _parts(
                    first, spread, sign * doc.open, what, kind, basis, doc.currency, doc.party
                )
                continue
        spread = habits.after_due(doc.party).after(late)
        if spread is None:
            parts = [(late + day, 1 / Decimal(UNSEEN_SPREAD_DAYS)) for day in range(1, 29)]
            basis = (
                f"{_days(late)} already, later than {habit.describe(side)}: "
                f"expected over the next four weeks"
            )
            spread = Days.of(parts)
        else:
            basis = habit.describe(side) + (f"; {late} days late already" if late > 0 else "")
        if doc.paid:
            basis += f"; {sum(a for _, a in doc.paid):,} of {doc.amount:,} paid"
        flows += _parts(due, spread, sign * doc.open, what, kind, basis, doc.currency, doc.party)
    return flows, doubtful


def _parts(
    start: date,
    spread: Days,
    amount: Decimal,
    what: str,
    kind: str,
    basis: str,
    currency: str,
    party: str,
) -> list[Flow]:
    parts = spread.quantiles(LAG_PARTS)
    flows = []
    left = amount
    for i, (days, share) in enumerate(parts):
        part = left if i == len(parts) - 1 else (amount * share).quantize(CENT)
        left -= part
        when = start + timedelta(days=days)
        flows.append(Flow(when, part, what, kind, basis, currency, party))
    return flows


# --- documents not issued yet -----------------------------------------------------------------


@dataclass(frozen=True)
class Recurring:
    """A party billed every month for about the same amount: a retainer, a monthly bill."""

    party: str
    currency: str
    day: int
    amount: Decimal
    months: int  # of the last four, with one document
    done: frozenset[tuple[int, int]]  # months it has been issued in


def find_recurring_documents(
    documents: Iterable[Document], side: str, as_of: date
) -> list[Recurring]:
    """Retainers (monthly bills): one document a month in 3 of the last 4, amounts alike."""
    first = month_start(as_of, -RECURRING_OF)
    current = month_start(as_of)
    by_party: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in documents:
        if doc.side == side and doc.issued >= first:
            by_party[(doc.party, doc.currency)].append(doc)
    found = []
    for (party, currency), docs in sorted(by_party.items()):
        months: dict[tuple[int, int], list[Document]] = defaultdict(list)
        for doc in docs:
            months[(doc.issued.year, doc.issued.month)].append(doc)
        full = [m for m in months if date(m[0], m[1], 1) < current]
        if len(full) < RECURRING_MONTHS or any(len(v) > 1 for v in months.values()):
            continue
        amounts = [v[0].amount for v in months.values()]
        if max(amounts) > min(amounts) * RECURRING_SPREAD:
            continue
        latest = max(docs, key=lambda d: d.issued)
        day = int(statistics.median(d.issued.day for d in docs))
        found.append(Recurring(party, currency, day, latest.amount, len(full), frozenset(months)))
    return found


def new_document_flows(
    history: History,
    side: str,
    habits: Habits,
    end: date,
    recurring: Sequence[Recurring],
    seasonal: dict[str, dict[int, Decimal]] | None = None,
) -> list[Flow]:
    """Receipts (payments) of the documents issued after `as_of`: the retainers (monthly
    bills) on their day, the rest at the rate of the last six months, each paid by its
    party's habit."""
    as_of = history.as_of
    sign = 1 if side == "receivable" else -1
    noun = "invoice" if side == "receivable" else "bill"
    flows: list[Flow] = []
    for item in recurring:
        habit = habits.of(item.party)
        month = month_start(as_of)
        while month <= end:
            last = (month_start(month, 1) - timedelta(days=1)).day
            issued = month.replace(day=min(item.day, last))
            if issued > as_of and (month.year, month.month) not in item.done:
                what = f"{item.party} {noun} of {issued:%Y-%m-%d} (not issued yet)"
                basis = (
                    f"{'retainer' if side == 'receivable' else 'monthly bill'}: "
                    f"{item.amount:,} on the {item.day}th in {item.months} of the last 4 months; "
                    f"due in {habit.terms} days; {habit.describe(side)}"
                )
                due = issued + timedelta(days=habit.terms)
                kind = "retainer" if side == "receivable" else "recurring-bill"
                spread = habits.after_due(item.party)
                amount = sign * item.amount
                flows += _parts(due, spread, amount, what, kind, basis, item.currency, item.party)
            month = month_start(month, 1)

    regular = {(r.party, r.currency) for r in recurring}
    by_currency: dict[str, list[Document]] = defaultdict(list)
    for doc in history.documents:
        if doc.side == side and (doc.party, doc.currency) not in regular:
            by_currency[doc.currency].append(doc)
    for currency, documents in sorted(by_currency.items()):
        factors = (seasonal or {}).get(currency) or {}
        days = min(SEASONAL_RATE_DAYS if factors else RATE_DAYS, (as_of - history.start).days)
        if days < MIN_RATE_DAYS:
            continue
        since = as_of - timedelta(days=days)
        parties: dict[str, Decimal] = defaultdict(Decimal)
        for doc in documents:
            if since < doc.issued <= as_of:
                parties[doc.party] += doc.amount
        total = sum(parties.values(), ZERO)
        if total <= 0:
            continue
        level = total / _factor_days(since, as_of, factors)
        lags = _lags(habits, parties, total)
        daily = _convolve(as_of, end, level, factors, lags)
        flows += _weekly(
            daily,
            as_of,
            sign,
            currency,
            f"{noun}s not issued yet",
            "new-invoices" if side == "receivable" else "new-bills",
            f"{noun}s of {total:,} {currency} in the last {days} days "
            f"({level * 30:,.0f} a month{_season_note(factors)}), "
            f"each paid as its {'customer pays' if side == 'receivable' else 'vendor is paid'}",
        )
    return flows


def seasonal_factors(
    history: History, side: str, recurring: Sequence[Recurring]
) -> dict[str, dict[int, Decimal]]:
    """Each currency's invoicing (billing) by month of the year, as factors around 1: a smooth
    yearly curve (`SEASON_HARMONICS` waves a year) fitted to every month's invoicing beside
    a level and a trend, and drawn towards 1 by as much as chance alone would give it."""
    first = month_start(history.start, 0 if history.start.day == 1 else 1)
    last = month_start(history.as_of, 1 if _month_end(history.as_of) else 0)
    months = []
    month = max(first, month_start(last, -SEASON_MAX_MONTHS))
    while month < last:
        months.append(month)
        month = month_start(month, 1)
    if len(months) < SEASON_MONTHS:
        return {}
    regular = {(r.party, r.currency) for r in recurring}
    totals: dict[str, dict[date, Decimal]] = defaultdict(lambda: dict.fromkeys(months, ZERO))
    for doc in history.documents:
        issued = month_start(doc.issued)
        if (
            doc.side == side
            and issued in totals[doc.currency]
            and ((doc.party, doc.currency) not in regular)
        ):
            totals[doc.currency][issued] += doc.amount
    found = {}
    for currency, by_month in totals.items():
        curve = _yearly_curve([float(by_month[m]) for m in months], [m.month for m in months])
        if curve:
            found[currency] = {m: Decimal(f).quantize(CENT) for m, f in curve.items()}
    return found


def _waves(month: int) -> list[float]:
    """The yearly waves at the middle of `month`: cos and sin of each harmonic."""
    phase = 2 * math.pi * (month - 0.5) / 12
    return [f(k * phase) for k in range(1, SEASON_HARMONICS + 1) for f in (math.cos, math.sin)]


def _yearly_curve(series: Sequence[float], months: Sequence[int]) -> dict[int, float] | None:
    """Factors by month of the year from monthly totals: least squares on a level, a trend
    and the yearly waves, which uses every month (a ratio to the twelve months around each
    would lose the first and last six, and rest on one or two samples a month). The waves
    are kept by the share of their size that is not chance: their sum of squares against
    what their errors alone would add to it (an empirical Bayes shrinkage)."""
    import numpy as np  # here: only books with two years of invoicing fit a season

    n = len(series)
    middle = (n - 1) / 2
    rows = np.array([[1.0, (t - middle) / 12, *_waves(m)] for t, m in enumerate(months)])
    size = rows.shape[1]
    if n <= size + 2:
        return None
    normal = rows.T @ rows
    if np.linalg.matrix_rank(normal) < size:
        return None
    inverse = np.linalg.inv(normal)
    y = np.array(series)
    beta = inverse @ (rows.T @ y)
    level = float(beta[0])
    if level <= 0:
        return None
    residual = float(((y - rows @ beta) ** 2).sum()) / (n - size)
    waves = [float(b) for b in beta[2:]]
    signal = sum(b * b for b in waves)
    chance = residual * float(np.trace(inverse[2:, 2:]))
    keep = max(0.0, 1 - chance / signal) if signal else 0.0
    if keep < SEASON_MIN_KEEP:
        return None
    return {
        m: max(
            SEASON_FLOOR,
            1 + keep * sum(b * w for b, w in zip(waves, _waves(m), strict=True)) / level,
        )
        for m in range(1, 13)
    }


def _month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def _season_note(factors: dict[int, Decimal]) -> str:
    if not factors:
        return ""
    return ", by month of the year: " + " ".join(f"{factors[m]:.2f}" for m in range(1, 13))


def _factor_days(since: date, as_of: date, factors: dict[int, Decimal]) -> Decimal:
    """The days from `since` to `as_of`, each counted by its month's seasonal factor."""
    if not factors:
        return Decimal((as_of - since).days)
    total, day = ZERO, since + timedelta(days=1)
    while day <= as_of:
        total += factors[day.month]
        day += timedelta(days=1)
    return total


def _lags(habits: Habits, parties: dict[str, Decimal], total: Decimal) -> list[tuple[int, Decimal]]:
    """Days from issue to payment: each party's terms and habit, weighted by its share; in 20
    equal parts (a finer grain changes no week's total by much, and costs)."""
    lags: dict[int, Decimal] = defaultdict(Decimal)
    for party, amount in parties.items():
        habit = habits.of(party)
        for days, weight in habits.after_due(party).points:
            lags[max(0, habit.terms + days)] += weight * amount / total
    return Days.of(lags.items()).quantiles(LAG_PARTS)


def _convolve(
    as_of: date,
    end: date,
    level: Decimal,
    factors: dict[int, Decimal],
    lags: list[tuple[int, Decimal]],
) -> dict[date, Decimal]:
    """What documents issued from tomorrow on, at `level` a day, bring in each day to `end`."""
    horizon = (end - as_of).days
    daily: dict[date, Decimal] = defaultdict(Decimal)
    for offset in range(1, horizon + 1):
        issued = as_of + timedelta(days=offset)
        rate = level * factors.get(issued.month, 1)
        for lag, weight in lags:
            if offset + lag > horizon:
                break
            daily[issued + timedelta(days=lag)] += rate * weight
    return daily


def _weekly(
    daily: dict[date, Decimal],
    as_of: date,
    sign: int,
    currency: str,
    what: str,
    kind: str,
    basis: str,
) -> list[Flow]:
    """A daily stream as one flow a week, dated the week's first day."""
    weeks: dict[int, Decimal] = defaultdict(Decimal)
    for day, amount in daily.items():
        weeks[((day - as_of).days - 1) // 7] += amount
    return [
        Flow(
            as_of + timedelta(days=1 + 7 * index),
            (sign * amount).quantize(CENT),
            what,
            kind,
            basis,
            currency,
        )
        for index, amount in sorted(weeks.items())
        if amount.quantize(CENT)
    ]
