"""Quillmetric Inc.: a B2B analytics SaaS company (Delaware), USD books with a EUR account,
2025.

Mercury checking and treasury come in through a script over Mercury's API (`mercury_id`),
the Qonto EUR account from Qonto's CSV export (`qonto_id`), the Brex card from Brex's export
(`brex_id`); Stripe's balance transactions (daily charges, refunds `re_`, disputes `dp_`) from
a script writing `stripe_id` (not a bank line); Gusto payroll journals from Gusto's journal
export (`gusto_payroll_id`). Bills, invoices to annual customers, accruals and deferred revenue
are typed by the fractional controller; the founder types some card receipts."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from core import Book, P, Txn, cents, money

CHK = "Assets:Mercury:Checking"
TREAS = "Assets:Mercury:Treasury"
EUR = "Assets:Qonto:EUR"
CARD = "Liabilities:Brex:Card"
STRIPE = "Assets:Stripe:Balance"
AR = "Assets:AccountsReceivable"
AP = "Liabilities:AccountsPayable"
TAXES = "Liabilities:Payroll:Taxes"
NETPAY = "Liabilities:Payroll:NetPay"
DEFREV = "Liabilities:DeferredRevenue"
ACCR = "Liabilities:Accrued"
UNCAT = "Expenses:Uncategorized"

MERCURY = "ledgers/banks/mercury.beancount"
QONTO = "ledgers/banks/qonto.beancount"
BREX = "ledgers/banks/brex.beancount"
STRIPEF = "ledgers/stripe/balance-2025.beancount"
GUSTO = "ledgers/payroll/gusto.beancount"
TYPED = "ledgers/controller/2025.beancount"
CLOSE = "ledgers/controller/close-2025.beancount"
FOUNDER = "ledgers/founder/receipts.beancount"

HEADER = ['option "operating_currency" "USD"']

ACCOUNTS = [
    CHK,
    TREAS,
    CARD,
    STRIPE,
    AR,
    TAXES,
    NETPAY,
    DEFREV,
    ACCR,
    UNCAT,
    "Equity:Opening",
    "Income:Subscriptions:Monthly",
    "Income:Subscriptions:Annual",
    "Income:Services:Onboarding",
    "Income:Interest",
    "Expenses:Hosting:AWS",
    "Expenses:Hosting:Cloudflare",
    "Expenses:Software",
    "Expenses:Payroll:Salaries",
    "Expenses:Payroll:Taxes",
    "Expenses:Fees:Stripe",
    "Expenses:Fees:Bank",
    "Expenses:Chargebacks",
    "Expenses:Travel",
    "Expenses:Meals",
    "Expenses:Office:Coworking",
    "Expenses:Legal",
    "Expenses:Insurance",
    "Expenses:Marketing:Ads",
    "Expenses:Marketing:Events",
    "Liabilities:DueToFounder",
    "Expenses:Equipment",
]
MULTI = [EUR, AP, "Expenses:Contractors", "Expenses:Fees:FX"]

CARD_SPEND = [  # payee, text, account, low, high, narration
    ("Uber", "UBER *TRIP HELP.UBER.COM", "Expenses:Travel", 14, 68, "Ride"),
    ("Lyft", "LYFT *RIDE SUN 4PM", "Expenses:Travel", 12, 55, "Ride"),
    ("United Airlines", "UNITED 0162345987712", "Expenses:Travel", 240, 780, "Flight"),
    ("Marriott", "MARRIOTT SF MARQUIS", "Expenses:Travel", 260, 940, "Hotel"),
    ("Sweetgreen", "SWEETGREEN SOMA", "Expenses:Meals", 14, 60, "Team lunch"),
    ("Blue Bottle Coffee", "BLUE BOTTLE COFFEE 0021", "Expenses:Meals", 6, 34, "Coffee"),
    ("Google Ads", "GOOGLE *ADS8842103117", "Expenses:Marketing:Ads", 300, 1400, "Search ads"),
    ("LinkedIn", "LINKEDIN 7739201 LNKD.IN", "Expenses:Marketing:Ads", 250, 900, "Ads"),
]
SUBS = [  # payee, text, amount, day, narration
    ("GitHub", "GITHUB, INC.", "84.00", 3, "GitHub Team"),
    ("Slack", "SLACK T03QM7HB", "262.50", 7, "Slack Pro, 30 seats"),
    ("Linear", "LINEAR ORBIT INC", "96.00", 9, "Linear Standard"),
    ("Figma", "FIGMA MONTHLY", "135.00", 11, "Figma Professional"),
    ("Google Workspace", "GOOGLE *GSUITE_QUILLM", "168.00", 1, "Workspace, 12 users"),
    ("Cloudflare", "CLOUDFLARE", "200.00", 4, "Cloudflare Pro + Workers"),
]
CUSTOMERS = [  # name, bank text, annual fee, currency
    ("Northwind Logistics", "NORTHWIND LOGISTICS", "18000.00", "USD"),
    ("Brightline Health", "BRIGHTLINE HEALTH INC", "12000.00", "USD"),
    ("Catalpa Retail", "CATALPA RETAIL GRP", "12000.00", "USD"),
    ("Ostrander Capital", "OSTRANDER CAPITAL LP", "30000.00", "USD"),
    ("Verdant Foods", "VERDANT FOODS CO", "9600.00", "USD"),
    ("Halvorsen Marine", "HALVORSEN MARINE", "14400.00", "USD"),
    ("Maison Lebrun", "MAISON LEBRUN SAS", "11000.00", "EUR"),
    ("Studio Vennbeck", "STUDIO VENNBECK GMBH", "8400.00", "EUR"),
    ("Tidewater Analytics", "TIDEWATER ANALYTICS", "24000.00", "USD"),
    ("Pell & Quarry", "PELL AND QUARRY LLC", "12000.00", "USD"),
    ("Ferro Cycles", "FERRO CYCLES INC", "7200.00", "USD"),
    ("Lumen Dental Group", "LUMEN DENTAL GROUP", "16800.00", "USD"),
]
EURUSD = [
    "1.0350",
    "1.0410",
    "1.0820",
    "1.1360",
    "1.1290",
    "1.1520",
    "1.1680",
    "1.1620",
    "1.1730",
    "1.1610",
    "1.1550",
    "1.1640",
]


def dispute_postings(amount: str) -> list:
    """A card dispute on Stripe: the amount taken back and Stripe's 15.00 fee."""
    return [
        P("Expenses:Chargebacks", amount),
        P("Expenses:Fees:Stripe", "15.00"),
        P(STRIPE, -money(amount) - 15),
    ]


