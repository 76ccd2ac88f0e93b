"""Statement files as banks print them: monthly CSV in a bank's own layout, or OFX 1 SGML."""

import csv
import io
import os
from collections import defaultdict
from decimal import Decimal

from core import save


def num(x, decimal=".", thousands=""):
    """An amount as text: 1234.5 -> '1234.50' (or '1.234,50' with decimal ',')."""
    s = f"{abs(x):,.2f}"
    s = s.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
    return ("-" if x < 0 else "") + s


class Csv:
    """One bank's CSV layout. `columns` is [(header, fn(line, balance) -> text)]."""

    def __init__(self, columns, delimiter=",", preamble=(), trailer=(), opening_row=None):
        self.columns, self.delimiter = columns, delimiter
        self.preamble, self.trailer, self.opening_row = preamble, trailer, opening_row

    def render(self, lines, opening, closing, month):
        buf = io.StringIO()
        for p in self.preamble:
            buf.write(p(month, opening, closing) + "\n")
        w = csv.writer(buf, delimiter=self.delimiter, lineterminator="\n")
        w.writerow([h for h, _ in self.columns])
        if self.opening_row:
            w.writerow(self.opening_row(month, opening))
        bal = opening
        for ln in lines:
            bal += ln.amount
            w.writerow([fn(ln, bal) for _, fn in self.columns])
        for t in self.trailer:
            buf.write(t(month, opening, closing) + "\n")
        return buf.getvalue()


class Ofx:
    """OFX 1 (SGML) as a card issuer or bank sends it: unclosed leaf elements."""

    def __init__(self, card, acctid, currency, bankid="", name=lambda ln: ln.desc[:32]):
        self.card, self.acctid, self.currency, self.bankid = card, acctid, currency, bankid
        self.name = name

    def render(self, lines, opening, closing, month):
        first = month + "01"
        last = max((ln.date for ln in lines), default=None)
        end = last.strftime("%Y%m%d") if last else first
        head = (
            "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\n"
            "CHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
        )
        out = [
            head + "<OFX>",
            "<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>",
            f"<DTSERVER>{end}120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>",
        ]
        if self.card:
            out += [
                "<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1",
                "<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS>",
                f"<CURDEF>{self.currency}<CCACCTFROM><ACCTID>{self.acctid}</CCACCTFROM>",
            ]
        else:
            out += [
                "<BANKMSGSRSV1><STMTTRNRS><TRNUID>1",
                "<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS>",
                f"<CURDEF>{self.currency}<BANKACCTFROM><BANKID>{self.bankid}"
                f"<ACCTID>{self.acctid}<ACCTTYPE>CHECKING</BANKACCTFROM>",
            ]
        out.append(f"<BANKTRANLIST><DTSTART>{first}<DTEND>{end}")
        for ln in lines:
            kind = "CREDIT" if ln.amount > 0 else "DEBIT"
            out.append(
                f"<STMTTRN><TRNTYPE>{kind}<DTPOSTED>{ln.date:%Y%m%d}120000"
                f"<TRNAMT>{ln.amount}<FITID>{ln.id}<NAME>{self.name(ln)}"
                + (f"<MEMO>{ln.ref}" if ln.ref else "")
                + "</STMTTRN>"
            )
        out.append("</BANKTRANLIST>")
        out.append(f"<LEDGERBAL><BALAMT>{closing}<DTASOF>{end}120000</LEDGERBAL>")
        out.append(
            "</CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>"
            if self.card
            else "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
        )
        return "\n".join(out) + "\n"


def write_statements(book, root, specs):
    """Every account of `specs` ({account: (folder, layout, ext)}): one file a month."""
    by_acct = defaultdict(list)
    for i, ln in enumerate(book.lines):
        by_acct[ln.account].append((ln.date, i, ln))
    written = []
    for account, (folder, layout, ext) in specs.items():
        rows = [ln for _, _, ln in sorted(by_acct[account], key=lambda r: (r[0], r[1]))]
        bal = book.accounts[account].opening
        months = defaultdict(list)
        for ln in rows:
            months[f"{ln.date:%Y-%m}"].append(ln)
        for month in sorted(months):
            lines = months[month]
            closing = bal + sum((ln.amount for ln in lines), Decimal(0))
            text = layout.render(lines, bal, closing, month.replace("-", ""))
            path = os.path.join(root, folder, f"{month}.{ext}")
            save(path, text)
            written.append(path)
            bal = closing
    return written
