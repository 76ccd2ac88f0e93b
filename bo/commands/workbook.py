"""`bo report KIND --format xlsx` and `bo report packet`: reports as Excel workbooks.

A workbook is a file, never terminal output: it goes to --out (a file, or a folder to
hold KIND.xlsx), else to reports/PERIOD/KIND.xlsx beside `bo report all`'s files; written
atomically.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from bo.books import open_books
from bo.errors import BadInputError, ExitCode
from bo.io import write_out
from bo.output import stderr, tell_attention
from bo.paths import books_relative
from bo.periods import Period

PACKET = "packet"


def run_report_xlsx(
    kind: str,
    books_dir: Path | None,
    period: Period,
    *,
    compare: str | None,
    as_of: date | None,
    out: Path | None,
) -> ExitCode:
    """Write report `kind` (or `packet`, or `all` as one workbook) for `period`."""
    from bo.reports.build import build_all_cached, build_cached
    from bo.reports.packet import ORDER, build_packet
    from bo.reports.sheets import TITLES, report_sheet
    from bo.reports.workbook import workbook_bytes

    if kind in (PACKET, "all") and (compare is not None or as_of is not None):
        raise BadInputError(f"`report {kind}` takes neither --compare nor --as-of")
    books = open_books(books_dir, Path.cwd())
    notes: list[str] = []
    entity = books.settings.entity.name
    if kind == PACKET:
        packet = build_packet(books, period)
        sheets, problems, notes = packet.sheets, packet.problems, packet.notes
    elif kind == "all":
        built, notes = build_all_cached(books, period)
        sheets = [report_sheet(k, built[k], TITLES[k], entity) for k in ORDER if k in built]
        problems = [f"{k}: {p}" for k, one in built.items() for p in one.problems]
    else:
        one = build_cached(kind, books, period, compare, as_of)
        sheets, problems = [report_sheet(kind, one, TITLES[kind], entity)], one.problems
    content = workbook_bytes(sheets, books.ledger.options, created=datetime.now())
    write_workbook(content, books.root / "reports" / str(period) / f"{kind}.xlsx", out, books.root)
    return tell_attention(problems, notes)


def write_workbook(content: bytes, default: Path, out: Path | None, root: Path) -> None:
    """Write a workbook to `out` (a file, or a folder to hold `default`'s name), else to
    `default`; say where, from the books root when it is inside them."""
    target = default if out is None else out / default.name if out.is_dir() else out
    write_out(target, content)
    stderr().print(f"wrote {books_relative(target, root)}", markup=False)
