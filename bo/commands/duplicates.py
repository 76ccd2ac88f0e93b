"""`bo dupes`: list possible duplicates, or dismiss one for good (on the record)."""

from __future__ import annotations

import getpass
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bo.books import Books, open_books
from bo.duplicates import DISMISSED_FILE, find_duplicates, load_dismissed, statement_counts
from bo.errors import BadInputError, BoError, ExitCode
from bo.io import atomic_write, books_lock
from bo.output import print_json, stdout
from bo.periods import Period
from bo.settings import CASH_ROLES
from bo.statements import read_statement
from bo.yamlfile import FAST_DUMPER, FAST_LOADER


def bank_lines(books: Books, period: Period | None) -> Counter:
    """What the statements printed, for telling honest repeats from duplicates."""
    lines = []
    for account, conf in books.settings.accounts.items():
        if conf.role not in CASH_ROLES or conf.statement is None:
            continue
        folder = books.root / (conf.statement.dir or "")
        names = [period.previous, period, period.next] if period else None
        for path in sorted(folder.glob("*")):
            if not path.is_file() or (names and not any(str(p) in path.name for p in names)):
                continue
            try:
                statement = read_statement(path, account, books.settings)
            except BoError:
                continue  # a bad file is bo import's and bo reconcile's to report
            lines += [(account, line.date, line.amount.number) for line in statement.lines]
    return statement_counts(lines)


def run_dupes(
    books_dir: Path | None,
    *,
    period: str | None,
    account: str | None,
    as_json: bool,
    dismiss: str | None,
    reason: str | None,
) -> ExitCode:
    books = open_books(books_dir, Path.cwd())
    span = Period.parse(period) if period else None
    dismissed = load_dismissed(books.root)
    found = find_duplicates(
        books.ledger.entries,
        books.settings,
        period=period,
        account=account,
        dismissed=dismissed if dismiss is None else frozenset(),
        statements=bank_lines(books, span),
        root=books.root,
    )
    if dismiss is not None:
        return _dismiss(books, found, dismiss, reason)
    if as_json:
        print_json([d.__dict__ for d in found])
    else:
        console = stdout()
        for dupe in found:
            console.print(f"{dupe.id}  {dupe.kind} (score {dupe.score:.2f})", markup=False)
            for where in dupe.entries:
                console.print(f"    {where}", markup=False)
            for reason_line in dupe.reasons:
                console.print(f"    - {reason_line}", markup=False)
        if found:
            console.print(
                f"{len(found)} possible duplicate(s); not one? bo dupes --dismiss ID --reason TEXT",
                markup=False,
            )
    return ExitCode.ATTENTION if found else ExitCode.OK


def _dismiss(books: Books, found: list, ident: str, reason: str | None) -> ExitCode:
    if not reason or not reason.strip():
        raise BadInputError("--dismiss needs --reason: say why it is not a duplicate")
    if ident not in {d.id for d in found}:
        raise BadInputError(f"--dismiss {ident}: no such finding (bo dupes lists the ids)")
    path = books.root / DISMISSED_FILE
    with books_lock(books.root, f"bo dupes --dismiss {ident}"):
        loaded = {}
        if path.is_file():
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
        entries = [d for d in loaded.get("dismissed") or [] if d.get("id") != ident]
        entries.append(
            {
                "id": ident,
                "reason": reason.strip(),
                "by": getpass.getuser(),
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        header = (
            "# Possible duplicates a person said are not: bo dupes --dismiss writes here.\n"
            "# An id stands for the entries as they are; change them and it is asked again.\n"
        )
        body = yaml.dump({"dismissed": entries}, Dumper=FAST_DUMPER, sort_keys=False)
        atomic_write(path, header + body)
    stdout().print(f"dismissed {ident}: {reason.strip()}", markup=False)
    return ExitCode.OK
