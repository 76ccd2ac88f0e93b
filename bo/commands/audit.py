"""`bo audit`: run the walk over git history and print it, as text or JSON."""

from __future__ import annotations

from pathlib import Path

from bo.audit import AuditResult, as_json, audit, stale_signoffs
from bo.books import find_root, open_books
from bo.errors import BadInputError, BoError, ExitCode
from bo.output import print_json, stderr, stdout
from bo.periods import Period
from bo.settings import SETTINGS_FILE


def run_audit(
    books_dir: Path | None, since: str | None, period_text: str | None, json: bool
) -> ExitCode:
    period = Period.parse(period_text) if period_text else None
    if books_dir is not None and not (books_dir / SETTINGS_FILE).is_file():
        raise BadInputError(f"--books {books_dir}: no {SETTINGS_FILE} there")
    root = books_dir.resolve() if books_dir is not None else find_root(Path.cwd())
    # History is read from git alone: books that do not load today are audited all the same.
    result = audit(root, since, period)
    try:
        entries = open_books(books_dir, Path.cwd()).ledger.entries
    except BoError as exc:
        result.notes.append(f"sign-offs not checked: the books do not load ({exc.message})")
    else:
        result.stale_signoffs = stale_signoffs(root, entries)
    if json:
        print_json(as_json(result), root)
    else:
        _print(result)
    for note in result.notes:
        stderr().print(f"bo audit: {note}", markup=False)
    return ExitCode.ATTENTION if result.flagged else ExitCode.OK


def _print(result: AuditResult) -> None:
    console = stdout()
    for commit in result.commits:
        # Sign-offs, reopens and dismissals change no entry; they are listed all the same.
        acts = commit.command and not commit.command.startswith("close ")
        if not commit.changes and not commit.flags and not acts:
            continue
        signed = "" if commit.signature == "unsigned" else f" [signed: {commit.signature}]"
        console.print(
            f"{commit.commit[:10]} {commit.when[:16]} {commit.author}: {commit.subject}{signed}",
            markup=False,
        )
        for change in commit.changes:
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            moved = f" (was {change.was})" if change.was else ""
            console.print(
                f"    {change.change:<7} {change.where} {change.date}{moved} {change.what}{fields}",
                markup=False,
            )
        for flag in commit.flags:
            console.print(f"    FLAG {flag}", markup=False)
    for line in result.stale_signoffs:
        console.print(f"FLAG {line}", markup=False)
