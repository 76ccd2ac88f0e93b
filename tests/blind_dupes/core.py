"""The world a blind book is made from: statement lines, ledger entries, planted truth.

A book is built from what really happened at the bank (statement lines), then from how the
bookkeeping recorded it (entries: imported from a feed, typed by hand, or both). A planted
duplicate is an entry with no movement of its own behind it, or a second real movement
(a payment sent twice); a look-alike is a group of honest entries that resemble one.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

CENT = Decimal("0.01")


def money(x):
    return Decimal(x).quantize(CENT)


def cents(rng, lo, hi):
    """A random amount from lo to hi, to the cent."""
    return money(Decimal(rng.randint(int(lo * 100), int(hi * 100))) / 100)


@dataclass
class Posting:
    account: str
    units: Decimal | None
    currency: str = ""
    price: str = ""  # e.g. "@@ 4612.40 EUR"
    meta: dict = field(default_factory=dict)


@dataclass
class Txn:
    file: str
    date: date
    payee: str
    narration: str
    postings: list
    meta: dict = field(default_factory=dict)
    links: tuple = ()
    flag: str = "*"
    seq: int = 0
    line: int = 0  # header line, set when written


@dataclass
class Line:
    """One line of a bank or card statement, as the account sees it (money in > 0)."""

    account: str
    date: date
    amount: Decimal
    desc: str
    id: str = ""
    ref: str = ""
    kind: str = ""  # the bank's own type word (ACH, POS, CHECK...)


@dataclass
class Account:
    name: str
    currency: str
    opened: date
    opening: Decimal = Decimal(0)
    idkey: str = ""  # metadata key the feed writes ("" none, "^" a link)
    idprefix: str = ""
    meta: dict = field(default_factory=dict)


class Book:
    def __init__(self, name, rng, currency, start, end, main_options=(), equity="Equity"):
        self.name, self.rng, self.currency = name, rng, currency
        self.equity = equity
        self.start, self.end = start, end
        self.options = list(main_options)
        self.accounts = {}
        self.txns = []
        self.lines = []
        self.dupes = []
        self.looks = []
        self.idcount = 0
        self.files = []  # included ledger files, in include order

    # --- accounts and movements ------------------------------------------------------------
    def open(self, name, currency=None, opening=0, idkey="", idprefix="", **meta):
        acct = Account(
            name, currency or self.currency, self.start, money(opening), idkey, idprefix, meta
        )
        self.accounts[name] = acct
        return name

    def newid(self, account):
        acct = self.accounts[account]
        self.idcount += 1
        r = self.rng
        tail = "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
        return f"{acct.idprefix}{self.idcount:05d}{tail}"

    def line(self, account, day, amount, desc, ref="", kind=""):
        ln = Line(account, day, money(amount), desc, self.newid(account), ref, kind)
        self.lines.append(ln)
        return ln

    def txn(self, file, day, payee, narration, postings, meta=None, links=(), flag="*"):
        if file not in self.files:
            self.files.append(file)
        t = Txn(
            file,
            day,
            payee,
            narration,
            postings,
            dict(meta or {}),
            tuple(links),
            flag,
            len(self.txns),
        )
        self.txns.append(t)
        return t

    def fed(self, file, ln, payee, narration, others, meta=None, idkey=None, links=()):
        """An entry an importer wrote from statement line `ln`, carrying the line's id."""
        acct = self.accounts[ln.account]
        key = acct.idkey if idkey is None else idkey
        meta, links = dict(meta or {}), list(links)
        if key == "^":
            links.append(ln.id)
        elif key:
            meta[key] = ln.id
        posts = [Posting(ln.account, ln.amount, acct.currency)]
        posts += others if others else []
        return self.txn(file, ln.date, payee, narration, posts, meta, links)

    def other(self, account, amount, currency=None, price=""):
        return Posting(account, money(amount), currency or self.currency, price)

    def rest(self, account):
        return Posting(account, None)

    def dup(self, kind, note, *txns):
        self.dupes.append((kind, note, list(txns)))

    def look(self, kind, note, *txns):
        self.looks.append((kind, note, list(txns)))

    def days(self):
        d = self.start
        while d <= self.end:
            yield d
            d += timedelta(days=1)

    # --- writing -----------------------------------------------------------------------------
    def write(self, root, title, extra_main=""):
        os.makedirs(os.path.join(root, "ledgers"), exist_ok=True)
        main = [f'option "title" "{title}"']
        main += [f'option "{k}" "{v}"' for k, v in self.options]
        main += [f'option "operating_currency" "{self.currency}"', ""]
        opening = f"{self.equity}:Opening-Balances"
        main.append(f"{self.start - timedelta(days=31)} open {opening}")
        for acct in self.accounts.values():
            main.append(f"{self.start - timedelta(days=31)} open {acct.name} {acct.currency}")
            for k, v in acct.meta.items():
                main.append(f'  {k}: "{v}"')
        for acct in self.accounts.values():
            if acct.opening:
                main.append("")
                main.append(f'{self.start - timedelta(days=31)} * "Opening balance"')
                main.append(f"  {acct.name}  {acct.opening} {acct.currency}")
                main.append(f"  {opening}")
        opened = {a.split()[0] for a in self.need_open()}
        for name in sorted(opened - set(self.accounts) - {opening}):
            main.append(f"{self.start - timedelta(days=31)} open {name}")
        if extra_main:
            main += ["", extra_main.rstrip()]
        main.append("")
        main += [f'include "{os.path.relpath(f, "ledgers")}"' for f in self.files]
        _save(os.path.join(root, "ledgers", "main.beancount"), "\n".join(main) + "\n")
        for f in self.files:
            ts = sorted((t for t in self.txns if t.file == f), key=lambda t: (t.date, t.seq))
            out = [f"; {title}: {os.path.basename(f)}"]
            # beancount parses an included file with its own options: renamed roots again
            out += [f'option "{k}" "{v}"' for k, v in self.options if k.startswith("name_")]
            out.append("")
            for t in ts:
                t.line = len(out) + 1
                out += [*_render(t), ""]
            _save(os.path.join(root, f), "\n".join(out))

    def need_open(self):
        seen = {}
        for t in self.txns:
            for p in t.postings:
                seen[p.account] = 1
        return list(seen)

    def truth(self):
        def refs(ts):
            return [{"file": t.file, "line": t.line} for t in ts]

        dupes = [
            {"id": f"D{i:03d}", "kind": k, "note": n, "entries": refs(ts)}
            for i, (k, n, ts) in enumerate(self.dupes, 1)
        ]
        looks = [
            {"id": f"L{i:03d}", "kind": k, "note": n, "entries": refs(ts)}
            for i, (k, n, ts) in enumerate(self.looks, 1)
        ]
        return {"duplicates": dupes, "lookalikes": looks}


def _q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', "'") + '"'


def _meta(d, indent):
    out = []
    for k, v in d.items():
        val = str(v) if isinstance(v, (Decimal, date)) else _q(str(v))
        out.append(f"{indent}{k}: {val}")
    return out


def _render(t):
    head = f"{t.date} {t.flag} {_q(t.payee)} {_q(t.narration)}"
    head += "".join(f" ^{x}" for x in t.links)
    out = [head, *_meta(t.meta, "  ")]
    for p in t.postings:
        if p.units is None:
            out.append(f"  {p.account}")
        else:
            amt = f"{p.units} {p.currency}" + (f" {p.price}" if p.price else "")
            out.append(f"  {p.account}  {amt}")
        out += _meta(p.meta, "    ")
    return out


def _save(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def save_json(path, data):
    _save(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


save = _save
