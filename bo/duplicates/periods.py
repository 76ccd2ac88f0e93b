"""The month or week a payment is for, as its narration names it: "Milchgeld Juli
Restzahlung" and "Akonto Milchgeld August" pay July's balance and August's advance, "Settlement
wk 30" and "Settlement wk 32" two weeks' settlements: two obligations, however alike their
amount and payee.

Bookkeepers name the period a recurring payment settles in words of their own language
("July", "Juli", "juillet", "juli", "luglio", "julio") or as a number ("2025-07", "07/2025").
Weeks are numbered ("wk 30", "week 50", "KW 12", "uge 7", "vecka 7", "2025-W50"). Two
payments each naming a month, and no month in common, are two payments, and so are two naming
weeks and no week in common; a payment made twice names the same period twice, or none.
"""

from __future__ import annotations

import functools
import re

# Month names and their usual short forms, English, German, French, Swedish, Dutch,
# Italian and Spanish.
_NAMES = (
    ("january", "jan", "januar", "janvier", "januari", "gennaio", "enero", "jänner"),
    ("february", "feb", "februar", "février", "fevrier", "februari", "febbraio", "febrero"),
    ("march", "mar", "märz", "maerz", "mars", "maart", "marzo"),
    ("april", "apr", "avril", "aprile", "abril"),
    ("may", "mai", "maj", "mei", "maggio", "mayo"),
    ("june", "jun", "juni", "juin", "giugno", "junio"),
    ("july", "jul", "juli", "juillet", "luglio", "julio"),
    ("august", "aug", "août", "aout", "augusti", "augustus", "agosto"),
    ("september", "sep", "sept", "septembre", "settembre", "septiembre"),
    ("october", "oct", "okt", "oktober", "octobre", "ottobre", "octubre"),
    ("november", "nov", "novembre", "noviembre"),
    ("december", "dec", "dez", "dezember", "décembre", "decembre", "dicembre", "diciembre"),
)
_MONTH = {name: n for n, names in enumerate(_NAMES, start=1) for name in names}
_WORD = re.compile(r"[^\W\d_]+")
# "2025-07", "07/2025", "7.2025": a month by number, with its year.
_NUMBERED = re.compile(r"\b(?:\d{4}-(\d{1,2})|(\d{1,2})[/.]\d{4})\b")


@functools.lru_cache(maxsize=65536)
def months_named(text: str) -> frozenset[int]:
    """The months (1-12) a narration names, in words or numbers."""
    found = {_MONTH[w] for w in _WORD.findall(text.casefold()) if w in _MONTH}
    for year_first, month_first in _NUMBERED.findall(text):
        month = int(year_first or month_first)
        if 1 <= month <= 12:
            found.add(month)
    return frozenset(found)


def months_apart(first: str, second: str) -> bool:
    """Whether two narrations each name a month, and none in common."""
    a, b = months_named(first), months_named(second)
    return bool(a) and bool(b) and not a & b


# "wk 30", "week 50", "Wk. 7", "KW 12" (Kalenderwoche), "uge 7", "vecka 7", "semaine 7",
# "settimana 7", "semana 7", "2025-W50", "W50": a week by number.
_WEEK = re.compile(
    r"(?:\b(?:wk|wks|week|weeks|kw|uge|vecka|semaine|settimana|semana)\.?\s*(?:no\.?\s*|nr\.?\s*|#)?"
    r"|\b(?:\d{4}-?)?w)(\d{1,2})\b",
    re.I,
)


@functools.lru_cache(maxsize=65536)
def weeks_named(text: str) -> frozenset[int]:
    """The weeks (1-53) a narration names by number."""
    return frozenset(int(n) for n in _WEEK.findall(text) if 1 <= int(n) <= 53)


def named_periods_apart(first: str, second: str) -> bool:
    """Whether two narrations each name a month, or each a week, and none in common."""
    if months_apart(first, second):
        return True
    a, b = weeks_named(first), weeks_named(second)
    return bool(a) and bool(b) and not a & b


def same_period_named(first: str, second: str) -> bool:
    """Whether two narrations name one week, or one month, and no other: a payment of
    "Settlement wk 14" made twice is one week paid twice, however regular the payee's
    payments are."""
    weeks = weeks_named(first)
    if weeks and weeks == weeks_named(second):
        return True
    months = months_named(first)
    return bool(months) and months == months_named(second)
