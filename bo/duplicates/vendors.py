"""Who was paid: one vendor under the names people, banks and bills give it.

"Harbor Cleaning", "HARBOR CLEANING SVCS" and "Harbor Cleaning Services LLC" are one vendor;
"Green Valley Dairy" and "Green Valley Produce" are two, although they share two words.
Names are compared as words: casefolded, without punctuation, legal suffixes, the bank's
words around a payee and store numbers, with common abbreviations spelled out. One name is
the other's vendor when its words are the other's, in order, each the same word, its
abbreviation (`Rest.`/`Restaurant`, or the bank's without vowels: `AMZN`/`Amazon`) or a near
spelling, and the first words agree. Names the
ledger itself uses for one vendor (a bill under one, its payment under the other, on two
bills or more) count as one too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from bo.matching.text import NOISE_WORDS

LEGAL_WORDS = frozenset(
    {
        *("inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "co", "corp"),
        *("corporation", "company", "plc", "gmbh", "pty", "sa", "ag", "bv", "pc", "pllc"),
        *("ug", "kg", "ohg", "gbr", "mbh", "sarl", "sas", "srl", "spa", "nv", "oy", "kft"),
        *("the", "and", "of"),
    }
)
ABBREVIATIONS = {
    "svcs": "services",
    "svc": "service",
    "srvcs": "services",
    "mgmt": "management",
    "mgt": "management",
    "intl": "international",
    "natl": "national",
    "assoc": "associates",
    "assn": "association",
    "bros": "brothers",
    "mfg": "manufacturing",
    "grp": "group",
    "ins": "insurance",
    "agcy": "agency",
    "acctg": "accounting",
    "elec": "electric",
    "equip": "equipment",
    "contr": "contractors",
    "mech": "mechanical",
    "dept": "department",
    "dist": "distribution",
    "whse": "warehouse",
    "coop": "cooperative",
    "ctr": "center",
    "tech": "technology",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
}
_WORD = re.compile(r"[^\W_]+")
# A word this long, this close to another, is the same word misspelt ("Suply", "Supply").
_TYPO_LENGTH = 5
_TYPO_SIMILARITY = 0.8
_PREFIX = 3  # "Rest." for "Restaurant", "Equip" for "Equipment": at least three letters


# Banks print without accents and umlauts: "WUERTH" for Würth, "MUELLER" for Müller.
_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})


def _plain(text: str) -> str:
    text = text.translate(_SPELLED_OUT)
    if text.isascii():
        return text
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


# How banks wrap a payee's name in their own words: an ACH line's originator ("ORIG CO
# NAME:SUNRISE CAND CO ENTRY DESCR:PAYMENT"), a bill payment's descriptor after the name
# ("WINE-TARNER CBL DES:BILL PAY ID:..."). The name is the part the bank did not add.
_ACH_NAME = re.compile(r"\bco name:\s*(.+?)\s*(?:\bco entry\b|\bentry descr:|\bdescr:|$)")
_DESCRIPTOR = re.compile(r"^(.+?)\s+(?:des|descr|indn|co id):")
# Codes UK banks print beside a payee: bank giro credit, faster payment in/out, direct
# debit, standing order, transfer.
BANK_CODES = frozenset({"bgc", "fpi", "fpo", "dd", "ddr", "so", "sto", "stdord", "tfr"})
# Words a bank adds to say what the line is, not who: "BLICK ART REFUND", "AMZN RETURN".
LINE_WORDS = frozenset({"refund", "rfnd", "return", "returned", "reversal", "chargeback"})
# A word holding two digits or more is an id, a reference or a store's number
# ("HM/2025/1832", "US*WUKA56", "#346"), never part of the vendor's name.
_ID_TOKEN = re.compile(r"\S*\d\S*\d\S*")


def _bank_name(text: str) -> str:
    """The payee's name out of the bank's wording around it (`text` casefolded)."""
    if ":" not in text:
        return text
    ach = _ACH_NAME.search(text)
    if ach:
        return ach.group(1)
    descriptor = _DESCRIPTOR.match(text)
    return descriptor.group(1) if descriptor else text


@functools.lru_cache(maxsize=65536)
def vendor_words(name: str) -> tuple[str, ...]:
    """A payee's name as the words that name a vendor."""
    text = _bank_name(_plain(name.casefold()))
    text = _ID_TOKEN.sub(" ", text).replace("&", " and ").replace("'", "")
    words = []
    for word in _WORD.findall(text):
        if word in NOISE_WORDS or word in LEGAL_WORDS or any(ch.isdigit() for ch in word):
            continue
        words.append(ABBREVIATIONS.get(word, word))
    # The bank's codes beside a name, not for a name: "BP" and "DD" are vendors too.
    named = [word for word in words if word not in BANK_CODES and word not in LINE_WORDS]
    return tuple(named or words)


