"""What is outstanding in the books, for a page that shows it (the fava extension, bo.fava).

Three things, each as bo already states it: where every close stands (bo.status, with the
steps and sign-offs of its record), the open reconciling items of each bank and card
account (its latest record in `recs/`), and the possible duplicates not dismissed (the same
scan as `bo dupes`). Read only: nothing here matches, closes or writes anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bo.books import Books
from bo.close.record import load_record
from bo.duplicates.dismissals import load_dismissed
from bo.duplicates.find import find_duplicates
from bo.duplicates.model import DISMISSED_FILE, Duplicate
from bo.errors import BadInputError
from bo.paths import account_slug, statement_files
from bo.periods import Period
from bo.recs import RECS_DIR, read_record
from bo.settings import CASH_ROLES
from bo.status import CloseState, status

# `ledgers/2025.beancount:3619` inside a finding's text: a place an editor can open.
PLACE = re.compile(r"(?P<file>[^\s(),:]+\.beancount):(?P<line>\d+)")


@dataclass(frozen=True)
class Place:
    """A line of a ledger file: as the books name it, and where it is on disk."""

    shown: str  # ledgers/2025.beancount:3619
    path: Path
    line: int


@dataclass(frozen=True)
class Signature:
    role: str  # preparer | reviewer
    name: str
    at: str


@dataclass(frozen=True)
class StepView:
    id: str
    title: str
    status: str
    summary: str
    owner: str
    reviewer: str
    due: str
    signatures: tuple[Signature, ...]
    details: tuple[str, ...]
    places: tuple[Place, ...]


@dataclass(frozen=True)
class CloseView:
    state: CloseState  # checklist, period, state, sign-offs counted, review
    steps: tuple[StepView, ...]  # from the record, in the order the close ran them
    lock: str  # `locked 2025-10-03T... by Sam Okafor`, or ""


@dataclass(frozen=True)
class ItemView:
    kind: str
    day: date
    amount: Any
    text: str
    where: str
    since: str
    place: Place | None


@dataclass(frozen=True)
class AccountItems:
    account: str
    period: str  # of the record the items come from; "" when there is none
    record: str  # the record file, from the books root
    reconciled: bool
    difference: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class DuplicateView:
    finding: Duplicate
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Outstanding:
    closes: tuple[CloseView, ...]
    accounts: tuple[AccountItems, ...]
    duplicates: tuple[DuplicateView, ...]


def find_outstanding(books: Books, today: date) -> Outstanding:
    """Every close's state, each cash account's open items, and the open duplicates."""
    return Outstanding(
        tuple(close_views(books, today)),
        tuple(open_items(books)),
        tuple(open_duplicates(books)),
    )


def places_in(root: Path, text: str) -> tuple[Place, ...]:
    """The ledger places (`file.beancount:LINE`) a finding's text names, inside the books."""
    found = []
    for match in PLACE.finditer(text):
        path = (root / match["file"]).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            found.append(Place(match.group(0), path, int(match["line"])))
    return tuple(found)


def close_views(books: Books, today: date) -> list[CloseView]:
    """Each checklist instance `bo status` lists, with its record's steps and sign-offs."""
    views = []
    for state in status(books, today).closes:
        record = load_record(books.root, state.period, state.checklist)
        views.append(CloseView(state, tuple(_steps(books.root, record)), _lock(record)))
    return views


def _lock(record: dict[str, Any]) -> str:
    lock = record.get("locked")
    if lock:
        return f"locked {lock.get('at')} by {lock.get('by')}"
    done = record.get("done")
    return f"done {done.get('at')} by {done.get('by')}" if done else ""


def _steps(root: Path, record: dict[str, Any]) -> list[StepView]:
    signoffs = record.get("signoffs") or {}
    steps = []
    for step_id, step in (record.get("steps") or {}).items():
        signed = signoffs.get(step_id) or {}
        signatures = tuple(
            Signature(role, str(who.get("name")), str(who.get("at")))
            for role in ("preparer", "reviewer")
            if (who := signed.get(role))
        )
        details = tuple(str(d) for d in step.get("details") or [])
        places = tuple(p for line in details for p in places_in(root, line))
        steps.append(
            StepView(
                step_id,
                str(step.get("title", "")),
                str(step.get("status", "")),
                str(step.get("summary", "")),
                str(step.get("owner", "")),
                str(step.get("reviewer", "")),
                str(step.get("due", "")),
                signatures,
                details,
                places,
            )
        )
    return steps


def _latest_record(books: Books, account: str) -> tuple[Period, Path] | None:
    slug = f"{account_slug(account)}.yaml"
    found = []
    for path in (books.root / RECS_DIR).glob(f"*/{slug}"):
        try:
            found.append((Period.parse(path.parent.name), path))
        except BadInputError:
            continue  # not a month's folder
    return max(found, key=lambda pair: pair[0].start, default=None)


def open_items(books: Books) -> list[AccountItems]:
    """Each bank and card account's open items, from its latest reconciliation record:
    open items carry over, so the latest holds every one still open."""
    out = []
    for account, conf in sorted(books.settings.accounts.items()):
        if conf.role not in CASH_ROLES:
            continue
        latest = _latest_record(books, account)
        if latest is None:
            out.append(AccountItems(account, "", "", False, "", ()))
            continue
        period, path = latest
        found = read_record(path)
        record = found[0] if found else {}
        items = []
        for group in (record.get("open") or {}).values():
            for item in group or []:
                where = str(item.get("where", ""))
                place = places_in(books.root, where)
                items.append(
                    ItemView(
                        str(item.get("kind", "")),
                        item.get("date"),
                        item.get("amount"),
                        str(item.get("text", "")),
                        where,
                        str(item.get("since", "")),
                        place[0] if place else None,
                    )
                )
        difference = (record.get("balances") or {}).get("difference")
        out.append(
            AccountItems(
                account,
                str(period),
                str(path.relative_to(books.root)),
                bool(record.get("reconciled")),
                "" if difference is None else str(difference),
                tuple(sorted(items, key=lambda i: (str(i.day), i.kind, i.where))),
            )
        )
    return out


def open_duplicates(books: Books) -> list[DuplicateView]:
    """The possible duplicates in the whole books that nobody dismissed, as `bo dupes`."""
    from bo.statements.printed import bank_lines

    def scan() -> list[Duplicate]:
        return find_duplicates(
            books.ledger.entries,
            books.settings,
            dismissed=load_dismissed(books.root),
            statements=bank_lines(books, None),
            root=books.root,
            options=books.ledger.options,
        )

    files = [*statement_files(books), books.root / DISMISSED_FILE]
    found = books.result("outstanding-dupes", scan, files=files)
    return [
        DuplicateView(d, tuple(p for where in d.entries for p in places_in(books.root, where)))
        for d in found
    ]
