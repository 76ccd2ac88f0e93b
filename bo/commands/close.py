"""`bo close`, `bo signoff`, `bo reopen`: lock, run, write the record and report, commit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bo.books import open_books
from bo.close.run import git_commit, git_guard, reopen, run_close, signed_over, signoff
from bo.errors import BadInputError, ExitCode
from bo.io import atomic_write, books_lock
from bo.output import is_terminal, stderr, stdout
from bo.periods import Period

MARKS = {
    "passed": "ok",
    "failed": "FAIL",
    "blocked": "wait",
    "manual": "todo",
    "error": "ERR",
}


def run_close_command(
    period_text: str, books_dir: Path | None, *, dry_run: bool, explain: list[str]
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    explanations = {}
    for item in explain:
        account, sep, text = item.partition("=")
        if not sep or not account.strip() or not text.strip():
            raise BadInputError(f"--explain {item!r}: write ACCOUNT=TEXT")
        explanations[account.strip()] = text.strip()
    console = stdout()
    live = is_terminal()

    def show(step, entry) -> None:
        if live:
            console.print(
                f"  {MARKS[entry['status']]:>4}  {step.id}: {entry['summary']}", markup=False
            )

    with books_lock(books.root, f"bo close {period}"):
        in_git = False if dry_run else git_guard(books.root)
        outcome = run_close(
            books,
            period,
            dry_run=dry_run,
            explanations=explanations,
            today=date.today(),
            progress=show,
        )
        if not dry_run:
            outcome.written += _write_reports(books.root, outcome)
            # Command steps write reports of their own into the period's report folder.
            outcome.written.append(books.root / "reports" / str(period))
            message = git_commit(books.root, outcome) if in_git else None
        else:
            message = None
    if not live:
        for step, entry in outcome.steps:
            console.print(
                f"  {MARKS[entry['status']]:>4}  {step.id}: {entry['summary']}", markup=False
            )
    _print_details(outcome)
    total = len(outcome.steps)
    state = "locked" if outcome.locked else "open"
    console.print(f"close {period}: {outcome.passed}/{total} steps passed, {state}", markup=False)
    if message:
        stderr().print(f"committed: {message}", markup=False)
    return ExitCode.OK if outcome.locked else ExitCode.ATTENTION


def _print_details(outcome) -> None:
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


def _write_reports(root: Path, outcome) -> list[Path]:
    import bo
    from bo.reports.render import template_env

    env = template_env(root)
    written = []
    for suffix in ("md", "html"):
        text = env.get_template(f"close.{suffix}.j2").render(
            outcome=outcome, record=outcome.record, bo_version=bo.__version__
        )
        path = root / "reports" / str(outcome.period) / f"close.{suffix}"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write(path, text)
            written.append(path)
    return written


def run_signoff(
    period_text: str, steps: list[str], name: str, role: str | None, books_dir: Path | None
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    with books_lock(books.root, f"bo signoff {period}"):
        done = signoff(books, period, steps, name, role)
    for line in done:
        stdout().print(f"signed {line}", markup=False)
    if not done:
        stdout().print(f"{name}: nothing to sign in {period}", markup=False)
    return ExitCode.OK


def run_reopen(period_text: str, reason: str, books_dir: Path | None) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    period = Period.parse(period_text)
    with books_lock(books.root, f"bo reopen {period}"):
        reopen(books, period, reason)
    stdout().print(f"{period} reopened: {reason}", markup=False)
    return ExitCode.OK
