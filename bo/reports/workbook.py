"""Reports as an Excel workbook: sheets of typed cells, money in its currency's format.

A sheet is plain data (`Sheet`), built from the same report objects the other formats
render; `workbook_bytes` writes any list of them with XlsxWriter. Money stays a number in
the cell, shown with its currency's code and decimal places, so a spreadsheet adds it up;
text is always written as text (a payee `=HYPERLINK(...)` is never a formula).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from bo.reports.model import currency_places

# Excel's own limits on a sheet's name.
SHEET_NAME_MAX = 31
EXCEL_DIGITS = 15
_NOT_IN_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


class Money(NamedTuple):
    """An amount in a cell: the number, and the currency whose format shows it."""

    number: Decimal
    currency: str


@dataclass(frozen=True)
class Table:
    """Rows under a header; a row's cells are text, Money, Decimal, int, date, bool or None."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet: a title line, a few lines of context, then its tables in order."""

    name: str
    title: str
    lines: Sequence[str] = ()
    tables: Sequence[Table] = ()
    notes: Sequence[str] = ()


def sheet_name(wanted: str, taken: set[str]) -> str:
    """`wanted` as Excel accepts a sheet name (31 printable characters, none of `[]:*?/\\`), made
    unique among `taken` (case-insensitively, as Excel compares them), and added to it."""
    shown = "".join(ch if ch.isprintable() else " " for ch in wanted.translate(_NOT_IN_NAMES))
    base = " ".join(shown.split()).strip("'") or "Sheet"
    name, n = base[:SHEET_NAME_MAX], 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


def money_format(currency: str, places: int) -> str:
    """Excel's number format for `currency`: grouped, its places, the code after it."""
    digits = "#,##0" + ("." + "0" * places if places > 0 else "")
    code = f' "{currency}"'
    return f"{digits}{code};-{digits}{code}"


def workbook_bytes(
    sheets: Sequence[Sheet], options: Mapping | None, created: datetime | None = None
) -> bytes:
    """The .xlsx file of `sheets`; money shown with the ledger's places for each currency."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    if created is not None:
        book.set_properties({"created": created})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    text = book.add_format({"valign": "top"})
    wrapped = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
    number = book.add_format({"num_format": "#,##0.00", "valign": "top"})
    formats: dict[str, Any] = {}

    def money(currency: str) -> Any:
        if currency not in formats:
            places = currency_places(options, currency)
            formats[currency] = book.add_format(
                {"num_format": money_format(currency, places), "valign": "top"}
            )
        return formats[currency]

    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        widths: dict[int, int] = {}
        ws.write_string(0, 0, sheet.title, title)
        row = 1
        for line in sheet.lines:
            ws.write_string(row, 0, line)
            row += 1
        for table in sheet.tables:
            row += 1
            if table.title:
                ws.write_string(row, 0, table.title, bold)
                row += 1
            for col, name in enumerate(table.columns):
                ws.write_string(row, col, name, head)
                widths[col] = max(widths.get(col, 8), min(len(name), 40))
            row += 1
            for cells in table.rows:
                for col, value in enumerate(cells):
                    shown = _write(ws, row, col, value, money, text, wrapped, day, number)
                    widths[col] = max(widths.get(col, 8), min(shown, 60))
                row += 1
        if sheet.notes:
            row += 1
            for note in sheet.notes:
                ws.write_string(row, 0, note)
                row += 1
        for col, width in widths.items():
            ws.set_column(col, col, width + 2)
    book.close()
    return buffer.getvalue()


def _write(ws: Any, row: int, col: int, value: Any, money, text, wrapped, day, number) -> int:
    """Write one typed cell; the characters it shows, for the column's width."""
    if value is None or value == "":
        return 0
    if isinstance(value, Money):
        if not exact_in_excel(value.number):
            ws.write_string(row, col, f"{value.number:,} {value.currency}", text)
        else:
            ws.write_number(row, col, float(value.number), money(value.currency))
        return len(f"{value.number:,}") + len(value.currency) + 1
    if isinstance(value, bool):
        ws.write_string(row, col, "yes" if value else "no", text)
        return 3
    if isinstance(value, (Decimal, int, float)):
        ws.write_number(row, col, float(value), number if isinstance(value, Decimal) else text)
        return len(f"{value:,}")
    if isinstance(value, datetime | date):
        ws.write_datetime(row, col, _as_datetime(value), day)
        return 10
    shown = str(value)
    ws.write_string(row, col, shown, wrapped if "\n" in shown else text)
    return max((len(part) for part in shown.splitlines()), default=0)


def exact_in_excel(number: Decimal) -> bool:
    """Whether a cell's number (a double, which Excel shows to 15 significant digits) holds
    `number` exactly as written; beyond that an amount is written as text, never rounded."""
    digits = number.normalize().as_tuple().digits
    return len(digits) <= EXCEL_DIGITS


def _as_datetime(value: date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
