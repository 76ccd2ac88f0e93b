"""Evidence a bookkeeper reads where the statements are silent: a line the bank's feed and
another importer both brought in (two kinds of id), the invoice a payment names on the
payable's posting only.
"""

from __future__ import annotations

from collections.abc import Iterable

from beancount.core import data

from bo.lineids import LineId


def two_importers(first: Iterable[LineId], second: Iterable[LineId]) -> str | None:
    """Words for two entries of one account imported by two importers (the bank's feed with
    `bank_id`, an OFX download with `fitid`), or None: ids of different kinds are two
    tools' names, not two lines; only ids of one kind that differ prove two lines."""
    kinds_a = {i.kind for i in first if not i.is_link}
    kinds_b = {i.kind for i in second if not i.is_link}
    if not kinds_a or not kinds_b or kinds_a & kinds_b:
        return None
    return f"imported twice by two importers ({', '.join(sorted(kinds_a | kinds_b))})"


def posted_invoice(entry: data.Transaction) -> str | None:
    """The invoice number an entry's postings carry (`invoice:` on the payable's posting, as
    a card payment in another currency is booked), when they name one only."""
    found = {
        str(p.meta["invoice"]).strip()
        for p in entry.postings
        if p.meta and p.meta.get("invoice") is not None
    }
    return found.pop() if len(found) == 1 else None
