"""bo's page in fava: each close, the open reconciling items and the open duplicates.

Load it with `2025-01-01 custom "fava-extension" "bo.fava"` in the ledger; fava then lists
"Close" in its sidebar. The page reads what bo states (bo.outstanding) from the books that
hold the ledger (the nearest folder above it with bo.yaml) and writes nothing. When bo cannot
read the books (no bo.yaml, a broken record), the page says why; fava itself goes on.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fava.ext import FavaExtensionBase

from bo.errors import BoError
from bo.outstanding import Outstanding, Place, find_outstanding


class BoClose(FavaExtensionBase):
    """The close, reconciling items and duplicates of the books this ledger belongs to."""

    report_title = "Close"

    def outstanding(self) -> Outstanding | str:
        """What is outstanding, or why bo could not tell (a message, never an exception)."""
        from bo.books import open_books

        try:
            books = open_books(None, Path(self.ledger.beancount_file_path).parent)
            return find_outstanding(books, date.today())
        except BoError as exc:
            return f"bo could not read these books: {exc}"

    def editor_args(self, place: Place) -> dict[str, str]:
        """fava's editor at `place`: the query of its /editor/ page."""
        return {"file_path": str(place.path), "line": str(place.line)}
