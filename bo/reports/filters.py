"""Jinja filters: the only place numbers and dates are formatted for reports."""

from __future__ import annotations

from decimal import Decimal


def money(number: Decimal | None, blank_zero: bool = False) -> str:
    """`1,234.50`, negatives as `-1,234.50`; the report already rounded to the currency."""
    if number is None or (blank_zero and number == 0):
        return ""
    return f"{number:,}"


def cell(text: object) -> str:
    """Text for a Markdown table cell: a `|` in a payee would otherwise split the cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def zip_filter(first, second):
    """`a | zip(b)`: pairs for charts (label, value)."""
    return zip(first, second, strict=False)


FILTERS = {"money": money, "cell": cell, "zip": zip_filter}
