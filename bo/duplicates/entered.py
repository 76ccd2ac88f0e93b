"""Rule 3: one movement of a bank or card account booked twice, or a transfer from both sides."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from beancount.core import data

from bo.duplicates.books import (
    _Books,
    _cash_accounts,
    _conflict,
    _same_postings,
    _touches,
    payee_similarity,
)
from bo.duplicates.clues import two_importers
from bo.duplicates.evidence import _combined, _Series, _statement_of, _Verdicts, _with_neighbour
from bo.duplicates.fed import imported_by_record, typed_beside_feed
from bo.duplicates.journals import _JOURNAL_POSTINGS, journal_evidence, one_journal, periods_apart
from bo.duplicates.marked import marked_copy
from bo.duplicates.model import (
    ENTERED_TWICE,
    MIN_SCORE,
    NO_EVIDENCE_FACTOR,
    PRINTED_ONCE_BONUS,
    SAME_TEXT,
    TRANSFER_TWICE,
    UNPROVEN_FACTOR,
    Windows,
    _Candidate,
)
from bo.duplicates.parties import told_apart, two_things_bought
from bo.duplicates.schemes import IdSchemes
from bo.duplicates.wording import (
    different_parts,
    from_both_ends,
    named_apart,
    says_more,
    says_transfer,
    shared_number,
)
from bo.lineids import same_kind_differs, shared_id
from bo.matching import (
    Item,
    Match,
    MatchParams,
    find_similar_pairs,
)


def _entered_twice(
    books: _Books, windows: Windows, verdicts: _Verdicts, near: Callable[[date], bool]
) -> Iterable[_Candidate]:
    params = MatchParams(
        date_window=windows.entry, check_date_window=windows.entry, min_score=MIN_SCORE
    )
    # Only an amount an account holds twice can be a duplicate: the hash first, so the
    # matcher indexes the few postings that repeat rather than every one.
    repeated: dict[str, list[Item]] = defaultdict(list)
    for (account, currency, amount), members in books.buckets.items():
        if len(members) > 1:
            repeated[account] += [
                Item(i, books.txns[i].date, amount, currency, _compared_text(books, i))
                for i in _with_neighbour(books, members, windows.entry, near)
            ]
    seen: set[tuple[int, int]] = set()
    schemes = IdSchemes(books)
    for account in sorted(repeated):
        items = repeated[account]
        series = _Series(items)
        for pair in find_similar_pairs(items, params):
            one, two = pair.left[0], pair.right[0]
            first, second = sorted((one.key, two.key), key=lambda i: (books.rank(i), i))
            if first == second or (first, second) in seen:
                continue
            seen.add((first, second))
            if _reversed(books, account, one, (first, second), verdicts, windows.entry):
                continue  # one of them was taken back: the books hold it once
            candidate = _judge_entered_twice(
                books, account, first, second, pair, verdicts, series, one, two, schemes
            )
            if candidate is not None:
                yield candidate


def _compared_text(books: _Books, i: int) -> str:
    """The words the matcher weighs. A transfer's words name the far side ("Transfer to Ally
    savings" on the checking account, "Transfer from BofA checking" on the savings): the two
    sides of one transfer never read alike, so every transfer reads as one word, and its
    accounts (`_transfer_twice`) decide."""
    entry = books.txns[i]
    cash = {p.account for p in entry.postings if p.account in books.cash}
    if len(cash) > 1 or says_transfer(entry.narration or ""):
        return "transfer"
    if not cash and len(entry.postings) >= _JOURNAL_POSTINGS and entry.payee:
        # A journal's payee is a label ("Payroll", "給与"); what it posts is in its words.
        return f"{entry.payee} {entry.narration or ''}".strip()
    return books.text(i)


def _reversed(
    books: _Books,
    account: str,
    item: Item,
    pair: tuple[int, int],
    verdicts: _Verdicts,
    window: int,
) -> bool:
    """Whether another entry takes one of the pair back: the same amount the other way, same
    payee, within days, and not a line of the statement (a refund is one; a correction is
    the bookkeeper's)."""
    txns = books.txns
    # A correction follows what it takes back: a purchase before two refunds of it is what
    # they refund, not the reversal of one of them.
    low = min(txns[i].date for i in pair)
    high = max(txns[i].date for i in pair) + timedelta(days=window)
    for entry in books.buckets.get((account, item.currency, -item.amount), ()):
        if (
            entry not in pair
            and low <= txns[entry].date <= high
            and (entry, account) not in verdicts.matched
            and any(payee_similarity(books.text(entry), books.text(i)) >= SAME_TEXT for i in pair)
        ):
            return True
    return False


def _judge_entered_twice(
    books: _Books,
    account: str,
    first: int,
    second: int,
    pair: Match,
    verdicts: _Verdicts,
    series: _Series,
    one: Item,
    two: Item,
    schemes: IdSchemes,
) -> _Candidate | None:
    if first in books.bills and second in books.bills:
        return None  # two bills: rule 5's
    a, b = books.txns[first], books.txns[second]
    ids_a, ids_b = books.line_ids(first), books.line_ids(second)
    if shared_id(ids_a, ids_b) is not None:
        return None  # one line's id: rule 1's
    conflict = _conflict(books, first, second)
    if conflict and not (conflict == "invoice" and _one_invoice_marked(books, first, second)):
        return None  # two invoices or two check numbers: two transactions
    shared = set(_cash_accounts(a, books)) & set(_cash_accounts(b, books))
    verdict = _combined(verdicts, shared or {account}, first, second, books)
    if verdict == "twice":
        return None  # the bank printed each: two real movements
    origin_a, origin_b = books.statement_account(first), books.statement_account(second)
    if origin_a == origin_b and same_kind_differs(ids_a, ids_b):
        # The bank's ids of two lines of one statement: two movements, whatever the count of
        # lines says (a copy of one of them may have taken its line).
        return None
    importers = (
        two_importers(ids_a, ids_b) or schemes.downloaded_again(first, second)
        if origin_a == origin_b
        else None
    )
    # Without a statement, an importer's feed of the account still holds the movement once.
    fed = typed_beside_feed(books, first, second) if verdict == "unknown" else None
    # One entry a script imported under another system's record id: not two typed alike.
    recorded = None if fed else imported_by_record(books, first, second)
    journal = one_journal(a, b, books.cash)
    if verdict != "once":
        if origin_a is not None and origin_a == origin_b and importers is None:
            return None  # two lines of one statement: two real movements
        narrations = books.narration(first), books.narration(second)
        if different_parts(*narrations):
            return None  # part 1 and part 2 of a bill
        if named_apart(*narrations, _account_words(a, b)) and not (
            from_both_ends(*narrations) and _transfer_twice(books, account, a, b)
        ):
            return None  # net pay of two people; round-up A and round-up B
        if not fed and a.payee and b.payee and books.names.apart(a.payee, b.payee):
            return None  # Green Valley Dairy and Green Valley Produce: two vendors
        if journal and periods_apart(*narrations):
            return None  # the payroll of the 15th and of the 30th
        typed = origin_a is None and origin_b is None and not (fed or recorded)
        if told_apart(books, account, one.amount, first, second, typed=typed):
            return None  # two days' reports; a payer the batch names otherwise; two payees
        if typed and not journal and _described_apart(books, a, b):
            return None  # "Coffee" and "Coffee with Sam": a person wrote two purchases
        if typed and not journal and _coded_apart(books, account, a, b):
            return None  # a deposit and the first rent: a person coded two receipts
    both_invoiced = "invoice" in books.refs(first) and "invoice" in books.refs(second)
    if both_invoiced and verdict != "once" and _settled_by_invoice(books, first, second):
        return None  # payments of one bill: parts, or rule 2's to judge against the bill
    if account not in books.cash and not _same_postings(a, b):
        return None  # no cash moved: entered twice means the very same postings
    transfer = _transfer_twice(books, account, a, b)
    texts = books.text(first), books.text(second)
    if journal:
        texts = _compared_text(books, first), _compared_text(books, second)
    # Two entries without payee or narration: nothing tells them apart.
    text = 1.0 if not (texts[0] or texts[1]) else payee_similarity(*texts)
    if text < SAME_TEXT and books.names.same(*texts):
        text = SAME_TEXT  # one vendor in the bank's words and a person's: "AMZN", "Amazon"
    reasons = []
    if transfer:
        kind = TRANSFER_TWICE
        reasons.append(transfer)
    else:
        kind = ENTERED_TWICE
        lenient = (verdict == "once" or fed is not None) and (
            _same_postings(a, b) or _touches(a, b, books.uncategorized)
        )
        if text < SAME_TEXT and not lenient:
            return None
        if not _same_postings(a, b):
            reasons.append("booked to different accounts: " + _counter_words(a, b, account))
    if verdict == "unknown" and series.regular(one, two):
        return None  # a weekly or monthly repeat at the same price
    reasons.append(
        importers or fed or recorded or _provenance(books, first, second, origin_a, origin_b)
    )
    score = pair.score
    missing: list[str] = []
    if verdict == "once":
        score += PRINTED_ONCE_BONUS  # kept above 1 for ranking; shown capped
        reasons.append(f"the statement of {_statement_of(shared or {account})} shows it once")
    elif journal and origin_a is None and origin_b is None:
        factor, evidence, missing = journal_evidence(a, b)
        score *= factor
        reasons += evidence
    elif origin_a is None and origin_b is None and not (fed or recorded):
        # Nothing but the entries: two purchases typed alike look the same as one typed twice;
        # a transfer's two sides still say it is one movement.
        score *= UNPROVEN_FACTOR if kind == TRANSFER_TWICE else NO_EVIDENCE_FACTOR
        missing = [
            f"no statement of {_statement_of(shared or {account})} covers these dates",
            "neither entry carries a bank line id",
        ]
    reasons += pair.reasons
    return _Candidate(kind, (first, second), score, tuple(reasons), True, tuple(missing))


def _one_invoice_marked(books: _Books, first: int, second: int) -> bool:
    """Whether the two invoice numbers are one, a copy's written with a mark ("4527-1")."""
    return marked_copy(books.invoice_shown(first), books.invoice_shown(second))


def _settled_by_invoice(books: _Books, first: int, second: int) -> bool:
    """Whether the rules of invoices judge the pair against its document: two payments of
    a bill (the payables debited), or two receipts of an invoice (the receivables credited,
    money in). A vendor's refund or a refund to a customer is judged here."""
    if first in books.pays_bill and second in books.pays_bill:
        return True
    return _receipt(books, first) and _receipt(books, second)


def _receipt(books: _Books, i: int) -> bool:
    moved = [p for p in books.txns[i].postings if p.units is not None]
    credited = any(p.account in books.receivables and p.units.number < 0 for p in moved)
    return credited and any(p.account in books.cash and p.units.number > 0 for p in moved)


def _described_apart(books: _Books, a: data.Transaction, b: data.Transaction) -> bool:
    """Whether a person typing two purchases of one payee told them apart in words: one
    narration says all the other does and more ("Coffee", "Coffee with Sam", "Kaffee (2)"),
    or each names what was bought, nothing alike ("kennel latches", "run gate hinges").
    Typed again by mistake, an entry repeats its words or reads otherwise ("receipt",
    "supplies"); it does not go on to say what the first one left out."""
    if not a.payee or not b.payee:
        return False  # a purchase has a payee: entries without one are transfers, fees
    if shared_number(a.narration or "", b.narration or ""):
        return False  # both name one flat, one order: the words added say where from
    names = frozenset(_NAME_WORDS.findall(f"{a.payee} {b.payee}".casefold()))
    known = _account_words(a, b) | names
    if a.payee.casefold() == b.payee.casefold() and says_more(
        a.narration or "", b.narration or "", known
    ):
        return True
    return books.names.same(a.payee, b.payee) and two_things_bought(a, b, known)


_NAME_WORDS = re.compile(r"[^\W\d_]+")


def _coded_apart(books: _Books, account: str, a: data.Transaction, b: data.Transaction) -> bool:
    """Whether a person typing both booked them to wholly different accounts, none a
    catch-all, each in words the other lacks: a tenant's deposit ("Deposit flat 3111") to the
    deposits held and her first rent ("Rent March flat 3111") to the owner's funds, the same
    day and amount, are two receipts she told apart. One movement typed twice is coded
    alike, or split where the other is not, or one says no more than the other does."""
    words = [set(_NAME_WORDS.findall((e.narration or "").casefold())) for e in (a, b)]
    if not (words[0] - words[1]) or not (words[1] - words[0]):
        return False  # "Net pay" and "Net pay 2025-04-04": one pay, coded twice
    counters = [{p.account for p in e.postings if p.account != account} for e in (a, b)]
    if not counters[0] or not counters[1] or counters[0] & counters[1]:
        return False
    if (counters[0] | counters[1]) & books.uncategorized:
        return False
    return not _transfer_twice(books, account, a, b)


def _account_words(a: data.Transaction, b: data.Transaction) -> frozenset[str]:
    """The words of the accounts two entries post to, casefolded."""
    return frozenset(
        word.casefold() for e in (a, b) for p in e.postings for word in p.account.split(":")
    )


def _counter_words(a: data.Transaction, b: data.Transaction, account: str) -> str:
    def others(entry: data.Transaction) -> str:
        return ", ".join(sorted({p.account for p in entry.postings if p.account != account}))

    return f"{others(a)} vs {others(b)}"


def _transfer_twice(
    books: _Books, account: str, a: data.Transaction, b: data.Transaction
) -> str | None:
    """Words for one transfer booked twice, or None: one entry moves money between two cash
    accounts, and the other holds the same movement's other side or parks it uncategorized."""
    for transfer, other in ((a, b), (b, a)):
        cash = set(_cash_accounts(transfer, books))
        if len(cash) < 2 or account not in cash:
            continue
        far = cash - {account}
        rest = {p.account for p in other.postings} - {account}
        if rest and rest <= far | books.uncategorized:
            where = ", ".join(sorted(rest))
            return f"one transfer {account} / {', '.join(sorted(far))}, booked again ({where})"
    return None


def _provenance(
    books: _Books, first: int, second: int, origin_a: str | None, origin_b: str | None
) -> str:
    def words(origin: str | None) -> str:
        return "typed by hand" if origin is None else f"imported from the {origin} statement"

    if origin_a == origin_b:
        return "both " + words(origin_a)
    return f"one {words(origin_a)}, one {words(origin_b)}"
