"""CSV statements: rows read into lines as a `CsvFormat` in bo.yaml describes the bank's layout.

The whole file is checked before anything is returned, and every bad row is reported with its
line and column, so a statement is either trusted entire or refused entire.
"""

from __future__ import annotations

import csv
import io
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain
from pathlib import Path

from beancount.core.amount import Amount

from bo.errors import Source
from bo.settings import CsvFormat
from bo.statements.balances import owed_sign, running_balances
from bo.statements.cells import AmountParser, CellError, Column
from bo.statements.dates import DateError, DateParser
from bo.statements.model import Problems, Statement, StatementError, StatementLine
from bo.statements.ofx import looks_like_ofx
from bo.statements.rows import RowTest, StatedBalances, classify, row_test
from bo.text import clean_line, has_controls

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
    "direction",
)
AMOUNT_FIELDS = ("amount", "debit", "credit")
# Rows a statement may have: a year of a busy processor's daily export is far fewer.
MAX_ROWS = 1_000_000


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
    direction: Column | None
    filters: tuple[RowTest, ...]  # the format's `filters`, their columns resolved
    width: int  # the configured columns lie within this many cells
    fields: int  # every row has exactly as many cells as the header (or the first row)
    has_header: bool

    def columns(self) -> list[Column]:
        """Every configured column."""
        found = (getattr(self, field) for field in COLUMN_FIELDS)
        return [column for column in found if column is not None]


