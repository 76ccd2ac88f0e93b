"""CSV statements: rows read into lines as a `CsvFormat` in bo.yaml describes the bank's layout.

The whole file is checked before anything is returned, and every bad row is reported with its
line and column, so a statement is either trusted entire or refused entire.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from pathlib import Path

from beancount.core.amount import Amount

from bo.errors import Source
from bo.settings import CsvFormat
from bo.statements.model import Problems, Statement, StatementError, StatementLine
from bo.statements.ofx import looks_like_ofx

# The CsvFormat fields that name a column, in the order messages list them.
COLUMN_FIELDS = (
    "date",
    "amount",
    "debit",
    "credit",
    "payee",
    "memo",
    "reference",
    "id",
    "balance",
    "account_number",
)
AMOUNT_FIELDS = ("amount", "debit", "credit")
CURRENCY_SYMBOLS = "$€£¥"
MINUS_SIGNS = "-\u2212"  # ASCII hyphen-minus, and the typographic minus some exports use
NEGATIVE_SIGNS = ("(", *MINUS_SIGNS)  # parentheses are how accountants write a negative


@dataclass(frozen=True, slots=True)
class Column:
    """Where one CsvFormat field sits in the rows, and how messages name it."""

    field: str
    index: int
    label: str  # `"Date"` when configured by header name, `3 ("Date")` by position


@dataclass(frozen=True, slots=True)
class Layout:
    """The configured columns resolved against the file's header (or first row)."""

    date: Column
    amount: Column | None
    debit: Column | None
    credit: Column | None
    payee: Column | None
    memo: Column | None
    reference: Column | None
    id: Column | None
    balance: Column | None
    account_number: Column | None
    width: int  # a row needs at least this many cells
    has_header: bool

    def columns(self) -> list[Column]:
        """Every configured column."""
        found = (getattr(self, field) for field in COLUMN_FIELDS)
        return [column for column in found if column is not None]


class CellError(ValueError):
    """One cell that does not read as the format says it should."""

    def __init__(self, column: Column | str, message: str) -> None:
        super().__init__(message)
        # "column "Date"", or a phrase of its own for a pair such as debit and credit
        self.where = f"column {column.label}" if isinstance(column, Column) else column
        self.message = message


@lru_cache(maxsize=32)
def amount_pattern(decimal_mark: str, thousands: str) -> re.Pattern[str]:
    """The grammar of an amount cell, compiled once per pair of separators.

    Accepts a sign in front, behind (`12.50-`) or as parentheses, a currency symbol or a
    three-letter code on either side, and thousands groups only where they belong: with
    `thousands: ","`, "1,234.50" reads but "12,50" is refused rather than read as 1250.
    """
    groups = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|" if thousands else ""
    sign = rf"[-+{MINUS_SIGNS[1]}]"
    return re.compile(
        rf"""
        (?P<open>\()?\s*
        (?P<lead>{sign})?\s*
        {currency_pattern("code_before")}\s*
        (?P<sign>{sign})?\s*
        (?P<int>{groups}\d*)(?:{re.escape(decimal_mark)}(?P<frac>\d+))?
        \s*{currency_pattern("code_after")}\s*
        (?P<trail>{sign})?\s*
        (?P<close>\))?
        """,
        re.VERBOSE,
    )


def currency_pattern(group: str) -> str:
    """A currency symbol, or a three-letter code captured as `group` to compare with ours."""
    return rf"(?:[{CURRENCY_SYMBOLS}]|(?P<{group}>[A-Z]{{3}}))?"


