"""The ledger's entries as bo's cache keeps them: transactions as plain tuples.

Pickling a beancount transaction costs the pickler a call back into Python for each of its
named tuples (the transaction, each posting, each amount) and a memo entry for each of their
objects: storing 100,000 transactions took longer than the close's own checks. Plain tuples
are written at C speed; the date of every entry on one day is one object, written once. Loading
builds the named tuples back with `tuple.__new__`, which costs what unpickling them did.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

_NEW = tuple.__new__


def pack(entries: list[data.Directive]) -> list[Any]:
    """`entries` with each transaction a plain tuple (its postings too, where they carry
    only units); every other entry as it is."""
    transaction, amount = data.Transaction, Amount
    days: dict[Any, Any] = {}
    packed: list[Any] = []
    add = packed.append
    for entry in entries:
        if type(entry) is not transaction:
            add(entry)
            continue
        postings = [
            (p.account, p.units.number, p.units.currency, p.flag, p.meta)
            if type(p.units) is amount and p.cost is None and p.price is None
            else p
            for p in entry.postings
        ]
        meta, day, flag, payee, narration, tags, links, _ = entry
        add((meta, days.setdefault(day, day), flag, payee, narration, tags, links, postings))
    return packed


def unpack(packed: list[Any]) -> list[data.Directive]:
    """The entries `pack` was given."""
    new, transaction, posting, amount = _NEW, data.Transaction, data.Posting, Amount
    return [
        new(
            transaction,
            (
                *entry[:7],
                [
                    new(posting, (p[0], new(amount, (p[1], p[2])), None, None, p[3], p[4]))
                    if type(p) is tuple
                    else p
                    for p in entry[7]
                ],
            ),
        )
        if type(entry) is tuple
        else entry
        for entry in packed
    ]
