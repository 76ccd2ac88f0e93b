"""Shared machinery for the three generated books: entries, files, truth, statements."""
import csv
import json
import os
import shutil
import sys
from collections import defaultdict
from decimal import Decimal

# Where the books are written (gen.py --out) and where bean-check and bean-example live.
OUT = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)

ID_KEYS = ("bank_id", "txn_id", "fitid", "bank-txn-id", "import-id")


def D(x):
    return Decimal(str(x)).quantize(Decimal("0.01"))


def money(x):
    return f"{D(x):.2f}"


def P(acct, amt=None, cur=None, price=None, meta=None):
    return (acct, amt, cur, price, meta or {})


def fmt_meta(v):
    if isinstance(v, str):
        return '"' + v.replace('"', "'") + '"'
    return str(v)


def txn_lines(d, payee, narr, posts, meta=None, flag="*", links=(), tags=()):
    head = f'{d} {flag} "{payee}" "{narr}"'
    for t in tags:
        head += f" #{t}"
    for l in links:
        head += f" ^{l}"
    out = [head]
    for k, v in (meta or {}).items():
        out.append(f"  {k}: {fmt_meta(v)}")
    for acct, amt, cur, price, pmeta in posts:
        if amt is None:
            out.append(f"  {acct}")
        else:
            s = f"  {acct:<44} {money(amt):>11} {cur}"
            if price:
                s += " " + price
            out.append(s)
        for k, v in pmeta.items():
            out.append(f"    {k}: {fmt_meta(v)}")
    return out


class Book:
    def __init__(self, root):
        self.root = root
        self.items = []          # (file, date, seq, lines, key)
        self.heads = {}          # file -> header text
        self.seq = 0
        self.dups = []           # (kind, [keys], note)
        self.looks = []
        self.btext = {}          # key -> bank text for the statement line
        self.nostmt = set()      # (key, account) pairs that have no statement line of their own
        self.loc = {}
        self.home = {}           # key -> account whose statement line its id names

    def add(self, file, d, lines):
        self.seq += 1
        key = f"k{self.seq}"
        self.items.append((file, d, self.seq, lines, key))
        return key

    def txn(self, file, d, payee, narr, posts, meta=None, btext=None, **kw):
        k = self.add(file, d, txn_lines(d, payee, narr, posts, meta, **kw))
        if btext:
            self.btext[k] = btext
        return k

    def dup(self, kind, keys, note, excl_accounts=None):
        """keys[0] is the one the statement shows; the rest have no line of their own
        (excl_accounts: {key: [accounts]} overrides which accounts each extra lacks)."""
        self.dups.append((kind, list(keys), note, excl_accounts))

    def look(self, kind, keys, note):
        self.looks.append((kind, list(keys), note))

    def write(self):
        byfile = defaultdict(list)
        for it in self.items:
            byfile[it[0]].append(it)
        files = set(byfile) | set(self.heads)
        for f in files:
            path = os.path.join(self.root, f)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            lines = self.heads.get(f, "").rstrip("\n").split("\n") if self.heads.get(f) else []
            if lines:
                lines.append("")
            for (_, d, seq, elines, key) in sorted(byfile.get(f, []), key=lambda t: (t[1], t[2])):
                if key:
                    self.loc[key] = (f, len(lines) + 1)
                lines.extend(elines)
                lines.append("")
            with open(path, "w") as fh:
                fh.write("\n".join(lines) + "\n")

    def locs(self, key):
        f, l = self.loc[key]
        return {"file": f, "line": l}

    def truth(self, extra_locs=None):
        def L(k):
            if extra_locs and k in extra_locs:
                return extra_locs[k]
            return self.locs(k)
        t = {"duplicates": [], "lookalikes": []}
        for i, (kind, keys, note, _) in enumerate(self.dups):
            t["duplicates"].append({"id": f"D{i+1:03d}", "kind": kind, "note": note,
                                    "entries": [L(k) for k in keys]})
        for i, (kind, keys, note) in enumerate(self.looks):
            t["lookalikes"].append({"id": f"L{i+1:03d}", "kind": kind, "note": note,
                                    "entries": [L(k) for k in keys]})
        return t


def statement_lines(ledger_path, root, accounts, key_of_loc, btext, excluded, rng, home=None):
    home = home or {}
    """Real activity per account from the loaded ledger: one line per (entry, account)
    unless (key, account) is excluded. Returns {account: [(date, amount, cur, text, id)]}."""
    from beancount import loader
    from beancount.core import data
    entries, errors, _ = loader.load_file(ledger_path)
    assert not errors, errors[:3]
    out = defaultdict(list)
    for e in entries:
        if not isinstance(e, data.Transaction):
            continue
        rel = os.path.relpath(e.meta["filename"], root)
        key = key_of_loc.get((rel, e.meta["lineno"]), f"{rel}:{e.meta['lineno']}")
        for acct in accounts:
            amts = defaultdict(Decimal)
            for p in e.postings:
                if p.account == acct:
                    amts[p.units.currency] += p.units.number
            if not amts:
                continue
            if (key, acct) in excluded:
                continue
            lid = None
            for k in (ID_KEYS if home.get(key, acct) == acct else ()):
                if k in e.meta:
                    lid = str(e.meta[k])
                    break
            text = btext.get((key, acct)) or btext.get(key) or (e.payee or e.narration).upper()
            for cur, n in amts.items():
                if n == 0:
                    continue
                out[acct].append((e.date, n, cur, text, lid or f"B{rng.randrange(10**9, 10**10)}"))
    for a in out:
        out[a].sort(key=lambda r: (r[0], r[3], r[1]))
    return out


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def by_month(rows):
    m = defaultdict(list)
    for r in rows:
        m[r[0].strftime("%Y-%m")].append(r)
    return m


def dump_truth(root, t):
    with open(os.path.join(root, "truth.json"), "w") as fh:
        json.dump(t, fh, indent=1)


def copy_book(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
