"""Kōwhai Freight Ltd, Christchurch: a year of a trucking company's books (NZD, April–March).

The operating account is imported by the office's own script over Akahu (`akahu_id`, Akahu's
id for the bank line); the Z fuel card from its monthly CSV by a second script (`docket`,
the fuel docket number). Invoices and owner-driver settlements (buyer-created tax invoices,
RCTIs) come from the dispatch system; bills, payroll and the GST saver are typed.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from decimal import Decimal

from core import Book, business, days, money, months

OP = "Assets:Bank:ANZ:Operating"
SAVER = "Assets:Bank:ANZ:GstSaver"
FUEL = "Liabilities:FuelCard:ZBusiness"
AR = "Assets:AccountsReceivable"
AP = "Liabilities:AccountsPayable"
DRV = "Liabilities:OwnerDrivers"
GST = "Liabilities:GST"
WHT = "Liabilities:IRD:Schedular"
PAYE = "Liabilities:IRD:PAYE"
NETPAY = "Liabilities:Payroll:NetPay"
UNCAT = "Expenses:Uncategorized"
LOAN = "Liabilities:Loan:UDC"

IMP = "ledgers/akahu/anz-operating.beancount"
FUELF = "ledgers/zcard/fuelcard.beancount"
TYPED = "ledgers/office.beancount"
RUNS = "ledgers/freightsoft/settlements.beancount"
SALES = "ledgers/freightsoft/invoices.beancount"
SAVERF = "ledgers/gst-saver.beancount"

START, END = date(2025, 4, 1), date(2026, 3, 31)
ACCOUNTS = [
    OP, SAVER, FUEL, AR, AP, DRV, GST, WHT, PAYE, NETPAY, UNCAT, LOAN,
    "Liabilities:PremiumFunding", "Equity:Opening", "Equity:Shareholder",
    "Income:Freight", "Income:FuelRecharge", "Income:Interest", "Income:Sundry",
    "Expenses:Contractors:OwnerDrivers", "Expenses:Fuel", "Expenses:RUC", "Expenses:Wages",
    "Expenses:Repairs", "Expenses:Tyres", "Expenses:YardLease", "Expenses:Telecom",
    "Expenses:Software", "Expenses:Tracking", "Expenses:Insurance", "Expenses:BankFees",
    "Expenses:Interest", "Expenses:ACC", "Expenses:Office", "Expenses:Trailers",
    "Assets:Equipment:Trailers",
]  # fmt: skip

CUSTOMERS = [  # name, bank's text, cadence, low, high (ex GST)
    ("Selwyn Grain Ltd", "SELWYN GRAIN LTD", 7, 1800, 5200),
    ("Southfresh Produce Ltd", "SOUTHFRESH PRODUCE", 7, 900, 3400),
    ("Canterbury Timber Co", "CANTERBURY TIMBER", 14, 2600, 7800),
    ("Ōtautahi Wholesale Ltd", "OTAUTAHI WHOLESALE", 21, 700, 2900),
]
DRIVERS = [  # name, bank's text, fixed weekly (ex GST) or None, truck
    ("Hemi Walker", "H WALKER", None, "HWK77"),
    ("Sione Tupou", "S TUPOU", None, "STP402"),
    ("Raj Patel", "R PATEL", Decimal("2150.00"), "RPX15"),
    ("Ben O'Connor", "B OCONNOR", Decimal("2150.00"), "BOC88"),
]
TRUCKS = ["KFT411", "LHB208", "NMC733", "HWK77", "STP402"]
SITES = ["Z Hornby", "Z Blenheim Rd", "Z Rolleston", "Z Moorhouse", "Z Ashburton", "Z Timaru"]
STAFF = [
    ("Aroha Ngata", "A NGATA", "2480.00", "612.40"),
    ("Tom Reid", "T REID", "2210.00", "498.10"),
    ("Wiremu Kingi", "W KINGI", "2210.00", "498.10"),
]

REGULARS = [  # day, payee, bank's text, narration, amount, account, bank's type
    (3, "Spark", "SPARK NZ", "Mobile and broadband", "189.99", "Expenses:Telecom", "Direct Debit"),
    (5, "Xero", "XERO NZ", "Xero subscription", "95.00", "Expenses:Software", "Direct Debit"),
    (8, "Teletrac Navman", "TELETRAC NAVMAN", "GPS tracking 9 units", "412.85",
     "Expenses:Tracking", "Direct Debit"),
    (12, "UDC Finance", "UDC FINANCE", "Truck loan", "3412.77", LOAN, "Direct Debit"),
    (28, "ANZ", "MONTHLY A/C FEE", "Account fee", "25.00", "Expenses:BankFees", "Bank Fee"),
]  # fmt: skip


def every(start: date, end: date, step: int):
    d = start
    while d <= end:
        yield d
        d += timedelta(days=step)


class Kowhai:
    def __init__(self, seed: int = 20250401):
        self.rng = random.Random(seed)
        self.b = Book("kowhai", "NZD")
        self.inv_no: dict[tuple[int, int], int] = {}
        self.docket = 4102230
        self.rcti = 0
        self.receipts, self.invoices, self.bills, self.bill_pays = [], [], [], []
        self.fuel, self.card_pays, self.saver_moves, self.ruc = [], [], [], []
        self.runs, self.driver_pays, self.payroll, self.netpays, self.other = [], [], [], [], []

    # -- helpers ------------------------------------------------------------------------

    def amt(self, lo, hi) -> Decimal:
        return Decimal(self.rng.randint(int(lo * 100), int(hi * 100))) / 100

    def akahu(self) -> str:
        chars = string.ascii_lowercase + string.digits
        return "trans_" + "".join(self.rng.choice(chars) for _ in range(25))

    def imp(self, when, payee, narration, legs, kind, details, part="", code="", ref="",
            flag="*", akahu=None, copy=False, **kw):  # fmt: skip
        """A line of the operating account as the Akahu script writes it."""
        meta = {"akahu_id": akahu or self.akahu()}
        extra = {"type": kind, "particulars": part, "code": code, "reference": ref}
        return self.b.add(when, payee, narration, legs, IMP, flag=flag, meta=meta,
                          bank_text=details, extra=extra, copy=copy, **kw)  # fmt: skip

    def gst(self, net: Decimal) -> Decimal:
        return money(net * Decimal("0.15"))

    # -- the year -----------------------------------------------------------------------

    def build(self) -> Book:
        b = self.b
        for account in ACCOUNTS:
            b.open(START, account)
        b.add(START, "Opening balances", "Balances at 1 April 2025",
              [(OP, "84250.00"), (SAVER, "11800.00"), (LOAN, "-86400.00"),
               ("Equity:Opening", None)], TYPED, no_line=True)  # fmt: skip
        self.sales()
        self.settlements()
        self.fuel_card()
        self.wages()
        self.suppliers()
        self.regulars()
        return b

    def invoice(self, when, customer, net, file=SALES, number=None, narration=None):
        month = (when.year, when.month)
        self.inv_no[month] = self.inv_no.get(month, 0) + 1
        number = number or f"INV-{when:%y%m}-{self.inv_no[month]:03d}"
        gst = self.gst(net)
        txn = self.b.add(when, customer, narration or f"Freight {when:%d %b}", [
            (AR, net + gst), ("Income:Freight", -net), (GST, -gst)],
            file, meta={"invoice": number})  # fmt: skip
        self.invoices.append(txn)
        return txn

    def receive(self, when, customer, details, inv, amount):
        number = inv.meta["invoice"]
        txn = self.imp(when, customer, number, [(OP, amount), (AR, -amount)],
                       "Direct Credit", details, number, "", "KOWHAI")  # fmt: skip
        self.receipts.append(txn)
        return txn

    def sales(self):
        for y, m in months(START, 12):
            when = business(date(y, m, 1))
            inv = self.invoice(when, "Kaiapoi Packaging Ltd", Decimal("11500.00"),
                               narration=f"Contract cartage {when:%B %Y}")  # fmt: skip
            paid = business(date(y + (m == 12), m % 12 + 1, 20))
            if paid <= END:
                self.receive(paid, "Kaiapoi Packaging Ltd", "KAIAPOI PACKAGING", inv,
                             inv.amount_on(AR))  # fmt: skip
        for name, details, cadence, lo, hi in CUSTOMERS:
            for when in every(START + days(self.rng.randint(2, 6)), END - days(3), cadence):
                when = business(when)
                inv = self.invoice(when, name, self.amt(lo, hi))
                paid = business(when + days(self.rng.randint(12, 32)))
                if paid <= END:
                    self.receive(paid, name, details, inv, inv.amount_on(AR))

    def settlements(self):
        friday = date(2025, 4, 4)
        week = 14
        while friday <= END - days(7):
            for n, (name, details, fixed, truck) in enumerate(DRIVERS, 1):
                if self.rng.random() < 0.05:
                    continue  # on leave
                self.settle(friday, week, n, name, details, fixed, truck)
            friday += days(7)
            week = week + 1 if week < 52 else 1

    def settle(self, friday, week, n, name, details, fixed, truck, file=RUNS, pay=True):
        gross = fixed or self.amt(1700, 3300)
        gst, wht = self.gst(gross), money(gross * Decimal("0.10"))
        fuel = Decimal(0) if fixed else self.amt(250, 520)
        net = gross + gst - wht - fuel
        self.rcti += 1
        legs = [("Expenses:Contractors:OwnerDrivers", gross), (GST, gst), (WHT, -wht)]
        if fuel:
            legs.append(("Income:FuelRecharge", -fuel))
        legs.append((DRV, -net))
        run = f"{friday.isocalendar()[0]}-W{week:02d}"
        txn = self.b.add(friday, name, f"Settlement week {week} {truck}", legs, file,
                         meta={"run": run, "rcti": f"RCTI-{week:02d}{n:02d}"})  # fmt: skip
        self.runs.append(txn)
        if pay:
            paid = friday + days(4)
            p = self.imp(
                paid,
                name,
                f"Settlement wk {week}",
                [(OP, -net), (DRV, net)],
                "Payment",
                details,
                "Settlement",
                f"WK{week}",
                "KOWHAI FREIGHT",
            )
            self.driver_pays.append(p)
            txn.extra["paid_by"] = p
        return txn

    def fuel_line(self, when, truck, site, amount, litres=None, copy=False):
        self.docket += self.rng.randint(3, 40)
        litres = litres or money(amount / Decimal("1.89"))
        txn = self.b.add(when, site, f"Diesel {litres}L {truck}",
                         [("Expenses:Fuel", amount), (FUEL, -amount)], FUELF,
                         meta={"docket": f"{self.docket:08d}", "vehicle": truck},
                         bank_text=site.upper(), bank_id=f"{self.docket:08d}",
                         extra={"vehicle": truck, "litres": litres, "site": site},
                         copy=copy)  # fmt: skip
        return txn

    def fuel_card(self):
        for y, m in months(START, 12):
            total = Decimal(0)
            for d in [date(y, m, 1) + days(i) for i in range(31)]:
                if d.month != m or d.weekday() == 6:
                    continue
                for truck in TRUCKS:
                    if self.rng.random() < 0.24:
                        txn = self.fuel_line(d, truck, self.rng.choice(SITES), self.amt(180, 690))
                        self.fuel.append(txn)
                        total += txn.amount_on("Expenses:Fuel")
            due = business(date(y + (m == 12), m % 12 + 1, 15))
            if due <= END:
                pay = self.imp(due, "Z Energy", f"Fuel card {date(y, m, 1):%B}",
                               [(OP, -total), (FUEL, total)], "Direct Debit",
                               "Z ENERGY BUSINESS", "FUELCARD", "7077441", "DD",
                               bank_id=f"P{y % 100}{m:02d}15")  # fmt: skip
                self.card_pays.append(pay)

    def wages(self):
        payday = date(2025, 4, 9)
        while payday <= END:
            total_net = Decimal(0)
            legs = []
            gross_all = paye_all = Decimal(0)
            for name, details, net, paye in STAFF:
                net, paye = Decimal(net), Decimal(paye)
                if name == "Aroha Ngata" and payday.month == 12:
                    net += Decimal("150.00")
                gross_all += net + paye
                paye_all += paye
                total_net += net
                p = self.imp(payday, name, "Wages", [(OP, -net), (NETPAY, net)],
                             "Payment", details, "WAGES", "", "KOWHAI FREIGHT")  # fmt: skip
                self.netpays.append(p)
            legs = [("Expenses:Wages", gross_all), (PAYE, -paye_all), (NETPAY, -total_net)]
            j = self.b.add(payday - days(1), "Smartly", f"Pay run {payday:%d %b %Y}", legs,
                           TYPED, meta={"payrun": f"PR-{payday:%Y%m%d}"})  # fmt: skip
            self.payroll.append(j)
            payday += days(14)
        for y, m in months(START, 12):
            when = business(date(y, m, 20))
            for account, part, amount in ((PAYE, "PAYE", self.amt(2400, 2700)),
                                          (WHT, "WT", self.amt(3100, 3600))):  # fmt: skip
                self.imp(when, "Inland Revenue", f"{part} {date(y, m, 1):%b %Y}",
                         [(OP, -amount), (account, amount)], "Payment", "INLAND REVENUE",
                         part, "", "123456789")  # fmt: skip

    def bill(self, when, vendor, number, net, expense, file=TYPED, narration=None, meta=None):
        gst = self.gst(net)
        txn = self.b.add(when, vendor, narration or f"Invoice {number}",
                         [(expense, net), (GST, gst), (AP, -(net + gst))], file,
                         meta={"invoice": number, **(meta or {})})  # fmt: skip
        self.bills.append(txn)
        return txn

    def pay_bill(self, when, vendor, details, number, amount, ref=None):
        txn = self.imp(when, vendor, number, [(OP, -amount), (AP, amount)], "Bill Payment",
                       details, number, "", ref or "KOWHAI")  # fmt: skip
        self.bill_pays.append(txn)
        return txn

    def suppliers(self):
        rng = self.rng
        seq = {"TS": 48210, "TL": 30090, "HAE": 900}
        vendors = [
            ("Truckstops Canterbury Ltd", "TRUCKSTOPS CANTERBURY", "TS", 12, 380, 4600,
             "Expenses:Repairs"),
            ("Tyreline Ltd", "TYRELINE LTD", "TL", 26, 640, 3900, "Expenses:Tyres"),
            ("Hornby Auto Electrical", "HORNBY AUTO ELEC", "HAE", 45, 160, 1400,
             "Expenses:Repairs"),
        ]  # fmt: skip
        for vendor, details, prefix, cadence, lo, hi, expense in vendors:
            for when in every(START + days(rng.randint(1, 9)), END - days(40), cadence):
                when = business(when)
                seq[prefix] += rng.randint(4, 60)
                number = f"{prefix}-{seq[prefix]}"
                bill = self.bill(when, vendor, number, self.amt(lo, hi), expense)
                paid = business(date(when.year + (when.month == 12), when.month % 12 + 1, 20))
                p = self.pay_bill(paid, vendor, details, number, bill.amount_on(AP) * -1)
                bill.extra["paid_by"] = p
        for y, m in months(START, 12):
            when = date(y, m, 1)
            bill = self.bill(when, "Sockburn Properties Ltd", f"SP-{y}{m:02d}",
                             Decimal("4600.00"), "Expenses:YardLease",
                             narration=f"Yard lease {when:%B %Y}")  # fmt: skip
            p = self.pay_bill(business(when + days(4)), "Sockburn Properties Ltd",
                              "SOCKBURN PROPERTIES", f"SP-{y}{m:02d}", Decimal("5290.00"),
                              ref="LEASE")  # fmt: skip
            bill.extra["paid_by"] = p
            self.other.append(bill)

    def regulars(self):
        rng = self.rng
        for y, m in months(START, 12):
            first = date(y, m, 1)
            for day, payee, details, narr, amount, account, kind in REGULARS:
                t = self.imp(business(first + days(day - 1)), payee, narr,
                             [(OP, -Decimal(amount)), (account, Decimal(amount))], kind, details,
                             narr.split()[0].upper()[:12], "", "")  # fmt: skip
                self.other.append(t)
            if (y, m) >= (2025, 5) and (y, m) <= (2026, 2):
                t = self.imp(business(first + days(1)), "IQumulate Premium Funding",
                             "Insurance premium funding", [(OP, Decimal("-1188.40")),
                             ("Liabilities:PremiumFunding", Decimal("1188.40"))],
                             "Direct Debit", "IQUMULATE FUNDING", "PF88213", "", "")  # fmt: skip
                self.other.append(t)
            interest = self.amt(14, 48)
            self.b.add(date(y, m, 28) if m != 2 else date(y, m, 27), "ANZ", "Credit interest",
                       [(SAVER, interest), ("Income:Interest", -interest)], SAVERF,
                       bank_text="CREDIT INTEREST", extra={"type": "Interest"})  # fmt: skip
            if m % 2 == 0:
                gst_due = self.amt(7200, 9800)
                when = business(date(y, m, 28)) if m != 12 else date(2026, 1, 15)
                self.b.add(when, "Inland Revenue", f"GST return to {first:%b %Y}",
                           [(SAVER, -gst_due), (GST, gst_due)], SAVERF, bank_text="INLAND REVENUE",
                           extra={"type": "Payment", "particulars": "GST"})  # fmt: skip
        for monday in every(date(2025, 4, 7), END, 7):
            t = self.imp(monday, "Kōwhai Freight", "GST set-aside", [(OP, Decimal("-1500.00")),
                         (SAVER, Decimal("1500.00"))], "Transfer", "TRANSFER TO GST SAVER",
                         "GST", "", "")  # fmt: skip
            t.extra["texts"] = {SAVER: "TRANSFER FROM OPERATING"}
            self.saver_moves.append(t)
        for truck in TRUCKS[:3]:
            for when in every(START + days(rng.randint(3, 30)), END - days(5), 42):
                when = business(when)
                amount = self.amt(1500, 3900)
                t = self.imp(when, "NZ Transport Agency", f"RUC {truck}",
                             [(OP, -amount), ("Expenses:RUC", amount)], "Bill Payment",
                             "NZTA RUC ONLINE", "RUC", truck, "")  # fmt: skip
                self.ruc.append(t)
