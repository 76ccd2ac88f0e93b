"""Liabilities the bank pays off in full each month, a card or the payroll taxes withheld: the
day whose closing balance the payments equal (a statement day, the month end) and the day
they are paid, found in the history; the next payments from the balance on that day, known
or expected from what is added to it lately.
"""

from __future__ import annotations

import calendar as calendar_module
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bo.calendar import BusinessCalendar
from bo.forecast.history import History, Movement, Owed
from bo.forecast.model import CENT, ZERO, Flow, month_start
from bo.forecast.recurring import Series, nominal_day, occurrences, ordinal

OWED_LOOKBACK_DAYS, OWED_SPEND_DAYS, STATEMENT_SEARCH_DAYS = 183, 91, 45


@dataclass(frozen=True)
class PaidOff:
    """A liability paid in full each month: the balance it had on a closing day (a card's
    statement, the month end for payroll taxes) is paid on a later day."""

    owed: Owed
    statement: str  # "month-end" or a day of the month, as text
    statement_day: int  # 0 for month-end
    pay_day: int
    shift: str
    done: frozenset[tuple[int, int]]
    spend: Decimal  # what is added to it per day, lately (negative: more owed)


def find_paid_off(history: History, calendar: BusinessCalendar | None) -> list[PaidOff]:
    """Liabilities paid in full each month: the day the statement closes (the day whose balance
    the payments equal) and the day they are paid."""
    habits = []
    for owed in history.owed:
        recent = [p for p in owed.payments if (history.as_of - p[0]).days <= OWED_LOOKBACK_DAYS]
        # The days whose closing balance each payment paid: a range, as the balance stays put
        # until the next charge.
        ranges = [r for day, amount, _ in recent if (r := _paid_balance(owed, day, amount))]
        if len(ranges) < 2:
            continue
        fits = Counter(rule for r in ranges for rule in _closing_rules(*r))
        rule, count = max(sorted(fits.items()), key=lambda pair: pair[1])
        if count * 3 < len(recent) * 2:
            continue
        pay_day, shift, _ = nominal_day([d for d, _, _ in recent], calendar)
        since = history.as_of - timedelta(days=OWED_SPEND_DAYS)
        spend = sum((a for d, a in owed.charges if d > since), ZERO) / OWED_SPEND_DAYS
        habits.append(
            PaidOff(
                owed,
                "month-end" if rule == 0 else f"the {rule}{ordinal(rule)}",
                rule,
                pay_day,
                shift,
                frozenset((d.year, d.month) for d, _, _ in owed.payments),
                spend,
            )
        )
    return habits


def _paid_balance(owed: Owed, day: date, amount: Decimal) -> tuple[date, date] | None:
    """The latest run of days before `day` whose closing balance was `amount` owed."""
    last = None
    for back in range(1, STATEMENT_SEARCH_DAYS):
        when = day - timedelta(days=back)
        if owed.balance(when) == -amount:
            last = last or when
        elif last:
            return when + timedelta(days=1), last
    return (day - timedelta(days=STATEMENT_SEARCH_DAYS - 1), last) if last else None


def _closing_rules(first: date, last: date) -> set[int]:
    """The closing days that fall from `first` to `last`: days of the month up to the 28th,
    and 0 for a month's last day."""
    rules: set[int] = set()
    day = first
    while day <= last and len(rules) < 29:
        if (day + timedelta(days=1)).day == 1:
            rules.add(0)
        if day.day <= 28:
            rules.add(day.day)
        day += timedelta(days=1)
    return rules


def _statement_before(habit: PaidOff, pay: date) -> date:
    for months in (0, -1, -2):
        month = month_start(pay, months)
        last = calendar_module.monthrange(month.year, month.month)[1]
        day = month.replace(
            day=last if habit.statement_day == 0 else min(habit.statement_day, last)
        )
        if day < pay:
            return day
    return pay - timedelta(days=30)


def paid_off_flows(
    habits: Sequence[PaidOff], as_of: date, end: date, calendar: BusinessCalendar | None
) -> list[Flow]:
    """Each payment in full: the balance on the closing day where that day is past, else the
    balance now and what is expected to be added until it closes."""
    flows = []
    for habit in habits:
        account = habit.owed
        scheduled = ZERO
        item = Series(
            account.account, account.currency, ZERO, "monthly", habit.pay_day, habit.shift,
            done=habit.done,
        )  # fmt: skip
        for when in occurrences(item, as_of, end, calendar):
            closing = _statement_before(habit, when)
            if closing <= as_of:
                amount = -account.balance(closing)
                basis = f"the balance of {closing}"
            else:
                days = (closing - as_of).days
                amount = -(account.balance(as_of) + scheduled + habit.spend * days)
                basis = (
                    f"the balance on {as_of} and {days} days more at "
                    f"{-habit.spend * 30:,.0f} a month until {closing}"
                )
            if amount <= 0:
                continue
            amount = amount.quantize(CENT)
            scheduled += amount
            flows.append(
                Flow(
                    when,
                    -amount,
                    f"{account.payments[-1][2]} ({account.account} paid off)",
                    "paid-off",
                    f"paid in full on the {habit.pay_day}{ordinal(habit.pay_day)}, from the "
                    f"balance at {habit.statement}: {basis}",
                    account.currency,
                )
            )
    return flows


def other_payments(history: History, habits: Sequence[PaidOff]) -> list[Movement]:
    """The payments of the liabilities not paid in full: plain movements then."""
    known = {(h.owed.account, h.owed.currency) for h in habits}
    return [
        Movement(day, owed.currency, -amount, payee, owed.account)
        for owed in history.owed
        if (owed.account, owed.currency) not in known
        for day, amount, payee in owed.payments
    ]