class CsvReader:
    """The reader of CSV statements in one configured layout."""

    kind = "CSV"

    def __init__(
        self,
        fmt: CsvFormat,
        currency: str,
        account_id: str | None = None,
        others: dict[str, str] | None = None,
    ) -> None:
        self.fmt = fmt
        self.currency = currency
        self.account_id = account_id
        self.others = others or {}  # account_id -> account, of the other accounts bo.yaml has
        self.amounts = AmountParser(fmt, currency)
        self.dates = DateParser(fmt.date_formats)
        self.outflow_words = {word.casefold() for word in fmt.outflow_words}
        self.inflow_words = {word.casefold() for word in fmt.inflow_words}

    def identify(self, head: bytes) -> bool:
        """Any text that is not OFX may be a CSV; reading it says whether it fits the layout."""
        return not looks_like_ofx(head)

    def read(self, path: Path, account: str, owed: bool = False) -> Statement:
        """Every row of `path` as a line of `account`; StatementError if any row is wrong.

        `owed`: the account is a liability (a card, a loan), whose printed balance is what is
        owed; the running balances then say which way the statement prints it.
        """
        text = self._decode(path)
        layout, records = self._start(path, text)
        if layout is None:
            raise StatementError(self._nothing_after_skipped(), Source(str(path)))
        if len(self.dates.patterns) > 1:
            rows = list(records)
            self.dates.prefer(
                cells[layout.date.index].strip()
                for _, cells, then in self._classified(layout, rows)
                if then is None and len(cells) == layout.fields
            )
            records = iter(rows)
        problems = Problems()
        stated = StatedBalances()
        lines = self._lines(path, account, layout, records, problems, has_controls(text), stated)
        problems.raise_any()
        if not lines and stated.elsewhere:
            raise StatementError(
                f"no row is {account}'s (`account_id`: {self.account_id}): its rows are "
                + ", ".join(f"{n} of {other}" for other, n in sorted(stated.elsewhere.items())),
                Source(str(path)),
            )
        sign = owed_sign(lines, self.fmt) if owed else 1
        lines, opening, closing = running_balances(lines, layout.balance, problems, owed, self.fmt)
        opening, closing = stated.settle(lines, opening, closing, sign, problems)
        problems.raise_any()
        return Statement.from_lines(account, path, self.currency, lines, opening, closing)

    def span(self, path: Path) -> tuple[date, date] | None:
        """The first and last date of the rows `read` would read, from their date cells
        alone: a few times quicker than reading them. None when a row is short or a cell no
        date, or the file no CSV of this layout (`read` says what is wrong)."""
        try:
            layout, records = self._start(path, self._decode(path))
            if layout is None:
                return None
            column, fields, parse = layout.date, layout.fields, self.dates.parse
            low = high = None
            for _, cells, then in self._classified(layout, records):
                if then is not None:
                    continue
                if len(cells) != fields:
                    return None
                when = parse(cells[column.index].strip())
                if low is None or when < low:
                    low = when
                if high is None or when > high:
                    high = when
        except (StatementError, DateError):
            return None
        return (low, high) if low is not None and high is not None else None

    def _start(
        self, path: Path, text: str
    ) -> tuple[Layout | None, Iterator[tuple[int, list[str]]]]:
        """The layout from the header (or first row), and the rows after it."""
        records = self._records(path, text)
        first = next(records, None)
        if first is None:
            return None, records
        layout = self._layout(path, *first)
        if not layout.has_header:
            records = chain([first], records)
        return layout, records

    def _classified(
        self, layout: Layout, records: Iterable[tuple[int, list[str]]]
    ) -> Iterator[tuple[int, list[str], str | None]]:
        """Each row with what the format's `filters` say it is (None: a transaction), up
        to a row they say ends the data."""
        tests, delimiter = layout.filters, self.fmt.delimiter
        for start, cells in records:
            then = classify(tests, cells, delimiter) if tests else None
            if then == "end":
                return
            yield start, cells, then

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
        """(1-based line where the row starts, cells) of each non-blank row after skip_rows
        and before the last footer_rows."""
        footer: deque[tuple[int, list[str]]] = deque()
        if len(self.fmt.delimiter) != 1:
            raise StatementError(
                f"`delimiter` must be one character, got {self.fmt.delimiter!r}", Source(str(path))
            )
        buffer = io.StringIO(text, newline="")
        for _ in range(self.fmt.skip_rows):
            if not buffer.readline():
                break
        # strict: a quote left open or a stray quote mid-field is an error, not a cell that
        # swallows the rest of the file.
        reader = csv.reader(buffer, delimiter=self.fmt.delimiter, strict=True)
        previous = 0  # csv counts physical lines; a quoted cell may span several
        rows = 0
        try:
            for cells in reader:
                start = self.fmt.skip_rows + previous + 1
                spans = reader.line_num - previous > 1
                previous = reader.line_num
                if spans and any(self._holds_a_row(cell) for cell in cells):
                    # A stray quote pairs with one rows later: the rows between would be
                    # one cell, booked as nothing.
                    raise StatementError(
                        f"a quoted field runs from this line to line {previous} and holds what "
                        "reads as rows of their own: a stray quote has joined rows into one "
                        "cell; remove it, or double it inside a quoted field",
                        Source(str(path), start),
                    )
                if spans:  # a cell over several lines: one line in the ledger
                    cells = [clean_line(cell) for cell in cells]
                if "".join(cells).strip():
                    rows += 1
                    if rows > MAX_ROWS:
                        raise StatementError(
                            f"has more than {MAX_ROWS:,} rows: export it a month at a time",
                            Source(str(path), start),
                        )
                    footer.append((start, cells))
                    if len(footer) > self.fmt.footer_rows:
                        yield footer.popleft()
        except csv.Error as exc:
            raise StatementError(
                _csv_problem(str(exc)), Source(str(path), self.fmt.skip_rows + previous + 1)
            ) from None

    def _holds_a_row(self, cell: str) -> bool:
        """Whether a cell over several lines has a line past its first that reads as the
        start of a row: cells apart by the delimiter, one of them a date. A quoted payee may
        hold line breaks and the delimiter; rows joined by a stray quote hold dates too."""
        delimiter = self.fmt.delimiter
        return any(
            delimiter in line
            and any(self.dates.is_date(piece.strip()) for piece in line.split(delimiter))
            for line in cell.splitlines()[1:]
        )

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
            if isinstance(spec, str) and has_header:
                twice = [
                    i + 1
                    for i, cell in enumerate(header)
                    if cell.casefold() == spec.strip().casefold()
                ]
                if len(twice) > 1:
                    problems.add(
                        Source(str(path), line),
                        f'column "{spec}" (`{field}` in the statement format) appears twice in '
                        f"the header (columns {twice[0]} and {twice[1]}); bo cannot tell which "
                        "to read: name the right one by its position (0-based) instead",
                    )
                    continue
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
        tests = []
        for number, wanted in enumerate(self.fmt.filters):
            spec = wanted.column
            index = None
            if spec is not None:
                index = spec if isinstance(spec, int) else find_header(header, spec)
                if index is None or (not has_header and isinstance(spec, str)):
                    problems.add(
                        Source(str(path), line),
                        self._missing(f"filters[{number}].column", spec, header, has_header),
                    )
                    continue
            tests.append(row_test(index, wanted.matches, wanted.then))
        problems.raise_any()
        width = max(column.index for column in columns.values() if column) + 1
        return Layout(
            **columns,
            filters=tuple(tests),
            width=width,
            fields=len(first_row),
            has_header=has_header,
        )

    def _looks_like_header(self, cells: list[str], configured: dict[str, str | int]) -> bool:
        # With only column positions bo.yaml does not say whether the file has a header row.
        # A header's date cell is not a date and its amount cells are not numbers; a data row
        # with a mistyped date still has its amount, so it is read (and refused) as data.
        def text_of(field: str) -> str:
            index = configured.get(field)
            return cells[index] if isinstance(index, int) and 0 <= index < len(cells) else ""

        if self.dates.is_date(text_of("date").strip()):
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
        dirty: bool = False,
        stated: StatedBalances | None = None,
    ) -> list[StatementLine]:
        filename = str(path)
        stated = stated if stated is not None else StatedBalances()
        lines = []
        tests, delimiter = layout.filters, self.fmt.delimiter
        for row, (start, cells) in enumerate(records):
            # The filters inline, not through _classified: this runs for every row.
            then = classify(tests, cells, delimiter) if tests else None
            if then == "end":
                break
            if then == "skip":
                continue
            source = Source(filename, start)
            if dirty:
                cells = [clean_line(text) for text in cells]
            try:
                if then is not None:  # an opening or closing balance, never a transaction
                    stated.add(then, source, self._stated_figure(layout, cells))
                    continue
                if len(cells) != layout.fields:
                    problems.add(source, wrong_width(layout, cells, self.fmt.delimiter))
                    continue
                if layout.account_number is not None and self.account_id is not None:
                    other = self._other_account(account, layout.account_number, cells)
                    if other is not None:
                        stated.elsewhere[other] += 1
                        continue
                lines.append(self._line(account, layout, cells, source, row))
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
    ) -> StatementLine:
        try:
            when = self.dates.parse(cells[layout.date.index].strip())
        except DateError as exc:
            raise CellError(layout.date, str(exc)) from None
        amount = Amount(self._amount(layout, cells), self.currency)
        balance = None
        if layout.balance is not None:
            text = cells[layout.balance.index].strip()
            balance = self.amounts.parse(layout.balance, text) if text else None
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

    def _stated_figure(self, layout: Layout, cells: list[str]) -> Decimal:
        """The balance a balance row states: its balance cell, else its amount cell(s)."""
        if layout.balance is not None and cell(cells, layout.balance):
            return self.amounts.parse(layout.balance, cell(cells, layout.balance))
        if layout.amount is not None:
            return self.amounts.parse(layout.amount, cell(cells, layout.amount))
        assert layout.debit is not None and layout.credit is not None  # CsvFormat insists
        debit = self.amounts.parse_optional(layout.debit, cell(cells, layout.debit))
        credit = self.amounts.parse_optional(layout.credit, cell(cells, layout.credit))
        if debit is None and credit is None:
            raise CellError(debit_and_credit(layout), "a balance row with no figure in either")
        return abs(credit or 0) - abs(debit or 0)

    def _other_account(self, account: str, column: Column, cells: list[str]) -> str | None:
        """The other account a row is of, by its account number; None when it is ours.

        Digits are compared from the right, so `****3318`, `3318` and the full number agree.
        A blank cell says nothing either way. A number of no account bo.yaml knows means a
        file of another account, and is refused.
        """
        assert self.account_id is not None
        text = cell(cells, column)
        shown = _digits(text)
        if not shown or _same_number(shown, _digits(self.account_id)):
            return None
        for number, other in self.others.items():
            if _same_number(shown, _digits(number)):
                return other
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
            if layout.direction is not None:
                return self._directed(layout.direction, cell(cells, layout.direction), number)
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

    def _directed(self, column: Column, word: str, number: Decimal) -> Decimal:
        """An unsigned amount signed by its direction cell: a debit is money out of the
        account, bank or card alike, a credit money in."""
        folded = word.casefold()
        if folded in self.outflow_words:
            return -abs(number)
        if folded in self.inflow_words:
            return abs(number)
        raise CellError(
            column,
            f'"{word}" is not a direction the format knows: money out is one of '
            f"{', '.join(self.fmt.outflow_words)} (`outflow_words`), money in one of "
            f"{', '.join(self.fmt.inflow_words)} (`inflow_words`)",
        )


