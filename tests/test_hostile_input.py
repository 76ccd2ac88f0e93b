"""Odd and hostile input, through the real CLI: every case ends in its exit code, no
traceback, no crash log, no hang, nothing written on exit 2, and a message naming the file
(and line) at fault.

The corpus is generated: each family below takes one kind of file bo reads (statements,
OFX, bo.yaml, checklists, schedules, budgets, scenarios, records, templates, the ledger) or
one kind of argument, and yields its bad variants. Small books are built once per module
and copied per case; every case runs in-process through typer's CliRunner.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bo.cli import app
from tests import conftest
from tests.test_import import BANK_FORMAT

LIMIT_SECONDS = 5.0


def alias_bomb(levels: int = 7, width: int = 10) -> str:
    """A "billion laughs" YAML file: each level a list of `width` aliases of the one before."""
    names = [chr(97 + i) for i in range(levels + 1)]
    lines = [f"{names[0]}: &{names[0]} [" + ",".join(["lol"] * width) + "]"]
    lines += [
        f"{name}: &{name} [" + ",".join([f"*{previous}"] * width) + "]"
        for previous, name in itertools.pairwise(names)
    ]
    return "\n".join(lines) + "\n"


# The small books of conftest, with a card (its statement prints a running balance), a
# savings account fed by OFX, and an owner to review.
BO_YAML = conftest.BO_YAML.replace(
    "    roles: [controller]\n", "    roles: [controller]\n  - name: Pat\n    roles: [owner]\n"
).replace(
    "    minimum: 1000.00 USD\n",
    "    minimum: 1000.00 USD\n"
    "    statement: {format: bank, dir: statements/checking}\n"
    "  Liabilities:Card:\n"
    "    role: card\n"
    "    statement: {format: card, dir: statements/card}\n"
    "  Assets:Bank:Savings:\n"
    "    role: bank\n"
    "    statement: {format: ofx, dir: statements/savings}\n",
) + BANK_FORMAT.replace(
    "  ofx:\n",
    "  card:\n    kind: csv\n    date: Date\n    amount: Amount\n    payee: Description\n"
    "    balance: Balance\n  ofx:\n",
)

LEDGER = {
    "ledgers/main.beancount": conftest.MAIN,
    "ledgers/accounts.beancount": conftest.ACCOUNTS
    + "".join(
        f"2025-01-01 open {account} USD\n"
        for account in (
            "Assets:Bank:Savings",
            "Liabilities:Card",
            "Expenses:Office",
            "Expenses:Insurance",
            "Assets:Prepaid",
        )
    ),
    "ledgers/2025.beancount": conftest.TXNS,
}

# Three steps: a check, the schedules posted, a manual review.
CHECKLIST = conftest.SHORT_CLOSE

SCHEDULE = """\
schedules:
  - id: prepaid-insurance
    title: Insurance expense
    debit: Expenses:Insurance
    credit: Assets:Prepaid
    amount: 100.00 USD
    from: 2025-01
    to: 2025-12
"""

BUDGET = """\
year: 2025
tolerance: {pct: 10}
accounts:
  Expenses:Rent: {monthly: 2000.00 USD}
"""

SCENARIO = """\
name: Big client late
changes:
  - kind: receipts_drop
    pct: 10
