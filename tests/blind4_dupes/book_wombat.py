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
from wombat_costs import Costs
from wombat_names import (
    AMEX,
    AP,
    ARC,
    ARI,
    BANKFILE,
    CARDFILE,
    END,
    FARMS,
    GST,
    INSURERS,
    LOAN,
    NET,
    OP,
    PAYG,
    PRACTICE,
    START,
    SUPER,
    TILL,
    TS,
    TYRO,
)


class Wombat(Costs):
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
