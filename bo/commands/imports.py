"""`bo import FILE`: read, plan under the lock, append the new entries, say what happened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bo.books import Books, gc_paused, open_books
from bo.errors import BadInputError, ExitCode, Source
from bo.imports import IMPORTS_DIR, NO_RULE, ImportPlan, import_files, include_text, plan_import
from bo.io import atomic_write, books_lock, check_inside
from bo.output import plural, print_json, progress, show_source, stdout
from bo.statements import Statement, check_statement_file, read_statement

SHOWN = 50  # lines listed per section of the summary; --json has them all


def run_import(
    file: Path, account: str | None, books_dir: Path | None, *, dry_run: bool, as_json: bool
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    check_statement_file(file)  # a missing file is that, before which account it is of
    accounts = accounts_for_file(books, file, account)
    results = []
    for one in accounts:  # a file of several cards' rows: each account's in turn
        plan, written = _import_one(books, file, one, dry_run)
        results.append((plan, written))
        if not as_json:
            _print_summary(plan, written, dry_run)
    if as_json:
        found = [_as_json(plan, written, dry_run) for plan, written in results]
        print_json(found[0] if len(found) == 1 else found, books.root)
    needs_look = any(plan.uncategorized or plan.near or plan.doubtful for plan, _ in results)
    return ExitCode.ATTENTION if needs_look else ExitCode.OK


def _import_one(
    books: Books, file: Path, account: str, dry_run: bool
) -> tuple[ImportPlan, list[Path]]:
    # A statement of 100,000 lines makes millions of objects that live to the end (lines,
    # match items, entries): collections on the way walk them again and again (a tenth of
    # the import) and free next to nothing.
    with gc_paused():
        statement = read_statement(file, account, books.settings)
        if dry_run:
            # A dry run writes nothing, so it need not wait for (or block) a writer.
            plan, files, include = _plan(books, statement)
            return plan, sorted(files) + ([books.ledger_path] if include else [])
        with books_lock(books.root, f"bo import {file}"):
            books = _repair_include(books)
            plan, files, include = _plan(books, statement)
            # The month files first, the include last: the include of a glob that
            # matches no file is an error in beancount, and a crash in between is
            # repaired next run.
            for path, text in files.items():
                atomic_write(path, text)
            if include is not None:
                atomic_write(books.ledger_path, include)
        return plan, sorted(files) + ([books.ledger_path] if include is not None else [])


def _plan(books: Books, statement: Statement) -> tuple[ImportPlan, dict[Path, str], str | None]:
    with progress("Matching statement lines", len(statement.lines)) as advance:
        plan = plan_import(books, statement, progress=advance)
    files = import_files(books, plan)
    include = include_text(books) if files else None
    for path in [*files, books.ledger_path]:
        check_inside(books.root, path)
    return plan, files, include


def accounts_for_file(books: Books, file: Path, account: str | None) -> list[str]:
    """The accounts `file` is a statement of: `--account`, or those whose folder holds it
    (several when one file lists several cards' rows, each account known by its number).

    A file in the statement folder of one account imported with `--account` of another is
    refused: its lines would be booked to the wrong account.
    """
    folder_accounts = accounts_of_folder(books, file)
    if account is None:
        if not folder_accounts:
            raise BadInputError(
                f"{file}: which account is this a statement of? Pass --account, or keep the "
                "file in an account's `statement.dir` from bo.yaml"
            )
        return folder_accounts
    if folder_accounts and account not in folder_accounts:
        folder_account = folder_accounts[0]
        conf = books.settings.accounts[folder_account].statement
        assert conf is not None and conf.dir is not None  # accounts_of_folder found it there
        raise BadInputError(
            f"--account {account}, but the file is in {conf.dir}, the statement folder of "
            f"{folder_account} (bo.yaml `accounts.{folder_account}.statement.dir`); "
            "move the file or pass the account it belongs to",
            Source(str(file)),
        )
    return [account]


def account_of_folder(books: Books, file: Path) -> str | None:
    """The account whose statement folder (bo.yaml `statement.dir`) holds `file`, if any."""
    found = accounts_of_folder(books, file)
    return found[0] if found else None


def accounts_of_folder(books: Books, file: Path) -> list[str]:
    """The accounts whose statement folder (bo.yaml `statement.dir`) holds `file`."""
    resolved = file.resolve()
    found = []
    for account, conf in books.settings.accounts.items():
        if conf.statement is None or conf.statement.dir is None:
            continue
        if resolved.is_relative_to((books.root / conf.statement.dir).resolve()):
            found.append(account)
    return found


def _repair_include(books: Books) -> Books:
    """If an earlier run wrote import files but died before the include, add it now.

    Otherwise those entries would be invisible to the plan, and imported a second time.
    """
    folder = books.ledger_path.parent / IMPORTS_DIR
    if not any(folder.glob("*/*.beancount")):
        return books
    text = include_text(books)
    if text is None:
        return books
    atomic_write(books.ledger_path, text)
    return Books(books.root, books.settings, books.use_cache)


def _line_json(line: Any) -> dict[str, Any]:
    return {
        "date": line.date,
        "amount": line.amount.number,
        "currency": line.amount.currency,
        "payee": line.payee,
        "memo": line.memo,
        "source": str(line.source),
    }


def _as_json(plan: ImportPlan, written: list[Path], dry_run: bool) -> dict[str, Any]:
    return {
        "file": plan.statement.path,
        "account": plan.statement.account,
        "dry_run": dry_run,
        "lines": len(plan.statement.lines),
        "written": written,
        "added": [
            {
                **_line_json(a.line),
                "id": a.line_id,
                "rule": a.rule,
                "account": a.entry.postings[1].account,
                "near": None
                if a.near is None
                else {"entry": _where(a.near[0]), "reasons": list(a.near[1])},
            }
            for a in plan.added
        ],
        "present": [
            {
                **_line_json(p.line),
                "how": p.how,
                "entries": [_where(s) for s in p.entries],
                "reasons": list(p.reasons),
                "doubt": p.doubt,
            }
            for p in plan.present
        ],
        "uncategorized": plan.uncategorized,
    }


def _where(source: Source | None) -> str:
    return show_source(source) or "?"


def _print_summary(plan: ImportPlan, written: list[Path], dry_run: bool) -> None:
    console = stdout()
    out = lambda text: console.print(text, markup=False)  # noqa: E731
    statement = plan.statement
    out(
        f"{show_source(Source(str(statement.path)))}: {plural(len(statement.lines), 'line')} "
        f"of {statement.account}, {statement.start} to {statement.end}"
    )
    verb = "would add" if dry_run else "added"
    categorized = len(plan.added) - plan.uncategorized
    out(
        f"  {verb} {plural(len(plan.added), 'entry', 'entries')}: "
        f"{categorized} categorized by rules, {plan.uncategorized} uncategorized"
    )
    for path in written:
        out(f"    {'would write' if dry_run else 'wrote'} {show_source(Source(str(path)))}")
    flagged = [a for a in plan.added if a.rule == NO_RULE or a.near is not None]
    for added in flagged[:SHOWN]:
        line = added.line
        what = f"{line.date} {line.amount.number:>10} {line.payee}"
        if added.near is not None:
            reasons = "; ".join(added.near[1])
            out(f"  check: {what} is near {_where(added.near[0])} ({reasons})")
        else:
            out(f"  uncategorized: {what} ({_where(line.source)})")
    if len(flagged) > SHOWN:
        out(f"  and {len(flagged) - SHOWN:,} more to look at (--json lists them all)")
    typed = [p for p in plan.present if p.how == "typed"]
    transfers = [p for p in plan.present if p.how == "transfer"]
    paid = [p for p in plan.present if p.how == "paid"]
    imported = len(plan.present) - len(typed) - len(transfers) - len(paid)
    by_run = f", {len(paid)} paid by bo pay" if paid else ""
    out(
        f"  already in the books: {len(plan.present)} ({imported} imported before, "
        f"{len(transfers)} imported from the other account's statement, "
        f"{len(typed)} typed by hand{by_run})"
    )
    for present in plan.doubtful[:SHOWN]:
        line = present.line
        entries = ", ".join(_where(s) for s in present.entries)
        out(f"  check: {line.date} {line.amount.number:>10} {line.payee} is held by {entries}")
        out(f"    {present.doubt}")
    shown = [p for p in (*transfers, *paid, *typed) if p.doubt is None]
    for present in shown[:SHOWN]:
        line = present.line
        entries = ", ".join(_where(s) for s in present.entries)
        reasons = present.reasons[1:] if present.how == "typed" else present.reasons
        what = f"{line.date} {line.amount.number:>10} {line.payee}"
        out(f"    {what} = {entries}: {'; '.join(reasons)}")
    if len(shown) > SHOWN:
        out(f"    and {len(shown) - SHOWN:,} more (--json lists every line with its entry)")
