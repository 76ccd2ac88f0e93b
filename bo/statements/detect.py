"""`bo import FILE --detect`: propose the statement format of a file nobody has described.

A built-in format (bo.presets) that reads the whole file is proposed first; else the layout
is worked out from the file: its delimiter, the header row and the lines above it, which
column holds what (by the header's words, then by what the cells hold), the date pattern
every date reads in, the decimal mark, balance and total rows, trailer lines. Whatever is
proposed has read the file whole with bo's own reader before it is shown, so the snippet
works when pasted; what the file cannot tell (which way round an unsigned amount runs, a
date that reads day first and month first alike) is said as a note to check.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bo.errors import BadInputError, Source
from bo.presets import PRESETS
from bo.settings import INFLOW_WORDS, OUTFLOW_WORDS, CsvFormat
from bo.statements.cells import AmountParser
from bo.statements.csv import COLUMN_FIELDS, CsvReader
from bo.statements.dates import DateParser
from bo.statements.model import Statement, StatementError
from bo.statements.ofx import OfxReader, looks_like_ofx

# Date patterns banks print, the unambiguous first; a file's dates pick those reading all.
DATE_PATTERNS = [
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%d-%b-%y",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
]
# Header words for each column, compared casefolded; a header holding one is that column.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "transaction date", "posting date", "posted date", "post date", "trans. date",
        "value date", "booking date", "txn date", "posted", "buchungstag", "datum",
    ),
    "amount": ("amount", "amt", "transaction amount", "betrag", "montant", "value"),
    "debit": ("debit", "debits", "withdrawal", "withdrawals", "money out", "paid out",
              "debit amount", "out"),
    "credit": ("credit", "credits", "deposit", "deposits", "money in", "paid in",
               "credit amount", "in"),
    "payee": ("description", "payee", "merchant", "name", "details", "narrative",
              "transaction description", "empfänger", "libellé"),
    "memo": ("memo", "category", "notes", "verwendungszweck", "remarks"),
    "balance": ("balance", "running balance", "running bal.", "saldo", "solde",
                "available balance"),
    "reference": ("check number", "check or slip #", "cheque number", "check #", "check no.",
                  "ref", "reference"),
    "id": ("transaction id", "id", "fitid", "reference number", "transaction reference"),
    "account_number": ("card no.", "card number", "account number", "account #", "card"),
}  # fmt: skip
OPENING = re.compile(r"(?i)\b(opening|beginning|starting|previous) balance\b|balance forward")
CLOSING = re.compile(r"(?i)\b(closing|ending|new) balance\b")
# A cell that is only "Total", "Subtotal", "Total debits:": never a merchant's name
# ("TOTAL WINE & MORE" has more after it).
TOTAL = re.compile(r"(?i)\s*(sub)?totals?(\s+(debits|credits|charges|payments))?\s*:?\s*")
TOTAL_RE2 = "(?i)^" + TOTAL.pattern.removeprefix("(?i)") + "$"
DELIMITERS = ",;\t|"
SAMPLE_LINES = 40  # where a header row may be
PROBE = "Assets:Detect"  # the account a proposal is read for when none is given


@dataclass(frozen=True)
class Proposal:
    """A statement format for a file, and what reading the file with it gave."""

    keys: dict[str, Any]  # the format as bo.yaml would hold it
    preset: str | None  # a built-in format that reads the file as it is
    statement: Statement
    notes: tuple[str, ...] = ()


@dataclass
class _Guess:
    keys: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def propose_format(path: Path, currency: str, owed: bool = False) -> Proposal:
    """The format that reads `path` whole; BadInputError saying why when none does."""
    data = path.read_bytes()
    if looks_like_ofx(data[:4096]):
        statement = OfxReader().read(path, PROBE, owed)
        return Proposal({"kind": "ofx"}, None, statement)
    text = _decode(data)
    preset = _fitting_preset(path, currency, owed)
    if preset is not None:
        return preset
    guess = _guess(path, text)
    return _proven(path, guess, currency, owed)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _fitting_preset(path: Path, currency: str, owed: bool) -> Proposal | None:
    """The built-in format reading the file with the most of its columns, if one does."""
    best: tuple[int, str, Statement] | None = None
    for name, keys in PRESETS.items():
        fmt = CsvFormat.model_validate({"preset": name})
        try:
            statement = CsvReader(fmt, currency).read(path, PROBE, owed)
        except StatementError:
            continue
        if any(_not_a_transaction(line.payee) for line in statement.lines):
            continue  # it would book a balance or a total: the file needs filters
        used = sum(1 for key in keys if key in COLUMN_FIELDS)
        if best is None or used > best[0]:
            best = (used, name, statement)
    if best is None:
        return None
    _, name, statement = best
    notes = []
    if "balance" not in PRESETS[name] and "amount" in PRESETS[name]:
        notes += _sign_note(statement, PRESETS[name].get("positive", "inflow"), owed)
    return Proposal({"preset": name}, name, statement, tuple(notes))


def _not_a_transaction(text: str) -> bool:
    return bool(OPENING.search(text) or CLOSING.search(text) or TOTAL.fullmatch(text))


def _guess(path: Path, text: str) -> _Guess:
    lines = text.splitlines()
    delimiter = _delimiter(lines[:SAMPLE_LINES])
    rows = list(csv.reader(lines, delimiter=delimiter))
    guess = _Guess(
        {} if delimiter == "," else {"delimiter": "tab" if delimiter == "\t" else delimiter}
    )
    start, header = _header(rows[:SAMPLE_LINES])
    if start is None:
        raise BadInputError(
            "no column of dates found in its first lines: is it a statement in CSV?",
            Source(str(path)),
        )
    if start:
        guess.keys["skip_rows"] = start
    width = len(rows[start])
    body = [row for row in rows[start + header :] if "".join(row).strip()]
    # Trailer lines: the rows after the last of the data's width that is no total.
    trailing = 0
    for row in reversed(body):
        if len(row) == width and not any(TOTAL.fullmatch(cell) for cell in row):
            break
        trailing += 1
    if 0 < trailing < len(body):
        guess.keys["footer_rows"] = trailing
        body = body[:-trailing]
    data_rows = [row for row in body if len(row) == width]
    names = [cell.strip() for cell in rows[start]] if header else None
    columns = _columns(names, data_rows, guess)
    guess.keys.update(columns)
    _decimal_mark(names, data_rows, columns, guess)
    _filters(names, data_rows, guess)
    return guess


def _delimiter(lines: Sequence[str]) -> str:
    """The delimiter splitting the most lines into the same number (>1) of fields."""
    best, score = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines]
        common = max(set(widths), key=widths.count) if widths else 1
        count = widths.count(common) if common > 1 else 0
        if count > score:
            best, score = delimiter, count
    return best


def _date_patterns(texts: Sequence[str]) -> list[str]:
    """The patterns reading every one of `texts` (none blank)."""
    return [p for p in DATE_PATTERNS if texts and all(DateParser([p]).is_date(t) for t in texts)]


def _header(rows: list[list[str]]) -> tuple[int | None, bool]:
    """(index of the header row, or of the first data row when there is none; has header).

    The first row whose next rows have its width and a date in one column throughout."""
    for index, row in enumerate(rows):
        if len(row) < 2:
            continue
        below = [
            r
            for r in rows[index + 1 : index + 12]
            if len(r) == len(row) and not any(TOTAL.fullmatch(cell) for cell in r)
        ][:5]
        if not below:
            continue
        for column in range(len(row)):
            texts = [r[column].strip() for r in below if r[column].strip()]
            if len(texts) == len(below) and _date_patterns(texts):
                if _date_patterns([row[column].strip()]):
                    return index, False  # the row is data itself
                return index, True
    return None, False


def _columns(header: list[str] | None, rows: list[list[str]], guess: _Guess) -> dict[str, Any]:
    """Which column holds what: by the header's words, else by what the cells hold."""
    found: dict[str, Any] = {}
    if header is not None:
        names = [cell.strip() for cell in header]
        for key, words in HEADER_WORDS.items():
            for name in names:
                if name.casefold() in words and name not in found.values():
                    found[key] = name
                    break
        if "date" not in found:  # any header with "date" whose cells are dates
            for i, name in enumerate(names):
                if "date" in name.casefold() and _cells_are_dates(rows, i):
                    found["date"] = name
                    break
        direction = _direction_column(names, rows)
        if direction is not None and "amount" in found:
            found["direction"] = direction
    else:
        found.update(_columns_by_content(rows))
    if "date" in found:
        index = _index(header, found["date"])
        texts = [row[index].strip() for row in rows if row[index].strip()]
        patterns = _date_patterns(texts)
        if patterns:
            found["date_format"] = patterns[0]
            if {"%m/%d/%Y", "%d/%m/%Y"} <= set(patterns) or {"%m/%d/%y", "%d/%m/%y"} <= set(
                patterns
            ):
                guess.notes.append(
                    f"every date reads month first and day first alike; {patterns[0]} was "
                    "taken: check a date against the statement"
                )
    if "amount" in found and ("debit" in found or "credit" in found):
        del found["amount"]  # a file with both prints the direction in the columns
    if "amount" not in found and not ("debit" in found and "credit" in found):
        found.pop("debit", None)
        found.pop("credit", None)
    return found