"""

BANK = "statements/checking/2025-02.csv"
CARD = "statements/card/2025-02.csv"
OFX_FILE = "statements/savings/2025-02.ofx"
GOOD_BANK = "Date,Amount,Description\n2025-02-03,-6.50,BLUE BOTTLE\n"

OFX_TEMPLATE = """\
OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20250228<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD
<BANKACCTFROM><BANKID>121000248<ACCTID>12345678<ACCTTYPE>SAVINGS</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20250201<DTEND>20250228
<STMTTRN>
<TRNTYPE>CREDIT
<DTPOSTED>{date}
<TRNAMT>{amount}
<FITID>F1
<NAME>{name}
</STMTTRN>
</BANKTRANLIST>
<LEDGERBAL><BALAMT>100.00<DTASOF>20250228</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1>
</OFX>
"""


def ofx(date: str = "20250210", amount: str = "100.00", name: str = "INTEREST") -> str:
    return OFX_TEMPLATE.format(date=date, amount=amount, name=name)


@dataclass
class Case:
    """One bad input: files to change (None removes one), the command, what must happen."""

    id: str
    args: list[str]
    code: int
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    # Text stderr must hold: the file (and `:line`) the message names.
    where: str | None = None
    # Text the output must hold besides (what a person reads to fix it).
    says: str | None = None


def import_case(
    id: str, text: str | bytes, code: int = 2, where: str | None = None, says: str | None = None
) -> Case:
    """A checking statement imported for real (a dry run would hide a write)."""
    return Case(f"csv-{id}", ["import", BANK], code, {BANK: text}, where, says)


def csv_cases() -> Iterator[Case]:
    header = "Date,Amount,Description\n"
    yield import_case(
        "more-fields-than-header",
        "Date,Description,Amount\n2025-02-05,Acme,1,500.00\n",
        where=f"{BANK}:2",
        says="quote",
    )
    yield import_case(
        "unquoted-dollar-thousands",
        "Date,Description,Amount\n2025-02-05,Acme,$1,234.56\n",
        where=f"{BANK}:2",
    )
    yield import_case("fewer-fields", header + "2025-02-05,-1.00\n", where=f"{BANK}:2")
    yield import_case(
        "duplicate-header",
        "Date,Amount,Description,Amount\n2025-02-05,1,Acme,500.00\n",
        where=f"{BANK}:1",
        says="twice",
    )
    yield import_case(
        "unterminated-quote", header + '2025-02-05,-1.00,"Acme\n', where=f"{BANK}:2", says="quote"
    )
    yield import_case(
        "stray-quote-joins-rows",
        header + '2025-02-05,-1.00,"Acme\n2025-02-06,-2.00,Bolt\n2025-02-07,-3.00,Cog"\n',
        where=f"{BANK}:2",
        says="stray quote",
    )
    yield import_case(
        "huge-amount",
        header + "2025-02-05,-123456789012345678901234567890.00,Acme\n",
        where=f"{BANK}:2",
        says="digits",
    )
    bad_amounts = [
        "1.2.3",
        "12,50",
        "--5",
        "(5",
        "5)",
        "1e5",
        "NaN",
        "Infinity",
        "0x10",
        "١٢٣",
        "€5.00",
        "EUR 5.00",
        "5 5",
        "+-5",
        "$",
        "-",
        ".",
        "1,23,456.00",
        "５",
        "5\u200b",
    ]
    for n, amount in enumerate(bad_amounts):
        cell = f'"{amount}"' if "," in amount else amount
        yield import_case(
            f"amount-{n}", header + f"2025-02-05,{cell},Acme\n", where=f"{BANK}:2", says="amount"
        )
    bad_dates = [
        "0001-01-01",
        "9999-12-31",
        "1899-12-31",
        "2200-01-01",
        "2025-02-30",
        "2025-13-01",
        "20250205",
        "",
        "2025-02-05T10:00",
        "2025-2-5x",
    ]
    for n, day in enumerate(bad_dates):
        yield import_case(f"date-{n}", header + f"{day},-1.00,Acme\n", where=f"{BANK}:2")
    yield import_case("empty", "", where=BANK, says="empty")
    yield import_case("header-only", header, where=BANK)
    yield import_case("blank-lines", "\n\n\n", where=BANK)
    yield import_case(
        "latin1-byte",
        (header + "2025-02-05,-1.00,Caf\xe9\n").encode("latin-1"),
        where=f"{BANK}:2",
        says="encoding",
    )
    yield import_case(
        "nul-in-header", b"Da\x00te,Amount,Description\n2025-02-05,-1,A\n", where=BANK
    )
    yield import_case("binary", bytes(range(256)) * 4, where=BANK)
    yield import_case("utf16", (header + "2025-02-05,-1.00,Acme\n").encode("utf-16"), where=BANK)
    yield import_case("debit-and-text", header + "2025-02-05,-1.00 USD,Acme\n", code=1)
    yield import_case("wrong-code", header + "2025-02-05,-1.00 EUR,Acme\n", where=f"{BANK}:2")
    # Odd but right: quoted thousands, a symbol of the statement's currency, parentheses.
    yield import_case("quoted-thousands", header + '2025-02-05,"-1,234.56",Acme\n', code=1)
    yield import_case("dollar-sign", header + "2025-02-05,$-6.50,Acme\n", code=1)
    yield import_case("parentheses", header + "2025-02-05,(6.50),Acme\n", code=1)
    yield import_case(
        "control-characters",
        header + "2025-02-05,-6.50,\x1b]0;owned\x07Ac\x00me\x1b[31m\u202e\n",
        code=1,
    )
    yield Case(
        "csv-dry-run-extra-field",
        ["import", BANK, "--dry-run"],
        2,
        {BANK: "Date,Description,Amount\n2025-02-05,Acme,1,500.00\n"},
        f"{BANK}:2",
    )
    yield Case(
        "csv-missing-file",
        ["import", "statements/checking/missing.csv"],
        2,
        {},
        "statements/checking/missing.csv",
        "no such",
    )
    yield Case(
        "csv-missing-file-no-folder", ["import", "missing.csv"], 2, {}, "missing.csv", "no such"
    )
    yield Case(
        "csv-folder", ["import", "statements/checking"], 2, {BANK: GOOD_BANK}, "statements/checking"
    )
    yield Case(
        "csv-device",
        ["import", "/dev/zero", "--account", "Assets:Bank:Checking"],
        2,
        {},
        "/dev/zero",
    )
    yield Case(
        "csv-device-null",
        ["import", "/dev/null", "--account", "Assets:Bank:Checking"],
        2,
        {},
        "/dev/null",
    )
    for id, account in (("unknown-account", "Assets:Nope"), ("account-not-a-name", "../../x")):
        yield Case(
            f"csv-{id}", ["import", BANK, "--account", account], 2, {BANK: GOOD_BANK}, None, account
        )
    # The card prints what is owed as a positive balance (the default): a charge adds to it.
    card_header = "Date,Amount,Description,Balance\n"
    yield Case(
        "card-balance-owed-positive",
        ["import", CARD],
        1,
        {CARD: card_header + "2025-02-03,-10.00,SHOP,110.00\n2025-02-04,-5.00,SHOP,115.00\n"},
    )
    # One that prints it negative is read right too: the balances say which convention.
    yield Case(
        "card-balance-owed-negative",
        ["import", CARD],
        1,
        {CARD: card_header + "2025-02-03,-10.00,SHOP,-110.00\n2025-02-04,-5.00,SHOP,-115.00\n"},
    )
    # Both sign settings the wrong way round: amounts and balances reversed agree with each
    # other; the books, owing 100.00 on the card before February, say the file is misread.
    owing = {
        "ledgers/2025.beancount": LEDGER["ledgers/2025.beancount"]
        + '\n2025-01-20 * "SHOP"\n  Expenses:Office 100.00 USD\n  Liabilities:Card\n',
        CARD: card_header + "2025-02-03,-10.00,SHOP,110.00\n2025-02-04,-5.00,SHOP,115.00\n",
    }
    mirrored = BO_YAML.replace(
        "    balance: Balance\n  ofx:\n",
        "    balance: Balance\n    positive: outflow\n    balance_owed: negative\n  ofx:\n",
    )
    assert mirrored != BO_YAML
    yield Case(
        "card-signs-mirrored", ["import", CARD], 2, {**owing, "bo.yaml": mirrored}, CARD, "reversed"
    )
    yield Case("card-signs-right-owing", ["import", CARD], 1, owing)
    yield Case(
        "card-balance-broken",
        ["import", CARD],
        2,
        {CARD: card_header + "2025-02-03,-10.00,SHOP,110.00\n2025-02-04,-5.00,SHOP,999.00\n"},
        f"{CARD}:3",
    )


def yaml_cases() -> Iterator[Case]:
    """bo.yaml, mangled: every case is `bo check`, which reads it first."""

    def settings(
        id: str,
        text: str | bytes,
        where: str | None = "bo.yaml",
        says: str | None = None,
        code: int = 2,
    ) -> Case:
        return Case(f"bo.yaml-{id}", ["check"], code, {"bo.yaml": text}, where, says)

    yield settings("latin1", BO_YAML.encode().replace(b"Small", b"Sm\xe9ll"), "bo.yaml:2", "UTF-8")
    yield settings("second-entity", BO_YAML + "entity:\n  name: Other\n", "bo.yaml:", "twice")
    yield settings(
        "duplicate-account",
        BO_YAML + "accounts:\n  Assets:Bank:Checking: {role: bank}\n",
        "bo.yaml:",
        "twice",
    )
    # The 775 bytes of the probe: nine levels of nine aliases, billions of values expanded.
    yield settings("alias-bomb", alias_bomb(levels=9, width=9), "bo.yaml", "alias")
    yield settings("deep-flow", "entity: " + "[" * 5000 + "]" * 5000 + "\n", "bo.yaml:1")
    yield settings("empty", "", "bo.yaml", "entity")
    yield settings("a-list", "- 1\n- 2\n", "bo.yaml")
    yield settings("scalar", "hello\n", "bo.yaml")
    yield settings("binary", bytes(range(256)), "bo.yaml")
    yield settings("tab-indent", "entity:\n\tname: X\n", "bo.yaml:2")
    yield settings("unknown-key", BO_YAML + "colour: blue\n", "bo.yaml:", "colour")
    yield settings(
        "bad-currency", BO_YAML.replace("currency: USD", "currency: dollars"), "bo.yaml:3"
    )
    yield settings(
        "bad-account", BO_YAML.replace("  Liabilities:Card:", "  liabilities card:"), "bo.yaml"
    )
    yield settings(
        "skip-rows-huge",
        BO_YAML.replace(
            "    payee: Description\n  card:",
            "    payee: Description\n    skip_rows: 1000000000\n  card:",
        ),
        "bo.yaml:",
        "skip_rows",
    )
    yield settings(
        "date-format-no-day",
        BO_YAML.replace(
            "    payee: Description\n  card:",
            "    payee: Description\n    date_format: '%Y-%m'\n  card:",
        ),
        "bo.yaml:",
        "date_format",
    )
    yield settings(
        "date-format-nonsense",
        BO_YAML.replace(
            "    payee: Description\n  card:",
            "    payee: Description\n    date_format: 'hello'\n  card:",
        ),
        "bo.yaml:",
        "date_format",
    )
    yield settings(
        "delimiter-long",
        BO_YAML.replace(
            "    payee: Description\n  card:",
            "    payee: Description\n    delimiter: ';;'\n  card:",
        ),
        "bo.yaml:",
        "delimiter",
    )
    yield settings(
        "encoding-unknown",
        BO_YAML.replace(
            "    payee: Description\n  card:",
            "    payee: Description\n    encoding: klingon\n  card:",
        ),
        "bo.yaml:",
        "encoding",
    )
    for n, pattern in enumerate([r"(a)\1", "(?<=a)b", "[", "(?P<x>a)(?P=x)"]):
        yield settings(
            f"regex-{n}",
            BO_YAML + f"  - name: Bad\n    match: {{payee_regex: '{pattern}'}}\n"
            "    set: {account: Expenses:Rent}\n",
            "bo.yaml:",
            "payee_regex",
        )
    yield settings(
        "ledger-outside", BO_YAML + "ledger: ../elsewhere/main.beancount\n", "bo.yaml:", "inside"
    )
    yield settings("ledger-absolute", BO_YAML + "ledger: /etc/passwd\n", "bo.yaml:", "inside")
    yield settings("ledger-device", BO_YAML + "ledger: /dev/zero\n", "bo.yaml:", "inside")
    yield settings("ledger-folder", BO_YAML + "ledger: ledgers\n", "bo.yaml:", "folder")
    yield settings(
        "ledger-missing", BO_YAML + "ledger: ledgers/nope.beancount\n", "bo.yaml:", "does not exist"
    )
    yield settings("huge-number", BO_YAML.replace("1000.00 USD", "1e999999 USD"), "bo.yaml:")
    yield settings("minimum-nan", BO_YAML.replace("1000.00 USD", ".nan USD"), "bo.yaml:")
    yield settings("minimum-float", BO_YAML.replace("1000.00 USD", "1000.00"), "bo.yaml:")
    yield settings("people-not-list", BO_YAML.replace("people:\n", "people: 3\nx:\n"), "bo.yaml:")
    yield settings(
        "fiscal-month-13",
        BO_YAML.replace("  currency: USD\n", "  currency: USD\n  fiscal_year_start: 13\n"),
        "bo.yaml:4",
    )
    yield settings(
        "recurring-from-after-until",
        BO_YAML + "forecast:\n  recurring:\n    - {payee: Rent, amount: -1.00 USD, "
        "day: 1, from: 2025-06-01, until: 2025-01-01}\n",
        "bo.yaml:",
        "from",
    )
    yield settings(
        "recurring-year-1",
        BO_YAML + "forecast:\n  recurring:\n    - {payee: Rent, amount: -1.00 USD, "
        "day: 1, from: 0001-01-01}\n",
        "bo.yaml:",
        "1900",
    )
    yield settings(
        "anchor-ok",
        BO_YAML.replace("  bank:\n    kind: csv", "  bank: &b\n    kind: csv"),
        None,
        code=0,
    )
    yield settings(
        "regex-catastrophic-ok",
        BO_YAML + "  - name: Slow\n    match: {payee_regex: '^(a+)+$'}\n"
        "    set: {account: Expenses:Rent}\n",
        None,
        code=0,
    )
    yield Case("bo.yaml-missing", ["check"], 2, {"bo.yaml": None}, None, "bo.yaml")
    yield Case(
        "bo.yaml-regex-import",
        ["import", BANK],
        1,
        {
            "bo.yaml": BO_YAML + "  - name: Slow\n    match: {payee_regex: '^(a+)+$'}\n"
            "    set: {account: Expenses:Rent}\n",
            BANK: "Date,Amount,Description\n2025-02-05,-1.00," + "a" * 60 + "b\n",
        },
    )
    yield Case(
        "bo.yaml-skip-rows-import",
        ["import", BANK],
        2,
        {
            "bo.yaml": BO_YAML.replace(
                "    payee: Description\n  card:",
                "    payee: Description\n    skip_rows: 1000000000\n  card:",
            ),
            BANK: GOOD_BANK,
        },
        "bo.yaml:",
        "skip_rows",
    )
    yield Case(
        "bo.yaml-date-format-import",
        ["import", BANK],
        2,
        {
            "bo.yaml": BO_YAML.replace(
                "    payee: Description\n  card:",
                "    payee: Description\n    date_format: '%d/%m'\n  card:",
            ),
            BANK: GOOD_BANK,
        },
        "bo.yaml:",
        "date_format",
    )


def ofx_cases() -> Iterator[Case]:
    def one(
        id: str,
        text: str | bytes,
        code: int = 2,
        where: str | None = OFX_FILE,
        says: str | None = None,
    ) -> Case:
        where = where if code == 2 else None
        return Case(f"ofx-{id}", ["import", OFX_FILE], code, {OFX_FILE: text}, where, says)

    yield one("good", ofx(), 1)
    yield one("amount-text", ofx(amount="12,3a"), where=f"{OFX_FILE}:", says="TRNAMT")
    yield one("amount-empty", ofx(amount=""), says="TRNAMT")
    yield one("amount-huge", ofx(amount="9" * 40), says="digits")
    yield one("date-year-1", ofx(date="00010101"))
    yield one("date-year-9999", ofx(date="99991231"))
    yield one("date-nonsense", ofx(date="2025XX10"))
    yield one("no-transactions", ofx().replace("<STMTTRN>", "").replace("</STMTTRN>", ""))
    yield one("truncated", ofx()[: len(ofx()) // 2])
    yield one("not-ofx-at-all", "hello\n")
    yield one(
        "xml-bomb",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><OFX>&b;</OFX>',
    )
    yield one("empty", "")
    yield one("binary", b"OFXHEADER:100\n" + bytes(range(256)) * 8)
    yield one("control-in-name", ofx(name="EVIL\x1b]0;x\x07NAME"), 1)


def ledger_cases() -> Iterator[Case]:
    main = LEDGER["ledgers/main.beancount"]

    def ledger(
        id: str,
        files: dict[str, str | bytes | None],
        where: str | None,
        says: str | None = None,
        code: int = 2,
        args: list[str] | None = None,
    ) -> Case:
        return Case(f"ledger-{id}", args or ["check"], code, files, where, says)

    yield ledger(
        "missing-plugin",
        {"ledgers/main.beancount": main + 'plugin "no.such.module"\n'},
        "ledgers/main.beancount:4",
        "no.such.module",
    )
    yield ledger(
        "include-loop",
        {"ledgers/main.beancount": main + 'include "main.beancount"\n'},
        "ledgers/main.beancount:4",
        "included twice",
    )
    yield ledger(
        "syntax", {"ledgers/2025.beancount": "2025-01-01 * bad\n"}, "ledgers/2025.beancount:1"
    )
    yield ledger(
        "latin1",
        {
            "ledgers/2025.beancount": LEDGER["ledgers/2025.beancount"].encode()
            + b'\n2025-01-20 * "Caf\xe9"\n  Expenses:Rent 1 USD\n  Assets:Bank:Checking\n'
        },
        "ledgers/2025.beancount:",
        "UTF-8",
    )
    yield ledger(
        "year-1",
        {
            "ledgers/2025.beancount": LEDGER["ledgers/2025.beancount"]
            + '\n0001-01-01 * "old"\n  Expenses:Rent 1 USD\n'
            "  Assets:Bank:Checking\n"
        },
        "ledgers/2025.beancount:9",
        "1900",
    )
    yield ledger(
        "year-9999",
        {
            "ledgers/2025.beancount": LEDGER["ledgers/2025.beancount"]
            + '\n9999-12-31 * "far"\n  Expenses:Rent 1 USD\n'
            "  Assets:Bank:Checking\n"
        },
        "ledgers/2025.beancount:9",
        "2199",
    )
    yield ledger(
        "year-9999-report",
        {
            "ledgers/2025.beancount": LEDGER["ledgers/2025.beancount"]
            + '\n9999-12-31 * "far"\n  Expenses:Rent 1 USD\n'
            "  Assets:Bank:Checking\n"
        },
        "ledgers/2025.beancount:9",
        "2199",
        args=["report", "trial", "--period", "2025-01"],
    )
    yield ledger("main-missing", {"ledgers/main.beancount": None}, "bo.yaml", "does not exist")


def checklist_cases() -> Iterator[Case]:
    path = "sops/month-end.yaml"

    def sop(
        id: str,
        text: str | bytes,
        where: str | None = path,
        says: str | None = None,
        args: list[str] | None = None,
        code: int = 2,
    ) -> Case:
        return Case(
            f"sop-{id}", args or ["close", "2025-01", "--dry-run"], code, {path: text}, where, says
        )

    yield sop(
        "cycle",
        CHECKLIST.replace(
            "    check: ledger-valid\n", "    check: ledger-valid\n    depends_on: [review]\n"
        ),
        f"{path}:",
        "cycle",
    )
    yield sop(
        "cycle-status",
        CHECKLIST.replace(
            "    check: ledger-valid\n", "    check: ledger-valid\n    depends_on: [review]\n"
        ),
        f"{path}:",
        "cycle",
        args=["status", "--as-of", "2025-02-20"],
    )
    yield sop("unknown-check", CHECKLIST.replace("check: ledger-valid", "check: nope"), f"{path}:9")
    yield sop("bad-due", CHECKLIST.replace("due: BD+1", "due: tomorrow"), f"{path}:8")
    yield sop("latin1", CHECKLIST.encode().replace(b"Month", b"M\xf6nth"), f"{path}:1", "UTF-8")
    yield sop("duplicate-key", CHECKLIST + "name: again\n", f"{path}:", "twice")
    yield sop("duplicate-step-id", CHECKLIST.replace("id: review", "id: ledger-valid"), f"{path}")
    yield sop(
        "alias-bomb",
        alias_bomb(),
        path,
        "alias",
    )
    yield sop("empty", "", path)
    yield sop("unknown-role", CHECKLIST.replace("owner: bookkeeper", "owner: wizard"), f"{path}:6")


def schedule_cases() -> Iterator[Case]:
    path = "schedules/prepaid.yaml"

    def schedule(
        id: str, text: str | bytes, where: str | None = path, says: str | None = None
    ) -> Case:
        return Case(f"schedule-{id}", ["close", "2025-01"], 2, {path: text}, where, says)

    yield schedule(
        "from-after-to", SCHEDULE.replace("to: 2025-12", "to: 2024-12"), f"{path}:", "after"
    )
    yield schedule("year-0", SCHEDULE.replace("from: 2025-01", "from: 0000-01"), f"{path}:")
    yield schedule("year-9999", SCHEDULE.replace("to: 2025-12", "to: 9999-12"), f"{path}:", "2199")
    yield schedule("bad-amount", SCHEDULE.replace("100.00 USD", "lots"), f"{path}:")
    yield schedule(
        "latin1",
        SCHEDULE.encode().replace(b"Insurance expense", b"Assurance \xe9"),
        f"{path}:3",
        "UTF-8",
    )
    yield schedule(
        "duplicate-key",
        SCHEDULE.replace(
            "    amount: 100.00 USD\n", "    amount: 100.00 USD\n    amount: 1.00 USD\n"
        ),
        f"{path}:",
        "twice",
    )
    yield schedule("not-a-mapping", "- 1\n", path)


def budget_cases() -> Iterator[Case]:
    path = "budgets/2025.yaml"

    def budget(
        id: str, text: str | bytes, where: str | None = path, says: str | None = None
    ) -> Case:
        return Case(
            f"budget-{id}",
            ["report", "budget", "--period", "2025-01"],
            2,
            {path: text},
            where,
            says,
        )

    yield budget("year-0", BUDGET.replace("year: 2025", "year: 0"), f"{path}:1")
    yield budget("year-huge", BUDGET.replace("year: 2025", "year: 99999999"), f"{path}:1")
    yield budget("bad-amount", BUDGET.replace("2000.00 USD", "two thousand"), f"{path}:4")
    yield budget("latin1", BUDGET.encode() + b"# caf\xe9\n", f"{path}:5", "UTF-8")
    yield budget("duplicate-key", BUDGET + "year: 2024\n", f"{path}:", "twice")
    yield budget(
        "alias-bomb",
        alias_bomb(),
        path,
        "alias",
    )


def scenario_cases() -> Iterator[Case]:
    path = "scenarios/late.yaml"

    def scenario(
        id: str,
        text: str | bytes,
        name: str = "late",
        where: str | None = path,
        says: str | None = None,
    ) -> Case:
        return Case(
            f"scenario-{id}",
            ["forecast", "--as-of", "2025-01-31", "--scenario", name],
            2,
            {path: text},
            where,
            says,
        )

    yield scenario("latin1", SCENARIO.encode().replace(b"Big", b"B\xefg"), where=f"{path}:1")
    yield scenario("unknown-kind", SCENARIO.replace("receipts_drop", "meteor"), where=f"{path}:")
    yield scenario("traversal", SCENARIO, name="../bo", where=None, says="../bo")
    yield scenario("missing", SCENARIO, name="nope", where=None, says="nope")
    yield scenario("duplicate-key", SCENARIO + "name: again\n", where=f"{path}:", says="twice")


def record_cases() -> Iterator[Case]:
    close = "closes/2025-01.yaml"
    yield Case(
        "record-close-bad-yaml", ["close", "2025-01", "--dry-run"], 2, {close: "steps: [\n"}, close
    )
    yield Case(
        "record-close-alias-bomb",
        ["close", "2025-01", "--dry-run"],
        2,
        {close: alias_bomb()},
        close,
        "alias",
    )
    yield Case(
        "record-close-latin1",
        ["close", "2025-01", "--dry-run"],
        2,
        {close: b"steps: {}\n# \xe9\n"},
        f"{close}:2",
        "UTF-8",
    )
    yield Case(
        "record-close-latin1-status",
        ["status", "--as-of", "2025-02-20"],
        2,
        {close: b"steps: {}\n# \xe9\n"},
        f"{close}:2",
        "UTF-8",
    )
    rec = "recs/2025-01/assets-bank-checking.yaml"
    yield Case(
        "record-rec-latin1",
        ["cash", "check", "--as-of", "2025-02-03"],
        2,
        {rec: b"account: Assets:Bank:Checking\n# \xe9\n"},
        f"{rec}:2",
        "UTF-8",
    )
    dismissed = "dupes/dismissed.yaml"
    yield Case("record-dismissed-bad", ["dupes"], 2, {dismissed: "dismissed: 3\n"}, dismissed)
    yield Case(
        "record-dismissed-latin1",
        ["dupes"],
        2,
        {dismissed: b"dismissed: []\n#\xe9\n"},
        f"{dismissed}:2",
        "UTF-8",
    )


def template_cases() -> Iterator[Case]:
    path = "templates/trial.md.j2"
    report = ["report", "trial", "--period", "2025-01", "--format", "md"]

    def template(
        id: str,
        text: str | bytes,
        code: int = 2,
        where: str | None = path,
        says: str | None = None,
        trust: bool = True,
    ) -> Case:
        args = report if not trust else ["--trusted-for-test", *report]
        return Case(f"template-{id}", args, code, {path: text}, where, says)

    yield template("divide-by-zero", "line one\n{{ 1/0 }}\n", where=f"{path}:2", says="division")
    yield template("undefined", "{{ nope.nothing }}\n", where=f"{path}:1", says="nope")
    yield template("syntax", "{% for x in %}\n", where=f"{path}:1")
    yield template("latin1", b"caf\xe9 {{ entity }}\n", where=f"{path}:1", says="UTF-8")
    yield template(
        "escape-globals",
        "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\n",
        where=f"{path}:1",
        says="unsafe",
    )
    yield template(
        "escape-mro",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}\n",
        where=f"{path}:1",
        says="unsafe",
    )
    yield template("escape-format", "{{ '{0.__class__}'.format(1) }}\n", where=f"{path}:1")
    yield template("untrusted", "{{ entity }}\n", code=3, where=path, says="bo trust", trust=False)
    yield template(
        "huge-loop",
        "{% for i in range(100000000) %}{% endfor %}\n",
        where=f"{path}:1",
        says="range",
    )


def argument_cases() -> Iterator[Case]:
    bad_periods = [
        "0000-01",
        "9999-12",
        "0001-01",
        "1899-12",
        "2200-01",
        "2025-13",
        "2025-00",
        "25-09",
        "",
        "2025-9",
        "2025-09-31",  # a day is a period (a daily checklist's), but not this one
        "２０２５-０９",
        "2025-W99",
        "-2025-01",
    ]
    commands = [
        ("close", lambda p: ["close", p, "--dry-run"]),
        ("report", lambda p: ["report", "trial", "--period", p]),
        ("report-compare", lambda p: ["report", "pnl", "--period", p, "--compare", "prior"]),
        ("reconcile", lambda p: ["reconcile", "Assets:Bank:Checking", "--period", p]),
        ("dupes", lambda p: ["dupes", "--period", p]),
        ("signoff", lambda p: ["signoff", p, "--as", "Dana"]),
        ("reopen", lambda p: ["reopen", p, "--reason", "x", "--as", "Dana"]),
        ("audit", lambda p: ["audit", "--period", p]),
    ]
    for n, period in enumerate(bad_periods):
        for name, make in commands:
            if n > 5 and name not in ("close", "report"):
                continue  # the parser is shared: the calendar's edges for every command
            yield Case(f"period-{name}-{n}", make(period), 2, {}, None, "period")
    bad_days = ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "2025-02-30", "yesterday"]
    for n, day in enumerate(bad_days):
        for args in (["cash", "check"], ["status"], ["forecast"], ["report", "aging-ar"]):
            yield Case(f"as-of-{args[0]}-{n}", [*args, "--as-of", day], 2, {}, None, "--as-of")
    yield Case("forecast-weeks-0", ["forecast", "--weeks", "0"], 2, {}, None, "--weeks")
    yield Case("forecast-weeks-huge", ["forecast", "--weeks", "100000"], 2, {}, None, "--weeks")
    yield Case("kpi-periods-0", ["kpi", "--periods", "0"], 2, {}, None, "--periods")
    yield Case("books-missing", ["check", "--books", "nowhere"], 2, {}, None, "nowhere")
    yield Case("books-a-file", ["check", "--books", "bo.yaml"], 2, {}, None, "bo.yaml")
    yield Case(
        "report-out-folder",
        ["report", "trial", "--period", "2025-01", "--out", "ledgers"],
        2,
        {},
        None,
        "folder",
    )
    yield Case(
        "report-unknown-kind", ["report", "nope", "--period", "2025-01"], 2, {}, None, "nope"
    )
    yield Case(
        "reconcile-unknown-account",
        ["reconcile", "Assets:Nope", "--period", "2025-01"],
        2,
        {},
        None,
        "Assets:Nope",
    )
    yield Case(
        "dupes-dismiss-unknown",
        ["dupes", "--dismiss", "d-nope", "--reason", "x"],
        2,
        {},
        None,
        "d-nope",
    )
    yield Case(
        "close-explain-bad",
        ["close", "2025-01", "--dry-run", "--explain", "nonsense"],
        2,
        {},
        None,
        "--explain",
    )
    yield Case(
        "reopen-unknown-person",
        ["reopen", "2025-01", "--reason", "x", "--as", "Nobody"],
        2,
        {},
        None,
        "Nobody",
    )
    yield Case("status-books-missing", ["status", "--books", "nowhere"], 2, {}, None, "nowhere")


def all_cases() -> list[Case]:
    families = (
        csv_cases,
        yaml_cases,
        ofx_cases,
        ledger_cases,
        checklist_cases,
        schedule_cases,
        budget_cases,
        scenario_cases,
        record_cases,
        template_cases,
        argument_cases,
    )
    return [case for family in families for case in family()]


CASES = all_cases()


def test_the_corpus_is_large_and_every_case_is_named_once():
    assert len(CASES) >= 150
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def template_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-template")
    files = {
        "bo.yaml": BO_YAML,
        **LEDGER,
        "sops/month-end.yaml": CHECKLIST,
        "schedules/prepaid.yaml": SCHEDULE,
        "budgets/2025.yaml": BUDGET,
        "scenarios/late.yaml": SCENARIO,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for folder in ("statements/checking", "statements/card", "statements/savings"):
        (root / folder).mkdir(parents=True)
    return root


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under the books (bo's private .bo/ aside) and its content digest."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == ".bo" or not path.is_file():
            continue
        found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, template_books: Path, tmp_path: Path, monkeypatch) -> None:
    books = tmp_path / "books"
    shutil.copytree(template_books, books)
    for name, content in case.files.items():
        path = books / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    args = list(case.args)
    if args[:1] == ["--trusted-for-test"]:
        args = args[1:]
        monkeypatch.chdir(books)
        assert CliRunner().invoke(app, ["trust"]).exit_code == 0
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))
    monkeypatch.chdir(books)
    before = tree_digest(books)

    started = time.perf_counter()
    result = CliRunner().invoke(app, args)
    elapsed = time.perf_counter() - started

    output = result.stdout + result.stderr
    assert elapsed < LIMIT_SECONDS, f"{case.id} took {elapsed:.1f} s"
    assert "Traceback" not in output and "internal error" not in output, output
    assert not list(logs.glob("bo-crash-*")), output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code == case.code, output
    assert not (books / "PWNED").exists()
    assert "\x1b" not in output and "\x00" not in output, repr(output)
    if case.code == 2:
        assert tree_digest(books) == before, "exit 2 wrote into the books"
    if case.where is not None:
        assert case.where in result.stderr, result.stderr
    if case.says is not None:
        assert case.says.lower() in output.lower(), output
    assert os.getcwd() == str(books)
