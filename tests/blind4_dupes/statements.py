"""The banks' own export layouts, one file a month, written from a book's statement lines."""

from __future__ import annotations

import zlib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from core import Book


def signed(amount: Decimal) -> str:
    return f"+{amount}" if amount >= 0 else f"{amount}"


def comma(amount: Decimal) -> str:
    return f"{amount}".replace(".", ",")


def ref_for(account: str, line: dict, width: int) -> str:
    """A stable bank reference for a line that carries none in the books."""
    seed = f"{account}|{line['date']}|{line['amount']}|{line['text']}|{line['seq']}"
    return str(zlib.crc32(seed.encode()) % 10**width).zfill(width)


def cba(account: str, lines: list[dict], balance: Decimal) -> str:
    """CommBank NetBank CSV: no header, dd/mm/yyyy, signed amounts, running balance."""
    out = []
    for line in lines:
        balance += line["amount"]
        out.append(
            f'{line["date"]:%d/%m/%Y},"{signed(line["amount"])}","{line["text"]}",'
            f'"{signed(balance)}"'
        )
    return "\n".join(out) + "\n"


def amex_au(account: str, lines: list[dict], balance: Decimal) -> str:
    """Amex Australia CSV: charges positive, credits negative, a reference per line."""
    out = ["Date,Date Processed,Description,Cardmember,Amount,Reference"]
    for line in lines:
        processed = line["date"]
        text = line["text"].replace(",", " ")
        ref = line["id"] or "AT" + ref_for(account, line, 14)
        out.append(
            f"{line['date']:%d/%m/%Y},{processed:%d/%m/%Y},{text},R HALLORAN,"
            f"{-line['amount']},{ref}"
        )
    return "\n".join(out) + "\n"


def seb(account: str, lines: list[dict], balance: Decimal) -> str:
    """SEB företag CSV: `;`, decimal comma, voucher number per line, newest first."""
    rows = []
    for line in lines:
        balance += line["amount"]
        verif = line["id"] or ref_for(account, line, 10)
        text = line["text"].replace(";", " ")
        rows.append(
            f"{line['date']};{line['date']};{verif};{text};{comma(line['amount'])};{comma(balance)}"
        )
    head = "Bokföringsdatum;Valutadatum;Verifikationsnummer;Text/mottagare;Belopp;Saldo"
    return "\n".join([head, *reversed(rows)]) + "\n"


WRITERS = {"cba": (cba, "csv"), "amex_au": (amex_au, "csv"), "seb": (seb, "csv")}


def write_statements(book: Book, root: Path, specs: list[dict]) -> int:
    """Each spec's account, month by month, in its bank's layout; the number of files."""
    count = 0
    for spec in specs:
        writer, ext = WRITERS[spec["writer"]]
        lines = book.statement_lines(spec["account"])
        balance = book.opening(spec["account"])
        months = defaultdict(list)
        for line in lines:
            months[line["date"].strftime("%Y-%m")].append(line)
        folder = root / spec["dir"]
        folder.mkdir(parents=True, exist_ok=True)
        for month in sorted(months):
            (folder / f"{month}.{ext}").write_text(writer(spec["account"], months[month], balance))
            balance += sum((x["amount"] for x in months[month]), Decimal(0))
            count += 1
    return count
