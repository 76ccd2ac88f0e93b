"""Payables and receivables on books whose bo.yaml names none, found by what they hold.

A payables account is a liability the business's bills are credited to: entries carrying an
invoice number (in metadata, or named in the narration) that credit it against expenses,
and payments that debit it. A receivables account is the asset its own invoices are debited
to against income. A card is credited against expenses too, but by purchases that carry no
invoice number; so an account is taken for a payable only when most of the entries crediting
it against expenses name an invoice, and at least two do. Root names come from the ledger
(`Passiva:Verbindlichkeiten` is found as `Liabilities:AccountsPayable` is).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from beancount.core import account_types, data

from bo.duplicates.wording import invoice_reference
from bo.settings import Settings

_HAS_DIGIT = re.compile(r"\d")
_LEAST = 2  # documents it takes to call an account a ledger of them


def documents_ledgers(
    txns: Sequence[data.Transaction], settings: Settings, types: account_types.AccountTypes
) -> tuple[frozenset[str], frozenset[str]]:
    """(payables, receivables) bo.yaml gives no role to, for the roles it gives no account
    the ledger posts to."""
    return documents_and_moves(txns, settings, types)[:2]


def documents_and_moves(
    txns: Sequence[data.Transaction], settings: Settings, types: account_types.AccountTypes
) -> tuple[frozenset[str], frozenset[str], list[data.Transaction] | None]:
    """`documents_ledgers`, and from the same pass the entries of two postings or more to
    balance sheet accounts (or accounts bo.yaml names payables or receivables) alone: the
    only ones `money_accounts` reads a bank's account from (None when no pass was needed)."""
    roles = _roles_in_use(txns, settings)
    wanted = {}
    if "payable" not in roles:
        wanted[types.liabilities] = -1  # bills credit the payables
    if "receivable" not in roles:
        wanted[types.assets] = 1  # invoices debit the receivables
    if not wanted:
        return frozenset(), frozenset(), None
    named = settings.accounts
    results = (types.income, types.expenses)
    balance_sheet = (types.assets, types.liabilities)
    documents = {a for a, c in named.items() if c.role in _DOCUMENT_ROLES}
    moves: list[data.Transaction] = []
    root_of: dict[str, str] = {}
    # account -> [entries naming an invoice, entries naming none, entries the other way]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in txns:
        postings = entry.postings
        if len(postings) < 2:
            continue
        # The entry's largest balance sheet posting against income or expenses is what it
        # does (a bill's tax posting beside its payable is not).
        largest = None
        size = 0  # the largest's, without its sign
        against_results = False
        moved = True
        for p in postings:
            root = root_of.get(p.account)
            if root is None:
                root = root_of[p.account] = account_types.get_account_type(p.account)
            if root not in balance_sheet and p.account not in documents:
                moved = False
            units = p.units
            if units is None:
                continue
            if root in results:
                against_results = True
            elif largest is None or abs(units.number) > size:
                largest, size = p, abs(units.number)
        if moved:
            moves.append(entry)
        if largest is None or not against_results or largest.account in named:
            continue
        sign = wanted.get(root_of[largest.account])
        if sign is None:
            continue
        tally = counts[largest.account]
        if (largest.units.number > 0) != (sign > 0):
            tally[2] += 1  # a bank pays expenses; payables and receivables seldom move so
        else:
            tally[0 if _names_invoice(entry) else 1] += 1
    found: dict[str, set[str]] = {types.liabilities: set(), types.assets: set()}
    for account, (documented, other, opposite) in counts.items():
        if documented >= _LEAST and documented >= other and documented > opposite:
            found[root_of[account]].add(account)
    return frozenset(found[types.liabilities]), frozenset(found[types.assets]), moves


def _roles_in_use(txns: Sequence[data.Transaction], settings: Settings) -> set[str]:
    """The payable and receivable roles bo.yaml gives an account the ledger posts to: a
    template's `Liabilities:AccountsPayable` beside books that keep `Liabilities:AP` names
    no payables. Read until each named account is seen (early, on most books)."""
    named = {a: c.role for a, c in settings.accounts.items() if c.role in _DOCUMENT_ROLES}
    unseen = set(named)
    if not unseen:
        return set()
    for entry in txns:
        for p in entry.postings:
            if p.account in unseen:
                unseen.discard(p.account)
                if not unseen:
                    return set(named.values())
    return {named[a] for a in named if a not in unseen}


_DOCUMENT_ROLES = frozenset({"payable", "receivable"})


def _names_invoice(entry: data.Transaction) -> bool:
    if entry.meta.get("invoice") is not None:
        return True
    narration = entry.narration
    if not narration or not _HAS_DIGIT.search(narration):
        return False
    found = invoice_reference(narration)
    return found is not None and found.named