def weekday(d: dt.date) -> dt.date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def business_days(year: int):
    d = dt.date(year, 1, 2)
    while d.year == year:
        if d.weekday() < 5:
            yield d
        d += dt.timedelta(days=1)


class Quillmetric:
    def __init__(self) -> None:
        self.rng = random.Random(20250101)
        self.b = Book("quillmetric", HEADER, "USD")
        self.stock: dict[str, list[Txn]] = {}
        self.stripe_real: list[Txn] = []  # Stripe activity the payouts carry (no copies)
        self.failed: dict[str, list[list[str]]] = {}
        self.inv = 40

    def keep(self, key: str, t: Txn) -> Txn:
        self.stock.setdefault(key, []).append(t)
        return t

    def hexid(self, prefix: str, n: int = 14) -> str:
        return prefix + "".join(
            self.rng.choice("0123456789abcdefghjkmnpqrstvwxyz") for _ in range(n)
        )

    # -- entry makers ---------------------------------------------------------------------

    def mercury(self, d, payee, narration, amount, counter, *, text, acct=CHK, **kw) -> Txn:
        amount = money(amount)
        postings = counter if isinstance(counter, list) else [P(counter, -amount)]
        return self.b.add(
            d,
            payee,
            narration,
            [P(acct, amount), *postings],
            file=MERCURY,
            meta={"mercury_id": self.hexid("txn_", 12)},
            text=text,
            **kw,
        )

    def qonto(self, d, payee, narration, amount, counter, *, text, **kw) -> Txn:
        amount = money(amount)
        postings = counter if isinstance(counter, list) else [P(counter, -amount, "EUR")]
        return self.b.add(
            d,
            payee,
            narration,
            [P(EUR, amount, "EUR"), *postings],
            file=QONTO,
            meta={"qonto_id": self.hexid("", 8) + "-" + self.hexid("", 4)},
            text=text,
            **kw,
        )

    def brex(self, d, payee, narration, spent, account, *, text, member="", **kw) -> Txn:
        spent = money(spent)
        postings = account if isinstance(account, list) else [P(account, spent)]
        return self.b.add(
            d,
            payee,
            narration,
            [P(CARD, -spent), *postings],
            file=BREX,
            meta={"brex_id": self.hexid("dpst_", 16)},
            text=text,
            bank_type=member,
            **kw,
        )

    def typed(self, d, payee, narration, postings, file=TYPED, **kw) -> Txn:
        return self.b.add(d, payee, narration, postings, file=file, **kw)

    def stripe(self, d, payee, narration, postings, sid, **kw) -> Txn:
        t = self.b.add(d, payee, narration, postings, file=STRIPEF, meta={"stripe_id": sid}, **kw)
        self.stripe_real.append(t)
        return t

    def dispute(self, d, amount: str) -> Txn:
        return self.stripe(d, None, "Dispute", dispute_postings(amount), self.hexid("dp_1Q", 12))

    def bill(self, d, vendor, number, amount, account, narration, cur="USD", meta=True) -> Txn:
        amount = money(amount)
        return self.typed(
            d,
            vendor,
            narration,
            [P(account, amount, cur), P(AP, -amount, cur, **({"invoice": number} if meta else {}))],
        )

    def invoice(self, d, customer, amount, cur, what="Annual subscription") -> Txn:
        self.inv += self.rng.randint(1, 3)
        number = f"QM-2025-{self.inv:04d}"
        if "Annual" not in what:  # services are numbered in a series of their own
            number = f"QM-S-2025-{self.inv % 7 + 1:03d}"
        amount = money(amount)
        return self.typed(
            d,
            customer,
            f"{what}, invoice {number}",
            [
                P(AR, amount, cur, invoice=number),
                P(DEFREV if "Annual" in what else "Income:Services:Onboarding", -amount, cur),
            ],
        )

    # -- the year -------------------------------------------------------------------------

    def build(self) -> Book:
        b = self.b
        for a in ACCOUNTS:
            b.open(dt.date(2024, 12, 1), a)
        for a in MULTI:
            b.open(dt.date(2024, 12, 1), a)
        for i, rate in enumerate(EURUSD):
            b.other.append((dt.date(2025, i + 1, 1), f"2025-{i + 1:02d}-01 price EUR {rate} USD"))
        b.add(
            dt.date(2025, 1, 1),
            None,
            "Opening balances",
            [
                P(CHK, "412350.00"),
                P(TREAS, "750000.00"),
                P(EUR, "38400.00", "EUR"),
                P(STRIPE, "0.00"),
                P(DEFREV, "-96000.00"),
                P("Equity:Opening", "-1066350.00"),
                P("Equity:Opening", "-38400.00", "EUR"),
            ],
            file=TYPED,
            lines_on=set(),
        )
        self.year()
        return b

    def year(self) -> None:
        r = self.rng
        for day in business_days(2025):
            gross = cents(r.randint(180000, 520000))
            fee = (gross * Decimal("0.031")).quantize(Decimal("0.01"))
            self.keep(
                "charges",
                self.stripe(
                    day,
                    None,
                    f"Stripe charges {day}",
                    [
                        P(STRIPE, gross - fee),
                        P("Expenses:Fees:Stripe", fee),
                        P("Income:Subscriptions:Monthly", -gross),
                    ],
                    self.hexid("txr_", 10),
                ),
            )
            if r.random() < 0.14:
                amt = money(r.choice([49, 99, 99, 149, 249, 49]))
                self.keep(
                    "refund",
                    self.stripe(
                        day,
                        None,
                        "Refund",
                        [P("Income:Subscriptions:Monthly", amt), P(STRIPE, -amt)],
                        self.hexid("re_3Q", 12),
                    ),
                )
        for m in range(1, 13):
            self.month(m)
        self.customers()

    def month(self, m: int) -> None:
        r = self.rng
        # Card: subscriptions, AWS, Datadog, and the team's spending.
        for payee, text, amt, day, narration in SUBS:
            self.keep(
                f"sub-{payee}",
                self.brex(
                    dt.date(2025, m, day),
                    payee,
                    narration,
                    amt,
                    "Expenses:Software" if payee != "Cloudflare" else "Expenses:Hosting:Cloudflare",
                    text=text,
                ),
            )
        self.keep(
            "aws",
            self.brex(
                dt.date(2025, m, 2),
                "Amazon Web Services",
                f"AWS usage {2025 if m > 1 else 2024}-{(m - 2) % 12 + 1:02d}",
                cents(r.randint(240000, 410000)),
                "Expenses:Hosting:AWS",
                text="AWS EMEA AWS.AMAZON.CO" if m % 5 == 0 else "AMAZON WEB SERVICES",
            ),
        )
        for _ in range(11):
            payee, text, account, lo, hi, narration = r.choice(CARD_SPEND)
            d = dt.date(2025, m, r.randint(1, 28))
            member = r.choice(["M. Osei", "J. Albrecht", "P. Lindqvist"])
            self.keep(
                f"card-{payee}",
                self.brex(
                    d,
                    payee,
                    narration,
                    cents(r.randint(lo * 100, hi * 100)),
                    account,
                    text=text,
                    member=member,
                ),
            )
        # Mercury: rent, insurance, fees, the treasury sweep and its interest.
        self.keep(
            "wework",
            self.mercury(
                weekday(dt.date(2025, m, 1)),
                "WeWork",
                "Coworking, 4 desks",
                "-1850.00",
                "Expenses:Office:Coworking",
                text="WEWORK COMPANIES ACH",
            ),
        )
        self.mercury(
            weekday(dt.date(2025, m, 10)),
            "Vouch Insurance",
            "D&O and cyber",
            "-412.00",
            "Expenses:Insurance",
            text="VOUCH INSURANCE",
        )
        self.keep(
            "sweep",
            self.mercury(
                weekday(dt.date(2025, m, 20)),
                None,
                "Sweep to Treasury",
                "-50000.00",
                TREAS,
                text="TRANSFER TO MERCURY TREASURY",
                text_on={TREAS: "TRANSFER FROM CHECKING"},
            ),
        )
        self.mercury(
            dt.date(2025, m, 28),
            "Mercury",
            "Treasury yield",
            cents(r.randint(280000, 360000)),
            "Income:Interest",
            text="TREASURY DIVIDEND",
            acct=TREAS,
        )
        # Qonto: the bank's fee, EU contractors and the monthly funding from Mercury.
        self.qonto(
            weekday(dt.date(2025, m, 1)),
            "Qonto",
            "Plan Essential",
            "-29.00",
            "Expenses:Fees:Bank",
            text="QONTO / Abonnement",
        )
        rate = Decimal(EURUSD[m - 1])
        eur = money(r.choice([9000, 10000, 12000]))
        usd = (eur * rate).quantize(Decimal("0.01"))
        self.keep(
            "funding",
            self.mercury(
                weekday(dt.date(2025, m, 5)),
                "Quillmetric Inc.",
                "Fund Qonto EUR account",
                -usd,
                [P(EUR, eur, "EUR", f"@@ {usd} USD")],
                text="WIRE OUT QONTO QUILLMETRIC",
                text_on={EUR: "QUILLMETRIC INC / Funding"},
            ),
        )
        for vendor, prefix, amt, text in [
            ("Atelier Brun SARL", "F-2025-0", "4800.00", "ATELIER BRUN"),
            ("Kowalczyk Dev Sp. z o.o.", "KD/2025/", "3950.00", "KOWALCZYK DEV SP Z O O"),
        ]:
            number = f"{prefix}{m + 10 if prefix.startswith('F') else m:02d}"
            bill = self.bill(
                dt.date(2025, m, 1) + dt.timedelta(days=r.randint(0, 3)),
                vendor,
                number,
                amt,
                "Expenses:Contractors",
                f"Development services, invoice {number}",
                cur="EUR",
            )
            self.keep(f"bill-{prefix[:2]}", bill)
            pay = self.qonto(
                weekday(dt.date(2025, m, 14)),
                vendor,
                f"Invoice {number}",
                -money(amt),
                AP,
                text=f"{text} / {number}",
            )
            self.keep(f"pay-{prefix[:2]}", pay)
        self.payroll(m)
        self.founder(m)
        # Close: deferred revenue recognised, AWS accrual and its reversal.
        last = dt.date(2025, m, 28) + dt.timedelta(days=4)
        last = last.replace(day=1) - dt.timedelta(days=1)
        self.keep(
            "recognise",
            self.typed(
                last,
                None,
                "Recognise annual subscriptions",
                [P(DEFREV, "8000.00"), P("Income:Subscriptions:Annual", "-8000.00")],
                file=CLOSE,
            ),
        )
        self.keep(
            "accrual",
            self.typed(
                last,
                "Amazon Web Services",
                f"Accrue AWS usage 2025-{m:02d}",
                [P("Expenses:Hosting:AWS", "3000.00"), P(ACCR, "-3000.00")],
                file=CLOSE,
            ),
        )
        if m < 12:
            self.keep(
                "reversal",
                self.typed(
                    last + dt.timedelta(days=1),
                    "Amazon Web Services",
                    f"Reverse accrual of AWS usage 2025-{m:02d}",
                    [P("Expenses:Hosting:AWS", "-3000.00"), P(ACCR, "3000.00")],
                    file=CLOSE,
                ),
            )

    def founder(self, m: int) -> None:
        """The founder's out-of-pocket receipts, typed by her, repaid each quarter."""
        r = self.rng
        for _ in range(2):
            what, account = r.choice(
                [
                    ("Parking, client visit", "Expenses:Travel"),
                    ("Printer ink", "Expenses:Equipment"),
                    ("Caltrain tickets", "Expenses:Travel"),
                    ("Coffee with a prospect", "Expenses:Meals"),
                    ("USB-C hub", "Expenses:Equipment"),
                ]
            )
            amt = cents(r.randint(600, 9000))
            self.keep(
                "out_of_pocket",
                self.typed(
                    dt.date(2025, m, r.randint(1, 28)),
                    None,
                    f"{what} (paid personally)",
                    [P(account, amt), P("Liabilities:DueToFounder", -amt)],
                    file=FOUNDER,
                ),
            )
        if m % 3 == 0:
            owed = sum(
                (-t.postings[1].amount for t in self.stock["out_of_pocket"][-6:]), Decimal(0)
            )
            self.mercury(
                weekday(dt.date(2025, m, 25)),
                "M. Osei",
                f"Reimburse out-of-pocket expenses Q{m // 3}",
                -owed,
                "Liabilities:DueToFounder",
                text="M OSEI REIMBURSEMENT",
            )

    def payroll(self, m: int) -> None:
        for day in (15, 31):
            try:
                d = dt.date(2025, m, day)
            except ValueError:
                d = dt.date(2025, m + 1, 1) - dt.timedelta(days=1)
            while d.weekday() >= 5:
                d -= dt.timedelta(days=1)
            gross = money("41250.00") if m < 7 else money("44583.34")
            if m == 12 and day == 15:
                gross += money("10000.00")
            net = (gross * Decimal("0.6842")).quantize(Decimal("0.01"))
            employer = (gross * Decimal("0.0786")).quantize(Decimal("0.01"))
            tax = gross - net + employer
            run = f"{d:%y%m%d}"
            self.keep(
                "journal",
                self.typed(
                    d - dt.timedelta(days=2),
                    "Gusto",
                    f"Payroll {d}",
                    [
                        P("Expenses:Payroll:Salaries", gross),
                        P("Expenses:Payroll:Taxes", employer),
                        P(NETPAY, -net),
                        P(TAXES, -tax),
                    ],
                    file=GUSTO,
                    meta={"gusto_payroll_id": f"pr_{run}{self.hexid('', 6)}"},
                ),
            )
            self.keep(
                "net",
                self.mercury(
                    d, "Gusto", f"Net pay {d}", -net, NETPAY, text=f"GUSTO NET {run} QUILLMETRIC"
                ),
            )
            self.keep(
                "tax",
                self.mercury(
                    d,
                    "Gusto",
                    f"Payroll taxes {d}",
                    -tax,
                    TAXES,
                    text=f"GUSTO TAX {run} QUILLMETRIC",
                ),
            )

    def customers(self) -> None:
        r = self.rng
        for i, (name, text, fee, cur) in enumerate(CUSTOMERS):
            start = dt.date(2025, 1 + i, r.randint(2, 20)) if i < 12 else dt.date(2025, 6, 2)
            inv = self.keep("invoice", self.invoice(start, name, fee, cur))
            number = inv.postings[0].meta["invoice"]
            paid = weekday(start + dt.timedelta(days=r.randint(12, 35)))
            if paid.year > 2025:
                continue
            if cur == "EUR":
                pay = self.qonto(
                    paid, name, f"Invoice {number}", fee, AR, text=f"{text} / {number}"
                )
            else:
                pay = self.mercury(
                    paid,
                    name,
                    f"Invoice {number}",
                    fee,
                    AR,
                    text=f"{text} ACH PMT {number.replace('-', '')}",
                )
            self.keep("receipt", pay)

    def finish(self) -> None:
        """Stripe payouts (two business days after the activity) and Brex repayments."""
        days = list(business_days(2025))
        net: dict[dt.date, Decimal] = {}
        for t in self.stripe_real:
            net[t.date] = net.get(t.date, Decimal(0)) + t.amount_on(STRIPE)
        for i, day in enumerate(days[:-2]):
            amount = net.get(day, Decimal(0))
            if amount <= 0:
                continue
            arrive = days[i + 2]
            po = self.hexid("po_1Q", 14)
            t = self.mercury(
                arrive,
                "Stripe",
                f"Stripe payout {po}",
                amount,
                STRIPE,
                text=f"STRIPE TRANSFER ST-{po[5:11].upper()}",
            )
            self.keep("payout", t)
        owed: dict[int, Decimal] = {}
        for t in self.b.txns:
            if t.lines_on is not None and CARD not in t.lines_on:
                continue
            for p in t.postings:
                if p.account == CARD and p.amount < 0:
                    owed[t.date.month] = owed.get(t.date.month, Decimal(0)) - p.amount
        for m in range(2, 13):
            self.keep(
                "brex_pay",
                self.mercury(
                    weekday(dt.date(2025, m, 3)),
                    "Brex",
                    f"Brex card statement 2025-{m - 1:02d}",
                    -owed.get(m - 1, Decimal(0)),
                    CARD,
                    text="BREX INC PAYMENT",
                    text_on={CARD: "PAYMENT - THANK YOU"},
                ),
            )
