"""What a narration says about a payment: the invoice it settles, and which instalment it is.

Books bo did not write keep the invoice number in the narration as often as in metadata
("Inv 4471", "Invoice #PP-0016", "bill 2025-031"), and say a payment is one of several parts
("part 2", "2 of 3", "2/3", "instalment 2", "2nd installment"): two payments of one invoice
that are different parts are instalments, not a bill paid twice.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from bo.matching.text import CHECK_WORDS, INVOICE_WORDS, NUMBER_WORDS

_WORDS = re.compile(r"[^\s;:()\[\]*]+")
_EDGE = ".,#-/'\"+"
_ALTERNATIVES = "|".join(sorted(INVOICE_WORDS, key=len, reverse=True))
_NUMBERS = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
# The number glued to its word: "INV-1042", "INV1042", "Rg.-Nr.88", "Rechnung#5"
# (a digit right after the word or its separator: "Rent2025" and "Reno2025" name no invoice)
_GLUED = re.compile(
    rf"^(?:{_ALTERNATIVES})(?:[-.#/]+(?:(?:{_NUMBERS})[-.#]*)?(?=[A-Za-z]{{0,3}}\d)|(?=\d))(.+)$",
    re.I,
)
# An invoice word with its number word: "Rg.-Nr.", "Invoice#", "Rechnungs-Nr"
_WORD_AND_NUMBER = re.compile(rf"^(?:{_ALTERNATIVES})s?[-.#/]*(?:{_NUMBERS})$", re.I)
# A number word glued to its number, after an invoice word: "Nr.88", "No.42"
_NUMBER_GLUED = re.compile(rf"^(?:{_NUMBERS})[-.#]*(?=\w)(.+)$", re.I)
# A period or a date is not a number: "bill 2025-06", "Rechnung 06/2025", "invoice 3/12/25"
_PERIOD = re.compile(
    r"^(?:\d{4}[-/.](?:0?[1-9]|1[0-2])(?:[-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?"
    r"|(?:0?[1-9]|1[0-2])[-/.]\d{4})$"
)
# Nor is an amount: "12.50", "1,250.00", "1.250,00", "1,200", "$99"
_AMOUNT = re.compile(r"^(?:[$€£¥]|\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$|\d+[.,]\d{1,2}$)")
# An id standing alone: a few letters then digits ("J-77434", "CE33005", "PP-0016") or
# letters between digits ("2K4L51"); not a word glued to a year ("Rent2025"), a count with
# its unit ("1st", "10am", "5kg") nor a masked card ("XXXX1234").
_BARE_ID = re.compile(r"^(?:[A-Za-z]{1,3}[-/.]?\d|\d+[A-Za-z]+[-/.]?\d)[\w/.-]*$")
_MIN_BARE_DIGITS = 4
# A vendor's letters written apart from the number they stand before, in capitals.
_LETTERS = re.compile(r"^[A-Z]{2,4}$")


class Reference(NamedTuple):
    """An invoice number as written, and whether a word named it as one ("Invoice 4471")
    or it only looks like one ("Payment J-77434")."""

    text: str
    named: bool


@functools.lru_cache(maxsize=65536)
def invoice_reference(text: str) -> Reference | None:
    """The invoice number a narration names, or holds as an id; None if neither.

    A number after an invoice word (in any language `INVOICE_WORDS` holds) comes first; a
    period, date or amount there is passed over, so "Electric bill 2025-06 invoice 447465"
    names 447465. A check's number is never an invoice. Without an invoice word, the first
    token of letters and digits is read ("Payment J-77434"): weaker, a person decides what it
    names.
    """
    if not text or not any(ch.isdigit() for ch in text):
        return None
    after_word = after_check = False
    bare = None
    prefix = ""  # a vendor's letters standing before the number: "Rechnung Nr. SMB 2025/03"
    for raw in _WORDS.findall(text):
        token = raw.strip(_EDGE)
        if not token:
            continue
        folded = token.casefold()
        if folded in INVOICE_WORDS or _WORD_AND_NUMBER.match(token):
            after_word, after_check = True, False
            continue
        if folded in CHECK_WORDS:
            after_word, after_check = False, True
            continue
        if folded in NUMBER_WORDS and (after_word or after_check):
            continue
        if after_check:
            after_check = False
            continue  # the check's number
        if after_word and not prefix and _LETTERS.match(token):
            prefix = token
            continue
        if after_word and prefix:
            after_word = False
            if _has_digit(token) and not _AMOUNT.match(token) and len(token) <= 32:
                return Reference(f"{prefix} {token}", True)  # "SMB 2025/03": no period
            prefix = ""
            continue
        if after_word:
            after_word = False
            glued = _NUMBER_GLUED.match(token)
            number = glued.group(1) if glued and _has_digit(glued.group(1)) else token
            if _is_number(number):
                return Reference(number.strip(_EDGE), True)
            continue
        glued = _GLUED.match(token)
        if glued and _is_number(glued.group(1).strip(_EDGE)):
            return Reference(glued.group(1).strip(_EDGE), True)
        if bare is None and _is_bare_id(token):
            bare = Reference(token, False)
    return bare


@functools.lru_cache(maxsize=65536)
def numbers_in(text: str) -> tuple[str, ...]:
    """Every token of a narration that could be a document's number (digits in it; not a
    period, date, amount, nor the number after a check word), in order."""
    return tuple(t for t, checks in _tokens(text) if not checks and _is_number(t))


@functools.lru_cache(maxsize=65536)
def check_in(text: str) -> str | None:
    """The number after a check word in a narration ("Check 1293", "chk #0042"), without
    leading zeros; None if none."""
    if not text or not _has_digit(text):
        return None
    return next((t.lstrip("0") or t for t, checks in _tokens(text) if checks and t.isdigit()), None)


def _tokens(text: str) -> Iterator[tuple[str, bool]]:
    """A narration's tokens, each with whether it is the number after a check word."""
    after_check = False
    for raw in _WORDS.findall(text):
        token = raw.strip(_EDGE)
        folded = token.casefold()
        if folded in CHECK_WORDS:
            after_check = True
            continue
        if not token or (folded in NUMBER_WORDS and after_check):
            continue
        yield token, after_check
        after_check = False


