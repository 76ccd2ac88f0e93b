"""The banks' statement files, one per month, in each bank's own layout."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from core import Line, by_month, write_text


def grouped(amount: Decimal, decimal: str = ".", thousands: str = ",") -> str:
    text = f"{abs(amount):,.2f}"
    text = text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
    return ("-" if amount < 0 else "") + text


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def unity_csv(folder: Path, lines: list[Line], balance: Decimal) -> None:
    """Unity Trust Bank: paid out / paid in columns, running balance, `07 Mar 2025`, no id."""
    for month, rows in by_month(lines).items():
        out = [["Date", "Type", "Description", "Paid Out", "Paid In", "Balance"]]
        for line in rows:
            balance += line.amount
            out.append(
                [
                    f"{line.date:%d %b %Y}",
                    line.type or "",
                    line.text,
                    grouped(-line.amount) if line.amount < 0 else "",
                    grouped(line.amount) if line.amount > 0 else "",
                    grouped(balance),
                ]
            )
        write_text(folder / f"{month}.csv", csv_text(out))


def card_ofx(folder: Path, lines: list[Line], acctid: str, currency: str, balance: Decimal) -> None:
    """Lloyds commercial card: OFX 2 (XML), charges negative, FITID per line, ledger balance."""
    for month, rows in by_month(lines).items():
        start, end = rows[0].date, rows[-1].date
        trns = []
        for line in rows:
            balance += line.amount
            kind = "DEBIT" if line.amount < 0 else "CREDIT"
            trns.append(
                f"<STMTTRN><TRNTYPE>{kind}</TRNTYPE><DTPOSTED>{line.date:%Y%m%d}120000</DTPOSTED>"
                f"<TRNAMT>{line.amount}</TRNAMT><FITID>{line.id}</FITID>"
                f"<NAME>{xml(line.text[:32])}</NAME></STMTTRN>"
            )
        body = "\n".join(trns)
        write_text(
            folder / f"{month}.ofx",
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" '
            'NEWFILEUID="NONE"?>\n'
            "<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY>"
            f"</STATUS><DTSERVER>{end:%Y%m%d}235959</DTSERVER><LANGUAGE>ENG</LANGUAGE></SONRS>"
            "</SIGNONMSGSRSV1>\n<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1</TRNUID><STATUS>"
            "<CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS><CCSTMTRS>"
            f"<CURDEF>{currency}</CURDEF><CCACCTFROM><ACCTID>{acctid}</ACCTID></CCACCTFROM>\n"
            f"<BANKTRANLIST><DTSTART>{start:%Y%m%d}</DTSTART><DTEND>{end:%Y%m%d}</DTEND>\n"
            f"{body}\n</BANKTRANLIST><LEDGERBAL><BALAMT>{balance}</BALAMT>"
            f"<DTASOF>{end:%Y%m%d}235959</DTASOF></LEDGERBAL></CCSTMTRS></CCSTMTTRNRS>"
            "</CREDITCARDMSGSRSV1></OFX>\n",
        )


def xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mercury_csv(folder: Path, lines: list[Line], failed: dict[str, list[list[str]]]) -> None:
    """Mercury: signed amounts, `03-14-2025`, a Status column (failed rows are not money)."""
    for month, rows in by_month(lines).items():
        out = [
            ["Date (UTC)", "Description", "Amount", "Status", "Bank Description", "Transaction ID"]
        ]
        for line in rows:
            out.append(
                [
                    f"{line.date:%m-%d-%Y}",
                    line.text.split("  ")[0].title(),
                    str(line.amount),
                    "Sent" if line.amount < 0 else "Received",
                    line.text,
                    line.id,
                ]
            )
        for row in failed.get(month, []):
            out.insert(len(out) // 2, row)
        write_text(folder / f"{month}.csv", csv_text(out))


def qonto_csv(folder: Path, lines: list[Line], balance: Decimal) -> None:
    """Qonto: `;`, decimal comma, settlement and operation dates, running balance, id."""
    for month, rows in by_month(lines).items():
        out = [
            [
                "Settlement date",
                "Operation date",
                "Counterparty name",
                "Payment reference",
                "Amount",
                "Currency",
                "Balance",
                "Transaction ID",
            ]
        ]
        for line in rows:
            balance += line.amount
            name, _, ref = line.text.partition(" / ")
            out.append(
                [
                    f"{line.date:%d/%m/%Y}",
                    f"{line.date:%d/%m/%Y}",
                    name,
                    ref,
                    grouped(line.amount, ",", "."),
                    "EUR",
                    grouped(balance, ",", "."),
                    line.id,
                ]
            )
        write_text(folder / f"{month}.csv", csv_text(out, ";"))


def brex_csv(folder: Path, lines: list[Line]) -> None:
    """Brex card: charges positive, payments negative, ISO dates, the Brex id."""
    for month, rows in by_month(lines).items():
        out = [["Transaction Date", "Posted Date", "Merchant", "Card Member", "Amount", "Brex ID"]]
        for line in rows:
            member = line.type or "Company"
            out.append(
                [str(line.date), str(line.date), line.text, member, str(-line.amount), line.id]
            )
        write_text(folder / f"{month}.csv", csv_text(out))
