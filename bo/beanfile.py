"""Beancount text that bo writes: entries formatted one way, appended to bo-owned files.

bo writes entries as text itself rather than through `beancount.parser.printer`: the output
must be stable across beancount versions (files are diffed in git), and printing 100,000
imported entries has to take well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from beancount.core import data

ACCOUNT_WIDTH = 44  # amounts line up in a column, as bean-format would put them


def quote(text: str) -> str:
    """A beancount string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meta_value(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date | Decimal | int):
        return str(value)
    return quote(str(value))


def format_transaction(txn: data.Transaction, meta: Mapping[str, object] | None = None) -> str:
    """The text of one transaction; `meta` (in order) replaces the entry's own metadata."""
    head = [f"{txn.date} {txn.flag}"]
    if txn.payee:
        head.append(quote(txn.payee))
    head.append(quote(txn.narration or ""))
    head += [f"#{tag}" for tag in sorted(txn.tags or ())]
    head += [f"^{link}" for link in sorted(txn.links or ())]
    lines = [" ".join(head)]
    fields = meta if meta is not None else _own_meta(txn.meta)
    lines += [f"  {key}: {meta_value(value)}" for key, value in fields.items()]
    for posting in txn.postings:
        if posting.units is None:
            lines.append(f"  {posting.account}")
            continue
        number = f"{posting.units.number:,.2f}".replace(",", "")
        if posting.units.number.as_tuple().exponent < -2:
            number = str(posting.units.number)
        lines.append(f"  {posting.account:<{ACCOUNT_WIDTH}}{number:>12} {posting.units.currency}")
    return "\n".join(lines) + "\n"


def _own_meta(meta: Mapping[str, object] | None) -> dict[str, object]:
    hidden = {"filename", "lineno", "__tolerances__", "__automatic__"}
    return {k: v for k, v in (meta or {}).items() if k not in hidden}


def append_entries(old_text: str | None, header: str, blocks: Iterable[str]) -> str:
    """`old_text` with `blocks` appended after a blank line; a new file starts with `header`.

    What is already in the file stays byte for byte: bo appends, a person may have edited.
    """
    body = "\n".join(blocks)
    if old_text is None:
        return header.rstrip("\n") + "\n\n" + body
    return old_text.rstrip("\n") + "\n\n" + body
