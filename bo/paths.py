"""Where a books repo keeps an account's statements, named without importing the readers or
the matcher (the daily cash check and a close's statements step only look for files)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bo.errors import BadInputError

if TYPE_CHECKING:
    from bo.books import Books
    from bo.periods import Period


def account_slug(account: str) -> str:
    """`Assets:Bank:Checking` -> `assets-bank-checking`, a folder name."""
    return account.replace(":", "-").lower()


def find_statements(books: Books, account: str, period: Period) -> list[Path]:
    """The account's statement files for the period: named for it in its statement folder."""
    conf = books.settings.accounts.get(account)
    if conf is None or conf.statement is None:
        raise BadInputError(
            f"{account}: bo.yaml gives it no statement (accounts.{account}.statement); "
            "pass --statement FILE"
        )
    folder = books.root / (conf.statement.dir or f"statements/{account_slug(account)}")
    found = sorted(p for p in folder.glob(f"*{period}*") if p.is_file())
    if not found:
        raise BadInputError(
            f"no statement for {period} in {folder.relative_to(books.root)}/ "
            f"(a file whose name contains {period}); pass --statement FILE"
        )
    return found