_MIN_SHARED_DIGITS = 3  # "(2)" is a count; "lgh 2112", "order 704" name one thing


def shared_number(first: str, second: str) -> str | None:
    """A number both narrations name (a flat's, an order's, a document's: three digits or
    more, not a date or an amount), or None. Words one adds around it ("Deposit per the
    lease, flat 2112" and "Deposit flat 2112") say where it was typed from, not that there
    were two: the number names the one thing both are for."""
    if not first or not second:
        return None
    ours = {t for t in numbers_in(first) if sum(ch.isdigit() for ch in t) >= _MIN_SHARED_DIGITS}
    return next((t for t in numbers_in(second) if t in ours), None)


def invoice_in(text: str) -> str | None:
    """The invoice number a narration names or holds, as written; None if none."""
    found = invoice_reference(text)
    return found.text if found else None


def _has_digit(token: str) -> bool:
    return any(ch.isdigit() for ch in token)


def _is_number(token: str) -> bool:
    return (
        _has_digit(token)
        and len(token) <= 32
        and not _PERIOD.match(token)
        and not _AMOUNT.match(token)
    )


def _is_bare_id(token: str) -> bool:
    if not _BARE_ID.match(token) or not _is_number(token):
        return False
    if sum(ch.isdigit() for ch in token) < _MIN_BARE_DIGITS:
        return False
    letters = {ch for ch in token.casefold() if ch.isalpha()}
    return letters != {"x"}


_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 0, "last": 0}
# The word for a part in English, and in the languages `INVOICE_WORDS` reads: "1. Rate",
# "2. Teilzahlung", "Abschlag 3", "2e échéance", "cuota 2", "rata 2".
_PART_WORDS = (
    r"(?:part|instal(?:l)?ment|tranche|pmt|payment"
    r"|rate|teilzahlung|abschlag(?:szahlung)?|échéance|echeance|cuota|plazo|rata|termijn)"
)
# "part 2", "instalment 2 of 3", "payment 1 of 3" (a bare "payment 4471" is an invoice, not a part)
_NUMBERED = re.compile(
    rf"\b(?P<word>{_PART_WORDS})\s*#?\s*(?P<n>\d{{1,2}})"
    rf"(?:\s*(?:of|von|de|di|van|/)\s*(?P<m>\d{{1,2}}))?\b",
    re.IGNORECASE,
)
# "2 of 3", "2/3" (not "03/12" or "1/2025": a date)
_FRACTION = re.compile(r"(?<![\d/.-])(?P<n>[1-9]\d?)\s*(?:of|/)\s*(?P<m>[1-9]\d?)(?![\d/.-])")
# "2nd installment", "second part", "final payment", "1. Rate", "2e échéance"
_ORDINAL = re.compile(
    rf"\b(?:(?P<n>\d{{1,2}})(?:st|nd|rd|th|\.|e|er|re|ème|ª|º|de|ste)"
    rf"|(?P<word>first|second|third|fourth|final|last))\s+{_PART_WORDS}\b",
    re.IGNORECASE,
)


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
# A name is a word of its own: the letters of "Q1", "AO-1545" or "3%" glued to their
# digits name a period, an order, a rate, not a person ("Bonus Q1", "Quartalsbonus Q1").
_NAME = re.compile(r"(?<!\d)[^\W\d_]+(?!\d)")


