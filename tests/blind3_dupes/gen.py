#!/usr/bin/env python3
"""Write the third blind duplicate set: each book, its `-stmts` copy with the banks' statements,
`truth.json` beside each, then check them (bean-check, truth on headers, statements adding up).

usage: gen.py --out DIR [BOOK ...]      (books: hollybank quillmetric; default both)
Fixed seeds: the same command writes the same bytes."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from check import check_book
from core import (
    Book,
    Line,
    opening,
    statement_lines,
    unexplained,
    write_json,
    write_text,
)

import statements as st


@dataclass
class Statement:
    account: str
    dir: str
    id_key: str | None
    write: Callable[[Path, list[Line], Decimal], None]


@dataclass
class Made:
    book: Book
    title: str
    settings: str  # bo.yaml without statements
    formats: str  # the statement_formats section
    statements: list[Statement]


def hollybank() -> Made:
    import book_hollybank as hb
    import plant_hollybank as plant

    h = hb.Hollybank()
    h.build()
    plant.plant(h)
    h.card_repayments()
    plant.plant_late(h)
    return Made(
        h.b,
        "Hollybank Community Food Trust",
        HOLLYBANK_YAML,
        HOLLYBANK_FORMATS,
        [
            Statement(hb.CUR, "statements/unity-current", None, st.unity_csv),
            Statement(hb.RES, "statements/unity-reserve", None, st.unity_csv),
            Statement(
                hb.CARD,
                "statements/lloyds-card",
                "fitid",
                lambda f, lines, bal: st.card_ofx(f, lines, "XXXXXXXXXXXX4417", "GBP", bal),
            ),
        ],
    )


def quillmetric() -> Made:
    import book_quillmetric as qm
    import plant_quillmetric as plant

    q = qm.Quillmetric()
    q.build()
    plant.plant(q)
    q.finish()
    plant.plant_late(q)
    return Made(
        q.b,
        "Quillmetric Inc.",
        QUILL_YAML,
        QUILL_FORMATS,
        [
            Statement(
                qm.CHK,
                "statements/mercury-checking",
                "mercury_id",
                lambda f, lines, bal: st.mercury_csv(f, lines, q.failed),
            ),
            Statement(
                qm.TREAS,
                "statements/mercury-treasury",
                "mercury_id",
                lambda f, lines, bal: st.mercury_csv(f, lines, {}),
            ),
            Statement(qm.EUR, "statements/qonto-eur", "qonto_id", st.qonto_csv),
            Statement(
                qm.CARD, "statements/brex", "brex_id", lambda f, lines, bal: st.brex_csv(f, lines)
            ),
        ],
    )


BOOKS = {"hollybank": hollybank, "quillmetric": quillmetric}


def write_book(made: Made, out: Path, name: str) -> None:
    book = made.book
    for folder, with_statements in ((out / name, False), (out / f"{name}-stmts", True)):
        if folder.exists():
            shutil.rmtree(folder)
        book.write(folder, "ledgers/main.beancount", "ledgers/accounts.beancount", made.title)
        write_json(folder / "truth.json", book.truth())
        settings = made.settings
        if with_statements:
            for s in made.statements:
                lines = statement_lines(book, s.account, s.id_key)
                s.write(folder / s.dir, lines, opening(book, s.account))
            settings = add_statements(settings, made)
        write_text(folder / "bo.yaml", settings)


def add_statements(settings: str, made: Made) -> str:
    """The accounts' `statement:` lines under their names, and the formats section."""
    out = []
    for line in settings.splitlines():
        out.append(line)
        for s in made.statements:
            if line.strip() == f"{s.account}:":
                fmt = s.dir.split("/")[1]
                out.append(f"    statement: {{format: {FORMAT_OF[fmt]}, dir: {s.dir}}}")
    return "\n".join(out) + "\n\n" + made.formats