def _same_word(short: str, long: str) -> bool:
    if short == long:
        return True
    if len(short) >= _PREFIX and (long.startswith(short) or short.startswith(long)):
        return min(len(short), len(long)) >= _PREFIX
    if (
        min(len(short), len(long)) >= _TYPO_LENGTH
        and Levenshtein.normalized_similarity(short, long) >= _TYPO_SIMILARITY
    ):
        return True
    return _dropped_vowels(short, long) or _dropped_vowels(long, short)


_VOWELS = frozenset("aeiouy")
_SKELETON = 4  # "AMZN" for Amazon: at least four letters kept


def _dropped_vowels(short: str, long: str, least: int = _SKELETON) -> bool:
    """Whether a bank printed `long` without its vowels: "AMZN" for Amazon, "MKTPL" for
    Marketplace; the first letter kept, the rest its consonants in order."""
    if len(short) < least or len(short) >= len(long) or short[0] != long[0]:
        return False
    if any(ch in _VOWELS for ch in short[1:]):
        return False
    rest = iter(long[1:])
    return all(ch in rest for ch in short[1:])


@functools.lru_cache(maxsize=65536)
def _words_agree(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    if not first or not second:
        return False
    if first == second or "".join(first) == "".join(second):
        return True  # the bank runs words together: HARBORCLEANING
    if _initials(first, second) or _initials(second, first):
        return True  # PSE for Puget Sound Energy
    if _glued_short(first[0], second) or _glued_short(second[0], first):
        return True  # WHOLEFDS for Whole Foods
    short, long = sorted((first, second), key=len)
    if not _same_word(short[0], long[0]):
        return False
    at = 1
    for n, word in enumerate(short[1:], 2):
        while at < len(long) and not _later_word(word, long[at], last=n == len(short)):
            at += 1
        if at == len(long):
            return False
        at += 1
    return True


def _later_word(short: str, long: str, *, last: bool) -> bool:
    """A word after the first, which already agrees: the bank's three-letter skeleton of it
    ("CBL" for Cable) is enough, and a last word cut short by the bank's field width
    ("GOOD MOODS M" for Good Moods Market)."""
    if _same_word(short, long):
        return True
    short, long = sorted((short, long), key=len)
    if last and len(short) < len(long) and long.startswith(short):
        return True
    return len(short) == _PREFIX and _dropped_vowels(short, long, _PREFIX)


_GLUED_HEAD = 4  # letters a glued abbreviation keeps of the name's start
_GLUED_SHARE = 0.7  # and of the name's letters


def _glued_short(word: str, name: tuple[str, ...]) -> bool:
    """Whether a bank printed a name of several words as one shortened word: "WHOLEFDS" for
    Whole Foods, "HOMEDPT" for Home Depot. The word starts as the name does, keeps most of
    its letters, and drops only letters, in order."""
    if len(name) < 2 or len(word) <= len(name[0]):
        return False
    if any(word == "".join(name[:k]) for k in range(2, len(name))):
        return True  # the first words glued, the rest cut: "SUNRISECANDLE", Sunrise Candle Co
    glued = "".join(name)
    if len(word) >= len(glued) or len(word) < _GLUED_SHARE * len(glued):
        return False
    if word[:_GLUED_HEAD] != glued[:_GLUED_HEAD]:
        return False
    rest = iter(glued)
    return all(ch in rest for ch in word)


_MIN_INITIALS = 3  # "PSE", "IBM": two letters name too many vendors


def initialled(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether one name gives the other's first words by their initials and the rest as they
    are: "TV Print" for Thames Valley Print, "GWR Trains" for Great Western Railway Trains.
    Said of names already tied by an invoice number: two letters are initials of too many
    names to tell a vendor alone."""
    for short, long in ((first, second), (second, first)):
        head = short[0]
        k = len(head)
        if len(short) < 2 or not 2 <= k < len(long) or not head.isalpha():
            continue
        if "".join(word[0] for word in long[:k]) == head and _words_agree(short[1:], long[k:]):
            return True
    return False


def _initials(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether a one-word name is the other's initials."""
    return (
        len(short) == 1
        and len(long) == len(short[0]) >= _MIN_INITIALS
        and "".join(word[0] for word in long) == short[0]
    )


_DISTINCT = 4  # a shortened name keeps a word this long of the vendor's name whole


def shortened(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether one name is the other cut short, as people write a vendor they know: its
    words the other's in order, a word of one letter its initial ("T. Avery" for Tom Avery
    Illustration), words left out ("Meerblau" for Studio Meerblau), and one word of four
    letters or more kept whole."""
    short, long = sorted((first, second), key=len)
    if not short or (len(short) == len(long) and short != long):
        return False
    rest = iter(long)
    whole = False
    for word in short:
        for other in rest:
            if word == other or (len(word) == 1 and other.startswith(word)):
                whole = whole or (word == other and len(word) >= _DISTINCT)
                break
        else:
            return False
    return whole


class Vendors:
    """Names known to be one vendor, from the ledger, and the comparison of two names."""

    def __init__(self, aliases: Iterable[tuple[str, str]] = ()) -> None:
        self._parent: dict[tuple[str, ...], tuple[str, ...]] = {}
        for first, second in aliases:
            self._union(vendor_words(first), vendor_words(second))
        # Large books ask about the same few hundred vendors' names hundreds of thousands of
        # times: each answer is kept, by the names' keys.
        self._same: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}
        self._related: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    @staticmethod
    def key(name: str) -> tuple[str, ...]:
        """What `same`, `related` and `apart` read of a name: two names with one key compare
        alike with every other name."""
        return vendor_words(name)

    def _root(self, words: tuple[str, ...]) -> tuple[str, ...]:
        parent = self._parent
        while parent.get(words, words) != words:
            parent[words] = parent.get(parent[words], parent[words])
            words = parent[words]
        return words

    def _union(self, first: tuple[str, ...], second: tuple[str, ...]) -> None:
        if first and second:
            self._parent[self._root(first)] = self._root(second)

    def same(self, first: str, second: str) -> bool:
        """Whether two payee names are one vendor."""
        a, b = vendor_words(first), vendor_words(second)
        found = self._same.get((a, b))
        if found is None:
            found = self._same[(a, b)] = _words_agree(a, b) or (
                bool(self._parent) and bool(a) and bool(b) and self._root(a) == self._root(b)
            )
        return found

    def related(self, first: str, second: str) -> bool:
        """Whether two names may be one vendor's: the same, the first word of one the first
        of the other ("Ferguson Supply", "FERGUSON ENTERPRISES": a trading name and a legal
        one), or one the other cut short ("Meerblau" for Studio Meerblau, "T. Avery" for Tom
        Avery Illustration). Enough where an invoice number already agrees."""
        a, b = vendor_words(first), vendor_words(second)
        found = self._related.get((a, b))
        if found is None:
            found = self._related[(a, b)] = self.same(first, second) or (
                bool(a)
                and bool(b)
                and (_same_word(a[0], b[0]) or shortened(a, b) or initialled(a, b))
            )
        return found

    def apart(self, first: str, second: str) -> bool:
        """Whether two payee names are two vendors of one family name: "Green Valley Dairy"
        and "Green Valley Produce", each with a word the other lacks."""
        a, b = vendor_words(first), vendor_words(second)
        if len(a) < 2 or len(b) < 2 or not _same_word(a[0], b[0]):
            return False
        return not self.same(first, second)


class KnownVendors:
    """Payees the books know as vendors (those the payables name), under any of their names."""

    def __init__(self, names: Iterable[str], vendors: Vendors) -> None:
        self.vendors = vendors
        self._by_head: dict[str, list[str]] = defaultdict(list)
        for name in names:
            words = vendor_words(name)
            if words:
                self._by_head[words[0][:_PREFIX]].append(name)
        self._seen: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        found = self._seen.get(name)
        if found is None:
            words = vendor_words(name)
            candidates = self._by_head.get(words[0][:_PREFIX], ()) if words else ()
            found = self._seen[name] = any(self.vendors.same(name, known) for known in candidates)
        return found


def learned_aliases(settled: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Names the ledger uses for one vendor: (bill's payee, payment's payee, invoice) of bills
    paid in full under another name, kept when two bills or more say so (a payment once
    sent to the wrong vendor does not make two vendors one)."""
    invoices: dict[tuple[tuple[str, ...], tuple[str, ...]], set[str]] = defaultdict(set)
    names: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, str]] = {}
    for billed, paid, invoice in settled:
        a, b = vendor_words(billed), vendor_words(paid)
        if not a or not b or _words_agree(a, b):
            continue
        key = (a, b) if a <= b else (b, a)
        invoices[key].add(invoice)
        names.setdefault(key, (billed, paid))
    return [names[key] for key, seen in sorted(invoices.items()) if len(seen) >= 2]
