"""Nordhem Fastighetsförvaltning AB, Uppsala: SEK, 2025. A property manager.

Four owners' buildings (37 flats): tenants pay rent by bankgiro with an OCR number into the
client-funds account (klientmedel), read from Bankgirot's BgMax files (one entry a day, a
posting per tenant, the file's serial in `bgmax`); deposits held for the owners; contractors'
invoices for the buildings booked against each owner's funds (some e-invoices from Pagero with
`pagero_id`) and paid by bankgiro from klientmedel; a monthly management fee (förvaltnings-
arvode, 25% moms) and own work recharged; a monthly owner statement (avräkning) and payment.
The company's own account (företagskonto) is imported by a script from SEB's CSV
(`verifikationsnummer`, the bank's voucher number); klientmedel is typed by hand from
BgMax, the payment lists and SEB's PDF statement.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core import Book, money, month_starts, next_weekday

OPB = "Assets:Bank:SEB:Foretagskonto"
KLB = "Assets:Bank:SEB:Klientmedel"
DEP = "Liabilities:Depositioner"
AP = "Liabilities:Leverantorsskulder"
MOMS = "Liabilities:Moms"
SKATT = "Liabilities:Personal:Skatt"
AGA = "Liabilities:Personal:Arbetsgivaravgift"
FEE = "Income:Forvaltningsarvode"
RECH = "Income:Vidarefakturering"
UNCAT = "Expenses:Okategoriserat"

START, END = date(2025, 1, 1), date(2025, 12, 31)
FORETAG = "ledgers/seb-foretag.beancount"
KLIENT = "ledgers/klientmedel.beancount"
BGMAX = "ledgers/bgmax.beancount"
LEV = "ledgers/leverantorer.beancount"
FORV = "ledgers/forvaltning.beancount"

OWNERS = [  # key, name, bank text, flats, fixed monthly remittance or None
    ("Ekholm", "Ekholm Fastigheter AB", "EKHOLM FASTIGHETER", 12, None),
    ("Wiklund", "Familjen Wiklund", "WIKLUND ANDERS", 7, None),
    ("Kvarnbacken", "Kvarnbacken KB", "KVARNBACKEN KB", 8, Decimal("62500.00")),
    ("Lindgren", "Lindgren Invest AB", "LINDGREN INVEST", 10, None),
]
SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Mohammed",
    "Olofsson",
    "Lindqvist",
    "Axelsson",
    "Berg",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Danielsson",
]
VENDORS = [  # name, short, bank text, low, high
    ("Uppsala Rör & Värme AB", "Uppsala Rör", "UPPSALA ROR O VARME", 1800, 24000),
    ("Fyrisåns Elservice AB", "Fyrisåns El", "FYRISANS ELSERVICE", 1200, 16000),
    ("Låssmeden i Uppsala AB", "Låssmeden", "LASSMEDEN I UPPSALA", 650, 5200),
    ("Svensk Markservice AB", "Markservice", "SVENSK MARKSERVICE", 2400, 14000),
    ("Målerifirman Gränby", "Gränby Måleri", "MALERIFIRMAN GRANBY", 3500, 38000),
]
STAFF = [
    ("Maria Nordhem", "LON M NORDHEM", "46500", "33120.00"),
    ("Johan Ek", "LON J EK", "36200", "27840.00"),
    ("Ali Hassan", "LON A HASSAN", "36200", "27840.00"),
]
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def owner_acct(key: str) -> str:
    return f"Liabilities:Klientmedel:{key}"


class Nordhem:
    def __init__(self):
        self.rng = random.Random(7511)
        self.b = Book("nordhem", "SEK", "Nordhem Fastighetsförvaltning AB")
        self.verifs: set[str] = set()
        self.tenants = []
        self.batches, self.fees, self.fee_moves, self.remits = [], [], [], []
        self.bills, self.pays, self.recharges, self.salaries = [], {}, [], []
        self.deposits_in, self.deposits_out, self.monthly, self.cleaning = [], [], {}, []
        self.payplans = []

    def amt(self, lo, hi, step=1) -> Decimal:
        return money(self.rng.randrange(int(lo), int(hi), step))

    def verif(self) -> str:
        while True:
            v = str(self.rng.randrange(5400000000, 5499999999))
            if v not in self.verifs:
                self.verifs.add(v)
                return v

    def imp(self, day, payee, narration, amount, *others, text, **kw):
        """A line of the företagskonto as the script imports it."""
        v = self.verif()
        return self.b.tx(
            day,
            payee,
            narration,
            (OPB, amount),
            *others,
            meta={"verifikationsnummer": v},
            file=FORETAG,
            lines={OPB: {"text": text, "id": v}},
            **kw,
        )

    def klient(self, day, payee, narration, amount, *others, text, file=KLIENT, **kw):
        """A klientmedel line typed from the bank's PDF or a payment list."""
        return self.b.tx(
            day,
            payee,
            narration,
            (KLB, amount),
            *others,
            file=file,
            lines={KLB: {"text": text}},
            **kw,
        )

    def build(self) -> Book:
        b = self.b
        day0 = date(2024, 12, 31)
        b.open(day0, OPB, KLB, DEP, AP, MOMS, SKATT, AGA, currencies="SEK")
        b.open(day0, *(owner_acct(k) for k, *_ in OWNERS), currencies="SEK")
        b.open(day0, "Equity:Ingaende", "Equity:Balanserat", FEE, RECH, "Income:Ranta")
        for acct in (
            "Lokalhyra",
            "Programvara",
            "Telefon",
            "Loner",
            "Arbetsgivaravgifter",
            "Bankavgifter",
            "Bil",
            "Kontor",
            "Okategoriserat",
        ):
            b.open(day0, f"Expenses:{acct}")
        opening = [
            (OPB, "186420.00"),
            (KLB, "412880.00"),
            (DEP, "-298400.00"),
            (SKATT, "-38210.00"),
            (AGA, "-33514.00"),
        ]
        owners_share = Decimal("412880.00") - Decimal("298400.00")
        for key, *_ in OWNERS:
            opening.append((owner_acct(key), -money(owners_share / 4)))
        b.tx(
            date(2025, 1, 1),
            "",
            "Ingående balanser",
            *opening,
            ("Equity:Ingaende", None),
            file=FORV,
            lines={OPB: None, KLB: None},
        )
        self.make_tenants()
        self.rents()
        self.contractors()
        self.management()
        self.company()
        return b

    def make_tenants(self):
        names = iter(SURNAMES)
        for key, _, _, flats, _ in OWNERS:
            stair = {"Ekholm": 11, "Wiklund": 21, "Kvarnbacken": 31, "Lindgren": 41}[key]
            for i in range(flats):
                flat = f"{stair}{(i // 4) + 1}{(i % 4) + 1:01d}"
                rent = money(self.rng.randrange(78, 142) * 100 + self.rng.choice((0, 50)))
                ocr = f"{key[:2].upper()}{flat}"
                number = str(int.from_bytes(ocr.encode(), "big") % 10**9).zfill(9)
                self.tenants.append(
                    {
                        "owner": key,
                        "flat": flat,
                        "name": next(names),
                        "rent": rent,
                        "ocr": number + str(len(self.tenants) % 10),
                    }
                )
        # two tenants in Lindgren's building on identical rents
        self.tenants[-2]["rent"] = self.tenants[-1]["rent"] = Decimal("9850.00")

    def rents(self):
        serial = 0
        for month in month_starts(START, 12):
            due = month - timedelta(days=1)
            days = {}
            for t in self.tenants:
                day = due + timedelta(days=self.rng.choice((-4, -3, -1, 0, 0, 0, 1, 2)))
                if day < START:
                    day = START + timedelta(days=self.rng.randint(1, 5))
                day = next_weekday(day, 0)
                days.setdefault(day, []).append(t)
            for day in sorted(days):
                serial += 1
                self.batch(day, days[day], f"BGM{day:%y%m%d}-{serial:03d}", MONTHS[month.month - 1])

    def batch(self, day, tenants, serial, month_name):
        posts = [
            (
                owner_acct(t["owner"]),
                -t["rent"],
                "",
                "",
                {"ocr": t["ocr"], "hyresgast": f"{t['name']} lgh {t['flat']}"},
            )
            for t in tenants
        ]
        total = sum((t["rent"] for t in tenants), Decimal(0))
        txn = self.klient(
            day,
            "Bankgirot",
            f"BgMax inbetalningar hyra {month_name} ({len(tenants)} st)",
            total,
            *posts,
            meta={"bgmax": serial},
            text=f"BG INBET 5050-1055 {len(tenants)} ST",
            file=BGMAX,
        )
        txn.tenants = tenants
        self.batches.append(txn)
        return txn

    def contractors(self):
        b = self.b
        number = {v[0]: 4400 + 1300 * i for i, v in enumerate(VENDORS)}
        pagero = 88120000
        for month in month_starts(START, 12):
            for _ in range(6):
                vendor = self.rng.choice(
                    VENDORS[:3] + VENDORS[3:4] * (month.month in (1, 2, 3, 10, 11))
                )
                key = self.rng.choice(OWNERS)[0]
                number[vendor[0]] += self.rng.randint(3, 30)
                day = month + timedelta(days=self.rng.randint(0, 26))
                gross = self.amt(vendor[3], vendor[4], 5)
                e_invoice = self.rng.random() < 0.6
                pagero += self.rng.randint(100, 900)
                self.bill(
                    day,
                    vendor,
                    key,
                    str(number[vendor[0]]),
                    gross,
                    pagero=pagero if e_invoice else None,
                )
            for key, *_ in OWNERS:
                cl = 7700 + month.month * 10 + len(key)
                bill = b.tx(
                    month.replace(day=2),
                    "Städbolaget Ren Trapp AB",
                    f"Trappstädning {MONTHS[month.month - 1]} - faktura RT{cl}",
                    (owner_acct(key), "2450.00"),
                    (AP, "-2450.00"),
                    meta={"invoice": f"RT{cl}"},
                    file=LEV,
                )
                bill.owner = key
                self.cleaning.append(bill)
                self.pay(next_weekday(month.replace(day=28), 0), bill, "REN TRAPP AB")

    def bill(self, day, vendor, key, number, gross, pagero=None, **kw):
        meta = {"invoice": number}
        if pagero:
            meta["pagero_id"] = f"PG{pagero}"
        txn = self.b.tx(
            day,
            vendor[0],
            f"Faktura {number} - {self.work(vendor)}",
            (owner_acct(key), gross),
            (AP, -gross),
            meta=meta,
            file=LEV,
            **kw,
        )
        txn.owner, txn.vendor = key, vendor
        self.bills.append(txn)
        if day + timedelta(days=30) <= END:
            self.pay(next_weekday(day, 30), txn, vendor[2])
        return txn

    def work(self, vendor):
        jobs = {
            "Uppsala Rör & Värme AB": [
                "stopp i avlopp",
                "byte blandare",
                "läcka källare",
                "radiatorventiler",
            ],
            "Fyrisåns Elservice AB": [
                "byte armaturer trapphus",
                "jordfelsbrytare",
                "tvättstuga elfel",
            ],
            "Låssmeden i Uppsala AB": ["låsbyte", "nya nycklar", "porttelefon"],
            "Svensk Markservice AB": ["snöröjning", "sandning", "gräsklippning"],
            "Målerifirman Gränby": ["målning trapphus", "fasadmålning"],
        }
        return self.rng.choice(jobs[vendor[0]])

    def pay(self, day, bill, text, narration=None):
        gross = -bill.on(AP)
        txn = self.klient(
            day,
            bill.payee,
            narration or f"Betalning faktura {bill.meta['invoice']}",
            -gross,
            (AP, gross),
            text=f"BG UTB {text}",
        )
        self.pays[id(bill)] = txn
        return txn

    def management(self):
        b = self.b
        fee_no = 0
        job = 1200
        for month in month_starts(START, 12):
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            name = MONTHS[month.month - 1]
            for _ in range(3):
                key = self.rng.choice(OWNERS)[0]
                job += self.rng.randint(4, 19)
                amount = money(self.rng.choice((450, 650, 850, 1250, 1800)))
                day = month + timedelta(days=self.rng.randint(1, 26))
                r = b.tx(
                    day,
                    "",
                    f"Vidarefakturering arbetsorder AO-{job} - "
                    f"{self.rng.choice(['nyckelkopiering', 'utryckning', 'besiktning'])}",
                    (owner_acct(key), amount),
                    (RECH, -amount),
                    meta={"arbetsorder": f"AO-{job}"},
                    file=FORV,
                )
                r.owner = key
                self.recharges.append(r)
            total = Decimal(0)
            for key, full, _, _, _ in OWNERS:
                fee_no += 1
                rents = sum((t["rent"] for t in self.tenants if t["owner"] == key), Decimal(0))
                net = money(rents * Decimal("0.05"))
                moms = money(net * Decimal("0.25"))
                f = b.tx(
                    end,
                    full,
                    f"Förvaltningsarvode {name} - faktura NF-2025-{fee_no:03d}",
                    (owner_acct(key), net + moms),
                    (FEE, -net),
                    (MOMS, -moms),
                    meta={"invoice": f"NF-2025-{fee_no:03d}"},
                    file=FORV,
                )
                f.owner = key
                self.fees.append(f)
                total += net + moms
            move = self.imp(
                next_weekday(end, 3),
                "",
                f"Arvoden {name} från klientmedel",
                total,
                (KLB, -total),
                text="ÖVERFÖRING FRÅN 5357-10 884 21",
            )
            move.lines[KLB] = {"text": "ÖVERFÖRING TILL 5357-10 884 13"}
            self.fee_moves.append(move)
            if month.month == 12:
                continue
            for key, full, text, _, fixed in OWNERS:
                bal = -sum(
                    (
                        p.amount
                        for t in b.txns
                        if t.date <= end and not t.copy
                        for p in t.postings
                        if p.account == owner_acct(key)
                    ),
                    Decimal(0),
                )
                amount = fixed or max(bal - Decimal("20000"), Decimal("5000")).quantize(
                    Decimal("1E2")
                )
                amount = money(amount)
                r = self.klient(
                    next_weekday(end, 6),
                    full,
                    f"Avräkning {name} - utbetalning",
                    -amount,
                    (owner_acct(key), amount),
                    text=f"BG UTB {text}",
                )
                r.owner = key
                self.remits.append(r)

    def company(self):
        b = self.b
        for month in month_starts(START, 12):
            last = next_weekday(month.replace(day=25), 0)
            self.monthly.setdefault("hyra", []).append(
                self.imp(
                    month,
                    "Fastighets AB Svartbäcken",
                    "Lokalhyra kontor",
                    "-14500.00",
                    ("Expenses:Lokalhyra", "11600.00"),
                    ("Liabilities:Moms", "2900.00"),
                    text="AG FASTIGHETS AB SVARTBACKEN",
                )
            )
            self.monthly.setdefault("fortnox", []).append(
                self.imp(
                    next_weekday(month, 4),
                    "Fortnox",
                    "Fortnox Bokföring + Lön",
                    "-748.75",
                    ("Expenses:Programvara", "599.00"),
                    ("Liabilities:Moms", "149.75"),
                    text="AG FORTNOX AB",
                )
            )
            self.monthly.setdefault("telia", []).append(
                self.imp(
                    next_weekday(month, 11),
                    "Telia",
                    "Mobil och bredband",
                    "-1248.00",
                    ("Expenses:Telefon", "998.40"),
                    ("Liabilities:Moms", "249.60"),
                    text="AG TELIA SVERIGE",
                )
            )
            self.monthly.setdefault("bil", []).append(
                self.imp(
                    next_weekday(month, 14),
                    "Volvo Car Financial",
                    "Leasing servicebil",
                    "-4290.00",
                    ("Expenses:Bil", "3432.00"),
                    ("Liabilities:Moms", "858.00"),
                    text="AG VOLVOFINANS LEASING",
                )
            )
            self.imp(
                next_weekday(month, 0),
                "SEB",
                "Paketavgift",
                "-195.00",
                ("Expenses:Bankavgifter", "195.00"),
                text="PRIS PAKET FORETAG",
            )
            self.klient(
                next_weekday(month, 0),
                "SEB",
                "Avgift klientmedelskonto",
                "-95.00",
                ("Expenses:Bankavgifter", "95.00"),
                text="PRIS KLIENTKONTO",
            )
            pays = []
            for name, text, gross, net in STAFF:
                tax = Decimal(gross) - Decimal(net)
                pays.append(
                    self.imp(
                        last,
                        name,
                        f"Lön {MONTHS[month.month - 1]}",
                        -Decimal(net),
                        ("Expenses:Loner", Decimal(gross)),
                        (SKATT, -tax),
                        text=text,
                    )
                )
            self.salaries.append(pays)
            gross = sum((Decimal(g) for _, _, g, _ in STAFF), Decimal(0))
            aga = money(gross * Decimal("0.3142"))
            b.tx(
                last,
                "",
                f"Arbetsgivaravgifter {MONTHS[month.month - 1]}",
                ("Expenses:Arbetsgivaravgifter", aga),
                (AGA, -aga),
                file=FORV,
            )
            prev_tax = sum((Decimal(g) - Decimal(n) for _, _, g, n in STAFF), Decimal(0))
            self.imp(
                next_weekday(month.replace(day=12), 0),
                "Skatteverket",
                "Skatt och arbetsgivaravgifter",
                -(prev_tax + aga),
                (SKATT, prev_tax),
                (AGA, aga),
                text="SKATTEVERKET 16556123",
            )
            if month.month in (2, 5, 8, 11):
                q0 = (month - timedelta(days=88)).replace(day=1)
                moms = -sum(
                    (
                        p.amount
                        for t in b.txns
                        if q0 <= t.date < month
                        for p in t.postings
                        if p.account == MOMS
                    ),
                    Decimal(0),
                )
                self.imp(
                    month.replace(day=12),
                    "Skatteverket",
                    "Moms kvartal",
                    -moms,
                    (MOMS, moms),
                    text="SKATTEVERKET MOMS 16556123",
                )