def named_apart(first: str, second: str, accounts: frozenset[str] = frozenset()) -> bool:
    """Whether two narrations of one pattern name different people or things: "Net pay Jamie
    Lee" and "Net pay Marco Ortiz" are two people paid, "Round-up A" and "Round-up B" two
    transfers. Each must hold a capitalised word the other lacks (but its first), and they
    share a word, starting or ending alike. Words in `accounts` (casefolded) are no names.
    Bank text, in capitals throughout, names nothing this way ("TRANSFER TO SAV")."""
    if first.isupper() or second.isupper():
        return False
    a, b = _NAME.findall(first), _NAME.findall(second)
    if not a or not b:
        return False
    folded_a, folded_b = {w.casefold() for w in a}, {w.casefold() for w in b}
    if not folded_a & folded_b or not _one_pattern(a, b):
        return False
    # A narration's first word is capitalised as a sentence starts ("Payment", "Inv"): only
    # the words after it can be names.
    # Words naming the entries' own accounts name no one: "Umbuchung Lohnkonto" and
    # "Umbuchung von Giro" are one transfer seen from its two accounts.
    folded_a |= accounts
    folded_b |= accounts
    only_a = [w for w in a[1:] if w.casefold() not in folded_b and w[0].isupper()]
    only_b = [w for w in b[1:] if w.casefold() not in folded_a and w[0].isupper()]
    return bool(only_a) and bool(only_b)


def _one_pattern(a: list[str], b: list[str]) -> bool:
    """Whether two narrations' words are one pattern with a name in it: they start alike
    ("Net pay ...") or end alike ("... salary"). A purchase written from its receipt and
    again from the card statement ("Motel One lt. Beleg", "Kreditkarte Motel One Hamburg")
    shares words, in no one pattern; German capitalises every noun in it."""
    return a[0].casefold() == b[0].casefold() or a[-1].casefold() == b[-1].casefold()


_COUNT = re.compile(r"^(?:[x#]?[1-9]|[1-9](?:st|nd|rd|th)?)$")


def says_more(first: str, second: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether one narration holds every word of the other and says more in words or a
    count ("Coffee", "Coffee with Sam"; "Kaffee", "Kaffee (2)"); both must say something.
    A number or an id added ("Payment", "Payment INV-0042") tells nothing apart: it names
    what both are for; nor do words that only say what the entry is ("Paying the rent" for
    "Rent"), nor words of `known` (the payee's name, the accounts', casefolded) or the
    start of one ("Train tickets" bought from Trainline)."""
    a = {w.strip(_EDGE + "()[]") for w in first.casefold().split()} - {""}
    b = {w.strip(_EDGE + "()[]") for w in second.casefold().split()} - {""}
    if not a or not b or a == b or not (a < b or b < a):
        return False
    more = {w for w in a ^ b if w not in _SAYS_NOTHING and not _known_word(w, known)}
    if not more:
        return False
    if not all(w.isalpha() or _COUNT.match(w) for w in more):
        return False
    # A direction ("Transfer", "Transfer in") is how one movement is seen, not a second one.
    return any(_COUNT.match(w) or (len(w) > 2 and w not in _DIRECTIONS) for w in more)


# Words that say what an entry is, not which one: "Paying the rent" is the rent.
_SAYS_NOTHING = frozenset(
    {
        *("the", "a", "an", "for", "of", "to", "on", "at", "by", "from", "and", "our", "my"),
        *("pay", "paying", "paid", "payment", "bought", "buying", "purchase", "purchased"),
    }
)
_KNOWN_PREFIX = 4  # "train" of Trainline: the start of a known word, four letters or more


def _known_word(word: str, known: frozenset[str]) -> bool:
    if word in known:
        return True
    return len(word) >= _KNOWN_PREFIX and any(k.startswith(word) for k in known)


# Words that say money moved between the business's own accounts: "Transfer to Ally
# savings", "Umbuchung Tagesgeld", "Virement épargne", "ONLINE XFER".
TRANSFER_WORDS = frozenset(
    {
        *("transfer", "xfer", "trf", "tfr", "umbuchung", "übertrag", "uebertrag"),
        *("virement", "transferencia", "traspaso", "trasferimento", "giroconto"),
    }
)


@functools.lru_cache(maxsize=65536)
def says_transfer(text: str) -> bool:
    """Whether a narration says the money moved between the business's own accounts."""
    return any(word in TRANSFER_WORDS for word in _NAME_WORD.findall(text.casefold()))


_TOWARD = frozenset({"to", "into", "nach", "auf", "an", "vers", "a"})
_AWAY = frozenset({"from", "von", "de", "da", "desde"})
_DIRECTIONS = _TOWARD | _AWAY | {"in", "out", "back", "incoming", "outgoing"}


def from_both_ends(first: str, second: str) -> bool:
    """Whether two narrations see one transfer from its two ends: "Transfer to Ally savings"
    and "Transfer from BofA checking" name each other's bank, not two transfers."""
    a = {w.casefold() for w in _NAME_WORD.findall(first)}
    b = {w.casefold() for w in _NAME_WORD.findall(second)}
    return bool((a & _TOWARD and b & _AWAY) or (a & _AWAY and b & _TOWARD))