class AmountParser:
    """Reads the amount cells of one format into exact Decimals, never through float."""

    def __init__(self, fmt: CsvFormat, currency: str) -> None:
        self.pattern = amount_pattern(fmt.decimal, fmt.thousands)
        # Most cells are a bare "-12.50": read those without the full grammar.
        self.plain = re.compile(rf"-?\d+(?:{re.escape(fmt.decimal)}\d+)?")
        self.decimal_mark = fmt.decimal
        self.thousands = fmt.thousands
        self.currency = currency
        self.example = f"1{fmt.thousands}234{fmt.decimal}50"

    def parse(self, column: Column, text: str) -> Decimal:
        """The signed number in `text`; CellError saying what was expected if it is not one."""
        if self.plain.fullmatch(text):
            return Decimal(text if self.decimal_mark == "." else text.replace(",", "."))
        match = self.pattern.fullmatch(text)
        if match is None:
            raise CellError(column, f'"{text}" is not an amount like {self.example}')
        # One groups() call: this runs for every amount and balance cell of large files.
        opening, lead, code_before, sign, digits, fraction, code_after, trail, closing = (
            match.groups()
        )
        if not (digits or fraction):
            raise CellError(column, f'"{text}" is not an amount like {self.example}')
        signs = f"{opening or ''}{lead or ''}{sign or ''}{trail or ''}"
        if len(signs) > 1 or (opening is None) != (closing is None):
            raise CellError(column, f'"{text}" has more than one sign or unbalanced parentheses')
        code = code_before or code_after
        if code and code != self.currency:
            raise CellError(column, f'"{text}" is in {code}, the statement is in {self.currency}')
        if self.thousands:
            digits = digits.replace(self.thousands, "")
        number = Decimal(f"{digits or '0'}.{fraction}" if fraction else digits)
        return -number if signs in NEGATIVE_SIGNS else number

    def is_amount(self, text: str) -> bool:
        """Whether `text` reads as an amount (to tell a header row from a first data row)."""
        try:
            self.parse(Column("amount", 0, "amount"), text)
        except CellError:
            return False
        return True

    def parse_optional(self, column: Column, text: str) -> Decimal | None:
        """Like `parse`, but a blank cell is None."""
        return self.parse(column, text) if text else None


class DateParser:
    """Reads date cells with the format's strptime pattern, once per distinct text."""

    def __init__(self, date_format: str) -> None:
        self.date_format = date_format
        # A statement has a few dozen distinct dates over thousands of rows; strptime is slow.
        self.seen: dict[str, date] = {}

    def parse(self, column: Column, text: str) -> date:
        """The date in `text`; CellError naming the expected format if it is not one."""
        found = self.seen.get(text)
        if found is None:
            try:
                found = datetime.strptime(text, self.date_format).date()
            except ValueError:
                raise CellError(
                    column, f'"{text}" is not a date in the format {self.date_format}'
                ) from None
            self.seen[text] = found
        return found

    def is_date(self, text: str) -> bool:
        """Whether `text` reads as a date (to tell a header row from a first data row)."""
        try:
            datetime.strptime(text, self.date_format)
        except ValueError:
            return False
        return True


