"""`bo dupes`: list possible duplicates, or dismiss one for good (on the record)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bo.books import Books, open_books
from bo.duplicates.model import DISMISSED_FILE, Duplicate, role_warnings
from bo.errors import BadInputError, ExitCode, SettingsError, one_line
from bo.io import books_lock, check_inside
from bo.output import plural, print_json, stderr, stdout
from bo.paths import statement_files
from bo.periods import Period

if TYPE_CHECKING:
    # pydantic builds these models as their module is imported, and YAML and git are for
    # writing a dismissal: only a dismissal pays, not a list answered from the cache.
    from bo.duplicates.dismissals import Dismissal, DismissedFile
    from bo.settings import Person

HEADER = (
    "# Possible duplicates a person said are not: bo dupes --dismiss writes here.\n"
    "# An id stands for the entries as they are; change them and it is asked again.\n"
)


def run_dupes(
    books_dir: Path | None,
    *,
    period: str | None,
    account: str | None,
    as_json: bool,
    dismiss: str | None,
    reason: str | None,
) -> ExitCode:
    if reason is not None and dismiss is None:
        raise BadInputError("--reason goes with --dismiss ID: it says why ID is not a duplicate")
    if dismiss is not None and (not reason or not reason.strip()):
        raise BadInputError("--dismiss needs --reason: say why it is not a duplicate")
    books = open_books(books_dir, Path.cwd())
    span = Period.parse(period) if period else None
    for warning in books.from_settings("dupes-role-warnings", role_warnings):
        stderr().print(f"warning: {warning}", markup=False)

    def scan() -> list[Duplicate]:
        # The scan's modules (beancount, the matcher, the statement readers) are imported
        # here: an answer from the cache needs none of them.
        from bo.duplicates.dismissals import load_dismissed
        from bo.duplicates.find import find_duplicates
        from bo.statements.printed import bank_lines

        if account is not None:
            _known_account(books, account)
        return find_duplicates(
            books.ledger.entries,
            books.settings,
            period=period,
            account=account,
            dismissed=frozenset() if dismiss else load_dismissed(books.root),
            statements=bank_lines(books, span),
            root=books.root,
            options=books.ledger.options,
            # Kept on the ledger and bo.yaml alone: another period, a new statement or a
            # dismissal does not read every entry again.
            remember=lambda compute: books.result("dupes-ledger", compute, slot="dupes-ledger"),
        )

    # Kept on the ledger, bo.yaml, every statement and the dismissals: over unchanged books
    # the scan is not run again.
    files = [*statement_files(books), books.root / DISMISSED_FILE]
    found = books.result("dupes", scan, files=files, params=[period, account, dismiss is not None])
    if dismiss is not None:
        from bo.duplicates.dismissals import load_dismissals

        assert reason is not None
        on_file = load_dismissals(books.root)
        return _dismiss(books, found, on_file, dismiss, one_line(reason, "--reason"))
    if as_json:
        print_json([d.__dict__ for d in found], books.root)
    else:
        _print(found)
    return ExitCode.ATTENTION if found else ExitCode.OK


def _known_account(books: Books, account: str) -> None:
    from beancount.core import data

    opened = {e.account for e in books.ledger.entries if isinstance(e, data.Open)}
    if not any(a == account or a.startswith(account + ":") for a in opened):
        raise BadInputError(f"--account {account}: no such account in the ledger")


def _print(found: list[Duplicate]) -> None:
    console = stdout()
    for dupe in found:
        console.print(f"{dupe.id}  {dupe.kind} (score {dupe.score:.2f})", markup=False)
        for where in dupe.entries:
            console.print(f"    {where}", markup=False)
        for reason_line in dupe.reasons:
            console.print(f"    - {reason_line}", markup=False)
        for gap in dupe.missing:
            console.print(f"    ? not weighed: {gap}", markup=False)
    if found:
        console.print(
            f"{plural(len(found), 'possible duplicate')}; "
            "not one? bo dupes --dismiss ID --reason TEXT",
            markup=False,
        )


def _dismiss(
    books: Books, found: list[Duplicate], on_file: DismissedFile, ident: str, reason: str
) -> ExitCode:
    from bo.close.git import runner
    from bo.close.journal import Commit, commit_writes, recover
    from bo.duplicates.dismissals import Dismissal

    if ident not in {d.id for d in found}:
        raise BadInputError(f"--dismiss {ident}: no such finding (bo dupes lists the ids)")
    earlier = next((d for d in on_file.dismissed if d.id == ident), None)
    if earlier is not None:
        stdout().print(f"{ident} was dismissed already: {earlier.reason}", markup=False)
        return ExitCode.OK
    path = books.root / DISMISSED_FILE
    check_inside(books.root, path)
    person = dismisser(books)
    with books_lock(books.root, f"bo dupes --dismiss {ident}"):
        recover(books.root)
        record = Dismissal(
            id=ident,
            reason=reason,
            by=person.name if person else runner(books.root),
            at=datetime.now(UTC).replace(microsecond=0),
        )
        author = f"{person.name} <{person.email}>" if person else None
        commit_writes(
            books.root,
            {path: _with_dismissal(path, on_file, record)},
            Commit(f"dismiss {ident}: {reason}", f"dupes --dismiss {ident}", author=author),
        )
    stdout().print(f"dismissed {ident}: {reason}", markup=False)
    return ExitCode.OK


def dismisser(books: Books) -> Person | None:
    """Who dismisses: in git, the person git names (refused when bo.yaml does not know
    them: the dismissal is committed as theirs); outside git, that person if bo.yaml knows
    them, else nobody in particular (the record says the user's login)."""
    from bo.close.git import in_git
    from bo.identity import find_person, whoami
    from bo.io import git_config

    if in_git(books.root):
        return whoami(books.settings, books.root, "bo dupes --dismiss")
    return find_person(books.settings, git_config(books.root, "user.email"))


def _with_dismissal(path: Path, on_file: DismissedFile, record: Dismissal) -> str:
    """The file with one more dismissal: appended below what is there, so a person's
    comments and lines stay as written; rewritten whole only if appending cannot parse."""
    import yaml

    from bo.duplicates.dismissals import DismissedFile
    from bo.yamlfile import FAST_DUMPER, read_text, validate_yaml

    item = yaml.dump(
        [record.model_dump(mode="json")], Dumper=FAST_DUMPER, sort_keys=False, width=1000
    )
    expected = [*on_file.dismissed, record]
    if path.is_file():
        text = read_text(path, DISMISSED_FILE)
        items = re.findall(r"^( *)- ", text, flags=re.MULTILINE)
        for indent in dict.fromkeys([*items[-1:], ""]):  # as the person indented, else flush
            lines = "".join(indent + line for line in item.splitlines(keepends=True))
            appended = text.rstrip("\n") + "\n" + lines
            try:
                parsed = validate_yaml(DismissedFile, appended, DISMISSED_FILE).dismissed
            except SettingsError:
                continue
            if [d.id for d in parsed] == [d.id for d in expected]:
                return appended
    body = yaml.dump(
        {"dismissed": [d.model_dump(mode="json", exclude_none=True) for d in expected]},
        Dumper=FAST_DUMPER,
        sort_keys=False,
        width=1000,
    )
    return HEADER + body