def cell(cells: list[str], column: Column | None) -> str:
    """The text of a column in a row, trimmed; empty when the format has no such column."""
    return cells[column.index].strip() if column is not None else ""


def debit_and_credit(layout: Layout) -> str:
    assert layout.debit is not None and layout.credit is not None
    return f"columns {layout.debit.label} and {layout.credit.label}"


def wrong_width(layout: Layout, cells: list[str], delimiter: str) -> str:
    """Why a row with another number of cells than the header is refused, not guessed at."""
    against = "the header" if layout.has_header else "the first row"
    if len(cells) > layout.fields:
        return (
            f"the row has {len(cells)} fields, {against} {layout.fields}: a field holding "
            f"`{delimiter}` (an amount like 1{delimiter}500.00, a description) must be quoted, "
            f'like "1{delimiter}500.00"; bo reads no row it would have to guess'
        )
    beyond = [column.label for column in layout.columns() if column.index >= len(cells)]
    missing = f"; there is no column {', '.join(beyond)}" if beyond else ""
    return f"the row has {len(cells)} fields, {against} {layout.fields}{missing}"


def _csv_problem(message: str) -> str:
    """Python's csv complaint, said as what is wrong with the file."""
    if "unexpected end of data" in message:
        return (
            'a quoted field that starts in this row is never closed (a `"` is missing); '
            "the rest of the file would have been read as one cell"
        )
    if "expected after" in message:
        return (
            "a quote in the middle of a field: quote the whole field and double the quote "
            'inside it ("5"" screen")'
        )
    return f"not readable as CSV: {message}"


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


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _same_number(shown: str, expected: str) -> bool:
    """Whether a printed account number is the expected one, either possibly masked."""
    return not expected or shown.endswith(expected) or expected.endswith(shown)
