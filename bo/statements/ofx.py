"""OFX and QFX statements (bank, credit card, and the cash of investment accounts; OFX 1 SGML
and OFX 2 XML), read leniently as banks send them (bo.statements.ofxtree).

OFX amounts are already from the account holder's side: negative is money out of a bank
account, and a charge on a card, which is also how the books post to a liability. So TRNAMT is
taken as the bank gives it. An investment statement's cash lines are its bank transactions
(INVBANKTRAN) and the cash side of its trades and income (each one's TOTAL, signed the same
way: a buy is money out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from beancount.core.amount import Amount

from bo.errors import Source
from bo.statements.model import Statement, StatementError, StatementLine
from bo.statements.ofxtree import Element, parse_ofx
from bo.text import clean_line

OFX_MARKERS = (b"OFXHEADER", b"<OFX>")
_AMOUNT = re.compile(r"[+-]?[0-9]{0,15}(?:[.,][0-9]{0,10})?")
MAX_TRANSACTIONS = 1_000_000

STATEMENTS = frozenset({"STMTRS", "CCSTMTRS", "INVSTMTRS"})
ACCOUNT_FROM = ("BANKACCTFROM", "CCACCTFROM", "INVACCTFROM")
# The investment transactions that move cash, and how a statement line names each.
CASH_SIDE = {
    **{f"BUY{kind}": "Buy" for kind in ("DEBT", "MF", "OPT", "OTHER", "STOCK")},
    **{f"SELL{kind}": "Sell" for kind in ("DEBT", "MF", "OPT", "OTHER", "STOCK")},
    "INCOME": "Income",
    "INVEXPENSE": "Expense",
    "MARGININTEREST": "Margin interest",
    "RETOFCAP": "Return of capital",
}
INCOME_TYPES = {
    "DIV": "Dividend",
    "INTEREST": "Interest",
    "CGLONG": "Capital gain (long term)",
    "CGSHORT": "Capital gain (short term)",
}
INVESTMENT_CASH = frozenset({"INVBANKTRAN", *CASH_SIDE})
EMPTY = {
    "STMTRS": "the bank statement holds no transactions",
    "CCSTMTRS": "the credit card statement holds no transactions",
    "INVSTMTRS": "the investment statement holds no transactions that move cash",
}


def looks_like_ofx(head: bytes) -> bool:
    """Whether a file starting with `head` is OFX/QFX (SGML header or XML root)."""
    upper = head.upper()
    return any(marker in upper for marker in OFX_MARKERS)


class OfxReader:
    """The reader of OFX/QFX bank, credit card and investment (cash) statements."""

    kind = "OFX"

    def __init__(self, account_id: str | None = None) -> None:
        # The bank's ACCTID of this account (or its last digits, as masked files show them),
        # to pick one statement from a file holding several and to refuse another account's.
        self.account_id = account_id

    def identify(self, head: bytes) -> bool:
        """An OFX file says so in its header (OFX 1) or its processing instruction (OFX 2)."""
        return looks_like_ofx(head)

    def read(self, path: Path, account: str, owed: bool = False) -> Statement:
        """The statement in `path` as lines of `account` (OFX amounts and balances are the
        holder's already, whatever `owed` says)."""
        filename = str(path)
        root = parse_ofx(path.read_bytes(), filename)
        statement = self._pick(list(root.iter(STATEMENTS)), Source(filename), refusal(root))
        currency = statement.value("CURDEF")
        if currency is None:
            raise StatementError(
                f"<{statement.tag}> has no <CURDEF>, the currency of the statement",
                Source(filename, statement.line),
            )
        reading = Reading(filename, currency.upper(), security_names(root))
        if statement.tag == "INVSTMTRS":
            lines = reading.investment_lines(statement, account)
            closing, opening = None, None  # see investment_lines
        else:
            lines = reading.bank_lines(statement, account)
            closing, opening = reading.balances(statement, lines)
        if not lines:
            raise StatementError(EMPTY[statement.tag], Source(filename, statement.line))
        listing = statement.find("BANKTRANLIST", "INVTRANLIST")
        return Statement.from_lines(
            account, path, reading.currency, lines, opening, closing,
            reading.period(listing) if listing is not None else None,
        )  # fmt: skip

    def _pick(self, statements: Sequence[Element], where: Source, refused: str) -> Element:
        """The one statement of this account among those in the file."""
        if not statements:
            raise StatementError(
                "the file holds no bank, credit card or investment statement "
                f"(no <STMTRS>, <CCSTMTRS> or <INVSTMTRS>){refused}",
                where,
            )
        found = ", ".join(account_id(s) for s in statements)
        if self.account_id is not None:
            statements = [s for s in statements if account_id(s).endswith(self.account_id)]
            if not statements:
                raise StatementError(
                    f"no statement of account id {self.account_id} in the file "
                    f"(it holds account ids: {found})",
                    where,
                )
        if len(statements) > 1:
            raise StatementError(
                f"the file holds {len(statements)} statements (account ids: {found}) "
                "and bo cannot tell which one to read",
                where,
            )
        return statements[0]


def refusal(root: Element) -> str:
    """What the bank said when it sent an error instead of a statement (a <STATUS> whose
    <CODE> is not 0), as the end of the message that the file holds none; else ""."""
    for status in root.iter(frozenset({"STATUS"})):
        fields = status.fields()
        code = text(fields, "CODE")
        if code and code.strip("0"):
            said = text(fields, "MESSAGE")
            return f": the bank answered with error {code}" + (f" ({said})" if said else "")
    return ""


def account_id(statement: Element) -> str:
    """The statement's ACCTID, as the bank wrote it ("" when it gives none)."""
    holder = statement.find(*ACCOUNT_FROM) or statement
    return holder.value("ACCTID") or ""


class Reading:
    """The values of one statement, each checked where it is read and named by its line."""

    def __init__(self, filename: str, currency: str, securities: dict[str, str]) -> None:
        self.filename = filename
        self.currency = currency
        self.securities = securities  # the ticker or name of each security, by its id

    def bank_lines(self, statement: Element, account: str) -> list[StatementLine]:
        """A bank or card statement's transactions, in file order."""
        transactions = list(statement.iter(frozenset({"STMTTRN"})))
        self._check_count(transactions)
        return [self._bank_line(txn, account, row) for row, txn in enumerate(transactions)]

    def investment_lines(self, statement: Element, account: str) -> list[StatementLine]:
        """The cash lines of an investment statement: bank transactions and the cash side of
        trades and income in the cash subaccount, in file order.

        Its balance is left out: brokers report the cash available (which leaves out
        unsettled trades), not the balance the lines run to.
        """
        lines: list[StatementLine] = []
        found = list(statement.iter(INVESTMENT_CASH))
        self._check_count(found)
        for txn in found:
            if txn.tag == "INVBANKTRAN":
                inner = txn.find("STMTTRN")
                if in_cash(txn) and inner is not None:
                    lines.append(self._bank_line(inner, account, len(lines)))
            elif in_cash(txn):
                lines.append(self._trade_line(txn, account, len(lines)))
        return lines

    def _check_count(self, transactions: Sequence[Element]) -> None:
        if len(transactions) > MAX_TRANSACTIONS:
            raise StatementError(
                f"holds more than {MAX_TRANSACTIONS:,} transactions: export it a month at a time",
                Source(self.filename),
            )

    def _bank_line(self, txn: Element, account: str, row: int) -> StatementLine:
        fields = txn.fields()
        # NAME, or the one in <PAYEE>: the first NAME below the transaction either way.
        payee, checknum = text(fields, "NAME") or "", text(fields, "CHECKNUM")
        when = ("DTPOSTED", "the date it was posted")
        return self._line(
            txn, fields, account, row, when, ("TRNAMT", "its amount"), payee, checknum
        )

    def _trade_line(self, txn: Element, account: str, row: int) -> StatementLine:
        fields = txn.fields()
        what = CASH_SIDE[txn.tag]
        if txn.tag == "INCOME":
            what = INCOME_TYPES.get((text(fields, "INCOMETYPE") or "").upper(), what)
        security = text(fields, "UNIQUEID") or ""
        payee = f"{what} {self.securities.get(security, security)}"
        when = ("DTTRADE", "its trade date")
        return self._line(txn, fields, account, row, when, ("TOTAL", "its total"), payee, None)

    def _line(
        self,
        txn: Element,
        fields: dict[str, Element],
        account: str,
        row: int,
        when: tuple[str, str],
        amount: tuple[str, str],
        payee: str,
        reference: str | None,
    ) -> StatementLine:
        """One statement line from a transaction's fields: its date and amount from the
        elements `when` and `amount` name (each with what it is, to say when missing)."""
        fitid = text(fields, "FITID")
        return StatementLine(
            account=account,
            date=self.date(self.required(txn, fields, *when)),
            amount=Amount(
                self.amount(self.required(txn, fields, *amount)), self.currency_of(fields)
            ),
            payee=clean_line(payee.strip()),
            memo=clean_line(text(fields, "MEMO") or ""),
            reference=clean_line(reference) if reference else None,
            bank_id=clean_line(fitid) if fitid else None,
            balance=None,
            source=Source(self.filename, txn.line),
            row=row,
        )

    def currency_of(self, fields: dict[str, Element]) -> str:
        """The transaction's own currency (<CURRENCY><CURSYM>) where it gives one."""
        currency = fields.get("CURRENCY")
        symbol = currency.value("CURSYM") if currency is not None else None
        return symbol.upper() if symbol else self.currency

    def required(
        self, aggregate: Element, fields: dict[str, Element], tag: str, what: str
    ) -> Element:
        """The element `tag` among `fields` of `aggregate`, which must hold a value."""
        element = fields.get(tag)
        if element is None or not element.text:
            raise StatementError(
                f"<{aggregate.tag}> has no <{tag}>, {what}", Source(self.filename, aggregate.line)
            )
        return element

    def amount(self, element: Element) -> Decimal:
        """An OFX amount (a decimal point, or the comma some banks write)."""
        value = element.text or ""
        if not _AMOUNT.fullmatch(value) or not any(c.isdigit() for c in value):
            digits = sum(c.isdigit() for c in value)
            why = "has more digits than an amount can have" if digits > 15 else "is not an amount"
            raise StatementError(
                f"<{element.tag}> `{value}` {why} (like -12.50)",
                Source(self.filename, element.line),
            )
        return Decimal(value.replace(",", "."))

    def date(self, element: Element) -> date:
        """An OFX datetime's calendar date, as the bank wrote it.

        Converting to UTC would put a fee posted at 21:30 EST on the 30th on the 1st of the
        next month; the bank's date is the first eight digits.
        """
        from bo.periods import date_problem

        value = element.text or ""
        try:
            if not value[:8].isdigit():
                raise ValueError
            day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            raise StatementError(
                f"<{element.tag}> `{value}` is not a date (OFX writes YYYYMMDD, like 20250930)",
                Source(self.filename, element.line),
            ) from None
        problem = date_problem(day)
        if problem:
            raise StatementError(
                f"<{element.tag}> `{value}`: {problem}", Source(self.filename, element.line)
            )
        return day

    def balances(
        self, statement: Element, lines: Sequence[StatementLine]
    ) -> tuple[Decimal | None, Decimal | None]:
        """Closing balance (LEDGERBAL, else AVAILBAL) and the opening balance it implies."""
        for tag in ("LEDGERBAL", "AVAILBAL"):
            balance = statement.find(tag)
            fields = balance.fields() if balance is not None else {}
            if balance is None or "BALAMT" not in fields:
                continue
            closing = self.amount(self.required(balance, fields, "BALAMT", "the balance"))
            as_of = self.date(self.required(balance, fields, "DTASOF", "the date of the balance"))
            break
        else:
            return None, None
        # A balance dated before the last line is not this statement's closing balance, so it
        # says nothing about where the statement opened.
        if not lines or as_of < max(line.date for line in lines):
            return closing, None
        return closing, closing - sum(line.amount.number for line in lines)

    def period(self, listing: Element) -> tuple[date, date] | None:
        """The dates the statement says it covers (DTSTART..DTEND), if it says."""
        start, end = listing.find("DTSTART"), listing.find("DTEND")
        if start is None or end is None or not start.text or not end.text:
            return None
        return self.date(start), self.date(end)


def text(fields: dict[str, Element], tag: str) -> str | None:
    """The value of `tag` among a transaction's fields; None when absent or empty."""
    element = fields.get(tag)
    return element.text if element is not None and element.text else None


def in_cash(txn: Element) -> bool:
    """Whether an investment transaction moves the account's cash (its SUBACCTFUND is
    CASH, or it names none); MARGIN and SHORT are balances of their own."""
    fund = txn.value("SUBACCTFUND")
    return fund is None or fund.upper() == "CASH"


def security_names(root: Element) -> dict[str, str]:
    """The ticker (else the name) of each security by its id, from the file's <SECLIST>."""
    names = {}
    for info in root.iter(frozenset({"SECINFO"})):
        uid, name = info.value("UNIQUEID"), info.value("TICKER") or info.value("SECNAME")
        if uid and name:
            names[uid] = name
    return names
