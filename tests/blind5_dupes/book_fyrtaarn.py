"""Salon Fyrtårn ApS, Aarhus: a hair salon's 2025, typed entirely by hand (DKK, renamed roots).

No importer: the bookkeeper types the daily Z-report from the booking system, the bank from
Danske Bank's netbank, the Mastercard from receipts, bills from the wholesalers' invoices.
Every entry carries its voucher number (`bilag`), one per entry, copies included: it says
nothing about which entries are one movement. Three self-employed stylists rent a chair
(stolleje) on a monthly invoice. Danish wording throughout.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from core import Book, days, money, months

BANK = "Aktiver:Bank:Danske"
SAVE = "Aktiver:Bank:Opsparing"
KASSE = "Aktiver:Kasse"
NETS = "Aktiver:Clearing:Nets"
MP = "Aktiver:Clearing:MobilePay"
DEB = "Aktiver:Debitorer"
KRED = "Passiver:Kreditorer"
KORT = "Passiver:Kort:Mastercard"
MOMS = "Passiver:Moms"
GAVE = "Passiver:Gavekort"
NETTO = "Passiver:Loen:Netto"
ASKAT = "Passiver:Loen:Skat"
ATP = "Passiver:Loen:ATP"

DAG = "ledgers/2025-dagskasse.beancount"
BANKF = "ledgers/2025-bank.beancount"
KORTF = "ledgers/2025-kort.beancount"
BILAG = "ledgers/2025-bilag.beancount"
OPTIONS = [
    'option "name_assets" "Aktiver"',
    'option "name_liabilities" "Passiver"',
    'option "name_equity" "Egenkapital"',
    'option "name_income" "Indtaegter"',
    'option "name_expenses" "Udgifter"',
]
START, END = date(2025, 1, 1), date(2025, 12, 31)
ACCOUNTS = [
    BANK, SAVE, KASSE, NETS, MP, DEB, KRED, KORT, MOMS, GAVE, NETTO, ASKAT, ATP,
    "Egenkapital:Primo", "Indtaegter:Behandlinger", "Indtaegter:Produkter",
    "Indtaegter:Stolleje", "Indtaegter:Renter", "Udgifter:Varekoeb", "Udgifter:Forbrug",
    "Udgifter:Husleje", "Udgifter:El", "Udgifter:Loen", "Udgifter:Gebyrer",
    "Udgifter:Software", "Udgifter:Forsikring", "Udgifter:Inventar", "Udgifter:Kontor",
    "Udgifter:Personale", "Udgifter:Musik", "Udgifter:Reparation", "Udgifter:Kurser",
    "Udgifter:Diverse",
]  # fmt: skip
HOLIDAYS = {date(2025, 1, 1), date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 21),
            date(2025, 5, 29), date(2025, 6, 5), date(2025, 6, 9), date(2025, 12, 24),
            date(2025, 12, 25), date(2025, 12, 26), date(2025, 12, 31)}  # fmt: skip
RENTERS = [("Mette Holm", "MHOLM"), ("Line Brandt", "LINE B"), ("Sofie Dahl", "S DAHL")]
STAFF = [("Anna Kjær", "22480.00"), ("Jonas Friis", "21950.00"), ("Emma Lund", "9840.00"),
         ("Freja Møller", "9840.00")]  # fmt: skip
SHOPS = [  # payee typed from the receipt, the card's text, account, low, high
    ("Matas", "MATAS 0123 AARHUS C", "Udgifter:Forbrug", 60, 420),
    ("Netto", "NETTO 7788 AARHUS", "Udgifter:Personale", 35, 260),
    ("Bilka", "BILKA TILST", "Udgifter:Forbrug", 120, 900),
    ("Føtex", "FOETEX VESTERGADE", "Udgifter:Personale", 40, 310),
    ("Power", "POWER AARHUS NORD", "Udgifter:Inventar", 299, 1800),
    ("IKEA", "IKEA AARHUS", "Udgifter:Inventar", 150, 1400),
    ("Staples", "STAPLES DK", "Udgifter:Kontor", 80, 600),
]
VENDORS = [  # name, bank's text, first number, cadence days, low, high
    ("Frisørgrossisten A/S", "FRISOERGROSSISTEN A/S", 20810, 14, 1800, 9200),
    ("L'Oréal Danmark A/S", "LOREAL DANMARK", 9930412, 30, 3400, 8800),
    ("Hairtools ApS", "HAIRTOOLS APS", 5120, 45, 600, 3200),
]


def business(d: date) -> date:
    """The day itself or the next day Danish banks are open."""
    while d.weekday() >= 5 or d in HOLIDAYS:
        d += days(1)
    return d


def next_business_day(d: date, n: int = 1) -> date:
    for _ in range(n):
        d = business(d + days(1))
    return d


class Fyrtaarn:
    def __init__(self, seed: int = 8000):
        self.rng = random.Random(seed)
        self.b = Book("fyrtaarn", "DKK")
        self.z = 1380
        self.takings, self.settles, self.payouts, self.deposits = [], [], [], []
        self.rent_invoices, self.rent_paid, self.bills, self.bill_pays = [], [], [], []
        self.card, self.card_pays, self.saves, self.payroll, self.netpays = [], [], [], [], []
        self.taxes, self.other = [], []

    def amt(self, lo, hi) -> Decimal:
        return Decimal(self.rng.randint(int(lo * 100), int(hi * 100))) / 100

    def bank(self, when, payee, narration, legs, text, file=BANKF, **kw):
        return self.b.add(when, payee, narration, legs, file, bank_text=text, **kw)

    def build(self) -> Book:
        b = self.b
        for account in ACCOUNTS:
            b.open(START, account)
        b.add(START, "Primo", "Åbningsbalance 1. januar 2025",
              [(BANK, "148320.55"), (SAVE, "60000.00"), (KASSE, "2000.00"),
               ("Egenkapital:Primo", None)], BILAG, no_line=True)  # fmt: skip
        self.days_takings()
        self.booth_rent()
        self.suppliers()
        self.card_year()
        self.wages()
        self.regulars()
        return b

    def days_takings(self):
        rng = self.rng
        d = START
        week_cash = Decimal(0)
        week_mp = Decimal(0)
        while d <= END:
            if d == business(d) and (
                d.weekday() == 0 or (d - days(1) in HOLIDAYS and d.weekday() == 1)
            ):
                # the first bank day of the week: the week's cash banked, MobilePay paid out
                if week_cash:
                    t = self.bank(d, "Danske Bank", "Indbetaling kontanter",
                                  [(BANK, week_cash), (KASSE, -week_cash)],
                                  "INDBETALING KONTANT")  # fmt: skip
                    self.deposits.append(t)
                if week_mp:
                    fee = money(week_mp * Decimal("0.0075"))
                    week = (d - days(1)).isocalendar()[1]
                    legs = [(BANK, week_mp - fee), ("Udgifter:Gebyrer", fee), (MP, -week_mp)]
                    text = f"MOBILEPAY MYSHOP {rng.randint(100000, 999999)}"
                    t = self.bank(d, "MobilePay", f"MobilePay udbetaling uge {week}", legs, text)
                    self.payouts.append(t)
                week_cash = week_mp = Decimal(0)
            summer = d.month == 7 and 7 <= d.day <= 27
            if 1 <= d.weekday() <= 5 and not summer and d not in HOLIDAYS:
                cash, mp = self.one_day(d)
                week_cash += cash
                week_mp += mp
            d += days(1)

    def one_day(self, d, file=DAG):
        rng = self.rng
        services = self.amt(4800, 14500 if d.weekday() in (4, 5) else 11000)
        products = self.amt(180, 1900)
        sold = Decimal(rng.choice([0, 0, 0, 0, 500, 300, 1000]))
        redeemed = Decimal(rng.choice([0, 0, 0, 0, 0, 400, 650]))
        total = services + products + sold - redeemed
        card = money(total * Decimal("0.71"))
        mp = money(total * Decimal(rng.choice(["0.15", "0.17", "0.19"])))
        cash = total - card - mp
        s_net, p_net = money(services * Decimal("0.8")), money(products * Decimal("0.8"))
        vat = services + products - s_net - p_net
        self.z += 1
        legs = [(NETS, card), (MP, mp), (KASSE, cash)]
        if sold - redeemed:
            legs.append((GAVE, redeemed - sold))
        legs += [("Indtaegter:Behandlinger", -s_net), ("Indtaegter:Produkter", -p_net),
                 (MOMS, -vat)]  # fmt: skip
        t = self.b.add(d, "Salonbook", f"Z-rapport nr. {self.z}", legs, file)
        self.takings.append(t)
        paid = next_business_day(d, 2)
        if paid <= END:
            fee = money(card * Decimal("0.0095"))
            s = self.bank(paid, "Nets", f"Kortafregning {d:%d.%m}",
                          [(BANK, card - fee), ("Udgifter:Gebyrer", fee), (NETS, -card)],
                          "NETS 0417733 UDB.")  # fmt: skip
            self.settles.append(s)
        return cash, mp

    def booth_rent(self):
        rng = self.rng
        n = 0
        for y, m in months(START, 12):
            first = date(y, m, 1)
            for name, text in RENTERS:
                n += 1
                inv = self.b.add(first, name, f"Stolleje {first:%m.%Y} faktura {y}-{n:03d}",
                                 [(DEB, "9375.00"), ("Indtaegter:Stolleje", "-7500.00"),
                                  (MOMS, "-1875.00")], BILAG)  # fmt: skip
                self.rent_invoices.append(inv)
                paid = (
                    business(first)
                    if rng.random() < 0.8
                    else business(first + days(rng.randint(2, 6)))
                )
                t = self.bank(paid, name, f"Stolleje {first:%m.%Y}",
                              [(BANK, "9375.00"), (DEB, "-9375.00")],
                              f"OVERFØRSEL {text}")  # fmt: skip
                self.rent_paid.append(t)

    def bill(self, when, vendor, number, gross, account="Udgifter:Varekoeb", narration=None):
        vat = money(gross * Decimal("0.2"))
        t = self.b.add(
            when,
            vendor,
            narration or f"Faktura {number}",
            [(account, gross - vat), (MOMS, vat), (KRED, -gross)],
            BILAG,
        )
        self.bills.append(t)
        return t

    def pay(self, when, vendor, text, narration, amount):
        t = self.bank(when, vendor, narration, [(BANK, -amount), (KRED, amount)], text)
        self.bill_pays.append(t)
        return t

    def suppliers(self):
        rng = self.rng
        for vendor, text, number, cadence, lo, hi in VENDORS:
            d = START + days(rng.randint(2, 10))
            while d <= END - days(35):
                d = business(d)
                number += rng.randint(3, 90)
                gross = self.amt(lo, hi)
                bill = self.bill(d, vendor, number, gross)
                due = business(d + days(30))
                p = self.pay(due, vendor, text, f"Betaling faktura {number}", gross)
                bill.extra["paid_by"] = p
                d += days(cadence + rng.randint(-3, 3))

    def card_line(self, when, shop, text, account, amount, narration, file=KORTF, copy=False):
        return self.b.add(
            when,
            shop,
            narration,
            [(account, amount), (KORT, -amount)],
            file,
            bank_text=text,
            copy=copy,
            extra={"posted": when + days(1 + (when.weekday() == 4) * 2)},
        )

    def card_year(self):
        rng = self.rng
        words = {"Matas": ["shampoo og balsam", "vatrondeller", "handcreme"],
                 "Netto": ["kaffe og mælk", "kage til personalemøde", "frugt"],
                 "Bilka": ["håndklæder", "rengøringsmidler", "papirruller"],
                 "Føtex": ["kaffebønner", "mælk og te"], "Power": ["føntørrer", "glattejern"],
                 "IKEA": ["reol til lager", "spejl", "opbevaringskasser"],
                 "Staples": ["kvitteringsruller", "printerpapir"]}  # fmt: skip
        for y, m in months(START, 12):
            total = Decimal(0)
            for _ in range(rng.randint(5, 8)):
                when = date(y, m, rng.randint(1, 27))
                shop, text, account, lo, hi = rng.choice(SHOPS)
                t = self.card_line(when, shop, text, account, self.amt(lo, hi),
                                   rng.choice(words[shop]))  # fmt: skip
                self.card.append(t)
                total += t.amount_on(KORT)
            salonbook = self.card_line(
                date(y, m, 2),
                "Salonbook",
                "SALONBOOK.DK",
                "Udgifter:Software",
                Decimal("649.00"),
                "Abonnement",
            )
            self.other.append(salonbook)
            total -= Decimal("649.00")
            if m < 12:
                when = business(date(y, m + 1, 5))
                t = self.bank(when, "Danske Bank", f"Mastercard {date(y, m, 1):%m.%Y}",
                              [(BANK, total), (KORT, -total)], "BETALING MASTERCARD")  # fmt: skip
                t.extra["texts"] = {KORT: "INDBETALING - TAK"}
                self.card_pays.append(t)

    def wages(self):
        for y, m in months(START, 12):
            last = business(date(y, m, 26))
            gross_all = tax_all = atp_all = net_all = Decimal(0)
            for name, net in STAFF:
                net = Decimal(net) + (
                    Decimal("1200.00") if (m == 12 and name == "Anna Kjær") else 0
                )
                tax = money(net * Decimal("0.52"))
                atp = Decimal("99.00") if Decimal(net) > 15000 else Decimal("66.00")
                gross_all += net + tax + atp
                tax_all += tax
                atp_all += atp
                net_all += net
                legs = [(BANK, -net), (NETTO, net)]
                t = self.bank(last, name, f"Løn {date(y, m, 1):%m.%Y}", legs, f"LØN {name.upper()}")
                self.netpays.append(t)
            j = self.b.add(last - days(1), "Danløn", f"Lønkørsel {date(y, m, 1):%m.%Y}",
                           [("Udgifter:Loen", gross_all), (ASKAT, -tax_all), (ATP, -atp_all),
                            (NETTO, -net_all)], BILAG)  # fmt: skip
            self.payroll.append(j)
            when = business(date(y + (m == 12), m % 12 + 1, 10))
            if when <= END:
                t = self.bank(when, "Skattestyrelsen", f"A-skat og AM-bidrag {date(y, m, 1):%m.%Y}",
                              [(BANK, -(tax_all + atp_all)), (ASKAT, tax_all), (ATP, atp_all)],
                              "SKAT ANGIVELSE")  # fmt: skip
                self.taxes.append(t)

    def regulars(self):
        for y, m in months(START, 12):
            first = date(y, m, 1)
            rent = self.bank(business(first), "Ejendomsselskabet Vestergade ApS",
                             f"Husleje {first:%m.%Y}", [(BANK, "-18750.00"),
                             ("Udgifter:Husleje", "15000.00"), (MOMS, "3750.00")],
                             "BS HUSLEJE VESTERGADE")  # fmt: skip
            self.other.append(rent)
            fee = self.bank(
                business(date(y, m, 28)),
                "Danske Bank",
                "Gebyr",
                [(BANK, "-145.00"), ("Udgifter:Gebyrer", "145.00")],
                "GEBYR",
            )
            self.other.append(fee)
            save = self.bank(
                business(date(y, m, 15)),
                "Salon Fyrtårn",
                "Overførsel til opsparing",
                [(BANK, "-10000.00"), (SAVE, "10000.00")],
                "OVF. TIL OPSPARING",
            )
            save.extra["texts"] = {SAVE: "OVF. FRA DRIFTSKONTO"}
            self.saves.append(save)
            if m % 3 == 1:
                el = self.bank(business(first + days(9)), "Norlys", "El a conto kvartal",
                               [(BANK, "-4280.00"), ("Udgifter:El", "3424.00"), (MOMS, "856.00")],
                               "BS NORLYS")  # fmt: skip
                ins = self.bank(
                    business(first + days(14)),
                    "Tryg",
                    "Erhvervsforsikring kvartal",
                    [(BANK, "-2915.00"), ("Udgifter:Forsikring", "2915.00")],
                    "BS TRYG",
                )
                self.other += [el, ins]
            if m % 3 == 0:
                vat = self.amt(38000, 52000)
                when = business(date(y + (m == 12), m % 12 + 1, 1) + days(vat_delay(m)))
                if when <= END:
                    t = self.bank(
                        when,
                        "Skattestyrelsen",
                        f"Moms {m // 3}. kvartal",
                        [(BANK, -vat), (MOMS, vat)],
                        "SKAT MOMS",
                    )
                    self.taxes.append(t)
        interest = self.bank(date(2025, 12, 31), "Danske Bank", "Renter", [(SAVE, "412.18"),
                             ("Indtaegter:Renter", "-412.18")], "RENTER")  # fmt: skip
        self.other.append(interest)
        koda = self.bank(date(2025, 2, 14), "Koda", "Musiklicens 2025", [(BANK, "-3120.00"),
                         ("Udgifter:Musik", "2496.00"), (MOMS, "624.00")], "KODA")  # fmt: skip
        self.other.append(koda)
        for d in range(0, 50):
            when = business(date(2025, 1, 7) + days(7 * d + 3))
            if when > END or (when.month == 7 and when.day > 6 and when.day < 28):
                continue
            amount = self.amt(40, 180)
            self.b.add(
                when,
                "Kasse",
                "Mælk og kaffe fra kassen",
                [("Udgifter:Personale", amount), (KASSE, -amount)],
                BILAG,
            )


def vat_delay(m: int) -> int:
    """VAT falls due on the 1st of the third month after the quarter; here its first days."""
    return {3: 60, 6: 66, 9: 60, 12: 0}[m]


def number_vouchers(book: Book) -> None:
    """The voucher number the bookkeeper writes on each entry, in the order of the year."""
    for n, txn in enumerate(sorted(book.txns, key=lambda t: (t.date, t.file, t.seq)), 1):
        txn.meta = {"bilag": n, **txn.meta}
