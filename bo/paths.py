"""Names of places in the books: an account's statement folder and files, and `file:line` from
the books root (how records, reports and messages name a place, wherever the books are)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.errors import BadInputError, Source

if TYPE_CHECKING:
    from bo.books import Books
    from bo.periods import Period
    from bo.settings import Settings

SOPS_DIR = "sops"  # the books' checklists
CLOSES_DIR = "closes"  # the close records
MONTH_END = "month-end"  # the checklist whose records sit directly in closes/


def record_path(root: Path, period: Any, checklist: str = MONTH_END) -> Path:
    """Where the close record of `checklist` over `period` lives."""
    if checklist == MONTH_END:
        return root / CLOSES_DIR / f"{period}.yaml"
    return root / CLOSES_DIR / checklist / f"{period}.yaml"


def record_files(root: Path) -> list[tuple[str, str, Path]]:
    """(checklist, period, path) of every close record."""
    folder = root / CLOSES_DIR
    found = [(MONTH_END, p.stem, p) for p in sorted(folder.glob("*.yaml"))]
    found += [(p.parent.name, p.stem, p) for p in sorted(folder.glob("*/*.yaml"))]
    return found


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
    folder = statement_folder(books.root, account, conf.statement.dir)
    found = sorted(p for p in folder.glob(f"*{period}*") if p.is_file())
    if not found:
        raise BadInputError(
            f"no statement for {period} in {folder.relative_to(books.root)}/ "
            f"(a file whose name contains {period}); pass --statement FILE"
        )
    return found


def statement_folder(root: Path, account: str, folder: str | None) -> Path:
    """An account's statement folder: the one bo.yaml names, else statements/<account>."""
    return root / (folder or f"statements/{account_slug(account)}")


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder`, sorted; hidden ones (an editor's, a sync tool's) left out."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.parts[-3:])
    )


def statement_files(books: Books) -> list[Path]:
    """Every file in the statement folders (bo's and each account's), and the files of the
    beangulp importers that read them: what a result that reads statements is kept on."""
    root = books.root
    folders, importers = books.from_settings(
        "statement-sources", lambda settings: statement_sources(root, settings)
    )
    return sorted({path for folder in folders for path in files_under(folder)} | set(importers))


def statement_sources(root: Path, settings: Settings) -> tuple[list[Path], list[Path]]:
    """The statement folders bo.yaml names (bo's own and each account's) and the files of
    its beangulp importers."""
    folders = {root / "statements"}
    for account, conf in settings.accounts.items():
        if conf.statement is not None:
            folders.add(statement_folder(root, account, conf.statement.dir))
    importers = {
        root / fmt.module
        for fmt in settings.statement_formats.values()
        if fmt.kind == "beangulp" and fmt.module.endswith(".py")
    }
    return sorted(folders), sorted(importers)


def books_relative(path: Path | str, root: Path | None) -> str:
    """`path` from the books root when it lies inside the books, else as given: what bo
    writes and prints must not depend on where the books are checked out."""
    if root is None or not str(path):
        return str(path)
    given = Path(path)
    # Resolved only when the names as given do not tell: a close asks this of every line
    # it reports, and each resolve is a system call per part of the path.
    for candidate in _lazily(given, given.resolve):
        for base in _lazily(root, root.resolve):
            if candidate.is_absolute() and candidate.is_relative_to(base):
                return str(candidate.relative_to(base))
    return str(path)


def _lazily(first: Path, then: Callable[[], Path]) -> Iterator[Path]:
    yield first
    yield then()


def place(source: Source | None, root: Path | None) -> str:
    """`file:line` (or `file`) from the books root; "" for no source."""
    if source is None:
        return ""
    name = books_relative(source.filename, root)
    return f"{name}:{source.lineno}" if source.lineno else name


def entry_place(entry: Any, root: Path | None) -> str:
    """Where a beancount entry sits, as `file:line` from the books root."""
    return place(Source.from_meta(getattr(entry, "meta", None)), root)
