"""Entries, the ledger writer, the truth and the statements' lines of one generated book.

Nothing here knows about duplicates beyond what a bookkeeper would write down: which entries
are one movement booked twice (a planted set), which look alike and are not (a group), and
which entries are a planted copy (the bank printed no line of its own for them).
"""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A Decimal to the cent, from text, int or Decimal (never a float)."""
    return Decimal(str(value)).quantize(CENT)


@dataclass
class Posting:
    account: str
    amount: Decimal | None
    currency: str = ""
    price: str = ""  # "@@ 100.00 EUR" and the like, written as given
    meta: dict = field(default_factory=dict)


@dataclass
class Txn:
    date: date
    payee: str
    narration: str
    postings: list[Posting]
    meta: dict = field(default_factory=dict)
    flag: str = "*"
    links: tuple = ()
    file: str = ""
    copy: bool = False  # a planted copy: the bank printed no line for it
    lines: dict = field(default_factory=dict)  # account -> {text, id, date}: its statement line
    line: int = 0  # header line in its file, set when written

    def on(self, account: str) -> Decimal:
        return sum((p.amount for p in self.postings if p.account == account), Decimal(0))


class Book:
    """One book: its files of entries, its accounts, its planted sets and look-alike groups."""

    def __init__(self, name: str, currency: str, title: str):
        self.name, self.currency, self.title = name, currency, title
        self.opens: list[tuple[date, str, str]] = []
        self.txns: list[Txn] = []
        self.dupes: list[tuple[str, str, list[Txn]]] = []
        self.looks: list[tuple[str, str, list[Txn]]] = []
        self.file = "ledgers/2025.beancount"
        self.headers: dict[str, str] = {}  # file -> lines written before its entries
        self.extra: dict[str, list[str]] = defaultdict(list)  # file -> directives (prices)
        self.file_options: list[str] = []  # options every file repeats (renamed roots)

    def open(self, day: date, *accounts: str, currencies: str = "") -> None:
        for account in accounts:
            self.opens.append((day, account, currencies))

    def tx(
        self,
        day,
        payee,
        narration,
        *postings,
        meta=None,
        flag="*",
        links=(),
        file=None,
        copy=False,
        lines=None,
    ) -> Txn:
        """An entry; postings are (account, amount[, currency[, price[, meta]]]) tuples."""
        made = []
        for p in postings:
            account, amount, *rest = p
            currency = rest[0] if rest else ""
            price = rest[1] if len(rest) > 1 else ""
            pmeta = rest[2] if len(rest) > 2 else {}
            made.append(
                Posting(account, None if amount is None else money(amount), currency, price, pmeta)
            )
        txn = Txn(
            day,
            payee,
            narration,
            made,
            dict(meta or {}),
            flag,
            tuple(links),
            file or self.file,
            copy,
            dict(lines or {}),
        )
        self.txns.append(txn)
        return txn

    def dup(self, kind: str, note: str, *txns: Txn) -> None:
        assert len(txns) >= 2 and all(isinstance(t, Txn) for t in txns)
        self.dupes.append((kind, note, list(txns)))

    def look(self, kind: str, note: str, *txns: Txn) -> None:
        assert len(txns) >= 2 and all(isinstance(t, Txn) for t in txns)
        self.looks.append((kind, note, list(txns)))

    # -- writing -------------------------------------------------------------------------------

    def write(self, root: Path, main_options: list[str]) -> None:
        """The ledger files (entries by date within a file) and truth.json."""
        files = sorted({t.file for t in self.txns} | set(self.extra))
        ledgers = root / "ledgers"
        ledgers.mkdir(parents=True, exist_ok=True)
        main = [f'option "title" "{self.title}"', *main_options, *self.file_options]
        main.append('include "accounts.beancount"')
        main += [f'include "{Path(f).relative_to("ledgers")}"' for f in files]
        (ledgers / "main.beancount").write_text("\n".join(main) + "\n")
        accounts = [*self.file_options, self.headers.get("ledgers/accounts.beancount", "").rstrip()]
        for day, account, currencies in sorted(self.opens):
            accounts.append(f"{day} open {account}" + (f" {currencies}" if currencies else ""))
        (ledgers / "accounts.beancount").write_text("\n".join(a for a in accounts if a) + "\n")
        for name in files:
            out = [*self.file_options]
            out += [line for line in self.headers.get(name, "").split("\n") if line]
            out += self.extra.get(name, [])
            out.append("")
            entries = sorted((t for t in self.txns if t.file == name), key=lambda t: t.date)
            for txn in entries:
                txn.line = len(out) + 1
                out.extend(render(txn, self.currency))
                out.append("")
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text("\n".join(out))
        (root / "truth.json").write_text(json.dumps(self.truth(), indent=1) + "\n")

    def truth(self) -> dict:
        def ref(t: Txn) -> dict:
            return {"file": t.file, "line": t.line, "date": t.date.isoformat()}

        return {
            "book": self.name,
            "duplicates": [
                {"id": f"d{i:03d}", "kind": k, "note": n, "entries": [ref(t) for t in ts]}
                for i, (k, n, ts) in enumerate(self.dupes, 1)
            ],
            "lookalikes": [
                {"id": f"l{i:03d}", "kind": k, "note": n, "entries": [ref(t) for t in ts]}
                for i, (k, n, ts) in enumerate(self.looks, 1)
            ],
        }

    # -- statements ----------------------------------------------------------------------------

    def statement_lines(self, account: str) -> list[dict]:
        """The bank's lines for an account: one per genuine entry touching it, by date."""
        lines = []
        for seq, txn in enumerate(self.txns):
            amount = txn.on(account)
            if txn.copy or not any(p.account == account for p in txn.postings):
                continue
            over = txn.lines.get(account, {})
            if over is None:  # an opening balance: the balance before the first line
                continue
            text = over.get("text") or bank_text(txn)
            lines.append(
                {
                    "date": over.get("date", txn.date),
                    "amount": amount,
                    "text": text,
                    "id": over.get("id", ""),
                    "seq": seq,
                }
            )
        lines.sort(key=lambda x: (x["date"], x["seq"]))
        return lines

    def opening(self, account: str) -> Decimal:
        return sum(
            (t.on(account) for t in self.txns if t.lines.get(account, 1) is None), Decimal(0)
        )