def _cells_are_dates(rows: list[list[str]], index: int) -> bool:
    texts = [row[index].strip() for row in rows if row[index].strip()]
    return bool(_date_patterns(texts))


def _index(header: list[str] | None, spec: str | int) -> int:
    if isinstance(spec, int) or header is None:
        return int(spec)
    return [cell.strip() for cell in header].index(spec)


def _direction_column(names: list[str], rows: list[list[str]]) -> str | None:
    words = {w.casefold() for w in OUTFLOW_WORDS + INFLOW_WORDS}
    for i, name in enumerate(names):
        values = {row[i].strip().casefold() for row in rows if row[i].strip()}
        if values and values <= words:
            return name
    return None


def _columns_by_content(rows: list[list[str]]) -> dict[str, Any]:
    """Columns of a file without a header: the first all dates, numbers, the longest text."""
    found: dict[str, Any] = {}
    amounts = AmountParser(CsvFormat.model_validate({"date": 0, "amount": 1}), "USD")
    width = len(rows[0]) if rows else 0
    numeric = []
    for i in range(width):
        texts = [row[i].strip() for row in rows if row[i].strip()]
        if not texts:
            continue
        if "date" not in found and _date_patterns(texts):
            found["date"] = i
        elif all(amounts.is_amount(t.replace(",", "")) for t in texts) and any(
            "." in t for t in texts
        ):
            numeric.append(i)
    if numeric:
        found["amount"] = numeric[0]
    lengths = {i: sum(len(row[i]) for row in rows) for i in range(width) if i not in found.values()}
    if lengths:
        found["payee"] = max(lengths, key=lambda i: lengths[i])
    return found


