"""What a narration says about a payment: the invoice it settles, and which instalment it is.

Books bo did not write keep the invoice number in the narration as often as in metadata
("Inv 4471", "Invoice #PP-0016", "bill 2025-031"), and say a payment is one of several parts
("part 2", "2 of 3", "2/3", "instalment 2", "2nd installment"): two payments of one invoice
that are different parts are instalments, not a bill paid twice.
"""

from __future__ import annotations

import functools
import re

# "Inv 4471", "invoice #PP-0016", "INV-2025-031", "bill no. 88": a word for the document, then
# a reference holding at least one digit.
_INVOICE = re.compile(
    r"\b(?:inv(?:oice)?|bill)\b\.?\s*(?:no\.?|number|nr\.?|#)?\s*[:#]?\s*"
    r"(?=[A-Z0-9-]*\d)([A-Z0-9][A-Z0-9/-]*)",
    re.IGNORECASE,
)
_GLUED_INVOICE = re.compile(r"\bINV-?(\d[A-Z0-9-]*)\b", re.IGNORECASE)
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 0, "last": 0}
_PART_WORDS = r"(?:part|instal(?:l)?ment|tranche|pmt|payment)"
# "part 2", "instalment 2 of 3", "payment 1 of 3" (a bare "payment 4471" is an invoice, not a part)
_NUMBERED = re.compile(
    rf"\b(?P<word>{_PART_WORDS})\s*#?\s*(?P<n>\d{{1,2}})(?:\s*(?:of|/)\s*(?P<m>\d{{1,2}}))?\b",
    re.IGNORECASE,
)
# "2 of 3", "2/3" (not "03/12" or "1/2025": a date)
_FRACTION = re.compile(r"(?<![\d/.-])(?P<n>[1-9]\d?)\s*(?:of|/)\s*(?P<m>[1-9]\d?)(?![\d/.-])")
# "2nd installment", "second part", "final payment"
_ORDINAL = re.compile(
    rf"\b(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>first|second|third|fourth|final|last))"
    rf"\s+{_PART_WORDS}\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=65536)
def invoice_in(text: str) -> str | None:
    """The invoice number a narration names, as written; None if it names none."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    match = _INVOICE.search(text) or _GLUED_INVOICE.search(text)
    if match is None:
        return None
    return match.group(1).strip("-/")


@functools.lru_cache(maxsize=65536)
def instalment(text: str) -> int | None:
    """Which part of a bill a payment says it is (0 for "final"), or None."""
    if not text:
        return None
    match = _NUMBERED.search(text)
    if match is not None:
        word, of = match.group("word").casefold(), match.group("m")
        if word not in ("payment", "pmt") or of is not None:
            return _part(int(match.group("n")), of)
    match = _ORDINAL.search(text)
    if match is not None:
        if match.group("n"):
            return int(match.group("n"))
        return _ORDINAL_WORDS[match.group("word").casefold()]
    match = _FRACTION.search(text)
    if match is not None:
        return _part(int(match.group("n")), match.group("m"))
    return None


def _part(n: int, of: str | None) -> int | None:
    if of is not None and not 1 <= n <= int(of):
        return None  # "5 of 3" is not a part of anything
    return n


def different_parts(first: str, second: str) -> bool:
    """Whether two narrations name different instalments of one bill."""
    a, b = instalment(first), instalment(second)
    return a is not None and b is not None and a != b


_NAME_WORD = re.compile(r"[^\W\d_]+")


def named_apart(first: str, second: str) -> bool:
    """Whether two narrations of one pattern name different people or things: "Net pay Jamie
    Lee" and "Net pay Marco Ortiz" are two people paid, "Round-up A" and "Round-up B" two
    transfers. Each must hold a capitalised word the other lacks (but its first), and they
    share a word.
    Bank text, in capitals throughout, names nothing this way ("TRANSFER TO SAV")."""
    if first.isupper() or second.isupper():
        return False
    a, b = _NAME_WORD.findall(first), _NAME_WORD.findall(second)
    folded_a, folded_b = {w.casefold() for w in a}, {w.casefold() for w in b}
    if not folded_a & folded_b:
        return False
    # A narration's first word is capitalised as a sentence starts ("Payment", "Inv"): only
    # the words after it can be names.
    only_a = [w for w in a[1:] if w.casefold() not in folded_b and w[0].isupper()]
    only_b = [w for w in b[1:] if w.casefold() not in folded_a and w[0].isupper()]
    return bool(only_a) and bool(only_b)
