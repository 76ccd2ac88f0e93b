"""`bo import FILE --detect`: print the statement format that reads FILE, write nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bo.books import open_books
from bo.errors import BoError, ExitCode
from bo.output import print_json, stdout
from bo.settings import OWED_ROLES
from bo.statements import check_statement_file
from bo.statements.detect import Proposal, propose_format

NAME = "my-bank"  # the name the snippet gives a format worked out from the file


def run_detect(file: Path, account: str | None, books_dir: Path | None, as_json: bool) -> ExitCode:
    """Propose the format; exit 1 when it carries notes a person should check."""
    check_statement_file(file)
    currency, owed = "USD", False
    try:
        books = open_books(books_dir, Path.cwd())
    except BoError:
        if books_dir is not None:
            raise
        books = None  # a file looked at before any books exist
    if books is not None:
        from bo.commands.imports import account_of_folder

        currency = books.settings.entity.currency
        account = account or account_of_folder(books, file)
        conf = books.settings.accounts.get(account) if account else None
        owed = conf is not None and conf.role in OWED_ROLES
    proposal = propose_format(file, currency, owed)
    if as_json:
        print_json(_as_json(file, account, proposal))
    else:
        stdout().print(snippet(file, account, proposal), markup=False, highlight=False)
    return ExitCode.ATTENTION if proposal.notes else ExitCode.OK


def snippet(file: Path, account: str | None, proposal: Proposal) -> str:
    """The bo.yaml lines that read `file`, with what reading it gave as comments."""
    statement = proposal.statement
    lines = [
        f"# {file}: read whole with this format: {len(statement.lines)} lines, "
        f"{statement.start} to {statement.end}",
    ]
    if statement.opening_balance is not None:
        lines.append(
            f"# balances: {statement.opening_balance} at the start, "
            f"{statement.closing_balance} at the end"
        )
    lines += [f"# check: {note}" for note in proposal.notes]
    name = proposal.preset or NAME
    if proposal.preset is None:
        body = yaml.safe_dump(
            {"statement_formats": {NAME: proposal.keys}}, sort_keys=False, allow_unicode=True
        )
        lines += [f"# {NAME}: name it after the bank", body.rstrip()]
    where = {"format": name}
    text = yaml.safe_dump(
        {"accounts": {account or "ACCOUNT": {"statement": where}}},
        sort_keys=False,
        default_flow_style=None,
    )
    lines.append(text.rstrip())
    return "\n".join(lines)


def _as_json(file: Path, account: str | None, proposal: Proposal) -> dict[str, Any]:
    statement = proposal.statement
    return {
        "file": str(file),
        "account": account,
        "preset": proposal.preset,
        "format": proposal.keys,
        "lines": len(statement.lines),
        "start": statement.start,
        "end": statement.end,
        "notes": list(proposal.notes),
    }
