"""Wombat Creek Veterinary Hospital Pty Ltd, Bendigo VIC: AUD, financial year 2024-25.

A mixed small- and large-animal practice. Tyro card-terminal takings typed each night from
ezyVet's end-of-day report into a clearing account, settled next business day into the
CommBank operating account; the operating account imported by the practice manager's own
script from NetBank CSV (`cba_ref`, a hash of the line); pet insurers paying gap-free
claims in weekly remittances; farm clients on monthly account; Provet weekly, IDEXX monthly;
an Amex typed by hand from receipts (no ids); fortnightly pay runs from KeyPay with one bank
line per employee; a Tax Saver account typed by hand.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from core import Book, money, month_starts, next_weekday, weekdays

OP = "Assets:Bank:CBA:Operating"
TS = "Assets:Bank:CBA:TaxSaver"
TYRO = "Assets:Clearing:Tyro"
TILL = "Assets:Cash:Till"
ARC = "Assets:Receivable:Clients"
ARI = "Assets:Receivable:Insurers"
AP = "Liabilities:Payable"
AMEX = "Liabilities:Card:Amex"
GST = "Liabilities:GST"
PAYG = "Liabilities:Payroll:PAYG"
SUPER = "Liabilities:Payroll:Super"
NET = "Liabilities:Payroll:NetPay"
LOAN = "Liabilities:Loan:XrayFinance"
UNCAT = "Expenses:Uncategorized"

START, END = date(2024, 7, 1), date(2025, 6, 30)
BANKFILE = "ledgers/imported/operating.beancount"
PRACTICE = "ledgers/practice.beancount"
CARDFILE = "ledgers/amex.beancount"
SAVER = "ledgers/taxsaver.beancount"
PAYFILE = "ledgers/payroll.beancount"

INSURERS = [  # name, claim prefix, bank text
    ("PetCover Australia", "PC-", "PETCOVER AUST REMIT"),
    ("Kanga Pet Insurance", "KPI-", "KANGA PET INS PTY"),
    ("Trupanion", "TP-", "TRUPANION AU CLAIMS"),
]
FARMS = [  # name, bank text, fixed herd-health plan or None
    ("Hargreaves Pastoral", "HARGREAVES PASTORAL", None),
    ("Campaspe Dairies", "CAMPASPE DAIRIES P/L", Decimal("880.00")),
    ("Axedale Angus", "AXEDALE ANGUS", Decimal("880.00")),
    ("Mt Alexander Alpacas", "MT ALEXANDER ALPACA", None),
    ("Kellys Creek Farm", "KELLYS CREEK FARM", None),
]
STAFF = [  # name, bank text, gross, net
    ("Dr Emma Liu", "SALARY DR E LIU", "4850.00", "3612.40"),
    ("Dr Tom Park", "SALARY DR T PARK", "4420.00", "3341.85"),
    ("Jess Moreno", "SALARY J MORENO", "2380.00", "1842.60"),
    ("Aisha Khan", "SALARY A KHAN", "2380.00", "1842.60"),
    ("Ben Walsh", "SALARY B WALSH", "2160.00", "1706.25"),
    ("Kirra Thompson", "SALARY K THOMPSON", "1890.00", "1538.10"),
]
CARD_SHOPS = [  # payee, bank text, account, low, high
    ("Bunnings", "BUNNINGS 380000 EPSOM", "Expenses:Kennels", 25, 320),
    ("Officeworks", "OFFICEWORKS 0432 BENDIGO", "Expenses:Office", 18, 260),
    ("Woolworths", "WOOLWORTHS 3344 BENDIGO", "Expenses:StaffAmenities", 20, 140),
    ("Ampol", "AMPOL BENDIGO 74411", "Expenses:Vehicles", 60, 140),
    ("VetShop Australia", "VETSHOP AUSTRALIA ONLINE", "Expenses:Pharmacy:Stock", 80, 600),
    ("Australia Post", "AUSTRALIA POST 300512", "Expenses:Office", 9, 60),
]


class Wombat:
    def __init__(self):
        self.rng = random.Random(20250630)
        self.b = Book("wombat", "AUD", "Wombat Creek Veterinary Hospital")
        self.refs: set[str] = set()
        self.b.headers[PRACTICE] = "; typed from ezyVet, KeyPay and the suppliers' invoices\n"
        self.takings, self.settles, self.cash, self.deposits = [], [], [], []
        self.claims, self.remits, self.farm_inv, self.farm_rec = [], [], [], []
        self.bills, self.pays, self.card, self.amex_dd = {}, {}, [], []
        self.runs, self.net, self.saver, self.monthly = [], [], [], {}

    # -- helpers ---------------------------------------------------------------------------

    def amt(self, lo, hi) -> Decimal:
        return money(Decimal(self.rng.randint(int(lo * 100), int(hi * 100))) / 100)

    def cba_ref(self) -> str:
        while True:
            ref = f"{self.rng.getrandbits(40):010x}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    def imp(self, day, payee, narration, amount, *others, text, file=BANKFILE, **kw):
        """An operating-account line as the script imports it."""
        meta = {"cba_ref": self.cba_ref()}
        return self.b.tx(
            day,
            payee,
            narration,
            (OP, amount),
            *others,
            meta=meta,
            file=file,
            lines={OP: {"text": text}},
            **kw,
        )

    def bill(self, day, vendor, number, gross, account, narration="", **kw):
        gst = money(gross / 11)
        return self.b.tx(
            day,
            vendor,
            narration or f"Invoice {number}",
            (account, gross - gst),
            (GST, gst),
            (AP, -gross),
            meta={"invoice": number},
            file=PRACTICE,
            **kw,
        )

    def pay(self, day, vendor, number, amount, text, narration=""):
        return self.imp(
            day, vendor, narration or f"Payment {number}", -amount, (AP, amount), text=text
        )

    def purchase(self, day, shop, amount=None, narration="", account=None, **kw):
        payee, text, acct, lo, hi = shop
        amount = amount if amount is not None else self.amt(lo, hi)
        gst = money(amount / 11)
        txn = self.b.tx(
            day,
            payee,
            narration or acct.split(":")[-1].lower(),
            (acct if account is None else account, amount - gst),
            (GST, gst),
            (AMEX, -amount),
            file=CARDFILE,
            lines={AMEX: {"text": text}},
            **kw,
        )
        self.card.append(txn)
        return txn

    # -- the year ------------------------------------------------------------------------------

    def build(self) -> Book:
        b = self.b
        b.open(
            date(2024, 6, 30),
            OP,
            TS,
            TYRO,
            TILL,
            ARC,
            ARI,
            AP,
            AMEX,
            GST,
            PAYG,
            SUPER,
            NET,
            LOAN,
            currencies="AUD",
        )
        b.open(date(2024, 6, 30), "Equity:Opening", "Equity:RetainedEarnings", "Assets:Equipment")
        for acct in ("Consultations", "Surgery", "Pharmacy", "FarmServices", "Interest"):
            b.open(date(2024, 6, 30), f"Income:{acct}")
        for acct in (
            "Pharmacy:Stock",
            "Lab",
            "Gas",
            "Waste",
            "Rent",
            "Utilities",
            "Software",
            "Office",
            "Kennels",
            "StaffAmenities",
            "Vehicles",
            "Telephone",
            "Wages",
            "Super",
            "BankFees",
            "Interest",
            "Equipment",
            "Uncategorized",
        ):
            b.open(date(2024, 6, 30), f"Expenses:{acct}")
        b.tx(
            date(2024, 7, 1),
            "",
            "Opening balances",
            (OP, "48210.55"),
            (TS, "22000.00"),
            (TILL, "400.00"),
            (LOAN, "-38400.00"),
            ("Equity:Opening", None),
            file=PRACTICE,
            lines={OP: None, TS: None},
        )
        self.tyro()
        self.insurers()
        self.farms()
        self.suppliers()
        self.amex()
        self.payroll()
        self.tax_and_saver()
        return b

    def tyro(self):
        b = self.b
        day = START
        while day <= END:
            if day.weekday() < 6 and (day.month, day.day) not in ((12, 25), (12, 26), (1, 1)):
                gross = self.amt(1800, 5200)
                gst = money(gross / 11)
                cons = money((gross - gst) * Decimal("0.5"))
                surg = money((gross - gst) * Decimal("0.25"))
                t = b.tx(
                    day,
                    "Tyro",
                    f"Card takings {day:%d/%m} (ezyVet end of day)",
                    (TYRO, gross),
                    ("Income:Consultations", -cons),
                    ("Income:Surgery", -surg),
                    ("Income:Pharmacy", -(gross - gst - cons - surg)),
                    (GST, -gst),
                    meta={"ezyvet_eod": f"EOD-{day:%y%m%d}"},
                    file=PRACTICE,
                )
                self.takings.append(t)
                settle = next_weekday(day)
                s = self.imp(
                    settle,
                    "Tyro Payments",
                    f"Settlement {day:%d/%m}",
                    gross,
                    (TYRO, -gross),
                    text=f"TYRO SETTLEMENT {day:%d%m%y} MID 45123",
                )
                self.settles.append(s)
            if day.weekday() == 5:
                cash = self.amt(180, 900)
                gst = money(cash / 11)
                self.cash.append(
                    b.tx(
                        day,
                        "",
                        f"Cash takings w/e {day:%d/%m}",
                        (TILL, cash),
                        ("Income:Consultations", gst - cash),
                        (GST, -gst),
                        file=PRACTICE,
                    )
                )
                self.deposits.append(
                    self.imp(
                        next_weekday(day),
                        "",
                        f"Cash banked w/e {day:%d/%m}",
                        cash,
                        (TILL, -cash),
                        text="CASH DEPOSIT EPSOM BRANCH",
                    )
                )
            day += timedelta(days=1)
        for month in month_starts(START, 12):
            fee = self.amt(95, 160)
            self.imp(
                next_weekday(month, 2),
                "Tyro Payments",
                "Merchant service fee",
                -fee,
                ("Expenses:BankFees", fee),
                text="TYRO MSF",
            )
            self.imp(
                next_weekday(month, 0),
                "Commonwealth Bank",
                "Account fee",
                "-10.00",
                ("Expenses:BankFees", "10.00"),
                text="ACCOUNT FEE",
            )

    def insurers(self):
        numbers = {p: 204400 + 37 * i for i, (_, p, _) in enumerate(INSURERS)}
        open_claims = {p: [] for _, p, _ in INSURERS}
        remit_no = 77801
        for day in weekdays(START, END - timedelta(days=10)):
            if self.rng.random() < 0.45:
                name, prefix, _ = INSURERS[self.rng.randrange(3)]
                numbers[prefix] += self.rng.randint(3, 40)
                number = f"{prefix}{numbers[prefix]}"
                pet = self.rng.choice(
                    [
                        "Bella",
                        "Max",
                        "Luna",
                        "Charlie",
                        "Coco",
                        "Milo",
                        "Ruby",
                        "Archie",
                        "Daisy",
                        "Ollie",
                        "Rosie",
                        "Teddy",
                    ]
                )
                gross = self.amt(280, 3600)
                c = self.claim(day, name, number, pet, gross)
                open_claims[prefix].append(c)
            if day.weekday() == 3:
                for name, prefix, text in INSURERS:
                    due = [c for c in open_claims[prefix] if (day - c.date).days >= 6]
                    if not due:
                        continue
                    open_claims[prefix] = [c for c in open_claims[prefix] if c not in due]
                    remit_no += self.rng.randint(1, 9)
                    self.remit(day, name, text, remit_no, due)

    def claim(self, day, name, number, pet, gross, **kw):
        gst = money(gross / 11)
        t = self.b.tx(
            day,
            name,
            f"Gap-free claim {number} - {pet}",
            (ARI, gross),
            ("Income:Surgery", gst - gross),
            (GST, -gst),
            meta={"claim": number},
            file=PRACTICE,
            **kw,
        )
        self.claims.append(t)
        return t

    def remit(self, day, name, text, number, claims):
        total = sum((c.on(ARI) for c in claims), Decimal(0))
        listed = ", ".join(c.meta["claim"] for c in claims)
        t = self.imp(
            day,
            name,
            f"Remittance {number}: {listed}",
            total,
            (ARI, -total),
            text=f"{text} {number}",
        )
        t.remit = (number, claims)
        self.remits.append(t)
        return t

    def farms(self):
        number = 3400
        for month in month_starts(START, 12):
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            plan_pay = next_weekday(end, self.rng.randint(12, 20))
            for name, text, plan in FARMS:
                number += 1
                gross = plan if plan is not None else self.amt(350, 4200)
                gst = money(gross / 11)
                work = "Herd health plan" if plan else "Farm calls and stock"
                inv = self.b.tx(
                    end,
                    name,
                    f"Invoice W{number} - {work} {end:%b %Y}",
                    (ARC, gross),
                    ("Income:FarmServices", gst - gross),
                    (GST, -gst),
                    meta={"invoice": f"W{number}"},
                    file=PRACTICE,
                )
                self.farm_inv.append(inv)
                if end >= date(2025, 6, 1):
                    continue
                paid = plan_pay if plan else next_weekday(end, self.rng.randint(9, 30))
                rec = self.imp(
                    paid,
                    name,
                    f"Payment W{number}",
                    gross,
                    (ARC, -gross),
                    text=f"{text} INV W{number}",
                )
                self.farm_rec.append(rec)

    def suppliers(self):
        self.bills = {"provet": [], "idexx": [], "cryo": [], "waste": []}
        self.pays = {"provet": [], "idexx": [], "cryo": [], "waste": []}
        number = 1180400
        for day in weekdays(START, END):
            if day.weekday() != 1:
                continue
            number += self.rng.randint(20, 90)
            gross = self.amt(1200, 6500)
            bill = self.bill(
                day, "Provet Pty Ltd", f"PV-{number}", gross, "Expenses:Pharmacy:Stock"
            )
            self.bills["provet"].append(bill)
            if day + timedelta(days=30) <= END:
                self.pays["provet"].append(
                    self.pay(
                        next_weekday(day, 30),
                        "Provet Pty Ltd",
                        f"PV-{number}",
                        gross,
                        f"PROVET PTY LTD PV{number}",
                    )
                )
        idx = 9087100
        for month in month_starts(START, 12):
            idx += self.rng.randint(100, 400)
            gross = self.amt(1800, 3400)
            bill = self.bill(
                month,
                "IDEXX Laboratories",
                f"IDX-{idx}",
                gross,
                "Expenses:Lab",
                narration=f"Invoice IDX-{idx} - laboratory services",
            )
            self.bills["idexx"].append(bill)
            self.pays["idexx"].append(
                self.pay(
                    next_weekday(month, 14),
                    "IDEXX Laboratories",
                    f"IDX-{idx}",
                    gross,
                    "IDEXX LABORATORIES DD",
                    narration=f"Direct debit IDX-{idx}",
                )
            )
            cg = 50210 + month.month * 13 + (month.year - 2024) * 200
            rent = self.bill(
                month.replace(day=3),
                "Cryo Gas Supplies",
                f"CG-{cg}",
                Decimal("96.80"),
                "Expenses:Gas",
                narration=f"Invoice CG-{cg} - cylinder rental",
            )
            self.bills["cryo"].append(rent)
            total = Decimal("96.80")
            if month.month % 2 == 0:
                refill = self.amt(140, 420)
                self.bills["cryo"].append(
                    self.bill(
                        month.replace(day=9),
                        "Cryo Gas Supplies",
                        f"CG-{cg + 5}",
                        refill,
                        "Expenses:Gas",
                        narration=f"Invoice CG-{cg + 5} - oxygen refill",
                    )
                )
                total += refill
            self.pays["cryo"].append(
                self.pay(
                    next_weekday(month.replace(day=20), 0),
                    "Cryo Gas Supplies",
                    f"{month:%B} statement",
                    total,
                    "BPAY CRYO GAS SUPPLIES",
                    narration=f"BPAY - {month:%B} statement",
                )
            )
            self.monthly.setdefault("rent", []).append(
                self.imp(
                    month,
                    "Ridge Street Holdings",
                    "Rent - 14 Ridge St",
                    "-6875.00",
                    ("Expenses:Rent", "6250.00"),
                    (GST, "625.00"),
                    text="RIDGE ST HOLDINGS RENT",
                )
            )
            interest = money(
                Decimal("38400") * Decimal("0.079") / 12 * (13 - month.month % 12) / 12
            )
            self.monthly.setdefault("loan", []).append(
                self.imp(
                    month.replace(day=5),
                    "Metro Finance",
                    "X-ray chattel mortgage",
                    "-1487.20",
                    (LOAN, Decimal("1487.20") - interest),
                    ("Expenses:Interest", interest),
                    text="METRO FINANCE 8812",
                )
            )
            if month.month in (1, 4, 7, 10):
                power = self.amt(1900, 2600)
                self.imp(
                    next_weekday(month, 17),
                    "Powercor",
                    "Electricity quarter",
                    -power,
                    ("Expenses:Utilities", power - money(power / 11)),
                    (GST, money(power / 11)),
                    text="AGL SALES DD 30412",
                )
            if month.month in (2, 5, 8, 11):
                cw = 88100 + month.month * 7 + month.year
                self.bills["waste"].append(
                    self.bill(
                        month,
                        "Cleanaway",
                        f"CW{cw}",
                        Decimal("640.20"),
                        "Expenses:Waste",
                        narration=f"Clinical waste CW{cw}",
                    )
                )
                self.pays["waste"].append(
                    self.pay(
                        next_weekday(month, 20),
                        "Cleanaway",
                        f"CW{cw}",
                        Decimal("640.20"),
                        "BPAY CLEANAWAY",
                    )
                )

    def amex(self):
        for month in month_starts(START, 12):
            self.monthly.setdefault("ezyvet", []).append(
                self.purchase(
                    month,
                    ("ezyVet", "EZYVET LTD AUCKLAND", "Expenses:Software", 0, 0),
                    Decimal("649.00"),
                    "Practice software - monthly",
                )
            )
            self.monthly.setdefault("m365", []).append(
                self.purchase(
                    month.replace(day=10),
                    ("Microsoft", "MSFT *M365 BUSINESS", "Expenses:Software", 0, 0),
                    Decimal("118.80"),
                    "Microsoft 365",
                )
            )
            self.purchase(
                month.replace(day=18),
                ("Telstra", "TELSTRA BILL PAY", "Expenses:Telephone", 180, 260),
                narration="Phones and internet",
            )
            for _ in range(7):
                day = month + timedelta(days=self.rng.randint(0, 27))
                self.purchase(day, self.rng.choice(CARD_SHOPS))
        for month in month_starts(date(2024, 8, 1), 11):
            prior = month - timedelta(days=1)
            charged = -sum(
                (
                    t.on(AMEX)
                    for t in self.card
                    if (t.date.year, t.date.month) == (prior.year, prior.month)
                ),
                Decimal(0),
            )
            self.amex_dd.append(
                self.imp(
                    month.replace(day=12),
                    "American Express",
                    f"Card payment - {prior:%B} statement",
                    -charged,
                    (AMEX, charged),
                    text="AMEX DIRECT DEBIT",
                )
            )
            self.amex_dd[-1].lines[AMEX] = {"text": "PAYMENT RECEIVED - THANK YOU"}

    def payroll(self):
        b = self.b
        day, run = date(2024, 7, 4), 1
        while day <= END:
            gross = sum((Decimal(g) for _, _, g, _ in STAFF), Decimal(0))
            net = sum((Decimal(n) for _, _, _, n in STAFF), Decimal(0))
            sup = money(gross * Decimal("0.115"))
            j = b.tx(
                day,
                "KeyPay",
                f"Pay run {run} - fortnight ending {day:%d/%m}",
                ("Expenses:Wages", gross),
                ("Expenses:Super", sup),
                (PAYG, net - gross),
                (SUPER, -sup),
                (NET, -net),
                meta={"payrun": f"PR-{2400 + run}"},
                file=PAYFILE,
            )
            j.run = run
            self.runs.append(j)
            pays = []
            for name, text, _, n in STAFF:
                pays.append(
                    self.imp(
                        day,
                        name,
                        f"Net pay - pay run {run}",
                        -Decimal(n),
                        (NET, Decimal(n)),
                        text=text,
                    )
                )
            self.net.append(pays)
            day += timedelta(days=14)
            run += 1

    def tax_and_saver(self):
        b = self.b
        for month in month_starts(START, 12):
            t = self.imp(
                month.replace(day=2),
                "",
                "Transfer to Tax Saver",
                "-8500.00",
                (TS, "8500.00"),
                text="TRANSFER TO XX4471 TAX SAVER",
            )
            t.lines[TS] = {"text": "TRANSFER FROM XX0918 NETBANK"}
            self.saver.append(t)
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            b.tx(
                end,
                "Commonwealth Bank",
                "Interest",
                (TS, self.amt(40, 95)),
                ("Income:Interest", None),
                file=SAVER,
            )
            withheld = -sum(
                (
                    r.on(PAYG)
                    for r in self.runs
                    if (r.date.year, r.date.month) == (month.year, month.month)
                ),
                Decimal(0),
            )
            if month <= date(2025, 5, 1):
                self.imp(
                    next_weekday(month.replace(day=21), 0),
                    "Australian Taxation Office",
                    f"PAYG withholding {month:%B}",
                    -withheld,
                    (PAYG, withheld),
                    text="BPAY ATO PAYG 551004",
                )
            if month.month in (1, 4, 7, 10) and month > START:
                q0 = (month - timedelta(days=93)).replace(day=1)
                gst = -sum(
                    (
                        p.amount
                        for t in b.txns
                        if q0 <= t.date < month
                        for p in t.postings
                        if p.account == GST
                    ),
                    Decimal(0),
                )
                sup = -sum((r.on(SUPER) for r in self.runs if q0 <= r.date < month), Decimal(0))
                due = month.replace(day=28)
                b.tx(
                    due - timedelta(days=1),
                    "",
                    "From Tax Saver for BAS",
                    (TS, -gst),
                    (OP, gst),
                    file=SAVER,
                    lines={OP: {"text": "TRANSFER FROM XX4471 TAX SAVER"}},
                )
                self.imp(
                    due,
                    "Australian Taxation Office",
                    f"BAS {q0:%b}-{month - timedelta(1):%b}",
                    -gst,
                    (GST, gst),
                    text="BPAY ATO BAS 551004",
                )
                self.imp(
                    due,
                    "SuperChoice",
                    f"Super guarantee quarter to {month - timedelta(1):%b}",
                    -sup,
                    (SUPER, sup),
                    text="SUPERCHOICE CLEARING",
                )
