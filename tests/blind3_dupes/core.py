"""Entries, truth and the ledger writer shared by the books of the third blind duplicate set.

A book is a list of `Txn`s, each written to one ledger file; the truth names planted
duplicate sets and honest look-alike groups by `Txn`, resolved to `file:line` of each
transaction's header when the files are written. Statement lines are derived from the
entries: each posting on an account with a statement is a line, unless the entry says it
gave none (a planted copy) or gave lines only on some accounts (one side of a transfer)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

CENT = Decimal("0.01")


def money(value: str | int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def cents(n: int) -> Decimal:
    return Decimal(n).scaleb(-2)


@dataclass
class Posting:
    account: str
    amount: Decimal | None
    currency: str
    price: str | None = None  # "@@ 10870.00 USD" or "@ 1.0870 USD"
    meta: dict[str, str] = field(default_factory=dict)


def P(account: str, amount=None, currency: str = "", price=None, **meta) -> Posting:
    """A posting; amount None leaves it for beancount to fill in."""
    return Posting(account, None if amount is None else money(amount), currency, price, meta)


@dataclass(eq=False)
class Txn:
    date: dt.date
    payee: str | None
    narration: str
    postings: list[Posting]
    file: str
    flag: str = "*"
    meta: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    # Statement side: the bank's text, the bank's date, the statement accounts this entry gives
    # a line on (None: every statement account it posts to; empty: none, a planted copy).
    text: str | None = None
    bank_date: dt.date | None = None
    lines_on: set[str] | None = None
    bank_type: str = ""
    text_on: dict[str, str] = field(default_factory=dict)  # the other account's bank text
    line: int = 0  # header line, set by the writer
    seq: int = 0

    def amount_on(self, account: str) -> Decimal:
        return sum((p.amount for p in self.postings if p.account == account), Decimal(0))


class Stock:
    """The book's kept entries by key; an index past the end wraps (counts vary by seed)."""

    def __init__(self, kept: dict[str, list]):
        self.kept = kept

    def __getitem__(self, key):
        return Wrap(self.kept[key])


class Wrap(list):
    def __getitem__(self, n):
        if isinstance(n, slice):
            return list.__getitem__(self, n)
        return list.__getitem__(self, n % len(self))


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Book:
    def __init__(self, name: str, header: list[str], currency: str):
        self.name = name
        self.header = header  # option lines repeated at the top of every ledger file
        self.currency = currency
        self.txns: list[Txn] = []
        self.opens: list[tuple[dt.date, str, str]] = []
        self.other: list[tuple[dt.date, str]] = []  # price directives etc. for accounts file
        self.dupes: list[tuple[str, str, list[Txn]]] = []
        self.looks: list[tuple[str, str, list[Txn]]] = []
        self.files: list[str] = []

    def open(self, date: dt.date, account: str, currencies: str = "") -> None:
        self.opens.append((date, account, currencies))

    def add(self, date, payee, narration, postings, *, file, **kw) -> Txn:
        for p in postings:
            if p.amount is not None and not p.currency:
                p.currency = self.currency
        t = Txn(date, payee, narration, list(postings), file, **kw)
        t.seq = len(self.txns)
        self.txns.append(t)
        if file not in self.files:
            self.files.append(file)
        return t

    def copy(self, t: Txn, *, file=None, lines_on=None, **changes) -> Txn:
        """A second entry of `t` (a planted copy): by default it gives no statement line."""
        postings = [
            Posting(p.account, p.amount, p.currency, p.price, dict(p.meta)) for p in t.postings
        ]
        kw = dict(
            flag=t.flag,
            meta=dict(t.meta),
            links=list(t.links),
            text=t.text,
            bank_date=t.bank_date,
            bank_type=t.bank_type,
        )
        kw.update(changes)
        fields = {k: kw.pop(k) for k in ("date", "payee", "narration", "postings") if k in kw}
        return self.add(
            fields.get("date", t.date),
            fields.get("payee", t.payee),
            fields.get("narration", t.narration),
            fields.get("postings", postings),
            file=file or t.file,
            lines_on=set() if lines_on is None else lines_on,
            **kw,
        )

    def dup(self, kind: str, note: str, *txns: Txn) -> None:
        self.dupes.append((kind, note, list(txns)))

    def look(self, kind: str, note: str, *txns: Txn) -> None:
        self.looks.append((kind, note, list(txns)))

    # -- writing --------------------------------------------------------------------------

    def render(self, t: Txn) -> list[str]:
        head = f"{t.date} {t.flag} "
        head += (f"{q(t.payee)} " if t.payee is not None else "") + q(t.narration)
        head += "".join(f" ^{link}" for link in t.links)
        out = [head]
        out += [f"  {k}: {q(v)}" for k, v in t.meta.items()]
        for p in t.postings:
            if p.amount is None:
                out.append(f"  {p.account}")
            else:
                price = f" {p.price}" if p.price else ""
                out.append(f"  {p.account}  {p.amount} {p.currency}{price}")
            out += [f"    {k}: {q(v)}" for k, v in p.meta.items()]
        return out

    def write(self, root: Path, main: str, accounts_file: str, title: str) -> None:
        ledgers = root
        lines = [*self.header, f'option "title" {q(title)}', ""]
        lines += [
            f'include "{Path(f).relative_to(Path(main).parent)}"'
            for f in [accounts_file, *self.files]
        ]
        write_text(ledgers / main, "\n".join(lines) + "\n")
        acc = [*self.header, ""]
        for date, account, cur in sorted(self.opens):
            acc.append(f"{date} open {account}" + (f" {cur}" if cur else ""))
        acc.append("")
        acc += [text for _, text in sorted(self.other)]
        write_text(ledgers / accounts_file, "\n".join(acc) + "\n")
        for name in self.files:
            out = [*self.header, ""]
            for t in sorted(
                (t for t in self.txns if t.file == name), key=lambda t: (t.date, t.seq)
            ):
                t.line = len(out) + 1
                out += self.render(t)
                out.append("")
            write_text(ledgers / name, "\n".join(out))

    def truth(self) -> dict:
        def groups(sets: list[tuple[str, str, list[Txn]]], letter: str) -> list[dict]:
            return [
                {
                    "id": f"{self.name[:1]}{letter}{i:02d}",
                    "kind": kind,
                    "note": note,
                    "entries": [{"file": t.file, "line": t.line, "date": str(t.date)} for t in ts],
                }
                for i, (kind, note, ts) in enumerate(sets, 1)
            ]

        return {
            "book": self.name,
            "duplicates": groups(self.dupes, "d"),
            "lookalikes": groups(self.looks, "l"),
        }


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_json(path: Path, data) -> None:
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


