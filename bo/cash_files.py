"""What the daily cash check reads and what it raises, as plain data: the statement files and
reconciliation records of the accounts bo.yaml watches, and the `Alert`. A morning's check over
books nobody touched answers from bo's cache with these alone, building none of the check's
models (bo.cash)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bo.errors import BadInputError
from bo.paths import account_slug
from bo.periods import Period

if TYPE_CHECKING:
    from bo.settings import Settings

RECS_DIR = "recs"


@dataclass(frozen=True)
class Alert:
    kind: str  # ledger | minimum | stale | unusual | payables | unreconciled
    account: str
    message: str
    setting: str  # the bo.yaml setting that triggered it
    amount: Decimal | None = None
    where: str = ""  # file:line of what raised it, when one thing did


def watched_folders(settings: Settings) -> dict[str, str | None]:
    """Each bank and card account the check watches, with its statement folder (bo.yaml
    `statement.dir`, else `statements/<account>`; None when it has no statement)."""
    found: dict[str, str | None] = {}
    for account in settings.accounts_with_role("bank", "card"):
        conf = settings.accounts[account].statement
        found[account] = None if conf is None else conf.dir or f"statements/{account_slug(account)}"
    return found


def statement_files(root: Path, watched: dict[str, str | None]) -> dict[str, list[Path]]:
    """Each watched account's statement files (`watched_folders`)."""
    return {
        account: sorted(
            p for p in (root / folder).glob("*") if p.is_file() and not p.name.startswith(".")
        )
        for account, folder in watched.items()
        if folder is not None
    }


def rec_record_paths(root: Path, accounts: list[str], as_of: date) -> dict[str, Path]:
    """Each account's newest reconciliation record of a period ended by `as_of`."""
    periods = []
    for folder in (root / RECS_DIR).glob("*"):
        try:
            period = Period.parse(folder.name)
        except BadInputError:
            continue  # not a period's folder
        if folder.is_dir() and period.end <= as_of:
            periods.append((period, folder))
    periods.sort(reverse=True)
    found = {}
    for account in accounts:
        for _, folder in periods:
            path = folder / f"{account_slug(account)}.yaml"
            if path.is_file():
                found[account] = path
                break
    return found