class CsvReader:
    """The reader of CSV statements in one configured layout."""

    kind = "CSV"

    def __init__(
        self, fmt: CsvFormat, currency: str, account_id: str | None = None, *, owed: bool = False
    ) -> None:
        self.fmt = fmt
        # A card issuer or lender prints what is owed as a positive balance, while the books
        # carry it as a negative liability; a bank prints money held as positive, as the
        # books do. Told by the account's role, so renamed roots change nothing.
        self.balance_sign = -1 if owed else 1
        self.currency = currency
        self.account_id = account_id
        self.amounts = AmountParser(fmt, currency)
        self.dates = DateParser(fmt.date_format)

    def identify(self, head: bytes) -> bool:
        """Any text that is not OFX may be a CSV; reading it says whether it fits the layout."""
        return not looks_like_ofx(head)

    def read(self, path: Path, account: str) -> Statement:
        """Every row of `path` as a line of `account`; StatementError if any row is wrong."""
        records = self._records(path, self._decode(path))
        first = next(records, None)
        if first is None:
            raise StatementError(self._nothing_after_skipped(), Source(str(path)))
        layout = self._layout(path, *first)
        if not layout.has_header:
            records = chain([first], records)
        problems = Problems()
        lines = self._lines(path, account, layout, records, problems)
        problems.raise_any()
        opening, closing = running_balances(
            lines, layout.balance, problems, account, self.balance_sign
        )
        problems.raise_any()
        return Statement.from_lines(account, path, self.currency, lines, opening, closing)

    def span(self, path: Path) -> tuple[date, date] | None:
        """The first and last date of the rows `read` would read, from their date cells
        alone: a few times quicker than reading them. None when a row is short or a cell no
        date, or the file no CSV of this layout (`read` says what is wrong)."""
        try:
            records = self._records(path, self._decode(path))
            first = next(records, None)
            if first is None:
                return None
            layout = self._layout(path, *first)
            if not layout.has_header:
                records = chain([first], records)
            column, width, parse = layout.date, layout.width, self.dates.parse
            low = high = None
            for _, cells in records:
                if len(cells) < width:
                    return None
                when = parse(column, cells[column.index].strip())
                if low is None or when < low:
                    low = when
                if high is None or when > high:
                    high = when
        except (StatementError, CellError):
            return None
        return (low, high) if low is not None and high is not None else None

    # -- the file -----------------------------------------------------------------------------
    def _decode(self, path: Path) -> str:
        data = path.read_bytes()
        try:
            return data.decode(self.fmt.encoding)
        except LookupError:
            raise StatementError(
                f"`encoding: {self.fmt.encoding}` in the statement format is not an encoding "
                "Python knows (e.g. utf-8-sig, cp1252, latin-1)",
                Source(str(path)),
            ) from None
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise StatementError(
                f"byte {data[exc.start : exc.start + 1]!r} is not {self.fmt.encoding} text; "
                "set `encoding` in the statement format (e.g. cp1252)",
                Source(str(path), line),
            ) from None

    def _records(self, path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
        """(1-based line where the row starts, cells) of each non-blank row after skip_rows."""
        if len(self.fmt.delimiter) != 1:
            raise StatementError(
                f"`delimiter` must be one character, got {self.fmt.delimiter!r}", Source(str(path))
            )
        buffer = io.StringIO(text, newline="")
        for _ in range(self.fmt.skip_rows):
            buffer.readline()
        reader = csv.reader(buffer, delimiter=self.fmt.delimiter)
        previous = 0  # csv counts physical lines; a quoted cell may span several
        try:
            for cells in reader:
                start = self.fmt.skip_rows + previous + 1
                previous = reader.line_num
                if "".join(cells).strip():
                    yield start, cells
        except csv.Error as exc:
            raise StatementError(
                f"not readable as CSV: {exc}", Source(str(path), self.fmt.skip_rows + previous + 1)
            ) from None

    def _nothing_after_skipped(self) -> str:
        if self.fmt.skip_rows:
            return f"the statement has no rows after the {self.fmt.skip_rows} skipped lines"
        return "the statement has no rows"

    # -- the layout ---------------------------------------------------------------------------
    def _layout(self, path: Path, line: int, first_row: list[str]) -> Layout:
        """Resolve the configured columns against the header, or the first row if none."""
        configured = {
            f: getattr(self.fmt, f) for f in COLUMN_FIELDS if getattr(self.fmt, f) is not None
        }
        header = [cell.strip() for cell in first_row]
        has_header = not all(isinstance(spec, int) for spec in configured.values()) or (
            self._looks_like_header(header, configured)
        )
        problems = Problems()
        columns: dict[str, Column | None] = dict.fromkeys(COLUMN_FIELDS)
        for field, spec in configured.items():
            index = spec if isinstance(spec, int) else find_header(header, spec)
            if index is None or not 0 <= index < len(header):
                problems.add(
                    Source(str(path), line), self._missing(field, spec, header, has_header)
                )
                continue
            if isinstance(spec, str):
                label = f'"{spec}"'
            elif has_header and header[index]:
                label = f'{index} ("{header[index]}")'
            else:
                label = f"{index} ({field})"
            columns[field] = Column(field, index, label)
        problems.raise_any()
        width = max(column.index for column in columns.values() if column) + 1
        return Layout(**columns, width=width, has_header=has_header)

    def _looks_like_header(self, cells: list[str], configured: dict[str, str | int]) -> bool:
        # With only column positions bo.yaml does not say whether the file has a header row.
        # A header's date cell is not a date and its amount cells are not numbers; a data row
        # with a mistyped date still has its amount, so it is read (and refused) as data.
        def text_of(field: str) -> str:
            index = configured.get(field)
            return cells[index] if isinstance(index, int) and 0 <= index < len(cells) else ""

        if self.dates.is_date(text_of("date")):
            return False
        return not any(self.amounts.is_amount(text_of(field)) for field in AMOUNT_FIELDS)

    def _missing(self, field: str, spec: str | int, header: list[str], has_header: bool) -> str:
        found = ", ".join(f'"{name}"' for name in header)
        if isinstance(spec, str):
            return (
                f'column "{spec}" (`{field}` in the statement format) is not in the header; '
                f"the header is: {found}"
            )
        what = "the header" if has_header else "the first row"
        return (
            f"column {spec} (`{field}` in the statement format) is beyond the {len(header)} "
            f"columns of {what}: {found}"
        )

    # -- the rows -----------------------------------------------------------------------------
    def _lines(
        self,
        path: Path,
        account: str,
        layout: Layout,
        records: Iterator[tuple[int, list[str]]],
        problems: Problems,
    ) -> list[StatementLine]:
        filename = str(path)
        flip_balance = self.balance_sign < 0
        lines = []
        for row, (start, cells) in enumerate(records):
            source = Source(filename, start)
            if len(cells) < layout.width:
                problems.add(source, too_short(layout, cells))
                continue
            try:
                lines.append(self._line(account, layout, cells, source, row, flip_balance))
            except CellError as exc:
                problems.add(source, f"{exc.where}: {exc.message}")
        return lines

    def _line(
        self,
        account: str,
        layout: Layout,
        cells: list[str],
        source: Source,
        row: int,
        flip_balance: bool,
    ) -> StatementLine:
        if layout.account_number is not None and self.account_id is not None:
            self._check_account(account, layout.account_number, cell(cells, layout.account_number))
        when = self.dates.parse(layout.date, cells[layout.date.index].strip())
        amount = Amount(self._amount(layout, cells), self.currency)
        balance = None
        if layout.balance is not None:
            text = cells[layout.balance.index].strip()
            balance = self.amounts.parse(layout.balance, text) if text else None
            if balance is not None and flip_balance:
                balance = -balance
        # `cell` inline: this runs for every row of statements of 100,000 rows.
        payee, memo, reference, bank_id = layout.payee, layout.memo, layout.reference, layout.id
        return StatementLine(
            account,
            when,
            amount,
            cells[payee.index].strip() if payee is not None else "",
            cells[memo.index].strip() if memo is not None else "",
            (cells[reference.index].strip() or None) if reference is not None else None,
            (cells[bank_id.index].strip() or None) if bank_id is not None else None,
            balance,
            source,
            row,
        )

    def _check_account(self, account: str, column: Column, text: str) -> None:
        """A row naming another account number means a file of another account.

        Digits are compared from the right, so `****3318`, `3318` and the full number agree.
        A blank cell says nothing either way.
        """
        assert self.account_id is not None
        shown, expected = _digits(text), _digits(self.account_id)
        if not shown or not expected or shown.endswith(expected) or expected.endswith(shown):
            return
        raise CellError(
            column,
            f"account number `{text.strip()}` is not {account}'s "
            f"(`accounts.{account}.statement.account_id`: {self.account_id}); "
            "is this another account's statement?",
        )

    def _amount(self, layout: Layout, cells: list[str]) -> Decimal:
        """The row's amount in the books' sign: positive into the account, negative out."""
        if layout.amount is not None:
            number = self.amounts.parse(layout.amount, cell(cells, layout.amount))
            # "outflow" files print charges and withdrawals as positive numbers.
            return -number if self.fmt.positive == "outflow" else number
        assert layout.debit is not None and layout.credit is not None  # CsvFormat insists
        debit = self.amounts.parse_optional(layout.debit, cell(cells, layout.debit))
        credit = self.amounts.parse_optional(layout.credit, cell(cells, layout.credit))
        # Some banks write 0.00 in the unused column instead of leaving it blank.
        if debit is not None and credit is not None:
            if debit == 0:
                debit = None
            elif credit == 0:
                credit = None
            else:
                raise CellError(
                    debit_and_credit(layout), "both are filled; a row is either money out or in"
                )
        if debit is not None:
            # The column says the direction; some banks print debits with a minus, some without.
            return -abs(debit)
        if credit is not None:
            return abs(credit)
        raise CellError(debit_and_credit(layout), "both are blank; expected an amount in one")


def cell(cells: list[str], column: Column | None) -> str:
    """The text of a column in a row, trimmed; empty when the format has no such column."""
    return cells[column.index].strip() if column is not None else ""


def debit_and_credit(layout: Layout) -> str:
    assert layout.debit is not None and layout.credit is not None
    return f"columns {layout.debit.label} and {layout.credit.label}"


def too_short(layout: Layout, cells: list[str]) -> str:
    beyond = [column.label for column in layout.columns() if column.index >= len(cells)]
    return f"the row has {len(cells)} columns; there is no column {', '.join(beyond)}"


def find_header(header: Sequence[str], name: str) -> int | None:
    """The position of a header name; exact first, then ignoring case and spaces around."""
    wanted = name.strip()
    for index, cell in enumerate(header):
        if cell == wanted:
            return index
    folded = wanted.casefold()
    for index, cell in enumerate(header):
        if cell.casefold() == folded:
            return index
    return None


def running_balances(
    lines: Sequence[StatementLine],
    column: Column | None,
    problems: Problems,
    account: str,
    sign: int,
) -> tuple[Decimal | None, Decimal | None]:
    """Opening and closing balances, after checking each balance follows from the amounts.

    A break names the first row where balance != previous balance + amount. That catches a
    file of another account, a missing row, and a sign convention (`positive`) set the wrong
    way round, which flips every amount but not the balances.
    """
    if column is None or not lines:
        return None, None
    # Some banks list the newest row first; balances run in date order either way. When the
    # first and last rows share a date (a one-day statement) only the balances tell which
    # way the file runs, so both ways are tried.
    if lines[0].date < lines[-1].date:
        orders = [lines]
    elif lines[0].date > lines[-1].date:
        orders = [lines[::-1]]
    else:
        orders = [lines, lines[::-1]]
    breaks = []
    for ordered in orders:
        opening, closing, broken = _follow_balances(ordered)
        if broken is None:
            return opening, closing
        breaks.append((broken, opening))
    (line, previous, running), opening = breaks[0]
    assert line.balance is not None  # only a printed balance can break
    problems.add(
        line.source,
        f"column {column.label}: the balance {line.balance * sign} does not follow from "
        f"the previous balance {previous * sign} and this row's amount; expected "
        f"{running * sign}. If every row is off, check `positive` (inflow/outflow) "
        f"in the statement format, and that this is the statement of {account}",
    )
    return opening, None


def _follow_balances(
    ordered: Sequence[StatementLine],
) -> tuple[Decimal | None, Decimal | None, tuple[StatementLine, Decimal, Decimal] | None]:
    """(opening, closing, first break as (line, previous balance, expected)) in this order."""
    first = next((i for i, line in enumerate(ordered) if line.balance is not None), None)
    if first is None:
        return None, None, None
    start = ordered[first].balance
    assert start is not None
    running = start - sum(line.amount.number for line in ordered[: first + 1])
    opening = running
    for line in ordered:
        previous, running = running, running + line.amount.number
        if line.balance is not None and line.balance != running:
            return opening, None, (line, previous, running)
    return opening, running, None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
