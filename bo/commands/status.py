"""`bo status` over one or many books repos, and `bo kpi`: load, call the core, render."""

from __future__ import annotations

import dataclasses
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bo.books import open_books
from bo.errors import BadInputError, BoError, ExitCode
from bo.io import atomic_write
from bo.output import print_json, print_table, stderr, stdout
from bo.status import CloseState, Task, UnknownPersonError, sort_tasks, status

if TYPE_CHECKING:
    from bo.kpi import KpiReport


def run_status(folders: list[Path], name: str | None, as_of: date, json: bool) -> ExitCode:
    """Tasks across every books repo given; a repo that cannot be read is reported and
    skipped, and makes the exit code 2 once the others are shown."""
    found: list[Task] = []
    closes: list[tuple[str, CloseState]] = []
    notes: list[str] = []
    broken = unknown = 0
    targets: list[Path | None] = list(dict.fromkeys(folders)) or [None]
    for folder in targets:
        try:
            books = open_books(folder, Path.cwd())
            now = status(books, as_of, name)
        except UnknownPersonError as exc:
            unknown += 1
            if len(targets) == 1:
                raise
            # Someone of the firm need not be in every client's books.
            stderr().print(f"{folder}: {exc.message}", markup=False)
            continue
        except BoError as exc:
            label = f"{folder}: " if len(targets) > 1 else ""
            where = f"{exc.source}: " if exc.source else ""
            stderr().print(f"{label}{where}{exc.message}", markup=False)
            broken += 1
            continue
        found += now.tasks
        closes += [(books.root.name, c) for c in now.closes]
        notes += now.notes
    if unknown == len(targets) > 0:
        raise BadInputError(f"--as {name}: not in the people of any of these books")
    found = sort_tasks(found)
    several = len(targets) > 1
    if json:
        print_json(
            {
                "tasks": [{**t.__dict__, "overdue": t.overdue} for t in found],
                "closes": [{"folder": f, **c.__dict__} for f, c in closes],
                "notes": notes,
            }
        )
    else:
        _print_status(found, closes, notes, as_of, several)
    if broken:
        return ExitCode.BAD_INPUT
    return ExitCode.ATTENTION if any(t.overdue for t in found) else ExitCode.OK


def _print_status(
    found: list[Task],
    closes: list[tuple[str, CloseState]],
    notes: list[str],
    as_of: date,
    several: bool,
) -> None:
    for note in notes:
        stdout().print(note, markup=False)
    if found:
        rows = [
            (
                *((f"{t.books} ({t.folder})",) if several else ()),
                t.checklist,
                t.period,
                t.step,
                t.state,
                t.due,
                f"{t.overdue_days} BD" if t.overdue else "",
                ("ESCALATED to " if t.escalated else "")
                + f"{t.people} ({t.reviewer if t.escalated else t.owner})",
            )
            for t in found
        ]
        columns = ["Checklist", "Period", "Step", "State", "Due", "Overdue", "With"]
        print_table(f"Open tasks as of {as_of}", [*(["Books"] if several else []), *columns], rows)
    elif not notes:
        stdout().print(f"nothing open as of {as_of}", markup=False)
    if closes:
        rows = [
            (
                *((folder,) if several else ()),
                c.checklist,
                c.period,
                c.state,
                f"{c.signed_off}/{c.steps}",
                c.review,
            )
            for folder, c in closes
        ]
        columns = ["Checklist", "Period", "Record", "Signed off", "Review"]
        print_table("Checklists", [*(["Books"] if several else []), *columns], rows)


def run_kpi(
    books_dir: Path | None, periods: int, fmt: str, out: Path | None, now: datetime
) -> ExitCode:
    from bo.audit import record_history
    from bo.close.checklist import load_checklists
    from bo.kpi import RecordVersion, kpis
    from bo.reports.render import render

    books = open_books(books_dir, Path.cwd())
    month_end = load_checklists(books.root, books.settings).get("month-end")
    scans = [s.id for s in month_end.steps if s.check == "no-duplicates"] if month_end else []
    history = {
        period: [RecordVersion(when, record) for when, record in versions]
        for period, versions in record_history(books.root).items()
    }
    report = kpis(books, periods, history, scans)
    if fmt == "json":
        print_json([dataclasses.asdict(row) for row in report.periods], books.root)
        return ExitCode.OK
    if fmt == "term":
        _print_kpis(report)
        return ExitCode.OK
    text = render("kpi", report, fmt, books.root, entity=books.settings.entity.name, generated=now)
    if out is not None:
        atomic_write(out, text)
        stderr().print(f"wrote {out}", markup=False)
    else:
        sys.stdout.write(text)
    return ExitCode.OK


def _print_kpis(report: KpiReport) -> None:
    if not report.periods:
        stdout().print("no locked closes yet: bo kpi counts closed periods", markup=False)
        return
    print_table(
        "Close KPIs (locked periods)",
        [
            "Period",
            "Locked",
            "Days to close",
            "Failed first run",
            "Longest fix",
            "Duplicates",
            "Open rec items",
            "Rec differences",
            "Uncategorized",
            "Reopened",
            "Review",
        ],
        [
            (
                r.period,
                r.locked_on or "",
                "" if r.days_to_close is None else f"{r.days_to_close} BD",
                f"{r.failed_first_run}/{r.steps}",
                "" if r.longest_fix is None else f"{r.longest_fix} BD",
                "" if r.duplicates_found is None else r.duplicates_found,
                r.open_reconciling_items,
                r.unexplained_differences,
                f"{r.uncategorized_share:.1%}",
                r.reopened,
                r.review,
            )
            for r in report.periods
        ],
        right=(2, 4, 5, 6, 7, 8, 9),
    )
    console = stdout()
    if report.average_days_to_close is not None:
        console.print(f"average days to close: {report.average_days_to_close} BD", markup=False)
    for trend in report.trend:
        console.print(
            f"trend, {trend.metric}: {trend.earlier} -> {trend.later} ({trend.direction})",
            markup=False,
        )
