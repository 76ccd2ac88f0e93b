"""Kawase Tōbō G.K., Mashiko: a pottery studio's 2025 in yen (no decimals).

The bank (Ashikaga Bank) and the Rakuten business card come in through Money Forward's
export (`mf_id`, Money Forward's id of the line), whose payee is the bank's text in
half-width katakana ("ｶ)ｷﾞｬﾗﾘｰｱｵｲ"); the owner types the rest: craft-fair takings, BASE's
weekly sales report, wholesale invoices closed at month end (paid at the end of the next
month, often less the bank's transfer fee), suppliers' bills, part-timers' pay.
"""

from __future__ import annotations

import random
import string
from datetime import date

from core import Book, business, days, months

BANK = "Assets:Bank:Ashigin"
CASH = "Assets:Cash"
SQUARE = "Assets:Clearing:Square"
BASE = "Assets:Clearing:BASE"
AR = "Assets:Receivable"
AP = "Liabilities:Payable"
CARD = "Liabilities:Card:Rakuten"
TAX = "Liabilities:ConsumptionTax"
WHT = "Liabilities:Withholding"
UNCAT = "Expenses:Uncategorized"
NET = "Liabilities:Payroll"

MFB = "ledgers/mf/ashigin.beancount"
MFC = "ledgers/mf/rakuten.beancount"
OWN = "ledgers/books.beancount"
START, END = date(2025, 1, 1), date(2025, 12, 31)
ACCOUNTS = [
    BANK, CASH, SQUARE, BASE, AR, AP, CARD, TAX, WHT, UNCAT, NET, "Equity:Opening",
    "Income:Sales:Fairs", "Income:Sales:Online", "Income:Sales:Wholesale", "Expenses:Clay",
    "Expenses:Glaze", "Expenses:Gas", "Expenses:Shipping", "Expenses:Packaging", "Expenses:Rent",
    "Expenses:Utilities", "Expenses:Telecom", "Expenses:Software", "Expenses:Wages",
    "Expenses:Fees", "Expenses:Supplies", "Expenses:FairFees", "Expenses:Travel",
    "Assets:Equipment:Kiln",
]  # fmt: skip
CUSTOMERS = [  # name, the bank's text, low, high, transfer fee they deduct
    ("Gallery Aoi", "ｶ)ｷﾞｬﾗﾘｰｱｵｲ", 60000, 240000, 440),
    ("Utsuwa Hana", "ﾕ)ｳﾂﾜﾊﾅ", 30000, 120000, 0),
    ("Tobu Department Store", "ﾄｳﾌﾞﾋﾔﾂｶﾃﾝ(ｶ", 120000, 480000, 0),
    ("Cafe Kurumi", "ｶﾌｴｸﾙﾐ ﾔﾏﾀﾞ ﾕｶ", 20000, 66000, 660),
]
VENDORS = [  # name, the bank's text, account, low, high, paid by (transfer / debit)
    ("Mashiko Todo Ltd", "ﾕ)ﾏｼｺﾄｳﾄﾞ", "Expenses:Clay", 40000, 160000, "transfer"),
    ("Kogei Yakuhin", "ｺｳｹﾞｲﾔｸﾋﾝ(ｶ", "Expenses:Glaze", 20000, 90000, "transfer"),
    ("Sanwa Gas", "ｻﾝﾜｶﾞｽ", "Expenses:Gas", 38000, 96000, "debit"),
    ("Yamato Transport", "ﾔﾏﾄｳﾝﾕ(ｶ", "Expenses:Shipping", 18000, 64000, "debit"),
]
CARD_SHOPS = [  # the card's text, account, low, high
    ("AMAZON.CO.JP", "Expenses:Supplies", 980, 24000),
    ("ﾓﾉﾀﾛｳ", "Expenses:Supplies", 1200, 36000),
    ("JR東日本 ｴｷﾈｯﾄ", "Expenses:Travel", 2640, 14800),
    ("ｾﾌﾞﾝｲﾚﾌﾞﾝ", "Expenses:Supplies", 300, 2400),
    ("ｶｲﾝｽﾞ ﾏｼｺ", "Expenses:Packaging", 800, 9800),
]
FAIRS = [date(2025, 3, 15), date(2025, 3, 16), date(2025, 4, 29), date(2025, 4, 30),
         date(2025, 5, 1), date(2025, 5, 3), date(2025, 5, 4), date(2025, 5, 5),
         date(2025, 6, 14), date(2025, 7, 19), date(2025, 8, 23), date(2025, 9, 20),
         date(2025, 9, 21), date(2025, 10, 11), date(2025, 11, 1), date(2025, 11, 2),
         date(2025, 11, 3), date(2025, 12, 6)]  # fmt: skip