@dataclass
class Line:
    date: dt.date
    amount: Decimal  # into the account as the books see it (card charge negative)
    text: str
    id: str
    type: str
    seq: int


def statement_lines(book: Book, account: str, id_key: str | None) -> list[Line]:
    """The bank's lines of `account`: one per posting of an entry that gives a line there."""
    out = []
    for t in book.txns:
        if t.lines_on is not None and account not in t.lines_on:
            continue
        for p in t.postings:
            if p.account != account:
                continue
            ident = ""
            if id_key:
                ident = p.meta.get(id_key) or t.meta.get(id_key) or other_id(account, t.seq)
            text = t.text_on.get(account) or t.text or (t.payee or t.narration).upper()
            out.append(Line(t.bank_date or t.date, p.amount, text, ident, t.bank_type, t.seq))
    out.sort(key=lambda x: (x.date, x.seq))
    return out


def other_id(account: str, seq: int) -> str:
    """The bank's id of a line whose entry came from another account's feed."""
    digest = hashlib.sha1(f"{account}/{seq}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}"


def unexplained(book: Book, accounts: list[str]) -> list[str]:
    """Entries on a statement account that give it no line and are no planted copy: the
    statements would then not add up to the books."""
    planted = {id(t) for _, _, ts in book.dupes for t in ts}
    out = []
    for t in book.txns:
        if t.narration == "Opening balances" or id(t) in planted:
            continue
        for account in accounts:
            if t.lines_on is not None and account not in t.lines_on and t.amount_on(account):
                out.append(f"{book.name}: {t.date} {t.narration!r} gives no line on {account}")
    return out


def opening(book: Book, account: str) -> Decimal:
    """The opening balance entry's amount on `account` (never a statement line)."""
    return sum(
        (
            t.amount_on(account)
            for t in book.txns
            if t.lines_on == set() and t.narration == "Opening balances"
        ),
        Decimal(0),
    )


def by_month(lines: list[Line]) -> dict[str, list[Line]]:
    months: dict[str, list[Line]] = {}
    for line in lines:
        months.setdefault(f"{line.date:%Y-%m}", []).append(line)
    return months
