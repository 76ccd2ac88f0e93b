"""Beancount text that bo writes: entries formatted one way, appended to bo-owned files.

bo writes entries as text itself rather than through `beancount.parser.printer`: the output
must be stable across beancount versions (files are diffed in git), and printing 100,000
imported entries has to take well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from beancount.core import data


ACCOUNT_WIDTH = 44  # amounts line up in a column, as bean-format would put them


def quote(text: str) -> str:
    """A beancount string literal."""
    if "\\" in text or '"' in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text + '"'


def meta_value(value: object) -> str:
    if type(value) is str:  # most values: ids, file names, rule names
        return quote(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, date | Decimal | int):
        return str(value)
    return quote(str(value))


def format_transaction(txn: data.Transaction, meta: Mapping[str, object] | None = None) -> str:
    """The text of one transaction; `meta` (in order) replaces the entry's own metadata."""
    head = f"{txn.date} {txn.flag}"
    if txn.payee:
        head += " " + quote(txn.payee)
    head += " " + quote(txn.narration or "")
    if txn.tags:
        head += "".join(f" #{tag}" for tag in sorted(txn.tags))
    if txn.links:
        head += "".join(f" ^{link}" for link in sorted(txn.links))
    lines = [head]
    fields = meta if meta is not None else _own_meta(txn.meta)
    lines += [f"  {key}: {meta_value(value)}" for key, value in fields.items()]
    for posting in txn.postings:
        units = posting.units
        if units is None:
            lines.append(f"  {posting.account}")
            continue
        number = units.number
        text = str(number)
        dot = text.find(".")
        if dot < 0 or len(text) - dot != 3 or "E" in text:  # not already in two places
            # Two places, or all of them when there are more (str() may then give 1E-7).
            text = text if number.as_tuple().exponent < -2 else f"{number:.2f}"
        lines.append(f"  {posting.account:<{ACCOUNT_WIDTH}}{text:>12} {units.currency}")
        # A posting's own metadata: `invoice:` on each document a settlement names.
        lines += [f"    {k}: {meta_value(v)}" for k, v in _own_meta(posting.meta).items()]
    return "\n".join(lines) + "\n"


_HIDDEN_META = frozenset({"filename", "lineno", "__tolerances__", "__automatic__"})


def _own_meta(meta: Mapping[str, object] | None) -> dict[str, object]:
    return {k: v for k, v in (meta or {}).items() if k not in _HIDDEN_META}


def append_entries(old_text: str | None, header: str, blocks: Iterable[str]) -> str:
    """`old_text` with `blocks` appended after a blank line; a new file starts with `header`.

    What is already in the file stays byte for byte: bo appends, a person may have edited.
    """
    body = "\n".join(blocks)
    if old_text is None:
        return header.rstrip("\n") + "\n\n" + body
    return old_text.rstrip("\n") + "\n\n" + body
