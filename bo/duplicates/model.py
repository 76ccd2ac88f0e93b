"""What a duplicate finding is: its kinds, its id, the windows from bo.yaml, the candidates.

Light on purpose: `bo dupes` over unchanged books answers from its cache with this module
(its findings are `Duplicate`s) and imports neither beancount nor the matcher."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bo.fingerprint import entry_text
from bo.paths import entry_place

if TYPE_CHECKING:
    from beancount.core import data

    from bo.settings import Settings

DISMISSED_FILE = "dupes/dismissed.yaml"

IMPORTED_TWICE = "same bank line imported twice"
PAID_TWICE = "duplicate payment"
TWO_VENDORS = "same reference paid to two vendors"
ENTERED_TWICE = "same transaction entered twice"
TRANSFER_TWICE = "transfer booked from both sides"

# Payees at least this similar are one vendor: "ACME SUPPLY INC" and "Acme Supply" are 100%,
# a typo ("Acme Suply") about 95%, two vendors sharing a word ("Acme Supply", "Acme Legal")
# about 70%.
SAME_VENDOR = 0.8
# Entered twice needs the text to agree unless the statement shows the movement once.
SAME_TEXT = 0.6
MIN_SCORE = 0.6
# A statement showing one line for two entries is the strongest evidence there is.
PRINTED_ONCE_BONUS = 0.1
# Two entries typed alike, no statement to count the bank's lines and no line ids: as likely
# two purchases as one typed twice. Reported, below a duplicate the evidence shows.
UNPROVEN_FACTOR = 0.8
# Two entries alike in amount, date and payee and nothing else (no statement, no ids, no
# invoice number, no transfer's two sides): two coffees, or one typed twice, the books cannot
# tell. Scored below every finding with more evidence: at most 0.55, under MIN_SCORE.
NO_EVIDENCE_FACTOR = 0.55
REF_KEYS = ("invoice", "check", "reference")
ID_KEY, SOURCE_KEY = "import-id", "import-source"


@dataclass(frozen=True)
class Duplicate:
    """One possible duplicate: the entries (file:line), why, and how sure (0..1)."""

    id: str
    kind: str
    score: float
    entries: tuple[str, ...]  # file:line
    dates: tuple[date, ...]
    reasons: tuple[str, ...]
    # Evidence that could not be weighed (no statement covers the dates, no bank line ids):
    # the score is lower, and a person knows what would settle it.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Windows:
    """How many days apart duplicates may be, from bo.yaml's thresholds."""

    entry: int = 7
    payment: int = 14
    invoice: int = 120

    @classmethod
    def of(cls, settings: Settings) -> Windows:
        thresholds = settings.thresholds
        return cls(
            thresholds.duplicate_entry_days,
            thresholds.duplicate_payment_days,
            thresholds.duplicate_invoice_days,
        )


def entry_key(entry: data.Transaction) -> str:
    return hashlib.sha256(entry_text(entry).encode("utf-8")).hexdigest()[:16]


def finding_id(entries: Iterable[data.Transaction]) -> str:
    """Stable while the entries stay as they are: a dismissal then keeps holding."""
    keys = sorted(entry_key(e) for e in entries)
    return "d-" + hashlib.sha256("|".join(keys).encode()).hexdigest()[:12]


def _where(entry: data.Transaction, root: Path | None) -> str:
    return entry_place(entry, root)


class _Candidate(NamedTuple):
    kind: str
    members: tuple[int, ...]  # indexes into _Books.txns
    score: float
    reasons: tuple[str, ...]
    pairwise: bool  # a pair judged on its own (one-to-one), not a group by reference
    missing: tuple[str, ...] = ()


def role_warnings(settings: Settings) -> list[str]:
    """What duplicate detection cannot look for because bo.yaml gives no account a role it
    relies on: said once, so a missing role never silently switches a kind off."""
    from bo.settings import CASH_ROLES  # with the settings' models, where bo.yaml is read

    roles = {c.role for c in settings.accounts.values()}
    warnings = []
    if not roles & CASH_ROLES:
        warnings.append(
            "bo.yaml gives no account the role bank, card or processor: an entry booked twice "
            "is looked for only in accounts that transfers move money between "
            "(set accounts.<account>.role)"
        )
    if "payable" not in roles:
        warnings.append(
            "bo.yaml gives no account the role payable: the payables are taken to be the "
            "liabilities that bills naming an invoice are credited to, if any "
            "(set accounts.<account>.role: payable)"
        )
    if "uncategorized" not in roles:
        warnings.append(
            "bo.yaml gives no account the role uncategorized: a transfer booked again to a "
            "catch-all account is not recognised (set accounts.<account>.role: uncategorized)"
        )
    return warnings