def bank_text(txn: Txn) -> str:
    words = f"{txn.payee} {txn.narration}".upper()
    return " ".join(words.replace('"', "").split())[:60]


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meta_lines(meta: dict, indent: str) -> list[str]:
    out = []
    for key, value in meta.items():
        shown = value if isinstance(value, Decimal | int) else quote(str(value))
        out.append(f"{indent}{key}: {shown}")
    return out


def render(txn: Txn, currency: str) -> list[str]:
    head = f"{txn.date} {txn.flag} "
    head += f"{quote(txn.payee)} {quote(txn.narration)}" if txn.payee else quote(txn.narration)
    head += "".join(f" ^{link}" for link in txn.links)
    out = [head, *meta_lines(txn.meta, "  ")]
    for p in txn.postings:
        if p.amount is None:
            out.append(f"  {p.account}")
        else:
            text = f"  {p.account:<44} {p.amount:>12} {p.currency or currency}"
            out.append(text + (f" {p.price}" if p.price else ""))
        out.extend(meta_lines(p.meta, "    "))
    return out


def weekdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def next_weekday(day: date, after: int = 1) -> date:
    day += timedelta(days=after)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def month_starts(first: date, months: int):
    y, m = first.year, first.month
    for _ in range(months):
        yield date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def day_in(month: date, day: int) -> date:
    """The day of that month, or its last day."""
    while True:
        try:
            return month.replace(day=day)
        except ValueError:
            day -= 1


def clone(b: Book, txn: Txn, *, is_copy=True, postings=None, **changes) -> Txn:
    """Another entry like `txn`, added to the book: a planted copy unless told otherwise."""
    new = copy.deepcopy(txn)
    new.line, new.copy = 0, is_copy
    for key, value in changes.items():
        setattr(new, key, value)
    if postings is not None:
        new.postings = [Posting(*p) for p in postings]
    b.txns.append(new)
    return new


class Picker:
    """Chooses entries for planted sets and groups, each entry used at most once."""

    def __init__(self, book: Book, rng):
        self.b, self.rng = book, rng
        self.used: set[int] = set()

    def pick(self, items, k, ok=lambda t: True):
        pool = [t for t in items if id(t) not in self.used and ok(t)]
        chosen = sorted(self.rng.sample(pool, k), key=lambda t: t.date)
        self.used.update(id(t) for t in chosen)
        return chosen

    def mark(self, *txns):
        self.used.update(id(t) for t in txns)


def reversal(b: Book, wrong: Txn, day: date, narration: str, keep_meta=False) -> Txn:
    """An entry taking `wrong` back on `day`: its postings negated, a genuine entry."""
    changes = {} if keep_meta else {"meta": {}}
    postings = [(p.account, -p.amount) for p in wrong.postings]
    return clone(
        b, wrong, is_copy=False, date=day, narration=narration, postings=postings, **changes
    )
