"""OFX and QFX statements (bank and credit card; OFX 1 SGML and OFX 2 XML), read with ofxtools.

OFX amounts are already from the account holder's side: negative is money out of a bank
account, and a charge on a card, which is also how the books post to a liability. So TRNAMT is
taken as the bank gives it.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from beancount.core.amount import Amount

if TYPE_CHECKING:
    from ofxtools.Parser import OFXTree
from bo.errors import Source
from bo.statements.model import Statement, StatementError, StatementLine
from bo.text import clean_line

OFX_MARKERS = (b"OFXHEADER", b"<OFX>")
# Where each transaction starts, and its FITID: OFX carries no row numbers, so bo points at the
# <STMTTRN> line of the raw file instead. One compiled pattern, one pass over the bytes.
TRANSACTION_TAGS = re.compile(rb"<STMTTRN>|<FITID>\s*([^<\r\n]*)", re.IGNORECASE)

# The values bo checks itself before ofxtools reads the file, so a bad one is named with
# its line: an amount (OFX writes a decimal point, some banks a comma) and a date.
_VALUES = re.compile(rb"<(TRNAMT|BALAMT|DT[A-Z]+)>[ \t]*([^<\r\n]*)", re.IGNORECASE)
_AMOUNT = re.compile(rb"[+-]?[0-9]{0,15}(?:[.,][0-9]{0,10})?")
MAX_TRANSACTIONS = 1_000_000

T = TypeVar("T")


def looks_like_ofx(head: bytes) -> bool:
    """Whether a file starting with `head` is OFX/QFX (SGML header or XML root)."""
    upper = head.upper()
    return any(marker in upper for marker in OFX_MARKERS)


class OfxReader:
    """The reader of OFX/QFX bank and credit card statements."""

    kind = "OFX"

    def __init__(self, account_id: str | None = None) -> None:
        # The bank's ACCTID of this account (or its last digits, as masked files show them),
        # to pick one statement from a file holding several and to refuse another account's.
        self.account_id = account_id

    def identify(self, head: bytes) -> bool:
        """An OFX file says so in its header (OFX 1) or its processing instruction (OFX 2)."""
        return looks_like_ofx(head)

    def read(self, path: Path, account: str, owed: bool = False) -> Statement:
        """The bank or card statement in `path` as lines of `account` (OFX amounts and
        balances are the holder's already, whatever `owed` says)."""
        where = Source(str(path))
        data = path.read_bytes()
        check_values(data, str(path))
        tree = ofxtools_call(lambda: parse_tree(data), where)
        keep_bank_dates(tree)
        ofx = ofxtools_call(tree.convert, where)
        from ofxtools.models import CCSTMTRS, STMTRS

        try:
            statements = ofx.statements
        except AttributeError:  # ofxtools' proxy, when the file has no statement messages
            statements = []
        banking = [s for s in statements if isinstance(s, STMTRS | CCSTMTRS)]
        statement = self._pick(banking, where)
        lines = statement_lines(statement, account, str(path), transaction_starts(data))
        closing, opening = balances(statement, lines)
        return Statement.from_lines(
            account, path, statement.curdef, lines, opening, closing, period(statement)
        )

    def _pick(self, statements: Sequence[Any], where: Source) -> Any:
        """The one statement of this account among those in the file."""
        if not statements:
            raise StatementError("the file holds no bank or credit card statement", where)
        found = ", ".join(s.account.acctid for s in statements)
        if self.account_id is not None:
            statements = [s for s in statements if s.account.acctid.endswith(self.account_id)]
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


def check_values(data: bytes, filename: str) -> None:
    """Refuse an amount or a date the file cannot mean, naming its line: ofxtools would say
    `[<class 'decimal.ConversionSyntax'>]` without one, or crash on the year 9999."""
    from bo.periods import date_problem

    for match in _VALUES.finditer(data):
        tag, value = match.group(1).upper().decode(), match.group(2).strip()
        line = data.count(b"\n", 0, match.start()) + 1
        shown = value.decode("latin-1")
        if tag in ("TRNAMT", "BALAMT"):
            if not _AMOUNT.fullmatch(value) or not any(c in b"0123456789" for c in value):
                digits = sum(c in b"0123456789" for c in value)
                why = (
                    "has more digits than an amount can have" if digits > 15 else "is not an amount"
                )
                raise StatementError(
                    f"<{tag}> `{shown}` {why} (like -12.50)", Source(filename, line)
                )
            continue
        try:
            day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        except ValueError:
            raise StatementError(
                f"<{tag}> `{shown}` is not a date (OFX writes YYYYMMDD, like 20250930)",
                Source(filename, line),
            ) from None
        problem = date_problem(day)
        if problem:
            raise StatementError(f"<{tag}> `{shown}`: {problem}", Source(filename, line))


def parse_tree(data: bytes) -> OFXTree:
    """The raw element tree of an OFX document, before ofxtools converts its values."""
    # ofxtools is imported on first use: it takes a third of a second, and most books
    # never see an OFX file.
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    return tree


def ofxtools_call(call: Callable[[], T], where: Source) -> T:
    """Run one ofxtools step, turning its complaint about a malformed file into ours."""
    try:
        with warnings.catch_warnings():
            # QFX files carry private tags such as <INTU.BID>; ofxtools warns and skips them.
            warnings.simplefilter("ignore")
            return call()
    # ofxtools signals a malformed file with many exception types (its own, ValueError,
    # IndexError, TypeError, decimal and XML errors); this boundary is the one place they mean
    # "bad input" rather than a bug in bo.
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise StatementError(f"not a valid OFX file: {detail}", where) from None


def keep_bank_dates(tree: OFXTree) -> None:
    """Cut OFX datetimes to their date, as the bank wrote it.

    ofxtools converts datetimes to UTC, so a fee posted at 21:30 EST on the 30th would land on
    the 1st of the next month. The bank's calendar date is the first eight digits.
    """
    for element in tree.getroot().iter():
        if isinstance(element.tag, str) and element.tag.startswith("DT") and element.text:
            element.text = element.text.strip()[:8]


def transaction_starts(data: bytes) -> dict[str, list[int]]:
    """1-based line where each <STMTTRN> starts, by its FITID, in file order."""
    starts: dict[str, list[int]] = {}
    line, position, current = 1, 0, None
    for match in TRANSACTION_TAGS.finditer(data):
        line += data.count(b"\n", position, match.start())
        position = match.start()
        if match.group(1) is None:
            current = line
        elif current is not None:
            fitid = match.group(1).strip().decode("latin-1")
            starts.setdefault(fitid, []).append(current)
    return starts


def statement_lines(
    statement: Any, account: str, filename: str, starts: dict[str, list[int]]
) -> list[StatementLine]:
    """The statement's transactions as lines, in file order."""
    seen: dict[str, int] = {}  # a FITID met n times so far takes its n-th start line
    lines = []
    transactions = statement.transactions or ()
    if len(transactions) > MAX_TRANSACTIONS:
        raise StatementError(
            f"holds more than {MAX_TRANSACTIONS:,} transactions: export it a month at a time",
            Source(filename),
        )
    for row, txn in enumerate(transactions):
        fitid = txn.fitid
        occurrence = seen.get(fitid, 0)
        seen[fitid] = occurrence + 1
        candidates = starts.get(fitid, [])
        lineno = candidates[occurrence] if occurrence < len(candidates) else None
        lines.append(
            StatementLine(
                account=account,
                date=txn.dtposted.date(),
                amount=Amount(
                    txn.trnamt, txn.currency.cursym if txn.currency else statement.curdef
                ),
                payee=clean_line(payee_of(txn)),
                memo=clean_line((txn.memo or "").strip()),
                reference=clean_line(txn.checknum) if txn.checknum else None,
                bank_id=clean_line(fitid) if fitid else None,
                balance=None,
                source=Source(filename, lineno),
                row=row,
            )
        )
    return lines


def payee_of(txn: Any) -> str:
    """NAME, or the name in a PAYEE aggregate (OFX gives one or the other)."""
    if txn.name:
        return txn.name.strip()
    if txn.payee is not None and txn.payee.name:
        return txn.payee.name.strip()
    return ""


def balances(
    statement: Any, lines: Sequence[StatementLine]
) -> tuple[Decimal | None, Decimal | None]:
    """Closing balance (LEDGERBAL, else AVAILBAL) and the opening balance it implies."""
    for balance in (statement.ledgerbal, getattr(statement, "availbal", None)):
        if balance is not None:
            closing, as_of = balance.balamt, balance.dtasof.date()
            break
    else:
        return None, None
    # A balance dated before the last line is not this statement's closing balance, so it
    # says nothing about where the statement opened.
    if not lines or as_of < max(line.date for line in lines):
        return closing, None
    return closing, closing - sum(line.amount.number for line in lines)


def period(statement: Any) -> tuple[date, date] | None:
    """The dates the statement says it covers (BANKTRANLIST DTSTART..DTEND), if it says."""
    listing = statement.banktranlist
    if listing is None or listing.dtstart is None or listing.dtend is None:
        return None
    return listing.dtstart.date(), listing.dtend.date()
