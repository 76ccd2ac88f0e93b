"""Bills and invoices from a CSV export of an invoicing tool: one row per line, the rows of
one document sharing its party and number.

Columns are found by their header, case and spacing aside, under the names such exports
use: party (`vendor`, `customer`, `contact`), `number` (`invoice number`, `bill number`,
`reference`), `date` (`invoice date`, `issue date`), `due date`, `terms`, `account`,
`amount`, `currency`, `tax`, `description`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bo.errors import BadInputError, Source
from bo.payables.bills import Fields, Kind

COLUMNS = {
    "party": ("vendor", "customer", "contact", "contact name", "party", "supplier", "client"),
    "number": ("number", "invoice number", "bill number", "invoice", "bill", "reference"),
    "date": ("date", "invoice date", "bill date", "issue date"),
    "due": ("due date", "due"),
    "terms": ("terms",),
    "account": ("account", "account code"),
    "amount": ("amount", "line amount", "net amount"),
    "currency": ("currency",),
    "tax": ("tax", "tax amount"),
    "memo": ("description", "memo"),
}
REQUIRED = ("party", "number", "date", "amount")


@dataclass(frozen=True)
class Row:
    party: str
    fields: Fields
    source: Source  # the document's first row


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [" ".join(h.strip().casefold().replace("_", " ").split()) for h in header]
    found = {}
    for key, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in names:
                found[key] = names.index(spelling)
                break
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        wanted = "; ".join(f"{k}: one of {', '.join(COLUMNS[k])}" for k in missing)
        raise BadInputError(f"no column for {wanted}", Source(str(path), 1))
    return found


def _date(text: str, where: Source, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInputError(f"{field}: `{text}` is not a date like 2026-11-03", where) from None


def read_documents(path: Path, kind: Kind) -> list[Row]:
    """Every document in the file, in file order; a bad row is bad input naming its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read it: {exc}", Source(str(path))) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise BadInputError("the file is empty", Source(str(path)))
    columns = _columns(rows[0], path)
    documents: dict[tuple[str, str], Row] = {}
    for lineno, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        where = Source(str(path), lineno)

        def cell(key: str, row: list[str] = row) -> str:
            index = columns.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        for key in REQUIRED:
            if not cell(key):
                raise BadInputError(f"`{key}` is empty", where)
        amount = cell("amount") + (f" {cell('currency')}" if cell("currency") else "")
        line = f"{cell('account')}={amount}" if cell("account") else amount
        key = (cell("party"), cell("number"))
        if key in documents:
            first = documents[key]
            if first.fields.issued != _date(cell("date"), where, "date"):
                raise BadInputError(f"{key[1]}: a second date for one document", where)
            fields = first.fields
            tax = fields.tax
            if cell("tax"):
                tax = str(sum_amounts(tax, cell("tax")))
            documents[key] = Row(
                first.party,
                Fields(
                    kind,
                    fields.number,
                    fields.issued,
                    fields.due,
                    fields.terms,
                    (*fields.lines, line),
                    tax,
                    None,
                    fields.memo,
                ),
                first.source,
            )
            continue
        due = _date(cell("due"), where, "due date") if cell("due") else None
        fields = Fields(
            kind,
            cell("number"),
            _date(cell("date"), where, "date"),
            due,
            cell("terms") or None,
            (line,),
            cell("tax") or None,
            None,
            cell("memo"),
        )
        documents[key] = Row(cell("party"), fields, where)
    return list(documents.values())


def sum_amounts(first: str | None, second: str) -> object:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(first or "0") + Decimal(second)
    except InvalidOperation:
        raise BadInputError(f"tax: `{second}` is not an amount") from None
