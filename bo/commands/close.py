"""`bo close`, `bo signoff`, `bo reopen`: lock, run, write the record and report, commit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bo.books import open_books
from bo.close.git import close_subject, git_commit, git_guard, in_git, runner
from bo.close.run import CloseOutcome, fill_caches, run_close
from bo.close.signoff import reopen, signed_over, signoff
from bo.errors import BadInputError, ExitCode
from bo.io import books_lock, git
from bo.output import is_terminal, stderr, stdout
from bo.periods import Period

MARKS = {
    "passed": "ok",
    "failed": "FAIL",
    "blocked": "wait",
    "manual": "todo",
    "error": "ERR",
    "skipped": "skip",
}
STYLES = {"passed": "green", "failed": "bold red", "error": "bold red", "blocked": "yellow"}


def run_close_command(
    period_text: str, books_dir: Path | None, *, dry_run: bool, explain: list[str]
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    books.store_later = True  # the ledger as the close leaves it is stored (fill_caches)
    period = Period.parse(period_text)
    explanations = {}
    for item in explain:
        account, sep, text = item.partition("=")
        if not sep or not account.strip() or not text.strip():
            raise BadInputError(f"--explain {item!r}: write ACCOUNT=TEXT")
        explanations[account.strip()] = text.strip()
    console = stdout()
    live = is_terminal()
    today = date.today()
    with books_lock(books.root, f"bo close {period}"):
        # A dry run writes nothing, so it may look at uncommitted books too.
        head = None if dry_run else git_guard(books.root)
        with _checklist_view(live) as show:
            outcome = run_close(
                books,
                period,
                dry_run=dry_run,
                explanations=explanations,
                today=today,
                now=datetime.now(UTC),
                by=runner(books.root),
                commit=head or None,
                progress=show,
            )
        message = None
        if not dry_run:
            _render_reports(books.root, outcome)
            outcome.flush()
            fill_caches(outcome, today, books)
            if head is not None:
                message = close_subject(outcome)
                # Command steps write reports of their own into the period's report folder.
                paths = [*outcome.written, books.root / "reports" / str(period)]
                if not git_commit(books.root, paths, message, f"close {period}"):
                    message = None
                if outcome.locked:
                    git(books.root, "tag", "-f", f"close/{period}")
        if dry_run:
            books.store_parsed()  # nothing was written: the ledger as parsed is current
    if not live:
        for step, entry in outcome.steps:
            console.print(_plain_line(step, entry), markup=False)
    _print_details(outcome)
    total = len(outcome.steps)
    state = "locked" if outcome.locked else "open"
    prefix = "dry run: nothing written; " if dry_run else ""
    console.print(
        f"{prefix}close {period}: {outcome.passed}/{total} steps passed, {state}", markup=False
    )
    if message:
        stderr().print(f"committed: {message}", markup=False)
    return ExitCode.OK if outcome.locked else ExitCode.ATTENTION


def _plain_line(step: Any, entry: dict[str, Any]) -> str:
    return f"  {MARKS[entry['status']]:>4}  {step.id}: {entry['summary']}"


@contextlib.contextmanager
def _checklist_view(live: bool) -> Iterator[Any]:
    """On a terminal, the checklist as a live table, a row filled in as each step ends;
    otherwise nothing here (plain lines are printed at the end, for logs and cron)."""
    if not live:
        yield None
        return
    from rich.live import Live
    from rich.table import Table

    rows: list[tuple[Any, dict[str, Any]]] = []

    def table() -> Table:
        view = Table(box=None, pad_edge=False)
        for column in ("", "step", "owner", "due", "result"):
            view.add_column(column)
        for step, entry in rows:
            status = entry["status"]
            view.add_row(
                f"[{STYLES.get(status, 'cyan')}]{MARKS[status]}[/]",
                step.id,
                entry["owner"],
                entry["due"],
                entry["summary"],
            )
        return view

    with Live(table(), console=stdout(), refresh_per_second=8, transient=False) as view:

        def show(step: Any, entry: dict[str, Any]) -> None:
            rows.append((step, entry))
            view.update(table())

        yield show


def _print_details(outcome: CloseOutcome) -> None:
    console = stdout()
    signoffs = outcome.record.get("signoffs") or {}
    for step, entry in outcome.steps:
        if entry["status"] in ("failed", "error"):
            console.print(
                f"\n{step.id} ({entry['owner']}, due {entry['due']}): {entry['summary']}",
                markup=False,
            )
            for line in entry["details"][:40]:
                console.print(f"    {line}", markup=False)
    digest = outcome.record.get("digest")
    # Missing, or made over entries that have changed since (stale): either way, to sign.
    unsigned = [
        step.id
        for step, entry in outcome.steps
        if entry["status"] in ("passed", "manual")
        and not signed_over(signoffs.get(step.id) or {}, digest)
    ]
    if unsigned and not outcome.locked:
        console.print(
            f"\nawaiting sign-off: {', '.join(unsigned)} (bo signoff {outcome.period} --as NAME)",
            markup=False,
        )


def _render_reports(root: Path, outcome: CloseOutcome) -> None:
    """reports/P/close.md and close.html, added to the close's pending files."""
    import bo
    from bo.reports.render import render_template

    for suffix in ("md", "html"):
        text = render_template(
            root,
            f"close.{suffix}.j2",
            outcome=outcome,
            record=outcome.record,
            bo_version=bo.__version__,
        )
        outcome.pending[root / "reports" / str(outcome.period) / f"close.{suffix}"] = text


def run_signoff(
    period_text: str, steps: list[str], name: str, role: str | None, books_dir: Path | None
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    with books_lock(books.root, f"bo signoff {period}"):
        done = signoff(books, period, steps, name, role, now=datetime.now(UTC))
    for line in done.signed:
        stdout().print(f"signed {line}", markup=False)
    for line in done.skipped:
        stdout().print(f"not signed: {line}", markup=False)
    if not done.signed and not done.skipped:
        stdout().print(f"{name}: nothing to sign in {period}", markup=False)
    return ExitCode.OK


def run_reopen(period_text: str, reason: str, name: str | None, books_dir: Path | None) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    if name is not None and name not in {p.name for p in books.settings.people}:
        known = ", ".join(p.name for p in books.settings.people)
        raise BadInputError(f"--as {name}: not in bo.yaml people ({known})")
    with books_lock(books.root, f"bo reopen {period}"):
        path = reopen(books, period, reason, name or runner(books.root), now=datetime.now(UTC))
        committed = in_git(books.root) and git_commit(
            books.root, [path], f"reopen {period}: {reason}", f"reopen {period}"
        )
    stdout().print(f"{period} reopened: {reason}", markup=False)
    if committed:
        stderr().print(f"committed: reopen {period}: {reason}", markup=False)
    return ExitCode.OK