FORMAT_OF = {
    "unity-current": "unity-trust",
    "unity-reserve": "unity-trust",
    "lloyds-card": "lloyds-ofx",
    "mercury-checking": "mercury",
    "mercury-treasury": "mercury",
    "qonto-eur": "qonto",
    "brex": "brex-card",
}

HOLLYBANK_YAML = """\
# Hollybank Community Food Trust: settings as the treasurer set them up.
entity:
  name: "Hollybank Community Food Trust"
  currency: GBP
  fiscal_year_start: 4
  country: GB
ledger: ledgers/main.beancount
accounts:
  Resources:Bank:Unity:Current:
    role: bank
  Resources:Bank:Unity:Reserve:
    role: bank
  Creditors:Card:Lloyds:
    role: card
  Creditors:Trade:
    role: payable
  Resources:Debtors:Grants:
    role: receivable
  Creditors:Payroll:NetPay:
    role: payroll_liabilities
  Creditors:Payroll:HMRC:
    role: payroll_liabilities
  Creditors:Payroll:Pension:
    role: payroll_liabilities
  Resources:Equipment:
    role: fixed_asset
  Expenditure:Uncategorized:
    role: uncategorized
matching:
  # the TrueLayer sync script writes truelayer_id; the card's OFX import writes fitid
  line_id_keys: [truelayer_id, fitid]
"""

HOLLYBANK_FORMATS = """\
statement_formats:
  unity-trust:
    date: Date
    date_format: "%d %b %Y"
    debit: Paid Out
    credit: Paid In
    payee: Description
    memo: Type
    balance: Balance
  lloyds-ofx:
    kind: ofx
"""

QUILL_YAML = """\
# Quillmetric Inc.: settings as the fractional controller set them up.
entity:
  name: "Quillmetric Inc."
  currency: USD
  country: US
  subdivision: DE
ledger: ledgers/main.beancount
accounts:
  Assets:Mercury:Checking:
    role: bank
  Assets:Mercury:Treasury:
    role: bank
  Assets:Qonto:EUR:
    role: bank
  Liabilities:Brex:Card:
    role: card
  Assets:Stripe:Balance:
    role: processor
  Assets:AccountsReceivable:
    role: receivable
  Liabilities:AccountsPayable:
    role: payable
  Liabilities:Payroll:Taxes:
    role: payroll_liabilities
  Liabilities:Payroll:NetPay:
    role: payroll_liabilities
  Liabilities:DeferredRevenue:
    role: deferred_revenue
  Liabilities:Accrued:
    role: accrued_liabilities
  Expenses:Uncategorized:
    role: uncategorized
matching:
  # our sync scripts: Mercury's API (mercury_id), Qonto's export (qonto_id), Brex (brex_id);
  # the OFX downloads of June write fitid
  line_id_keys: [mercury_id, qonto_id, brex_id, fitid]
"""

QUILL_FORMATS = """\
statement_formats:
  mercury:
    date: Date (UTC)
    date_format: "%m-%d-%Y"
    amount: Amount
    payee: Bank Description
    memo: Description
    id: Transaction ID
    filters:
      - {column: Status, matches: "^Failed", then: skip}
  qonto:
    date: Settlement date
    date_format: "%d/%m/%Y"
    delimiter: ";"
    decimal: ","
    amount: Amount
    payee: Counterparty name
    memo: Payment reference
    balance: Balance
    id: Transaction ID
    currency: EUR
  brex-card:
    date: Transaction Date
    amount: Amount
    positive: outflow
    payee: Merchant
    id: Brex ID
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("books", nargs="*", default=list(BOOKS))
    args = ap.parse_args(argv)
    problems = []
    for name in args.books:
        made = BOOKS[name]()
        write_book(made, args.out, name)
        for folder in (args.out / name, args.out / f"{name}-stmts"):
            problems += check_book(folder)
        problems += unexplained(made.book, [s.account for s in made.statements])
        n = len(made.book.txns)
        print(
            f"{name}: {n} transactions, {len(made.book.dupes)} planted duplicate sets, "
            f"{len(made.book.looks)} look-alike groups"
        )
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
