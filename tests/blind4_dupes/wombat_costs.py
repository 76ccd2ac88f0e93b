"""Wombat Creek's suppliers, Amex, pay runs and taxes: the cost side of its year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core import money, month_starts, next_weekday, weekdays
from wombat_names import (
    AMEX,
    CARD_SHOPS,
    END,
    GST,
    LOAN,
    NET,
    OP,
    PAYFILE,
    PAYG,
    SAVER,
    STAFF,
    START,
    SUPER,
    TS,
)


class Costs:
    """Mixed into Wombat, which holds the book, the rng and the helpers used here."""

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
                lines={TS: {"text": "CREDIT INTEREST"}},
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
