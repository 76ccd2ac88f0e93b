"""Statements read by a beangulp `Importer` that bo.yaml names (`kind: beangulp`).

A beancount user's importers already know their bank's files; bo reads the transactions an
importer's `extract()` makes, takes each posting to the account as a statement line (its id
from the entry's metadata, as `matching.line_id_keys` reads ids), and the last `balance`
assertion on the account as the closing balance. Import, reconciliation and `bo dupes` then
match those lines as any statement's, so importing twice adds nothing.

An importer is code named by the books, and a books repository is data: bo loads one only
for books trusted on this machine (`bo trust`, which covers each importer's settings and its
file in the books: bo.trust.importer_files), and refuses otherwise (exit 3).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from beancount.core import data

from bo.errors import BadInputError, Source
from bo.lineids import LineIds
from bo.settings import BeangulpFormat
from bo.statements.model import Statement, StatementError, StatementLine
from bo.text import clean_line

T = TypeVar("T")


class ImporterReader:
    """Reads an account's statements through the beangulp importer of its format."""

    def __init__(
        self,
        fmt: BeangulpFormat,
        name: str,
        root: Path,
        id_keys: Sequence[str] | None,
        where: Source,
    ) -> None:
        self.fmt = fmt
        self.name = name  # the format's name in bo.yaml
        self.root = root
        self.ids = LineIds.of(id_keys, links=False)
        self.where = where  # the format in bo.yaml, for errors in its settings
        self.kind = f"beangulp importer ({fmt.module}:{fmt.importer})"

    def identify(self, head: bytes) -> bool:
        """Any file: the importer's own identify() is asked in `read`, once it is trusted."""
        return True

    def read(self, path: Path, account: str, owed: bool = False) -> Statement:
        """The statement in `path` as the importer extracts it (its postings are the books'
        side already, whatever `owed` says)."""
        importer = load_importer(self.fmt, self.name, self.root, self.where)
        filepath, where = str(path), Source(str(path))
        if not run_importer(lambda: importer.identify(filepath), self.kind, where):
            raise StatementError(f"the {self.kind} does not take this file", where)
        entries = run_importer(lambda: importer.extract(filepath, []), self.kind, where)
        lines = self._lines(entries or [], account, path)
        if not lines:
            books_to = run_importer(lambda: importer.account(filepath), self.kind, where)
            raise StatementError(
                f"the {self.kind} finds no transaction of {account} in the file "
                f"(it books to {books_to})",
                where,
            )
        closing = closing_balance(entries, account, lines)
        opening = None if closing is None else closing - sum(x.amount.number for x in lines)
        return Statement.from_lines(
            account, path, lines[0].amount.currency, lines, opening, closing
        )

    def _lines(self, entries: Sequence[Any], account: str, path: Path) -> list[StatementLine]:
        lines: list[StatementLine] = []
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            for posting in entry.postings:
                if posting.account != account:
                    continue
                source = line_source(entry, path)
                units = posting.units
                if units is None or not isinstance(units.number, Decimal):
                    raise StatementError(
                        f"the {self.kind} leaves the amount of a posting to {account} blank",
                        source,
                    )
                ids = [i for i in self.ids.entry_ids(entry, account) if not i.is_link]
                payee, narration = entry.payee or "", entry.narration or ""
                lines.append(
                    StatementLine(
                        account=account,
                        date=entry.date,
                        amount=units,
                        payee=clean_line(payee or narration),
                        memo=clean_line(narration if payee else ""),
                        reference=None,
                        bank_id=clean_line(ids[0].value) if ids else None,
                        balance=None,
                        source=source,
                        row=len(lines),
                    )
                )
        return lines


def line_source(entry: Any, path: Path) -> Source:
    """The line of the file the importer says the entry came from, when it says so."""
    meta = entry.meta or {}
    lineno = meta.get("lineno")
    named = meta.get("filename")
    same_file = named is not None and Path(str(named)).resolve() == path.resolve()
    if same_file and isinstance(lineno, int) and lineno > 0:
        return Source(str(path), lineno)
    return Source(str(path))


def closing_balance(
    entries: Sequence[Any], account: str, lines: Sequence[StatementLine]
) -> Decimal | None:
    """The balance after the statement's last line, from the importer's last `balance`
    assertion on the account (an assertion holds at the start of its day, so the lines
    dated on or after it come on top)."""
    currency = lines[0].amount.currency
    assertions = [
        e
        for e in entries
        if isinstance(e, data.Balance) and e.account == account and e.amount.currency == currency
    ]
    if not assertions:
        return None
    last = max(assertions, key=lambda e: e.date)
    later = sum((x.amount.number for x in lines if x.date >= last.date), Decimal(0))
    return last.amount.number + later


def run_importer(call: Callable[[], T], kind: str, where: Source) -> T:
    """Run the importer's code on a statement: its failure is the file's or the importer's,
    told as such (exit 2), never a crash of bo."""
    try:
        return call()
    # The importer is the books' code: whatever it raises means it could not read the file.
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:300]
        raise StatementError(f"the {kind} failed on this file: {detail}", where) from None


# --- loading the importer, on trusted books only ------------------------------------------

_loaded: dict[tuple[str, str], Any] = {}  # (file, digest) -> module, once per process


def load_importer(fmt: BeangulpFormat, name: str, root: Path, where: Source) -> Any:
    """An instance of the format's importer class; refused on books not trusted here."""
    from bo.trust import require_trust

    require_trust(root, f"the beangulp importer of statement format `{name}` ({fmt.module})")
    module = load_module(fmt.module, root, where)
    cls = getattr(module, fmt.importer, None)
    if not isinstance(cls, type):
        raise BadInputError(
            f"`statement_formats.{name}.class`: {fmt.module} has no class `{fmt.importer}`",
            where,
        )
    try:
        return cls(*fmt.args, **fmt.kwargs)
    except Exception as exc:
        raise BadInputError(
            f"`statement_formats.{name}`: {fmt.importer} with these args and kwargs fails: "
            f"{type(exc).__name__}: {exc}",
            where,
        ) from None


def load_module(module: str, root: Path, where: Source) -> Any:
    """A module by its file in the books (`importers/bank.py`) or its installed name."""
    if module.endswith(".py"):
        path = (root / module).resolve()
        try:
            code = path.read_bytes()
        except OSError:
            raise BadInputError(f"no importer file {module} in the books", where) from None
        key = (str(path), hashlib.sha256(code).hexdigest())
        if key not in _loaded:
            _loaded[key] = _exec_file(path, key[1], where)
        return _loaded[key]
    top = module.partition(".")[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise BadInputError(
            f"no installed module `{module}`: install it, or name the importer's file "
            "in the books (like importers/bank.py)",
            where,
        )
    if spec.origin and Path(spec.origin).resolve().is_relative_to(root.resolve()):
        # Found inside the books only because of where bo runs: `bo trust` would not cover it.
        raise BadInputError(
            f"`{module}` is a module of the books: name its file (like {top}/...py)", where
        )
    try:
        return importlib.import_module(module)
    except Exception as exc:
        raise BadInputError(
            f"the importer module `{module}` fails to load: {type(exc).__name__}: {exc}", where
        ) from None


def _exec_file(path: Path, digest: str, where: Source) -> Any:
    # Registered under its own name as the import system would, so the classes it defines
    # (dataclasses among them) can find their module.
    name = f"bo_importer_{digest[:16]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BadInputError(f"{path.name} is not a Python file bo can load", where)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise BadInputError(
            f"the importer file {path.name} fails to load: {type(exc).__name__}: {exc}", where
        ) from None
    return module
