"""Entries, ledger files, truth and statement lines for the blind5 duplicate set.

A book is a list of transactions, each written to one ledger file. Line numbers are known
only once a file is written, so the truth names transactions (Python objects) until then.
A transaction makes one statement line on every statement account it touches, unless it is
a planted copy (`copy=True`: the bank printed the movement once) or an opening balance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def fmt(amount: Decimal, places: int = 2) -> str:
    return f"{amount:.{places}f}"


@dataclass
class Posting:
    account: str
    amount: Decimal | None
    currency: str
    meta: dict = field(default_factory=dict)
    price: str = ""  # written after the amount as is ("@@ 512.30 NZD")


@dataclass
class Txn:
    date: date
    payee: str
    narration: str
    postings: list[Posting]
    file: str
    flag: str = "*"
    meta: dict = field(default_factory=dict)
    links: tuple[str, ...] = ()
    copy: bool = False  # a planted duplicate: the bank printed its movement once
    no_line: bool = False  # never on a statement (opening balances)
    bank_date: date | None = None  # when the bank printed it, if not the entry's date
    bank_text: str | None = None  # the bank's words for it
    bank_id: str | None = None  # the statement's id column, where it has one
    extra: dict = field(default_factory=dict)  # statement columns of one layout
    seq: int = 0
    line: int = 0

    def amount_on(self, account: str) -> Decimal:
        return sum((p.amount for p in self.postings if p.account == account), Decimal(0))


def _meta_value(value) -> str:
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Book:
    """One set of books: its transactions, files, opens and truth."""

    def __init__(self, name: str, currency: str, places: int = 2):
        self.name = name
        self.currency = currency
        self.places = places
        self.txns: list[Txn] = []
        self.opens: list[tuple[date, str, str]] = []
        self.headers: dict[str, list[str]] = {}  # file -> lines written before entries
        self.extra_files: dict[str, str] = {}
        self.duplicates: list[tuple[str, str, list[Txn]]] = []
        self.lookalikes: list[tuple[str, str, list[Txn]]] = []
        self._seq = 0

    def add(self, when: date, payee: str, narration: str, legs, file: str, **kw) -> Txn:
        """legs: (account, amount) pairs, or Posting objects; one amount may be None."""
        postings = []
        for leg in legs:
            if isinstance(leg, Posting):
                postings.append(leg)
            else:
                account, amount = leg[0], leg[1]
                meta = leg[2] if len(leg) > 2 else {}
                value = None if amount is None else Decimal(amount).quantize(self.unit)
                postings.append(Posting(account, value, self.currency, dict(meta)))
        missing = [p for p in postings if p.amount is None]
        if missing:
            rest = sum(p.amount for p in postings if p.amount is not None and not p.price)
            missing[0].amount = -rest
        self._seq += 1
        txn = Txn(when, payee, narration, postings, file, seq=self._seq, **kw)
        self.txns.append(txn)
        return txn

    @property
    def unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)

    def dup(self, kind: str, note: str, *txns: Txn) -> None:
        self.duplicates.append((kind, note, list(txns)))

    def look(self, kind: str, note: str, *txns: Txn) -> None:
        self.lookalikes.append((kind, note, list(txns)))

    def open(self, when: date, account: str, currency: str | None = None) -> None:
        self.opens.append((when, account, currency or self.currency))

    # -- writing ------------------------------------------------------------------------

    def render(self, txn: Txn) -> list[str]:
        head = f"{txn.date.isoformat()} {txn.flag} {_quote(txn.payee)} {_quote(txn.narration)}"
        if txn.links:
            head += " " + " ".join(f"^{link}" for link in txn.links)
        out = [head]
        for key, value in txn.meta.items():
            out.append(f"  {key}: {_meta_value(value)}")
        for p in txn.postings:
            places = 0 if p.currency == "JPY" else self.places
            line = f"  {p.account:<44} {fmt(p.amount, places):>12} {p.currency}"
            if p.price:
                line += f" {p.price}"
            out.append(line)
            for key, value in p.meta.items():
                out.append(f"    {key}: {_meta_value(value)}")
        return out

    def write(self, root: Path) -> None:
        files: dict[str, list[Txn]] = {}
        for txn in self.txns:
            files.setdefault(txn.file, []).append(txn)
        for name in sorted(set(files) | set(self.headers)):
            lines = list(self.headers.get(name, []))
            for txn in sorted(files.get(name, []), key=lambda t: (t.date, t.seq)):
                if lines and lines[-1] != "":
                    lines.append("")
                txn.line = len(lines) + 1
                lines.extend(self.render(txn))
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n")
        for name, text in self.extra_files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def open_lines(self) -> list[str]:
        return [
            f"{when.isoformat()} open {account} {currency}"
            for when, account, currency in sorted(self.opens)
        ]

    def truth(self) -> dict:
        def refs(txns):
            return [{"file": t.file, "line": t.line, "date": t.date.isoformat()} for t in txns]

        dups = [
            {"id": f"D{n:03d}", "kind": kind, "note": note, "entries": refs(txns)}
            for n, (kind, note, txns) in enumerate(self.duplicates, 1)
        ]
        looks = [
            {"id": f"L{n:03d}", "kind": kind, "note": note, "entries": refs(txns)}
            for n, (kind, note, txns) in enumerate(self.lookalikes, 1)
        ]
        return {"book": self.name, "duplicates": dups, "lookalikes": looks}

    def write_truth(self, root: Path) -> None:
        (root / "truth.json").write_text(
            json.dumps(self.truth(), indent=1, ensure_ascii=False) + "\n"
        )

    # -- statements ---------------------------------------------------------------------

    def lines_of(self, account: str) -> list[dict]:
        """The bank's lines of one account: every real movement once, in the bank's order."""
        out = []
        for txn in self.txns:
            if txn.copy or txn.no_line:
                continue
            amount = txn.amount_on(account)
            if not any(p.account == account for p in txn.postings):
                continue
            out.append(
                {
                    "date": txn.bank_date or txn.date,
                    "amount": amount,
                    "text": txn.extra.get("texts", {}).get(account)
                    or txn.bank_text
                    or txn.payee.upper(),
                    "id": txn.bank_id,
                    "extra": txn.extra,
                    "seq": txn.seq,
                }
            )
        out.sort(key=lambda line: (line["date"], line["seq"]))
        return out

    def opening(self, account: str) -> Decimal:
        return sum((t.amount_on(account) for t in self.txns if t.no_line), Decimal(0))


def days(n: int) -> timedelta:
    return timedelta(days=n)


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    out = []
    d = first
    while d.month == month:
        out.append(d)
        d += timedelta(days=1)
    return out


def months(start: date, count: int) -> list[tuple[int, int]]:
    y, m = start.year, start.month
    out = []
    for _ in range(count):
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def next_business_day(d: date, n: int = 1) -> date:
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def business(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


class Planting:
    """Picks background entries to plant on, each at most once across a book's plantings."""

    def __init__(self, source, used: set[int] | None = None):
        self.source, self.b, self.rng = source, source.b, source.rng
        self.used: set[int] = set() if used is None else used

    def pick(self, pool, n, ok=lambda t: True):
        cands = [t for t in pool if t.seq not in self.used and ok(t)]
        chosen = sorted(self.rng.sample(cands, n), key=lambda t: t.seq)
        self.used.update(t.seq for t in chosen)
        return chosen

    def free(self, txns):
        return [t for t in txns if t.seq not in self.used]

    def legs(self, txn, sign=1):
        return [(p.account, p.amount * sign) for p in txn.postings]


def transposed(amount: Decimal) -> Decimal:
    """The amount with two neighbouring digits of its whole part swapped, as a typo does."""
    whole, cents = f"{amount:.2f}".split(".")
    digits = list(whole)
    for i in range(len(digits) - 2, -1, -1):
        if digits[i] != digits[i + 1]:
            digits[i], digits[i + 1] = digits[i + 1], digits[i]
            break
    return Decimal("".join(digits) + "." + cents)


def swapped(when: date) -> date | None:
    """The date with day and month read the other way round, where that is a date."""
    if when.day > 12 or when.day == when.month:
        return None
    return date(when.year, when.day, when.month)
