"""What an entry says, without where it sits: the text a period lock fingerprints and a
duplicate finding's id is made of.

Kept apart from the close record (YAML, pydantic) so that what needs only this text, such
as `bo dupes` answering from its cache, imports nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from beancount.core import data

# Metadata beancount adds to every entry: where it sits, not what it says.
HIDDEN_META = {"filename", "lineno", "__tolerances__", "__automatic__"}


def entry_text(entry: data.Transaction) -> str:
    """What an entry says, without where it sits: the content a lock protects."""
    meta = {k: v for k, v in sorted(entry.meta.items()) if k not in HIDDEN_META}
    postings = [
        (p.account, str(p.units), str(p.cost), str(p.price), p.flag) for p in entry.postings
    ]
    return repr(
        (
            str(entry.date),
            entry.flag,
            entry.payee,
            entry.narration,
            sorted(entry.tags or ()),
            sorted(entry.links or ()),
            [(k, str(v)) for k, v in meta.items()],
            postings,
        )
    )
