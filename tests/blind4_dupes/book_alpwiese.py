"""Käserei Alpwiese GmbH, Ebnat-Kappel SG: CHF with a EUR account, 2025, renamed roots.

A village cheese dairy. Ten farmers deliver milk: a fixed advance (Akonto) on the 25th, the
month's milk statement (Milchabrechnung, from the dairy's software, `abrechnung`) on the 5th
of the next month and the balance paid on the 10th. Cheese sold to Swiss retailers in CHF
(2.6% MWST) and to an Italian and a German importer in EUR into a ZKB EUR account, swept to
CHF each month at the day's rate. Coop's quarterly volume rebate as a credit note refunded
by bank. Suppliers' QR bills (`qr_ref`, the 27-digit QR reference). Both ZKB accounts are
imported from OFX by ledger-autosync (`ofxid`: bank id, account, FITID). The roots are the
Swiss chart's: Aktiven, Passiven, Eigenkapital, Ertrag, Aufwand.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core import Book, money, month_starts, next_weekday

ZKB = "Aktiven:Bank:ZKB:CHF"
ZEUR = "Aktiven:Bank:ZKB:EUR"
DEB = "Aktiven:Debitoren"
VORST = "Aktiven:Vorsteuer"
KRED = "Passiven:Kreditoren"
MILCH = "Passiven:Milchgeld"
MWST = "Passiven:MWST"
SOZ = "Passiven:Sozialversicherungen"
REBATE = "Ertrag:Erloesminderungen"
UNK = "Aufwand:Unkategorisiert"
START, END = date(2025, 1, 1), date(2025, 12, 31)
CHF_FILE = "ledgers/zkb-chf.beancount"
EUR_FILE = "ledgers/zkb-eur.beancount"
MILK_FILE = "ledgers/milch.beancount"
SALES_FILE = "ledgers/fakturen.beancount"
BILLS_FILE = "ledgers/kreditoren.beancount"
ROOTS = [
    'option "name_assets" "Aktiven"',
    'option "name_liabilities" "Passiven"',
    'option "name_equity" "Eigenkapital"',
    'option "name_income" "Ertrag"',
    'option "name_expenses" "Aufwand"',
]
MONATE = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
FARMERS = [  # name, short code, kg a month, advance
    ("Huber Hans", "HUB", 12400, "5000.00"),
    ("Fäh Sepp", "FAS", 8200, "3000.00"),
    ("Fäh Toni", "FAT", 8200, "3000.00"),
    ("Bösch Ueli", "BOE", 13900, "5000.00"),
    ("Brunner Anita", "BRU", 7300, "3000.00"),
    ("Forrer Kari", "FOR", 10100, "5000.00"),
    ("Looser Beat", "LOO", 6600, "3000.00"),
    ("Scherrer Jakob", "SCH", 11800, "5000.00"),
    ("Grob Ernst", "GRO", 7900, "3000.00"),
    ("Rutz Martin", "RUT", 9300, "5000.00"),
]
CUSTOMERS = [  # name, bank text, currency, every n weeks, low, high
    ("Coop Genossenschaft", "COOP GENOSSENSCHAFT BASEL", "CHF", 2, 4200, 9800),
    ("Volg Konsumwaren AG", "VOLG KONSUMWAREN AG", "CHF", 2, 1400, 3600),
    ("Chäsi Lichtensteig", "CHAESI LICHTENSTEIG", "CHF", 4, 600, 1900),
    ("Landi Toggenburg", "LANDI TOGGENBURG AG", "CHF", 4, 900, 2400),
    ("Formaggi Bianchi Srl", "FORMAGGI BIANCHI SRL", "EUR", 2, 3800, 8200),
    ("Käsehaus Allgäu GmbH", "KAESEHAUS ALLGAEU GMBH", "EUR", 4, 2500, 5600),
]
SUPPLIERS = [  # name, short, bank text, account, low, high, every n months
    (
        "St.Gallisch-Appenzellische Kraftwerke AG",
        "SAK",
        "SAK ST.GALLEN",
        "Aufwand:Energie",
        1800,
        3400,
        1,
    ),
    ("Suisselab AG", "Suisselab", "SUISSELAB AG ZOLLIKOFEN", "Aufwand:Labor", 380, 920, 1),
    (
        "Verpackungen Gossau AG",
        "Verpackungen Gossau",
        "VERPACKUNGEN GOSSAU",
        "Aufwand:Verpackung",
        1200,
        4200,
        2,
    ),
    ("Garage Bösch", "Garage Bösch", "GARAGE BOESCH EBNAT", "Aufwand:Fahrzeug", 300, 1600, 3),
]
STAFF = [
    ("Meier Reto", "LOHN MEIER RETO", "6200.00", "5412.30"),
    ("Keller Dario", "LOHN KELLER DARIO", "6200.00", "5412.30"),
    ("Zünd Lea", "LOHN ZUEND LEA", "4300.00", "3758.95"),
    ("Ammann Noah", "LOHN AMMANN NOAH", "1350.00", "1219.40"),
]


def ofxid(account: str, fitid: str) -> str:
    return f"700.CH93007001100{'0001' if account == ZKB else '0002'}4711.{fitid}"


class Alpwiese:
    def __init__(self):
        self.rng = random.Random(9630)
        self.b = Book("alpwiese", "CHF", "Käserei Alpwiese GmbH")
        self.b.file_options = list(ROOTS)
        self.seq = 0
        self.milk, self.advances, self.settles = [], [], []
        self.invoices, self.receipts, self.sweeps, self.rebates = [], {}, [], []
        self.bills, self.bill_pays, self.salaries, self.fees = [], {}, [], []

    def amt(self, lo, hi, step=5) -> Decimal:
        return money(Decimal(self.rng.randrange(lo * 100, hi * 100, step)) / 100)

    def imp(self, day, account, payee, narration, amount, *others, text, currency="", **kw):
        """A line of a ZKB account as ledger-autosync imports it from the OFX download."""
        self.seq += 1
        fitid = f"{day:%Y%m%d}{self.seq:05d}"
        return self.b.tx(
            day,
            payee,
            narration,
            (account, amount, currency),
            *others,
            meta={"ofxid": ofxid(account, fitid)},
            file=CHF_FILE if account == ZKB else EUR_FILE,
            lines={account: {"text": text, "id": fitid}},
            **kw,
        )

    def build(self) -> Book:
        b = self.b
        day0 = date(2024, 12, 31)
        b.open(day0, ZKB, DEB, VORST, KRED, MILCH, MWST, SOZ, "Aktiven:Anlagen")
        b.open(day0, ZEUR, currencies="EUR")
        b.open(day0, "Eigenkapital:Eroeffnung", "Eigenkapital:Gewinnvortrag")
        for acct in ("Ertrag:Kaese:Inland", "Ertrag:Kaese:Export", REBATE, "Ertrag:Kursgewinne"):
            b.open(day0, acct)
        for acct in (
            "Milch",
            "Energie",
            "Labor",
            "Verpackung",
            "Fahrzeug",
            "Loehne",
            "Sozialversicherung",
            "Bankspesen",
            "Unkategorisiert",
        ):
            b.open(day0, f"Aufwand:{acct}")
        b.tx(
            date(2025, 1, 1),
            "",
            "Eröffnungsbilanz",
            (ZKB, "164300.00"),
            (ZEUR, "12400.00", "EUR", "@ 0.9420 CHF"),
            (SOZ, "-21480.00"),
            ("Eigenkapital:Eroeffnung", None),
            file=SALES_FILE,
            lines={ZKB: None, ZEUR: None},
        )
        self.farmers()
        self.sales()
        self.costs()
        return b

    def farmers(self):
        b = self.b
        for month in month_starts(START, 12):
            nxt = (month + timedelta(days=32)).replace(day=1)
            for name, code, kg, adv in FARMERS:
                adv = Decimal(adv)
                a = self.imp(
                    next_weekday(month.replace(day=25), 0),
                    ZKB,
                    name,
                    f"Akonto Milchgeld {MONATE[month.month - 1]}",
                    -adv,
                    (MILCH, adv),
                    text=f"AKONTO MILCHGELD {name.upper()}",
                )
                a.farmer = code
                self.advances.append(a)
                if nxt > END:
                    continue
                got = kg + self.rng.randrange(-900, 900, 10)
                gross = money(Decimal(got) * Decimal("0.8150"))
                s = b.tx(
                    nxt.replace(day=5),
                    name,
                    f"Milchabrechnung {MONATE[month.month - 1]} - {got:,} kg".replace(",", "'"),
                    ("Aufwand:Milch", gross),
                    (MILCH, -gross),
                    meta={"abrechnung": f"MA-{month:%y%m}-{code}"},
                    file=MILK_FILE,
                )
                s.farmer, s.kg, s.advance = code, got, a
                self.milk.append(s)
                rest = gross - adv
                p = self.imp(
                    next_weekday(nxt.replace(day=10), 0),
                    ZKB,
                    name,
                    f"Milchgeld {MONATE[month.month - 1]} Restzahlung",
                    -rest,
                    (MILCH, rest),
                    text=f"MILCHGELD {MONATE[month.month - 1].upper()} {name.upper()}",
                )
                p.farmer, s.settle = code, p
                self.settles.append(p)

    def invoice(self, day, customer, gross, number, narration=""):
        name, _text, cur, _, _, _ = customer
        if cur == "CHF":
            vat = money(gross * Decimal("0.026") / Decimal("1.026"))
            posts = [(DEB, gross), ("Ertrag:Kaese:Inland", vat - gross), (MWST, -vat)]
        else:
            posts = [(DEB, gross, "EUR"), ("Ertrag:Kaese:Export", -gross, "EUR")]
        inv = self.b.tx(
            day,
            name,
            narration or f"Rechnung {number} - Käse",
            *posts,
            meta={"invoice": number},
            file=SALES_FILE,
        )
        inv.customer, inv.gross, inv.cur = customer, gross, cur
        self.invoices.append(inv)
        return inv

    def receive(self, day, inv, amount=None, narration=""):
        name, text, cur, *_ = inv.customer
        amount = inv.gross if amount is None else amount
        number = inv.meta["invoice"]
        acct = ZKB if cur == "CHF" else ZEUR
        r = self.imp(
            day,
            acct,
            name,
            narration or f"Zahlung {number}",
            amount,
            (DEB, -amount, cur if cur == "EUR" else ""),
            currency=cur if cur == "EUR" else "",
            text=f"GUTSCHRIFT {text} {number.replace('-', '')}",
        )
        self.receipts.setdefault(id(inv), []).append(r)
        return r

    def sales(self):
        number = 0
        for week, monday in enumerate(month_starts_weeks()):
            for customer in CUSTOMERS:
                if week % customer[3]:
                    continue
                number += 1
                day = monday + timedelta(days=self.rng.randint(0, 4))
                gross = self.amt(customer[4], customer[5])
                inv = self.invoice(day, customer, gross, f"R-25-{number:04d}")
                paid = next_weekday(day, self.rng.randint(24, 40))
                if paid <= END:
                    self.receive(paid, inv)
        for month in month_starts(START, 12):
            day = next_weekday(month.replace(day=27), 0)
            eur = sum(
                (
                    r.on(ZEUR)
                    for rs in self.receipts.values()
                    for r in rs
                    if r.date.month == month.month
                ),
                Decimal(0),
            )
            if eur < 1000:
                continue
            rate = Decimal(self.rng.randrange(9320, 9560)) / 10000
            chf = money(eur * rate)
            s = self.imp(
                day,
                ZKB,
                "ZKB",
                f"Devisen EUR {eur} zu {rate}",
                chf,
                (ZEUR, -eur, "EUR", f"@@ {chf} CHF"),
                text="DEVISENHANDEL EUR/CHF",
            )
            s.lines[ZEUR] = {"text": "DEVISENHANDEL EUR/CHF", "id": s.lines[ZKB]["id"] + "E"}
            self.sweeps.append(s)
        for q, end in enumerate(
            (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31)), 1
        ):
            sold = sum(
                (
                    i.gross
                    for i in self.invoices
                    if i.customer[0].startswith("Coop")
                    and (end.month - 3) < i.date.month <= end.month
                ),
                Decimal(0),
            )
            bonus = money(sold * Decimal("0.03"))
            cn = self.b.tx(
                end,
                "Coop Genossenschaft",
                f"Gutschrift Quartalsbonus Q{q} (3%)",
                (REBATE, bonus),
                (DEB, -bonus),
                meta={"invoice": f"GS-25-Q{q}"},
                file=SALES_FILE,
            )
            self.rebates.append(cn)
            if q < 4:
                pay = self.imp(
                    next_weekday(end, 10),
                    ZKB,
                    "Coop Genossenschaft",
                    f"Auszahlung Quartalsbonus Q{q}",
                    -bonus,
                    (DEB, bonus),
                    text="ZAHLUNG COOP GENOSSENSCHAFT BONUS",
                )
                cn.paid = pay

    def costs(self):
        b = self.b
        number = {s[0]: 1000 + 3000 * i for i, s in enumerate(SUPPLIERS)}
        for month in month_starts(START, 12):
            for supplier in SUPPLIERS:
                if (month.month - 1) % supplier[6]:
                    continue
                number[supplier[0]] += self.rng.randint(5, 60)
                self.bill(
                    month + timedelta(days=self.rng.randint(2, 20)),
                    supplier,
                    str(number[supplier[0]]),
                    self.amt(supplier[4], supplier[5]),
                )
            pays = []
            for name, text, gross, net in STAFF:
                pays.append(
                    self.imp(
                        next_weekday(month.replace(day=24), 0),
                        ZKB,
                        name,
                        f"Lohn {MONATE[month.month - 1]}",
                        -Decimal(net),
                        ("Aufwand:Loehne", Decimal(gross)),
                        (SOZ, Decimal(net) - Decimal(gross)),
                        text=text,
                    )
                )
            self.salaries.append(pays)
            self.fees.append(
                self.imp(
                    month.replace(day=28) if month.month != 2 else month.replace(day=27),
                    ZKB,
                    "ZKB",
                    "Kontoführung",
                    "-12.00",
                    ("Aufwand:Bankspesen", "12.00"),
                    text="SPESEN KONTOFUEHRUNG",
                )
            )
            if month.month in (4, 7, 10):
                q0 = month.replace(month=month.month - 3)
                owed = [
                    -sum(
                        (
                            p.amount
                            for t in b.txns
                            if q0 <= t.date < month
                            for p in t.postings
                            if p.account == acct
                        ),
                        Decimal(0),
                    )
                    for acct in (MWST, VORST)
                ]
                self.imp(
                    month.replace(day=30),
                    ZKB,
                    "Eidg. Steuerverwaltung",
                    f"MWST {q0:%m}-{month.month - 1:02d}/2025",
                    -(owed[0] + owed[1]),
                    (MWST, owed[0]),
                    (VORST, owed[1]),
                    text="ESTV MWST ABRECHNUNG",
                )
                soz = money(
                    sum((Decimal(g) for _, _, g, _ in STAFF), Decimal(0)) * 3 * Decimal("0.128")
                )
                self.imp(
                    next_weekday(month.replace(day=10), 0),
                    ZKB,
                    "SVA St. Gallen",
                    "AHV/IV/EO Quartal",
                    -soz,
                    (SOZ, soz),
                    text="SVA ST.GALLEN AHV",
                )

    def bill(self, day, supplier, number, gross, **kw):
        name, _short, text, account, *_ = supplier
        vat = money(gross * Decimal("0.081") / Decimal("1.081"))
        qr = f"{self.rng.randrange(10**25, 10**26)}{self.rng.randrange(10)}"
        bill = self.b.tx(
            day,
            name,
            f"Rechnung {number}",
            (account, gross - vat),
            (VORST, vat),
            (KRED, -gross),
            meta={"invoice": number, "qr_ref": qr},
            file=BILLS_FILE,
            **kw,
        )
        bill.supplier = supplier
        self.bills.append(bill)
        paid = next_weekday(day, 30)
        if paid <= END:
            self.bill_pays[id(bill)] = self.imp(
                paid,
                ZKB,
                name,
                f"QR-Zahlung Rechnung {number}",
                -gross,
                (KRED, gross),
                text=f"QR-ZAHLUNG {text}",
            )
        return bill


def month_starts_weeks():
    day = date(2025, 1, 6)
    while day <= date(2025, 12, 15):
        yield day
        day += timedelta(days=7)