def _decimal_mark(
    names: list[str] | None, rows: list[list[str]], columns: dict[str, Any], guess: _Guess
) -> None:
    """The decimal mark from the amount cells: 1.234,50 or 12,50 is a decimal comma."""
    texts = []
    for key in ("amount", "debit", "credit", "balance"):
        if key in columns:
            index = _index(names, columns[key])
            texts += [row[index].strip() for row in rows]
    comma = sum(bool(re.search(r",[0-9]{1,2}\)?-?$", text)) for text in texts)
    point = sum(bool(re.search(r"\.[0-9]{1,2}\)?-?$", text)) for text in texts)
    if comma > point:
        guess.keys["decimal"] = ","


def _filters(names: list[str] | None, rows: list[list[str]], guess: _Guess) -> None:
    """Balance and total rows among the data, by their words."""
    filters: list[dict[str, Any]] = []
    for pattern, then in ((OPENING, "opening_balance"), (CLOSING, "closing_balance")):
        if any(pattern.search(" ".join(row)) for row in rows):
            filters.append({"matches": pattern.pattern, "then": then})
    for row in rows:
        index = next((i for i, cell in enumerate(row) if TOTAL.fullmatch(cell)), None)
        if index is not None:
            column = names[index] if names else index
            filters.append({"column": column, "matches": TOTAL_RE2, "then": "skip"})
            break
    if filters:
        guess.keys["filters"] = filters


def _proven(path: Path, guess: _Guess, currency: str, owed: bool) -> Proposal:
    """The guess once bo's reader has read the file with it (the other sign if a balance
    column says so); BadInputError with the reader's problems when it cannot."""
    keys = guess.keys
    if "date" not in keys or not ("amount" in keys or "debit" in keys):
        raise BadInputError(
            "bo could not tell which columns hold the date and the amount; describe the "
            "file under statement_formats in bo.yaml",
            Source(str(path)),
        )
    if "filters" in keys and "footer_rows" in keys:
        keys.pop("footer_rows")  # a totals row is the trailer's first: the filter has it
    tries = [keys]
    if "amount" in keys and "direction" not in keys:
        tries.append({**keys, "positive": "outflow"})
    failure: StatementError | None = None
    for attempt in tries:
        try:
            fmt = CsvFormat.model_validate(attempt)
            statement = CsvReader(fmt, currency).read(path, PROBE, owed)
        except StatementError as exc:
            failure = failure or exc
            continue
        notes = list(guess.notes)
        if "amount" in attempt and "direction" not in attempt and "balance" not in attempt:
            notes += _sign_note(statement, attempt.get("positive", "inflow"), owed)
        return Proposal(dict(attempt), None, statement, tuple(notes))
    assert failure is not None
    raise BadInputError(
        f"bo's best guess at the format does not read the file:\n{failure}", Source(str(path))
    )


def _sign_note(statement: Statement, positive: str, owed: bool) -> list[str]:
    """What to check when nothing in the file says which way its amounts run: a bank's
    signed amounts are money in when positive, but card issuers print charges either way,
    and a file of amounts of one sign says nothing."""
    ins = sum(1 for line in statement.lines if line.amount.number > Decimal(0))
    if not owed and 0 < ins < len(statement.lines):
        return []
    return [
        f"`positive: {positive}` reads {ins} of {len(statement.lines)} amounts as money into "
        "the account (a deposit, a payment to the card): if that is the wrong way round, "
        f"set `positive: {'outflow' if positive == 'inflow' else 'inflow'}`"
    ]
