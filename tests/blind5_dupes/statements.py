"""The banks' statement layouts: each writes one month of an account's lines as its bank does.

Lines come from `Book.lines_of` (every real movement once; planted copies print nothing).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from core import Book, fmt, months


def _csv(rows, delimiter=",", quote=csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quote, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def anz_nz(lines, opening) -> str:
    """ANZ New Zealand's CSV export: no balance, no id, `dd/mm/yyyy`, signed amounts."""
    rows = [["Type", "Details", "Particulars", "Code", "Reference", "Amount", "Date",
             "ForeignCurrencyAmount", "ConversionCharge"]]  # fmt: skip
    for line in lines:
        x = line["extra"]
        rows.append([x.get("type", "Payment"), line["text"][:40], x.get("particulars", "")[:12],
                     x.get("code", "")[:12], x.get("reference", "")[:12], fmt(line["amount"]),
                     line["date"].strftime("%d/%m/%Y"), "", ""])  # fmt: skip
    return _csv(rows)


def z_fuelcard(lines, opening) -> str:
    """Z Energy's business fuel card CSV: charges positive, the docket as the line's id."""
    rows = [["Transaction Date", "Card Number", "Vehicle", "Site", "Product", "Litres",
             "Amount", "Docket"]]  # fmt: skip
    for line in lines:
        x = line["extra"]
        vehicle = x.get("vehicle", "")
        card = f"7077 4410 {sum(map(ord, vehicle)) % 10000:04d}" if vehicle else ""
        product = "DIESEL" if vehicle else ""
        litres = fmt(x["litres"]) if "litres" in x else ""
        text = line["text"] if vehicle else "PAYMENT RECEIVED - THANK YOU"
        rows.append([line["date"].strftime("%d-%b-%Y"), card, vehicle, text,
                     product, litres, fmt(-line["amount"]), line["id"] or ""])  # fmt: skip
    return _csv(rows)


def _dk(amount: Decimal) -> str:
    """1.234,56 and -98,00: Danish thousands and decimal marks."""
    text = f"{abs(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if amount < 0 else "") + text


def danske(lines, opening) -> str:
    """Danske Bank's CSV: `;`, every field quoted, `dd.mm.yyyy`, Danish numbers, a balance."""
    rows = [["Dato", "Tekst", "Beløb", "Saldo", "Status", "Afstemt"]]
    balance = opening
    for line in lines:
        balance += line["amount"]
        rows.append([line["date"].strftime("%d.%m.%Y"), line["text"][:35], _dk(line["amount"]),
                     _dk(balance), "Udført", "Nej"])  # fmt: skip
    return _csv(rows, ";", csv.QUOTE_ALL)


def mastercard_dk(lines, opening) -> str:
    """Danske Business Mastercard's CSV: purchases positive, payments negative, no id."""
    rows = [["Kortnummer", "Købsdato", "Posteringsdato", "Beskrivelse", "Valuta",
             "Beløb i valuta", "Beløb DKK"]]  # fmt: skip
    for line in lines:
        when = line["date"].strftime("%d-%m-%Y")
        posted = line["extra"].get("posted", line["date"]).strftime("%d-%m-%Y")
        spent = -line["amount"]
        rows.append(["5521 XXXX XXXX 4417", when, posted, line["text"][:30], "DKK", _dk(spent),
                     _dk(spent)])  # fmt: skip
    return _csv(rows, ";")


def _yen(amount: Decimal) -> str:
    return f"{int(amount):,}"


def ashigin(lines, opening) -> str:
    """Ashikaga Bank's CSV (Shift_JIS): withdrawals and deposits apart, a balance, no id."""
    rows = [["日付", "摘要", "お支払金額", "お預り金額", "差引残高"]]
    balance = opening
    for line in lines:
        balance += line["amount"]
        out, into = (
            (_yen(-line["amount"]), "") if line["amount"] < 0 else ("", _yen(line["amount"]))
        )
        rows.append([line["date"].strftime("%Y/%m/%d"), line["text"], out, into, _yen(balance)])
    return _csv(rows, quote=csv.QUOTE_ALL)


def rakuten(lines, opening) -> str:
    """Rakuten Card's CSV: charges positive, the month's payment negative, no id."""
    rows = [
        ["利用日", "利用店名・商品名", "利用者", "支払方法", "利用金額", "支払手数料", "支払総額"]
    ]
    for line in lines:
        spent = _yen(-line["amount"]).replace(",", "")
        rows.append([line["date"].strftime("%Y/%m/%d"), line["text"], "本人", "1回払い", spent,
                     "0", spent])  # fmt: skip
    return _csv(rows)


WRITERS = {"anz-nz": anz_nz, "z-fuelcard": z_fuelcard, "danske": danske,
           "mastercard-dk": mastercard_dk, "ashigin": ashigin, "rakuten": rakuten}  # fmt: skip
ENCODINGS = {"ashigin": "cp932"}


def write(book: Book, root: Path, account: str, folder: str, layout: str, start, count) -> int:
    """One file per month of the account's lines; returns how many files were written."""
    lines = book.lines_of(account)
    balance = book.opening(account)
    files = 0
    for y, m in months(start, count):
        month = [x for x in lines if (x["date"].year, x["date"].month) == (y, m)]
        if not month:
            continue
        path = root / folder / f"{y}-{m:02d}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = WRITERS[layout](month, balance)
        path.write_bytes(text.encode(ENCODINGS.get(layout, "utf-8")))
        balance += sum((x["amount"] for x in month), Decimal(0))
        files += 1
    return files
