"""Payee and reference text normalized, and how alike two texts are."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from rapidfuzz import fuzz

from bo.matching.model import Item

# Words banks put around the payee: they say how money moved, not who it went to.
NOISE_WORDS = frozenset(
    {
        *("ach", "debit", "credit", "pos", "purchase", "payment", "pmt", "checkcard", "card"),
        *("visa", "mastercard", "debitcard", "recurring", "withdrawal", "deposit", "online"),
        *("transfer", "xfer", "ppd", "ccd", "web", "tel", "des", "indn", "id", "co", "entry"),
        *("descr", "ref", "sq", "tst"),
    }
)
# The words for an invoice in the languages books are kept in: what follows one of them is
# an invoice number ("Invoice 4471", "Rechnung RE-2025-0050", "Facture 88", "Re. 4471"). The
# one place these words live: the narration reader and the reference normalizer both use it.
INVOICE_WORDS = frozenset(
    {
        *("inv", "invoice", "bill", "rechnung", "rg", "re", "facture", "fact", "factura"),
        *("fattura", "fatt", "fra", "rekening", "faktura"),
    }
)
# Words that say "number" between an invoice word and its number ("Rechnung Nr. 88").
NUMBER_WORDS = frozenset({"no", "nr", "nro", "num", "number", "nummer", "n°", "nº", "#"})
# Words for a check: the number after one is the check's, never an invoice's.
CHECK_WORDS = frozenset({"check", "chk", "cheque", "chq", "ck", "scheck"})
# Words that introduce a reference rather than being part of it ("INV-0042", "Check #1042",
# "RE-2025-348" for 2025-348, "R2025/182" for 2025182).
REF_PREFIXES = frozenset(
    {
        *(w.upper() for w in INVOICE_WORDS | NUMBER_WORDS | CHECK_WORDS if w.isalpha()),
        *("REF", "PO", "ID", "TXN", "TRN", "R"),
    }
)
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
_REF_TOKEN = re.compile(r"[A-Z0-9]+")
_GLUED_REF = re.compile(r"^(" + "|".join(sorted(REF_PREFIXES, key=len, reverse=True)) + r")(\d+)$")


@functools.lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Payee/memo reduced to the words that name someone: casefolded, without bank noise.

    Cached: a statement repeats a few hundred descriptions over thousands of lines.
    """
    # Tokens with digits are store numbers, phone numbers, dates and card tails: they differ
    # between the bank's line and the bookkeeper's narration even for the same payee.
    words = []
    for word in _TOKEN.findall(text.casefold()):
        if word.isalpha() or not any(ch.isdigit() for ch in word):  # isalpha: the fast way
            if word not in NOISE_WORDS:
                words.append(word)
        elif not word.isascii():
            # Scripts written without spaces run words and numbers together ("4月分給与",
            # "パート2名"): the words are what is left between the digits.
            words += [part for part in _DIGITS.split(word) if part and part not in NOISE_WORDS]
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def normalize_ref(text: str) -> str:
    """A reference in canonical form: "INV-0042", "inv 42", "#42" -> "42"; "a-7781" -> "A7781".

    Applied until nothing changes, so the canonical form of a canonical form is itself
    ("N:R0" -> "NR0" -> "0" would otherwise depend on how often it was normalized).
    """
    current = text
    while True:
        step = _normalize_ref_once(current)
        if step == current:
            return step
        current = step


def _normalize_ref_once(text: str) -> str:
    """One pass of normalize_ref: prefixes dropped, tokens glued, leading zeros gone."""
    tokens = _REF_TOKEN.findall(text.upper())
    while tokens:
        if len(tokens) > 1 and tokens[0] in REF_PREFIXES:
            tokens = tokens[1:]
            continue
        glued = _GLUED_REF.match(tokens[0])
        if glued:
            tokens = [glued.group(2), *tokens[1:]]
            continue
        break
    ref = "".join(tokens)
    # Leading zeros are formatting ("0042" on the check, "42" in the books).
    return (ref.lstrip("0") or "0") if ref.isdigit() else ref


def _similarity(a: str, b: str) -> float | None:
    """Similarity 0..1 of two normalized texts; None when one has nothing to compare."""
    if not a or not b:
        return None
    if a == b:
        return 1.0
    # token_set_ratio: "adobe creative cld" vs "adobe" is 100, because bank lines add words
    # around the payee far more often than they change it.
    return fuzz.token_set_ratio(a, b) / 100.0


def text_similarity(a: str, b: str) -> float:
    """Similarity 0..1 of two raw payee/memo texts after normalization (0 if one is empty)."""
    similarity = _similarity(normalize_text(a), normalize_text(b))
    return 0.0 if similarity is None else similarity


def _is_check(item: Item) -> bool:
    return item.kind.casefold() == "check"


def _same_sign(a: Decimal, b: Decimal) -> bool:
    return (a > 0) == (b > 0) and (a < 0) == (b < 0)