def tax_in(gross: int) -> int:
    """The 10% consumption tax inside a tax-inclusive yen amount, rounded down."""
    return gross * 10 // 110


def month_end(y: int, m: int) -> date:
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    d = nxt - days(1)
    while d.weekday() >= 5:
        d -= days(1)
    return d


class Kawase:
    def __init__(self, seed: int = 1225):
        self.rng = random.Random(seed)
        self.b = Book("kawase", "JPY", places=0)
        self.fairs, self.payouts, self.base_weeks, self.base_pay = [], [], [], []
        self.invoices, self.receipts, self.bills, self.bill_pays = [], [], [], []
        self.card, self.card_pays, self.wages, self.netpays, self.other = [], [], [], [], []

    def yen(self, lo, hi) -> int:
        return self.rng.randint(lo // 10, hi // 10) * 10

    def mf_id(self) -> str:
        chars = string.ascii_letters + string.digits + "-_"
        return "".join(self.rng.choice(chars) for _ in range(22))

    def mf(self, when, text, narration, legs, file=MFB, flag="*", mf_id=None, **kw):
        """A line as Money Forward exports it: the bank's text as payee, its id."""
        return self.b.add(when, text, narration, legs, file, flag=flag,
                          meta={"mf_id": mf_id or self.mf_id()}, bank_text=text, **kw)  # fmt: skip

    def build(self) -> Book:
        b = self.b
        for account in ACCOUNTS:
            b.open(START, account)
        b.add(START, "Opening balances", "2025年期首残高", [(BANK, 2841200), (CASH, 60000),
              ("Equity:Opening", None)], OWN, no_line=True)  # fmt: skip
        self.sales()
        self.wholesale()
        self.suppliers()
        self.card_year()
        self.payroll()
        self.regulars()
        return b

    def sales(self):
        rng = self.rng
        run_cash = 0
        for when in FAIRS:
            cash, card = self.yen(18000, 140000), self.yen(24000, 220000)
            total = cash + card
            t = self.b.add(when, "Craft fair", f"Fair takings {when:%m/%d}",
                           [(CASH, cash), (SQUARE, card), ("Income:Sales:Fairs",
                            -(total - tax_in(total))), (TAX, -tax_in(total))], OWN)  # fmt: skip
            self.fairs.append(t)
            fee = card * 325 // 10000
            paid = business(when + days(3))
            p = self.mf(paid, "ｽｸｴｱ(ｶ", "Square payout",
                        [(BANK, card - fee), ("Expenses:Fees", fee), (SQUARE, -card)])  # fmt: skip
            self.payouts.append(p)
            run_cash += cash
            if when + days(1) not in FAIRS:  # the fair is over: its cash goes to the bank
                dep = self.mf(business(when + days(1)), "ATM ﾆﾕｳｷﾝ", "Fair cash banked",
                              [(BANK, run_cash), (CASH, -run_cash)])  # fmt: skip
                self.other.append(dep)
                run_cash = 0
        for week in range(1, 53):
            monday = date(2025, 1, 6) + days(7 * (week - 1))
            if monday > END:
                break
            gross = self.yen(30000, 190000)
            fee = gross * 66 // 1000 + 40 * rng.randint(3, 20)
            t = self.b.add(monday, "BASE", f"Online sales week {week}",
                           [(BASE, gross - fee), ("Expenses:Fees", fee), ("Income:Sales:Online",
                            -(gross - tax_in(gross))), (TAX, -tax_in(gross))], OWN)  # fmt: skip
            self.base_weeks.append(t)
        for y, m in months(START, 12):
            due = sum(w.amount_on(BASE) for w in self.base_weeks if (w.date.year, w.date.month)
                      == (y, m))  # fmt: skip
            paid = business(date(y, m, 1) + days(40))
            if paid <= END and due:
                p = self.mf(
                    paid,
                    "BASE(ｶ",
                    f"BASE payout {m}月",
                    [(BANK, due - 250), ("Expenses:Fees", 250), (BASE, -due)],
                )
                self.base_pay.append(p)

    def wholesale(self):
        rng = self.rng
        for y, m in months(START, 12):
            close = month_end(y, m)
            for n, (name, text, lo, hi, fee) in enumerate(CUSTOMERS, 1):
                if rng.random() < 0.15:
                    continue
                amount = self.yen(lo, hi)
                number = f"No.{close:%y%m%d}-{n:02d}"
                inv = self.b.add(
                    close,
                    name,
                    f"請求書 {number}",
                    [
                        (AR, amount),
                        ("Income:Sales:Wholesale", -(amount - tax_in(amount))),
                        (TAX, -tax_in(amount)),
                    ],
                    OWN,
                    meta={"invoice": number},
                )
                self.invoices.append(inv)
                paid = month_end(y + (m == 12), m % 12 + 1)
                if paid <= END:
                    self.receive(paid, text, inv, amount, fee)

    def receive(self, when, text, inv, amount, fee):
        legs = [(BANK, amount - fee)] + ([("Expenses:Fees", fee)] if fee else [])
        t = self.mf(when, f"ﾌﾘｺﾐ {text}", inv.meta["invoice"], [*legs, (AR, -amount)])
        self.receipts.append(t)
        return t

    def bill(self, when, vendor, number, amount, account, narration=None):
        t = self.b.add(when, vendor, narration or f"請求書 {number}",
                       [(account, amount - tax_in(amount)), (TAX, tax_in(amount)),
                        (AP, -amount)], OWN, meta={"invoice": number})  # fmt: skip
        self.bills.append(t)
        return t

    def pay(self, when, text, narration, amount, how="transfer"):
        words = "ﾌﾘｺﾐ " if how == "transfer" else "ｺｳﾌﾘ "
        fee = 330 if how == "transfer" else 0
        legs = [(BANK, -(amount + fee)), (AP, amount)] + ([("Expenses:Fees", fee)] if fee else [])
        t = self.mf(when, words + text, narration, legs)
        self.bill_pays.append(t)
        return t

    def suppliers(self):
        for name, text, account, lo, hi, how in VENDORS:
            for y, m in months(START, 12):
                close = month_end(y, m)
                amount = self.yen(lo, hi)
                number = f"{name.split()[0][:2].upper()}-{y}{m:02d}"
                bill = self.bill(close, name, number, amount, account)
                paid = month_end(y + (m == 12), m % 12 + 1) if how == "transfer" else business(
                    date(y + (m == 12), m % 12 + 1, 26))  # fmt: skip
                if paid <= END:
                    bill.extra["paid_by"] = self.pay(paid, text, number, amount, how)

    def card_year(self):
        rng = self.rng
        for y, m in months(START, 12):
            spent = 0
            for _ in range(rng.randint(6, 10)):
                text, account, lo, hi = rng.choice(CARD_SHOPS)
                when = date(y, m, rng.randint(1, 28))
                amount = self.yen(lo, hi)
                t = self.mf(when, text, "", [(account, amount), (CARD, -amount)], MFC)
                self.card.append(t)
                spent += amount
            adobe = self.mf(date(y, m, 12), "ADOBE", "Creative Cloud",
                            [("Expenses:Software", 7780), (CARD, -7780)], MFC)  # fmt: skip
            self.other.append(adobe)
            spent += 7780
            due = business(date(y + (m == 12), m % 12 + 1, 27))
            if due <= END:
                t = self.mf(due, "ﾗｸﾃﾝｶ-ﾄﾞｻ-ﾋﾞｽ", f"カード引落 {m}月分",
                            [(BANK, -spent), (CARD, spent)])  # fmt: skip
                self.card_pays.append(t)

    def payroll(self):
        for y, m in months(START, 12):
            when = business(date(y, m, 25))
            ito = self.yen(52000, 118000)
            wht = ito // 50
            journal = self.b.add(when - days(1), "Payroll", f"{m}月分給与 パート2名",
                                 [("Expenses:Wages", 88000 + ito), (WHT, -wht),
                                  (NET, -(88000 + ito - wht))], OWN)  # fmt: skip
            self.wages.append(journal)
            for name, text, net in (("Sato Mika", "ｷﾕｳﾖ ｻﾄｳ ﾐｶ", 88000),
                                    ("Ito Ken", "ｷﾕｳﾖ ｲﾄｳ ｹﾝ", ito - wht)):  # fmt: skip
                t = self.mf(when, text, f"{name} {m}月分", [(BANK, -net), (NET, net)])
                self.netpays.append(t)
        paid = self.mf(date(2025, 7, 10), "ｹﾞﾝｾﾝｼﾖﾄｸｾﾞｲ", "源泉所得税 1-6月",
                       [(BANK, -9600), (WHT, 9600)])  # fmt: skip
        self.other.append(paid)

    def regulars(self):
        for y, m in months(START, 12):
            for text, narration, amount, account, day in (
                ("ﾔﾁﾝ ｵｵﾂｶ ｼｹﾞﾙ", "工房家賃", 120000, "Expenses:Rent", 27),
                ("ﾄｳｷﾖｳﾃﾞﾝﾘﾖｸ", "電気代", self.yen(21000, 58000), "Expenses:Utilities", 20),
                ("NTTﾋｶﾞｼﾆﾎﾝ", "電話・光回線", 6248, "Expenses:Telecom", 26),
            ):  # fmt: skip
                t = self.mf(business(date(y, m, day)), text, narration,
                            [(BANK, -amount), (account, amount)])  # fmt: skip
                self.other.append(t)
