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


def ofx(account: str, lines: list[dict], balance: Decimal) -> str:
    """OFX 2 (XML) bank statement, as ZKB's e-banking downloads it: FITID per line."""
    currency = "EUR" if account.endswith("EUR") else "CHF"
    acct = "CH9300700110000" + ("2" if currency == "EUR" else "1") + "4711"
    first, last = lines[0]["date"], lines[-1]["date"]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>',
        "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY>"
        f"</STATUS><DTSERVER>{last:%Y%m%d}120000</DTSERVER><LANGUAGE>GER</LANGUAGE>"
        "</SONRS></SIGNONMSGSRSV1>",
        "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS><CODE>0</CODE>"
        f"<SEVERITY>INFO</SEVERITY></STATUS><STMTRS><CURDEF>{currency}</CURDEF>",
        f"<BANKACCTFROM><BANKID>700</BANKID><ACCTID>{acct}</ACCTID>"
        "<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>",
        f"<BANKTRANLIST><DTSTART>{first:%Y%m%d}</DTSTART><DTEND>{last:%Y%m%d}</DTEND>",
    ]
    for line in lines:
        balance += line["amount"]
        kind = "CREDIT" if line["amount"] > 0 else "DEBIT"
        memo = line["text"].replace("&", "+")
        name = memo[:32].strip()
        out.append(
            f"<STMTTRN><TRNTYPE>{kind}</TRNTYPE><DTPOSTED>{line['date']:%Y%m%d}"
            f"</DTPOSTED><TRNAMT>{line['amount']}</TRNAMT><FITID>"
            f"{line['id'] or ref_for(account, line, 12)}</FITID><NAME>{name}</NAME>"
            f"<MEMO>{memo}</MEMO></STMTTRN>"
        )
    out.append(
        f"</BANKTRANLIST><LEDGERBAL><BALAMT>{balance}</BALAMT><DTASOF>{last:%Y%m%d}"
        "</DTASOF></LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    return "\n".join(out) + "\n"


WRITERS = {
    "cba": (cba, "csv"),
    "amex_au": (amex_au, "csv"),
    "seb": (seb, "csv"),
    "ofx": (ofx, "ofx"),
}


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
