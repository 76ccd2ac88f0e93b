"""The cells of a CSV statement: where a column sits, and amounts read into exact Decimals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bo.settings import CsvFormat

CURRENCY_SYMBOLS = "$€£¥"
# Which currencies each symbol may stand for: "€5.00" in a statement in USD is refused, not
# read as 5 dollars.
SYMBOL_CURRENCIES = {
    "$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "ARS", "CLP", "COP"},
    "€": {"EUR"},
    "£": {"GBP"},
    "¥": {"JPY", "CNY"},
}
# More digits than any amount on a statement has: 15 before the decimal mark is a
# quadrillion, and beyond 28 in all a Decimal would print in exponent form.
MAX_WHOLE_DIGITS = 15
MAX_FRACTION_DIGITS = 10
MINUS_SIGNS = "-\u2212"  # ASCII hyphen-minus, and the typographic minus some exports use
NEGATIVE_SIGNS = ("(", *MINUS_SIGNS)  # parentheses are how accountants write a negative


@dataclass(frozen=True, slots=True)
class Column:
    """Where one CsvFormat field sits in the rows, and how messages name it."""

    field: str
    index: int
    label: str  # `"Date"` when configured by header name, `3 ("Date")` by position


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
    groups = rf"[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+|" if thousands else ""
    sign = rf"[-+{MINUS_SIGNS[1]}]"
    return re.compile(
        rf"""
        (?P<open>\()?\s*
        (?P<lead>{sign})?\s*
        {currency_pattern("before")}\s*
        (?P<sign>{sign})?\s*
        (?P<int>{groups}[0-9]*)(?:{re.escape(decimal_mark)}(?P<frac>[0-9]+))?
        \s*{currency_pattern("after")}\s*
        (?P<trail>{sign})?\s*
        (?P<close>\))?
        """,
        re.VERBOSE,
    )


def currency_pattern(group: str) -> str:
    """A currency symbol or a three-letter code, captured as `group` to compare with ours."""
    return rf"(?P<{group}>[{CURRENCY_SYMBOLS}]|[A-Z]{{3}})?"


class AmountParser:
    """Reads the amount cells of one format into exact Decimals, never through float."""

    def __init__(self, fmt: CsvFormat, currency: str) -> None:
        self.pattern = amount_pattern(fmt.decimal, fmt.thousands)
        # Most cells are a bare "-12.50": read those without the full grammar.
        self.plain = re.compile(rf"-?[0-9]{{1,15}}(?:{re.escape(fmt.decimal)}[0-9]{{1,10}})?")
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
        if code and self.currency not in SYMBOL_CURRENCIES.get(code, {code}):
            named = (
                code if len(code) == 3 else f"{code} ({', '.join(sorted(SYMBOL_CURRENCIES[code]))})"
            )
            raise CellError(column, f'"{text}" is in {named}, the statement is in {self.currency}')
        if self.thousands:
            digits = digits.replace(self.thousands, "")
        if len(digits.lstrip("0")) > MAX_WHOLE_DIGITS or len(fraction or "") > MAX_FRACTION_DIGITS:
            raise CellError(
                column,
                f'"{text}" has more digits than an amount can have (at most '
                f"{MAX_WHOLE_DIGITS} before the decimal mark and {MAX_FRACTION_DIGITS} after)",
            )
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
