"""What the close checks before it writes: entries it would post to accounts the ledger
does not open (bean-check would refuse the books afterwards)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.errors import BadInputError, Finding, SettingsError
from bo.periods import months_of


def _closed_to(books: Books, account: str, day: date) -> str | None:
    """Why `account` cannot take a posting dated `day`, or None when it can."""
    opened = books.ledger.opened.get(account)
    if opened is None:
        return f"`{account}` is not opened in the ledger"
    if opened.date > day:
        return f"`{account}` is opened only on {opened.date}, after {day}"
    closed = books.ledger.closed.get(account)
    if closed is not None and closed.date <= day:
        return f"`{account}` was closed on {closed.date}"
    return None


def check_schedule_accounts(books: Books, schedules: list[Any], period: Any) -> None:
    """Every entry the period's schedules would post goes to accounts open on its date;
    bad input (exit 2) naming the schedule otherwise, before anything is written. Kept on
    the ledger and the schedules, so a close of unchanged books loads no entry for it."""
    from bo.close.schedules import SCHEDULES_DIR

    files = sorted((books.root / SCHEDULES_DIR).glob("*.yaml"))
    problems = books.result(
        "schedule-accounts",
        lambda: _schedule_problems(books, schedules, period),
        files=files,
        params=f"{period.start}..{period.end}",
    )
    if problems:
        raise SettingsError(problems)


def _schedule_problems(books: Books, schedules: list[Any], period: Any) -> list[Finding]:
    from bo.close.schedules import due_entries

    problems = []
    for month in months_of(period):
        for schedule in schedules:
            needed, _ = due_entries([schedule], month, [])
            for txn, _meta in needed:
                for posting in txn.postings:
                    why = _closed_to(books, posting.account, txn.date)
                    if why:
                        problems.append(
                            Finding(
                                schedule._source,
                                f"schedule `{schedule.id}` posts to {why}: open it, or "
                                "correct the schedule",
                                "schedule",
                            )
                        )
    return list(dict.fromkeys(problems))


def check_posted_accounts(books: Books, writes: dict[Path, str]) -> None:
    """What an action is about to post goes to open accounts; bad input otherwise."""
    posts = {path: text for path, text in writes.items() if path.suffix == ".beancount"}
    if not posts:
        return  # a report or a record: nothing posted, and no beancount to import
    from beancount.core import data
    from beancount.parser import parser

    for path, text in posts.items():
        entries, _, _ = parser.parse_string(text, report_filename=str(path))
        for entry in entries:
            if type(entry) is not data.Transaction:
                continue
            for posting in entry.postings:
                why = _closed_to(books, posting.account, entry.date)
                if why:
                    raise BadInputError(
                        f"the close would post {entry.date} {entry.narration} to {why}; "
                        "nothing was written"
                    )
