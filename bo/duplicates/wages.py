"""One person's net pay sent twice in one pay run: the pay file uploaded twice.

An employee is paid once per pay run, and a pay run pays on one day. Two bank lines paying
one payee the same amount on the same day, out of a payroll account (bo.yaml's role
`payroll_liabilities`, or an account named for wages: `Liabilities:Payroll:NetPay`,
`Expenses:Wages`, `Aufwand:Loehne`, `Expenses:Loner`), are one person's pay sent twice, even
though each line has its own id and the statement prints both: the money really left twice.
A pay file sent twice repeats its lines word for word; a bonus or a refund of expenses paid
beside the pay is worded otherwise.

What tells pay from purchases is the account: two equal purchases at one shop on one day are
two purchases, and two employees on equal pay are two payees. Narrations naming two people or
two periods ("Net pay Jamie Lee", "Net pay Marco Ortiz") are two payments.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from itertools import pairwise

from beancount.core import data

from bo.duplicates.books import _Books
from bo.duplicates.journals import periods_apart
from bo.duplicates.model import PAID_TWICE, _Candidate
from bo.duplicates.wording import different_parts, named_apart
from bo.lineids import shared_id

# The words accounts of pay are named with, casefolded, umlauts written out or dropped:
# a component starting with a long one ("Salaries", "WagesPayable", "Loehne", "Gehälter")
# or equal to a short one ("Lön", "Loner", "Loon").
_PAY_STEMS = ("salar", "wage", "payroll", "netpay", "lohn", "loehn", "löhn", "gehalt", "gehält")
_PAY_WORDS = frozenset({"lön", "lon", "löner", "loner", "loon", "lonen", "lønn", "løn"})
_PAY_WORDS |= frozenset({"salaire", "salaires", "sueldo", "sueldos", "nomina", "nómina"})
_SEPARATOR = re.compile(r"[\s_-]+")
_SCORE = 0.9  # two lines the bank paid: the money left twice, on the account's evidence


def pay_accounts(roles: Iterable[tuple[str, str]]) -> Callable[[str], bool]:
    """Whether an account holds pay: bo.yaml's payroll liabilities, or named for wages."""
    payroll = frozenset(account for account, role in roles if role == "payroll_liabilities")
    known: dict[str, bool] = {}

    def holds_pay(account: str) -> bool:
        found = known.get(account)
        if found is None:
            found = known[account] = account in payroll or any(
                _pay_word(_SEPARATOR.sub("", part.casefold())) for part in account.split(":")[1:]
            )
        return found

    return holds_pay


def _pay_word(part: str) -> bool:
    return part in _PAY_WORDS or part.startswith(_PAY_STEMS)


def _net_pay_twice(
    books: _Books, holds_pay: Callable[[str], bool], near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    """Pairs of one bank account's equal payments, one payee, one day, out of pay."""
    txns = books.txns
    cash = books.cash
    for (account, currency, amount), members in books.buckets.items():
        if len(members) < 2 or account not in cash or amount >= 0:
            continue
        # Members come in date order: only a day holding two of them is asked more.
        days = [txns[i].date for i in members]
        twice = {a for a, b in pairwise(days) if a == b}
        if not twice:
            continue
        by_day: dict[tuple[date, str], list[int]] = defaultdict(list)
        for i, day in zip(members, days, strict=True):
            entry = txns[i]
            if day in twice and entry.payee and near(day) and _pays(entry, account, holds_pay):
                by_day[(day, entry.payee.casefold())].append(i)
        for _, paid in sorted(by_day.items()):
            paid.sort(key=lambda i: (books.rank(i), i))
            for first, second in pairwise(paid):
                found = _judge(books, account, currency, -amount, first, second)
                if found is not None:
                    yield found


def _pays(entry: data.Transaction, account: str, holds_pay: Callable[[str], bool]) -> bool:
    """Whether the entry's other postings are all pay (net pay owed, or wages)."""
    others = [p.account for p in entry.postings if p.account != account]
    return bool(others) and all(holds_pay(a) for a in others)


def _judge(
    books: _Books, account: str, currency: str, amount: Decimal, first: int, second: int
) -> _Candidate | None:
    if shared_id(books.line_ids(first), books.line_ids(second)) is not None:
        return None  # one bank line's id: imported twice, rule 1's
    narrations = books.narration(first), books.narration(second)
    if " ".join(narrations[0].casefold().split()) != " ".join(narrations[1].casefold().split()):
        return None  # a pay file sent twice repeats its lines; a bonus beside the pay differs
    if named_apart(*narrations) or periods_apart(*narrations) or different_parts(*narrations):
        return None  # two people, two periods, two parts: two payments
    payee = books.txns[first].payee
    reasons = [
        f"{payee} paid {amount:,} {currency} twice on {books.txns[first].date} from {account}, "
        "out of pay: one pay run pays a person once"
    ]
    if books.line_ids(first) and books.line_ids(second):
        reasons.append("each payment its own bank line: the money left twice")
    return _Candidate(PAID_TWICE, (first, second), _SCORE, tuple(reasons), True)
