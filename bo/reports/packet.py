"""The close packet: what an outside accountant files for a period, as one workbook.

Its sheets are the close checklist with its sign-offs (`closes/P.yaml`), every report of
the period (the flux with the close's explanations), and each bank or card reconciliation
on record (`recs/P/*.yaml`). Everything is read from what bo computed or recorded; nothing
is matched or closed again here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.close.record import Explanation, load_record
from bo.periods import Period
from bo.recs import RECS_DIR, read_record
from bo.reports.build import build_all_cached
from bo.reports.sheets import TITLES, report_sheet
from bo.reports.workbook import Money, Sheet, Table, sheet_name

# The order an accountant reads a packet in: the statements, then the support.
ORDER = ("pnl", "balance", "cashflow", "trial", "flux", "budget", "aging-ar", "aging-ap")
BALANCES = (
    ("statement", "Balance per statement (as given)"),
    ("bank", "Balance per bank"),
    ("deposits_in_transit", "Deposits in transit"),
    ("outstanding", "Outstanding checks and payments"),
    ("adjusted_bank", "Adjusted bank balance"),
    ("books", "Balance per books"),
    ("missing_from_books", "On the statement, not in the books"),
    ("amount_corrections", "Amount corrections"),
    ("adjusted_books", "Adjusted book balance"),
    ("difference", "Difference"),
)
OPEN_KINDS = (
    ("in_transit", "In transit"),
    ("missing", "Missing from the books"),
    ("amount_differs", "Amount differs"),
    ("booked_later", "Booked later"),
)


@dataclass(frozen=True)
class Packet:
    sheets: list[Sheet]
    problems: list[str]  # what needs attention: the CLI exits 1 when there is any
    notes: list[str]  # what was left out, and why


def build_packet(books: Books, period: Period) -> Packet:
    """The packet's sheets for `period`, from the books' reports and records."""
    taken: set[str] = set()
    record = load_record(books.root, period)
    entity = books.settings.entity.name
    sheets = [close_sheet(record, period, sheet_name("Close checklist", taken), entity)]
    problems = close_problems(record, period)
    built, notes = build_all_cached(books, period)
    for kind in ORDER:
        if kind in built:
            name = sheet_name(TITLES[kind], taken)
            sheets.append(report_sheet(kind, built[kind], name, entity))
            problems += [f"{kind}: {p}" for p in built[kind].problems]
    recs, rec_problems = rec_sheets(books, period, taken)
    if not recs:
        notes.append(
            f"no reconciliation on record in {RECS_DIR}/{period}/: run bo close or bo reconcile"
        )
    return Packet(sheets + recs, problems + rec_problems, notes)


def explanation_texts(record: dict[str, Any]) -> dict[str, str]:
    """The close's flux explanations by account (a plain text or `{text, figures}`)."""
    out = {}
    for account, value in (record.get("explanations") or {}).items():
        out[account] = value if isinstance(value, str) else Explanation.model_validate(value).text
    return out


def close_problems(record: dict[str, Any], period: Period) -> list[str]:
    if record.get("locked"):
        return []
    if not record.get("steps"):
        return [f"close: {period} has no close record (bo close {period})"]
    return [f"close: {period} is not locked"]


def close_sheet(record: dict[str, Any], period: Period, name: str, entity: str) -> Sheet:
    """The checklist as the close left it: each step, its result, and who signed it."""
    lock = record.get("locked")
    if lock:
        state = f"Locked {lock.get('at')} by {lock.get('by')} (digest {lock.get('digest')})"
    elif record.get("steps"):
        state = "Open: not locked"
    else:
        state = f"No close record: bo close {period} has not run"
    lines = [f"{entity}, period {period}", state]
    for event in record.get("history") or []:
        lines.append(
            f"{str(event.get('event', '')).capitalize()} {event.get('at')}: {event.get('reason')}"
        )
    signoffs = record.get("signoffs") or {}
    rows = []
    for step_id, step in (record.get("steps") or {}).items():
        signed = signoffs.get(step_id) or {}
        preparer, reviewer = signed.get("preparer") or {}, signed.get("reviewer") or {}
        rows.append(
            [
                step_id,
                step.get("title"),
                step.get("status"),
                step.get("summary"),
                step.get("owner"),
                step.get("reviewer"),
                step.get("due"),
                preparer.get("name"),
                preparer.get("at"),
                reviewer.get("name"),
                reviewer.get("at"),
                "\n".join(str(d) for d in step.get("details") or []),
            ]
        )
    columns = [
        "Step",
        "Title",
        "Status",
        "Summary",
        "Owner",
        "Reviewer",
        "Due",
        "Prepared by",
        "Prepared at",
        "Reviewed by",
        "Reviewed at",
        "Details",
    ]
    tables = [Table(columns, rows)] if rows else []
    explained = explanation_texts(record)
    if explained:
        tables.append(
            Table(["Account", "Explanation"], sorted(explained.items()), "Flux explanations")
        )
    return Sheet(name, "Close checklist", lines, tables)


def rec_sheets(books: Books, period: Period, taken: set[str]) -> tuple[list[Sheet], list[str]]:
    """A sheet per reconciliation record of the period, and the accounts not reconciled."""
    folder = books.root / RECS_DIR / str(period)
    sheets, problems = [], []
    for path in sorted(folder.glob("*.yaml")):
        found = read_record(path)
        if found is None:
            continue
        record = found[0]
        account = str(record.get("account") or path.stem)
        sheets.append(
            rec_sheet(record, account, _currency(books, account), path, books.root, taken)
        )
        if not record.get("reconciled"):
            problems.append(f"reconciliation: {account} is not reconciled")
    return sheets, problems


def _currency(books: Books, account: str) -> str:
    opened = books.ledger.opened.get(account)
    if opened is not None and opened.currencies:
        return opened.currencies[0]
    return books.settings.entity.currency


def rec_sheet(
    record: dict[str, Any], account: str, currency: str, path: Path, root: Path, taken: set[str]
) -> Sheet:
    """One reconciliation: the two balances brought together, then every open item."""
    balances = record.get("balances") or {}
    rows = [
        [label, _money(balances[key], currency)]
        for key, label in BALANCES
        if balances.get(key) is not None
    ]
    state = "Reconciled" if record.get("reconciled") else "Not reconciled"
    lines = [
        f"{account}, period {record.get('period')}: {state}",
        f"Record: {path.relative_to(root)}",
    ]
    lines += [f"Statement: {s.get('file')}" for s in record.get("statements") or []]
    tables = [Table(["Balance", "Amount"], rows, "Balances")]
    items = []
    opened = record.get("open") or {}
    for key, label in OPEN_KINDS:
        for item in opened.get(key) or []:
            items.append(
                [
                    label,
                    item.get("kind"),
                    item.get("date"),
                    _money(item.get("amount"), currency),
                    item.get("text"),
                    item.get("where"),
                    item.get("since") or "",
                    "; ".join(item.get("reasons") or []),
                ]
            )
    columns = ["Open item", "Kind", "Date", "Amount", "Text", "Where", "Open since", "Reasons"]
    tables.append(Table(columns, items, "Open items"))
    short = account.split(":", 1)[-1].replace(":", " ")
    return Sheet(
        sheet_name(f"Rec {short}", taken),
        "Bank reconciliation",
        lines,
        tables,
        tuple(record.get("notes") or ()),
    )


def _money(value: Any, currency: str) -> Money | None:
    return None if value is None else Money(Decimal(str(value)), currency)
