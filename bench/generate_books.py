"""Seeded generator of realistic small-business books: the demo books and the bench books.

    python bench/generate_books.py --out .                           # the demo books
    python bench/generate_books.py --out DIR --years 10 --scale 8    # large books for make bench
    python bench/generate_books.py --out DIR --entities 3            # DIR/entity-01 ... -03

The demo books are a small design studio from October 2024 to December 2025: customers
invoiced with `invoice:`/`due:` metadata and paid by ACH or check (some late, some in part,
one written off), vendors billed and paid by check, ACH and card, semi-monthly payroll with the
tax liabilities paid the month after, rent, subscriptions, a card paid monthly, depreciation
and prepaid insurance posted by month-end closes, a bank loan, owner draws and bank fees. Bank
and card statements are written as the banks export them, in two CSV layouts. Every month
before the planted period reconciles to the cent (the generator asserts it); the planted
period (September 2025) carries the problems listed in the generated `ledgers/README.md`.

The same seed and options write the same bytes, so the committed demo books are exactly this
script's output (a test checks it) and the bench books need not be committed.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import io
import random
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import holidays

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CHECKING = "Assets:Bank:Checking"
SAVINGS = "Assets:Bank:Savings"
CARD = "Liabilities:CreditCard"
AR = "Assets:AccountsReceivable"
AP = "Liabilities:AccountsPayable"
FEDERAL = "Liabilities:Payroll:Federal"
STATE = "Liabilities:Payroll:State"
LOAN = "Liabilities:Loan:FirstCoastal"
PREPAID = "Assets:Prepaid:Insurance"
EQUIPMENT = "Assets:FixedAssets:Equipment"
DEPRECIATION = "Assets:FixedAssets:AccumulatedDepreciation"
ACCRUED = "Liabilities:AccruedExpenses"
UNCATEGORIZED = "Expenses:Uncategorized"
STATEMENT_DIRS = {CHECKING: "checking", SAVINGS: "savings", CARD: "card"}

ACCOUNTS = [
    (CHECKING, "operating account, First Coastal Bank ...4521"),
    (SAVINGS, "reserve account, First Coastal Bank ...7789"),
    (AR, "open customer invoices (invoice:/due: metadata)"),
    (PREPAID, "annual insurance premium, amortized monthly"),
    (EQUIPMENT, "computers and studio equipment at cost"),
    (DEPRECIATION, "accumulated depreciation (credit balance)"),
    (AP, "open vendor bills (invoice:/due: metadata)"),
    (CARD, "Capital One Spark card ...3318"),
    (FEDERAL, "federal withholding, FICA and FUTA owed to the IRS"),
    (STATE, "state withholding and SUI owed to the EDD"),
    (ACCRUED, "expenses incurred but not yet billed"),
    (LOAN, "equipment loan, 7.5% fixed"),
    ("Equity:Opening-Balances", ""),
    ("Equity:RetainedEarnings", ""),
    ("Equity:Owner:Contributions", ""),
    ("Equity:Owner:Draws", ""),
    ("Income:Services", "design and production fees"),
    ("Income:Interest", "savings interest"),
    ("Expenses:Advertising", ""),
    ("Expenses:BadDebt", "invoices written off"),
    ("Expenses:BankFees", ""),
    ("Expenses:Contractors", "freelancers and subcontractors"),
    ("Expenses:Depreciation", ""),
    ("Expenses:Insurance", ""),
    ("Expenses:Interest", "loan interest"),
    ("Expenses:Meals", ""),
    ("Expenses:Office", "supplies, postage, small equipment"),
    ("Expenses:Payroll:Wages", ""),
    ("Expenses:Payroll:Taxes", "employer FICA, FUTA and SUI"),
    ("Expenses:Printing", ""),
    ("Expenses:Professional", "accounting and legal"),
    ("Expenses:Rent", ""),
    ("Expenses:Software", "subscriptions"),
    ("Expenses:Telecom", ""),
    ("Expenses:Travel", ""),
    ("Expenses:Utilities", ""),
    (UNCATEGORIZED, "imported lines no rule matched; cleared before the close"),
]

ENTITIES = [
    ("Larkspur Design Studio LLC", "larkspur", ("Dana Reyes", "Sam Okafor", "Priya Shah")),
    ("Copperleaf Architecture LLP", "copperleaf", ("Lee Tran", "Ana Ortiz", "Wes Moreau")),
    ("Marigold Marketing Co", "marigold", ("Joy Kim", "Raj Patel", "Nora Baines")),
    ("Tidewater Consulting LLC", "tidewater", ("Ben Cole", "Eva Lund", "Omar Haddad")),
]

# fmt: off
CUSTOMER_WORDS = [
    "Northwind Traders", "Acme Robotics", "Bellweather Foods", "Cinder & Oak",
    "Driftwood Hotels", "Elmstreet Dental", "Foxglove Books", "Granite Peak Outfitters",
    "Harbor Lights Brewing", "Ironbark Fitness", "Juniper Health", "Kestrel Aviation",
    "Lumen Solar", "Meadowlark Farms", "Nimbus Analytics", "Orchard Lane Bakery",
    "Pinecrest Realty", "Quarry Hill Wines", "Riverstone Clinic", "Saltmarsh Surf Co",
    "Tallgrass Media", "Union Ferry Coffee",
]
# fmt: on
REGIONS = ("", " West", " East", " North", " South", " Pacific", " Central", " Coastal")

# Vendors billed through payables: (name, link slug, invoice-number style, account, low, high,
# chance of a bill in a month, how they are paid).
BILLERS = [
    ("Mira Chen Illustration", "MC-{n:03d}", "Expenses:Contractors", 600, 3200, 0.6, "check"),
    ("Fernwood Photography", "FP-{n:04d}", "Expenses:Contractors", 450, 2600, 0.5, "ach"),
    ("Blue Harbor Copywriting", "{n}", "Expenses:Contractors", 300, 1800, 0.6, "ach"),
    ("Pixel Print Co", "PP-{y}-{n:04d}", "Expenses:Printing", 180, 2400, 0.5, "check"),
    ("Atlas Legal LLP", "INV-{n:05d}", "Expenses:Professional", 400, 2500, 0.25, "check"),
    ("Summit Marketing Group", "SMG{n}", "Expenses:Advertising", 500, 2200, 0.3, "ach"),
    ("Redwood IT Services", "R-{n}", "Expenses:Contractors", 150, 900, 0.4, "ach"),
    ("Oakline Janitorial", "{n:05d}", "Expenses:Office", 220, 260, 1.0, "check"),
    ("Evergreen Plantscapes", "EP{n}", "Expenses:Office", 95, 95, 1.0, "check"),
    ("Brightline Motion", "BM-{y}{n:03d}", "Expenses:Contractors", 800, 4200, 0.3, "ach"),
    ("Stillwater Type Foundry", "ST-{n}", "Expenses:Software", 120, 600, 0.15, "ach"),
]
KEYSTONE = ("Keystone CPA", "K{y}-{n:03d}", "Expenses:Professional", 850, 850, 1.0, "ach")

# Card merchants: (books payee, statement description, account, low, high, times a month
# (fractions are chances), category the issuer prints, day of month for subscriptions).
CARD_MERCHANTS = [
    ("Figma", "FIGMA MONTHLY SUBSCRIPTION", "Expenses:Software", 75, 75, 1, "Software", 5),
    ("GitHub", "GITHUB, INC.", "Expenses:Software", 44, 44, 1, "Software", 7),
    ("Notion", "NOTION LABS, INC.", "Expenses:Software", 48, 48, 1, "Software", 9),
    ("Adobe", "ADOBE *CREATIVE CLOUD", "Expenses:Software", "89.99", "89.99", 1, "Software", 12),
    ("Slack", "SLACK T02HXL4QJ", "Expenses:Software", "43.75", "43.75", 1, "Software", 14),
    ("Google Workspace", "GOOGLE *GSUITE", "Expenses:Software", 72, 72, 1, "Software", 2),
    ("Zoom", "ZOOM.US 888-799-9666", "Expenses:Software", "15.99", "15.99", 1, "Software", 17),
    ("Dropbox", "DROPBOX*8H4F2", "Expenses:Software", 24, 24, 1, "Software", 19),
    ("1Password", "1PASSWORD", "Expenses:Software", "19.95", "19.95", 1, "Software", 21),
    ("Canva", "CANVA* I04557-2231", "Expenses:Software", "14.99", "14.99", 1, "Software", 23),
    (
        "Comcast Business",
        "COMCAST BUSINESS",
        "Expenses:Utilities",
        "129.99",
        "129.99",
        1,
        "Utilities",
        8,
    ),
    ("Verizon", "VERIZON WRLS P2031-01", "Expenses:Telecom", 85, 112, 1, "Phone/Cable", 18),
    ("Blue Bottle Coffee", "BLUE BOTTLE COFFEE OAK", "Expenses:Meals", "4.50", 18, 6, "Dining", 0),
    ("Bluebird Cafe", "BLUEBIRD CAFE", "Expenses:Meals", 38, 140, 2, "Dining", 0),
    ("Lyft", "LYFT *RIDE", "Expenses:Travel", 12, 58, 3, "Other Travel", 0),
    ("United Airlines", "UNITED 0162345678901", "Expenses:Travel", 220, 680, 0.3, "Airfare", 0),
    ("Marriott", "MARRIOTT SF UNION SQ", "Expenses:Travel", 180, 520, 0.25, "Lodging", 0),
    ("Staples", "STAPLES 00114", "Expenses:Office", 18, 160, 1, "Merchandise", 0),
    ("Amazon", "AMZN Mktp US*2K4", "Expenses:Office", 15, 320, 2, "Merchandise", 0),
    ("FedEx", "FEDEX 78220431", "Expenses:Office", 12, 65, 1, "Other Services", 0),
    ("Meta", "FACEBK *ADS 8J2K", "Expenses:Advertising", 150, 600, 1, "Other Services", 0),
]

PROJECTS = (
    "brand refresh, logo and guidelines",
    "website redesign, phase {p}",
    "packaging for spring line",
    "annual report layout",
    "social campaign assets",
    "trade show booth graphics",
    "menu and signage",
    "product photography art direction",
    "pitch deck design",
    "retainer, {m}",
)


def money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: date, end: date) -> list[date]:
    """First days of the months from start's to end's, inclusive."""
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass
class Txn:
    date: date
    payee: str | None
    narration: str
    postings: list[tuple[str, Decimal | None]]
    meta: list[tuple[str, str]] = field(default_factory=list)
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    file: str = ""
    comment: str = ""

    def resolved(self) -> list[tuple[str, Decimal]]:
        """The postings with the one left blank filled in, as beancount would."""
        total = sum((amount for _, amount in self.postings if amount is not None), ZERO)
        return [(a, -total if amount is None else amount) for a, amount in self.postings]

    def render(self) -> str:
        head = f"{self.date} *"
        if self.payee is not None:
            head += f' "{self.payee}"'
        head += f' "{self.narration}"'
        head += "".join(f" #{tag}" for tag in self.tags)
        head += "".join(f" ^{link}" for link in self.links)
        lines = [f"; {self.comment}"] if self.comment else []
        lines.append(head)
        lines.extend(f"  {key}: {value}" for key, value in self.meta)
        for account, amount in self.postings:
            if amount is None:
                lines.append(f"  {account}")
            else:
                lines.append(f"  {account:<42}{amount:>12} USD")
        return "\n".join(lines) + "\n"


@dataclass
class BankLine:
    """A row of a bank or card statement, in the books' sign (into the account is positive)."""

    date: date
    amount: Decimal
    description: str
    kind: str
    check: str = ""
    posted: date | None = None
    deposit: bool = False  # check deposits made the same day are one bank line


@dataclass
class Planted:
    what: str
    where: str
    finds: str
    txn: Txn | None = None


@dataclass
class Spec:
    out: Path
    start: date
    end: date
    scale: int = 1
    seed: int = 2025
    entity: int = 0
    planted_period: date = date(2025, 9, 1)
    # From this month on, entries that only the checking statement knows of (none of their
    # other postings is a statement account) stay out of the ledger: the books lack those
    # lines truly, the balance assertions still say what the bank says, and `bo import` of
    # the statements must add exactly those lines for bean-check to pass again.
    unbooked_from: date | None = None

    @property
    def is_demo(self) -> bool:
        """The demo books at the repo root (their planted days are asserted and documented)."""
        return (self.start, self.scale, self.seed, self.entity) == (date(2024, 10, 1), 1, 2025, 0)


class Generator:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed * 1000 + spec.entity)
        self.name, self.short, self.people = ENTITIES[spec.entity % len(ENTITIES)]
        if spec.entity >= len(ENTITIES):
            self.name = f"{self.name.split(' ')[0]} {spec.entity + 1} LLC"
        self.txns: list[Txn] = []
        self.lines: dict[str, list[BankLine]] = defaultdict(list)
        self.planted: list[Planted] = []
        self.opening: dict[str, Decimal] = {}
        self.schedules: list[dict] = []
        self.closed = [m for m in months_between(spec.start, spec.end) if m < spec.planted_period]
        self.holidays = holidays.country_holidays(
            "US", subdiv="CA", years=range(spec.start.year, spec.end.year + 2)
        )
        self.invoice_no = 1000
        self.check_no = 1100
        self.vendor_seq: dict[str, int] = defaultdict(lambda: 10)
        self.card_balance = ZERO
        self.card_statement: dict[date, Decimal] = {}
        self.payroll_owed: dict[date, tuple[Decimal, Decimal]] = {}
        self.loan_balance = ZERO
        self.savings_balance = ZERO
        s = spec.scale
        self.customers = [
            (word + region, self.rng.choice((15, 30, 30, 30, 45)), self._delay_profile())
            for region in (REGIONS[i] if i < len(REGIONS) else f" {i}" for i in range(s))
            for word in CUSTOMER_WORDS
        ]
        self.billers = [
            (name if i == 0 else f"{name} {i + 1}", *rest)
            for i in range(s)
            for name, *rest in BILLERS
        ]
        self.employees = [Decimal(x) for x in (96000, 84000, 90000)] * s

    # -- calendar ------------------------------------------------------------------------

    def business_day(self, day: date, forward: bool = True) -> date:
        step = timedelta(days=1 if forward else -1)
        while day.weekday() >= 5 or day in self.holidays:
            day += step
        return day

    def random_day(self, month: date, first: int = 1, last: int | None = None) -> date:
        last = last or calendar.monthrange(month.year, month.month)[1]
        return self.business_day(month.replace(day=self.rng.randint(first, last)), forward=False)

    def amount(self, low: object, high: object, step: int = 1) -> Decimal:
        low_d, high_d = money(low), money(high)
        if low_d == high_d:
            return low_d
        if step > 1:
            return money(self.rng.randrange(int(low_d), int(high_d) + 1, step))
        cents = self.rng.randint(int(low_d * 100), int(high_d * 100))
        return money(Decimal(cents) / 100)

    def _delay_profile(self) -> int:
        roll = self.rng.random()
        return 0 if roll < 0.6 else self.rng.randint(5, 15) if roll < 0.9 else 35

    # -- recording -----------------------------------------------------------------------

    def add(self, txn: Txn) -> Txn:
        if not txn.file:
            txn.file = str(txn.date.year)
        if self.spec.start - timedelta(days=1) <= txn.date <= self.spec.end:
            self.txns.append(txn)
        return txn

    def bank(self, account: str, line: BankLine) -> None:
        if line.date <= self.spec.end and line.date >= self.spec.start:
            self.lines[account].append(line)

    # -- the story -----------------------------------------------------------------------

    def generate(self) -> None:
        self.open_books()
        for month in months_between(self.spec.start, self.spec.end):
            self.month(month)
        self.closing_entries()

    def open_books(self) -> None:
        s = Decimal(self.spec.scale)
        day = self.spec.start - timedelta(days=1)
        months_left = (13 - self.spec.start.month) % 12
        fed, state = self.payroll_taxes(sum(self.employees) / 24)
        self.opening = {
            CHECKING: money(65000 * s),
            SAVINGS: money(20000 * s),
            PREPAID: money(400 * s * months_left),
            EQUIPMENT: money(24000 * s),
            DEPRECIATION: money(-4000 * s),
            CARD: money(Decimal("-1840.22") * s),
            FEDERAL: -2 * fed,
            STATE: -2 * state,
            LOAN: money(-30000 * s),
        }
        self.card_balance = self.opening[CARD]
        self.card_statement[add_months(self.spec.start, -1)] = self.card_balance
        self.payroll_owed[add_months(self.spec.start, -1)] = (2 * fed, 2 * state)
        self.loan_balance = -self.opening[LOAN]
        self.savings_balance = self.opening[SAVINGS]
        postings = [(account, amount) for account, amount in self.opening.items() if amount]
        postings.append(("Equity:Opening-Balances", None))
        self.add(
            Txn(
                day,
                None,
                "Opening balances from the prior bookkeeper's trial balance",
                postings,
                file=str(self.spec.start.year),
            )
        )
        self.schedule(
            "depreciation-equipment-2023",
            "Depreciation: studio equipment",
            "Expenses:Depreciation",
            DEPRECIATION,
            money(400 * s),
            self.spec.start,
            add_months(self.spec.start, 49),
        )
        if months_left:
            self.schedule(
                f"prepaid-insurance-{self.spec.start.year}",
                f"Insurance expense: {self.spec.start.year} policy",
                "Expenses:Insurance",
                PREPAID,
                money(400 * s),
                self.spec.start,
                date(self.spec.start.year, 12, 1),
            )
        self.schedule(
            "accrued-bookkeeping",
            "Accrued bookkeeping fee (Keystone CPA bills on the 10th)",
            "Expenses:Professional",
            ACCRUED,
            money(850 * s),
            self.spec.start,
            self.spec.end,
            reverse=True,
        )

    def schedule(
        self,
        sid: str,
        title: str,
        debit: str,
        credit: str,
        amount: Decimal,
        start: date,
        end: date,
        reverse: bool = False,
    ) -> None:
        entry = {
            "id": sid,
            "title": title,
            "debit": debit,
            "credit": credit,
            "amount": amount,
            "from": start,
            "to": end,
            "reverse": reverse,
        }
        self.schedules.append(entry)

    def month(self, month: date) -> None:
        s = Decimal(self.spec.scale)
        end = month_end(month)
        self.rent(month, s)
        self.receivables(month)
        self.payables(month)
        self.card(month)
        self.payroll(month)
        self.payroll_tax_payments(month)
        self.loan(month)
        self.card_payment(month)
        self.utilities(month, s)
        self.draws(month, s)
        self.savings(month, s)
        if month.month == 1:
            self.insurance(month, s)
        if month.month == 3 and (2025 - month.year) % 3 == 0:
            self.equipment(month, s)
        fee_day = self.business_day(end, forward=False)
        self.add(
            Txn(
                fee_day,
                "First Coastal Bank",
                "Monthly service fee",
                [("Expenses:BankFees", money(25)), (CHECKING, None)],
            )
        )
        self.bank(CHECKING, BankLine(fee_day, money(-25), "MONTHLY SERVICE FEE", "FEE_TRANSACTION"))
        if month == self.spec.planted_period:
            self.plant(month)
        self.card_statement[month] = self.card_balance

    def rent(self, month: date, s: Decimal) -> None:
        day = self.business_day(month)
        rent = money(4200 * s)
        self.add(
            Txn(
                day,
                "Harbor Properties",
                f"Rent {month:%B %Y}",
                [("Expenses:Rent", rent), (CHECKING, None)],
            )
        )
        self.bank(CHECKING, BankLine(day, -rent, "HARBOR PROPERTIES ACH RENT", "ACH_DEBIT"))

    def utilities(self, month: date, s: Decimal) -> None:
        day = self.business_day(month.replace(day=12))
        season = 1.5 if month.month in (12, 1, 2, 7, 8) else 1.0
        bill = money(self.amount(160, 260) * Decimal(str(season)) * s)
        self.add(
            Txn(
                day,
                "PG&E",
                f"Electric and gas, {month:%B}",
                [("Expenses:Utilities", bill), (CHECKING, None)],
            )
        )
        self.bank(CHECKING, BankLine(day, -bill, "PGANDE WEB ONLINE", "ACH_DEBIT"))

    def draws(self, month: date, s: Decimal) -> None:
        day = self.business_day(month.replace(day=20))
        draw = money(3000 * s)
        owner = self.people[2]
        self.add(Txn(day, owner, "Owner draw", [("Equity:Owner:Draws", draw), (CHECKING, None)]))
        last = owner.split()[-1].upper()
        self.bank(
            CHECKING, BankLine(day, -draw, f"ONLINE TRANSFER TO {last} CHK ...0917", "ACCT_XFER")
        )

    def savings(self, month: date, s: Decimal) -> None:
        if month.month in (3, 6, 9, 12):
            day = self.business_day(month.replace(day=27), forward=False)
            amount = money(5000 * s)
            self.add(
                Txn(
                    day,
                    None,
                    "Transfer to reserve savings",
                    [(SAVINGS, amount), (CHECKING, -amount)],
                )
            )
            self.bank(
                CHECKING, BankLine(day, -amount, "ONLINE TRANSFER TO SAV ...7789", "ACCT_XFER")
            )
            self.bank(
                SAVINGS, BankLine(day, amount, "ONLINE TRANSFER FROM CHK ...4521", "ACCT_XFER")
            )
            self.savings_balance += amount
        day = month_end(month)
        interest = money(self.savings_balance * Decimal("0.02") / 12)
        self.add(
            Txn(
                day,
                "First Coastal Bank",
                "Savings interest",
                [(SAVINGS, interest), ("Income:Interest", None)],
            )
        )
        self.bank(SAVINGS, BankLine(day, interest, "INTEREST PAYMENT", "MISC_CREDIT"))
        self.savings_balance += interest

    def insurance(self, month: date, s: Decimal) -> None:
        day = self.business_day(month.replace(day=6))
        premium = money(4800 * s)
        self.add(
            Txn(
                day,
                "The Hartford",
                f"Business owner's policy {month.year}, annual premium",
                [(PREPAID, premium), (CHECKING, None)],
            )
        )
        self.bank(CHECKING, BankLine(day, -premium, "THE HARTFORD ACH PREM", "ACH_DEBIT"))
        self.schedule(
            f"prepaid-insurance-{month.year}",
            f"Insurance expense: {month.year} policy",
            "Expenses:Insurance",
            PREPAID,
            money(400 * s),
            month,
            date(month.year, 12, 1),
        )

    def equipment(self, month: date, s: Decimal) -> None:
        day = self.business_day(month.replace(day=10))
        cost = money(3600 * s)
        self.add(Txn(day, "Apple", "Two design workstations", [(EQUIPMENT, cost), (CARD, None)]))
        self.card_line(day, -cost, "APPLE STORE #R102", "Merchandise")
        self.schedule(
            f"depreciation-workstations-{month.year}",
            f"Depreciation: workstations bought {month:%B %Y} (36 months)",
            "Expenses:Depreciation",
            DEPRECIATION,
            money(cost / 36),
            add_months(month, 1),
            add_months(month, 36),
        )

    # -- receivables ---------------------------------------------------------------------

    def receivables(self, month: date) -> None:
        for customer, terms, delay in self.customers:
            count = 1 if self.rng.random() < 0.5 else 0
            if self.rng.random() < 0.1:
                count += 1
            for _ in range(count):
                day = self.random_day(month, last=26)
                self.invoice(customer, day, terms, delay, self.amount(1200, 7400, 50))

    def invoice(
        self, customer: str, day: date, terms: int, delay: int, amount: Decimal, pay: bool = True
    ) -> Txn:
        self.invoice_no += 1
        number = f"INV-{self.invoice_no}"
        due = day + timedelta(days=terms)
        project = self.rng.choice(PROJECTS).format(p=self.rng.randint(1, 3), m=f"{day:%B}")
        txn = self.add(
            Txn(
                day,
                customer,
                f"Invoice {number}: {project}",
                [(AR, amount), ("Income:Services", None)],
                meta=[("invoice", f'"{number}"'), ("due", str(due))],
                links=(number,),
            )
        )
        if not pay:
            return txn
        roll = self.rng.random()
        paid_on = self.business_day(due + timedelta(days=delay + self.rng.randint(-4, 3)))
        if roll < 0.03:
            credit = money(amount * Decimal("0.1"))
            self.add(
                Txn(
                    day + timedelta(days=9),
                    customer,
                    f"Credit note CN-{self.invoice_no}: discount on {number}",
                    [("Income:Services", credit), (AR, -credit)],
                    meta=[("invoice", f'"{number}"')],
                    links=(number,),
                )
            )
            self.receipt(customer, number, paid_on, amount - credit)
        elif roll < 0.11:
            first = money(amount * Decimal(self.rng.choice(("0.5", "0.6", "0.4"))))
            self.receipt(customer, number, paid_on, first, "partial payment")
            later = self.business_day(paid_on + timedelta(days=self.rng.randint(20, 35)))
            self.receipt(customer, number, later, amount - first, "final payment")
        else:
            self.receipt(customer, number, paid_on, amount)
        return txn

    def receipt(
        self,
        customer: str,
        number: str,
        day: date,
        amount: Decimal,
        what: str = "payment",
        bank_day: date | None = None,
    ) -> Txn:
        by_check = self.rng.random() < 0.3
        if by_check and self.spec.scale == 1:
            # The studio takes checks to the bank on Tuesdays and Fridays; a firm many times
            # its size (the bench books) deposits every day, a few checks a slip.
            while day.weekday() not in (1, 4) or day in self.holidays:
                day += timedelta(days=1)
        txn = self.add(
            Txn(
                day,
                customer,
                f"{what.capitalize()} for {number}" + (" (check)" if by_check else ""),
                [(CHECKING, amount), (AR, None)],
                meta=[("invoice", f'"{number}"')],
                links=(number,),
            )
        )
        bank_day = bank_day or day
        if by_check:
            self.bank(
                CHECKING,
                BankLine(bank_day, amount, "REMOTE ONLINE DEPOSIT", "DEPOSIT", deposit=True),
            )
        else:
            ref = f" {number.replace('-', '')}" if self.rng.random() < 0.5 else ""
            self.bank(
                CHECKING,
                BankLine(bank_day, amount, f"{customer.upper()} ACH PMT{ref}", "ACH_CREDIT"),
            )
        return txn

    # -- payables ------------------------------------------------------------------------

    def payables(self, month: date) -> None:
        for biller in self.billers:
            if self.rng.random() < biller[5]:
                self.bill(biller, self.random_day(month, last=24))
        if month > self.spec.start:
            # Keystone bills the month before on the 10th; the close accrued it.
            self.bill(
                KEYSTONE,
                self.business_day(month.replace(day=10)),
                terms=15,
                narration=f"Bookkeeping, {add_months(month, -1):%B %Y}",
            )

    def bill(
        self,
        biller: tuple,
        day: date,
        terms: int = 21,
        narration: str = "",
        amount: Decimal | None = None,
        method: str | None = None,
    ) -> tuple[Txn, str, Decimal]:
        name, style, account, low, high, _, pay_by = biller
        self.vendor_seq[name] += self.rng.randint(1, 4)
        ref = style.format(n=self.vendor_seq[name], y=day.year)
        if amount is None:
            amount = self.amount(low, high, 5 if high != low else 1)
            if biller is KEYSTONE:
                # One bookkeeper serves the whole firm: its fee grows with the firm. The
                # other vendors are already repeated `scale` times.
                amount = money(amount * self.spec.scale)
        link = f"{slug(name)}-{slug(ref)}"
        due = day + timedelta(days=terms)
        txn = self.add(
            Txn(
                day,
                name,
                f"Bill {ref}" + (f": {narration}" if narration else ""),
                [(account, amount), (AP, None)],
                meta=[("invoice", f'"{ref}"'), ("due", str(due))],
                links=(link,),
            )
        )
        if method != "none":
            self.pay_bill(
                name, ref, link, self.business_day(due, forward=False), amount, method or pay_by
            )
        return txn, ref, amount

    def pay_bill(
        self,
        name: str,
        ref: str,
        link: str,
        day: date,
        amount: Decimal,
        method: str,
        clears: date | None = None,
        booked: Decimal | None = None,
    ) -> Txn:
        booked = amount if booked is None else booked
        if method == "check":
            # Checks go out by the 20th so they clear inside the month, as this studio likes.
            if day.day > 20 and clears is None:
                day = self.business_day(day.replace(day=20), forward=False)
            self.check_no += 1
            number = str(self.check_no)
            txn = self.add(
                Txn(
                    day,
                    name,
                    f"Check {number} for {ref}",
                    [(AP, booked), (CHECKING, None)],
                    meta=[("invoice", f'"{ref}"'), ("check", f'"{number}"')],
                    links=(link,),
                )
            )
            clears = clears or self.business_day(day + timedelta(days=self.rng.randint(2, 6)))
            self.bank(
                CHECKING, BankLine(clears, -amount, f"CHECK {number}", "CHECK_PAID", check=number)
            )
            return txn
        txn = self.add(
            Txn(
                day,
                name,
                f"ACH payment for {ref}",
                [(AP, booked), (CHECKING, None)],
                meta=[("invoice", f'"{ref}"')],
                links=(link,),
            )
        )
        self.bank(
            CHECKING, BankLine(clears or day, -amount, f"{name.upper()} ACH PAYMENT", "ACH_DEBIT")
        )
        return txn

    # -- card ----------------------------------------------------------------------------

    def card(self, month: date) -> None:
        last = calendar.monthrange(month.year, month.month)[1] - 3
        for payee, text, account, low, high, times, category, fixed_day in CARD_MERCHANTS:
            repeat = times * self.spec.scale if not fixed_day else times
            whole, chance = int(repeat), repeat - int(repeat)
            count = whole + (1 if self.rng.random() < chance else 0)
            for _ in range(count):
                day = (
                    month.replace(day=fixed_day)
                    if fixed_day
                    else month.replace(day=self.rng.randint(1, last))
                )
                amount = self.amount(low, high)
                if fixed_day:
                    amount = money(amount * self.spec.scale)
                self.card_charge(day, payee, text, account, amount, category)
                if payee == "Amazon" and self.rng.random() < 0.1 and day.day < last - 5:
                    refund = money(amount * Decimal("0.5"))
                    back = day + timedelta(days=4)
                    self.add(
                        Txn(
                            back,
                            payee,
                            "Refund: returned item",
                            [(CARD, refund), (account, -refund)],
                        )
                    )
                    self.card_line(back, refund, text, category)

    def card_charge(
        self,
        day: date,
        payee: str,
        text: str,
        account: str,
        amount: Decimal,
        category: str,
        narration: str = "",
    ) -> Txn:
        narration = narration or self.narration_for(account)
        txn = self.add(Txn(day, payee, narration, [(account, amount), (CARD, None)]))
        self.card_line(day, -amount, text, category)
        return txn

    def narration_for(self, account: str) -> str:
        return {
            "Expenses:Software": "Subscription",
            "Expenses:Meals": "Client and team meals",
            "Expenses:Travel": "Client travel",
            "Expenses:Office": "Office supplies",
            "Expenses:Advertising": "Social ads",
            "Expenses:Telecom": "Phones",
            "Expenses:Utilities": "Internet",
        }.get(account, "Card purchase")

    def card_line(self, day: date, amount: Decimal, text: str, category: str) -> None:
        self.card_balance += amount
        posted = day + timedelta(days=self.rng.randint(0, 2))
        self.bank(CARD, BankLine(day, amount, text, category, posted=min(posted, month_end(day))))

    def card_payment(self, month: date) -> None:
        owed = -self.card_statement[add_months(month, -1)]
        if owed <= 0:
            return
        day = self.business_day(month.replace(day=25))
        self.add(
            Txn(
                day,
                "Capital One",
                f"Card payment, {add_months(month, -1):%B} statement",
                [(CARD, owed), (CHECKING, None)],
            )
        )
        self.bank(CHECKING, BankLine(day, -owed, "CAPITAL ONE MOBILE PMT", "ACH_DEBIT"))
        self.card_line(day, owed, "CAPITAL ONE MOBILE PYMT", "Payment/Credit")

    # -- payroll -------------------------------------------------------------------------

    def payroll_taxes(self, gross: Decimal) -> tuple[Decimal, Decimal]:
        parts = self.payroll_parts(money(gross))
        return parts["federal"], parts["state"]

    @staticmethod
    def payroll_parts(gross: Decimal) -> dict[str, Decimal]:
        fed_wh, state_wh = money(gross * Decimal("0.12")), money(gross * Decimal("0.045"))
        ee_fica = er_fica = money(gross * Decimal("0.0765"))
        sui, futa = money(gross * Decimal("0.012")), money(gross * Decimal("0.006"))
        return {
            "employer": er_fica + sui + futa,
            "federal": fed_wh + ee_fica + er_fica + futa,
            "state": state_wh + sui,
            "net": gross - fed_wh - state_wh - ee_fica,
        }

    def payroll(self, month: date) -> None:
        staff = list(self.employees)
        if month >= date(2025, 3, 1):
            staff += [Decimal(78000)] * self.spec.scale
        gross = money(sum(staff) / 24)
        owed_fed = owed_state = ZERO
        for pay_day in (month.replace(day=15), month_end(month)):
            day = self.business_day(pay_day, forward=False)
            parts = self.payroll_parts(gross)
            self.add(
                Txn(
                    day,
                    "Gusto",
                    f"Payroll {pay_day}",
                    [
                        ("Expenses:Payroll:Wages", gross),
                        ("Expenses:Payroll:Taxes", parts["employer"]),
                        (FEDERAL, -parts["federal"]),
                        (STATE, -parts["state"]),
                        (CHECKING, -parts["net"]),
                    ],
                    tags=("payroll",),
                )
            )
            self.bank(
                CHECKING,
                BankLine(
                    day,
                    -parts["net"],
                    f"GUSTO NET {pay_day:%y%m%d} {self.short.upper()}",
                    "ACH_DEBIT",
                ),
            )
            owed_fed += parts["federal"]
            owed_state += parts["state"]
        self.payroll_owed[month] = (owed_fed, owed_state)

    def payroll_tax_payments(self, month: date) -> None:
        fed, state = self.payroll_owed[add_months(month, -1)]
        day = self.business_day(month.replace(day=15))
        before = add_months(month, -1)
        self.add(
            Txn(
                day,
                "IRS",
                f"Federal payroll taxes, {before:%B %Y} (EFTPS)",
                [(FEDERAL, fed), (CHECKING, None)],
                tags=("payroll",),
            )
        )
        self.bank(CHECKING, BankLine(day, -fed, "IRS USATAXPYMT", "ACH_DEBIT"))
        self.add(
            Txn(
                day,
                "California EDD",
                f"State payroll taxes, {before:%B %Y}",
                [(STATE, state), (CHECKING, None)],
                tags=("payroll",),
            )
        )
        self.bank(CHECKING, BankLine(day, -state, "EDD EFTPMT CA", "ACH_DEBIT"))

    def loan(self, month: date) -> None:
        if self.loan_balance <= 0:
            return
        day = self.business_day(month.replace(day=15))
        interest = money(self.loan_balance * Decimal("0.075") / 12)
        payment = min(money(650 * self.spec.scale), self.loan_balance + interest)
        principal = payment - interest
        self.loan_balance -= principal
        self.add(
            Txn(
                day,
                "First Coastal Bank",
                "Loan payment",
                [(LOAN, principal), ("Expenses:Interest", interest), (CHECKING, -payment)],
            )
        )
        self.bank(CHECKING, BankLine(day, -payment, "FIRST COASTAL BANK LOAN PMT", "LOAN_PMT"))

    # -- month-end closes ----------------------------------------------------------------

    def closing_entries(self) -> None:
        """What earlier closes posted (ledgers/closing/P.beancount): the schedules, by month."""
        for month in self.closed:
            period = f"{month:%Y-%m}"
            for entry in self.schedules:
                if not entry["from"] <= month <= entry["to"]:
                    continue
                day = month_end(month)
                amount = entry["amount"]
                meta = [("schedule", f'"{entry["id"]}"'), ("period", f'"{period}"')]
                self.add(
                    Txn(
                        day,
                        None,
                        entry["title"],
                        [(entry["debit"], amount), (entry["credit"], -amount)],
                        meta=meta,
                        file=f"closing/{period}",
                    )
                )
                if entry["reverse"]:
                    self.add(
                        Txn(
                            day + timedelta(days=1),
                            None,
                            f"Reversal: {entry['title']}",
                            [(entry["credit"], amount), (entry["debit"], -amount)],
                            meta=[*meta, ("reversal", "TRUE")],
                            file=f"closing/{period}",
                        )
                    )

    # -- September's problems ------------------------------------------------------------

    def plant(self, month: date) -> None:
        pixel = next(b for b in self.billers if b[0] == "Pixel Print Co")
        txn, ref, amount = self.bill(
            pixel,
            month.replace(day=2) - timedelta(days=5),
            terms=14,
            narration="brochure print run",
            amount=money(1860 * self.spec.scale),
            method="check",
        )
        link = txn.links[0]
        second = self.pay_bill(
            pixel[0], ref, link, self.business_day(month.replace(day=19)), amount, "ach"
        )
        self.planted.append(
            Planted(
                "duplicated vendor payment",
                f"Pixel Print Co bill {ref} ({amount} USD) paid by "
                f"check and again by ACH on {second.date}",
                "bo dupes (duplicate payment: same vendor, "
                "same invoice number); the close's no-duplicates step",
                second,
            )
        )

        wire_day = self.business_day(month.replace(day=16))
        customer = self.customers[0][0]
        number_txn = self.invoice(
            customer,
            month.replace(day=1) - timedelta(days=30),
            30,
            0,
            money(7400 * self.spec.scale),
            pay=False,
        )
        number = number_txn.links[0]
        self.add(
            Txn(
                wire_day,
                customer,
                f"Payment for {number} (wire)",
                [(CHECKING, number_txn.postings[0][1]), (AR, None)],
                meta=[("invoice", f'"{number}"')],
                links=(number,),
            )
        )
        self.bank(
            CHECKING,
            BankLine(
                wire_day,
                number_txn.postings[0][1],
                f"WIRE TRANSFER CREDIT {customer.upper()}",
                "WIRE_INCOMING",
            ),
        )
        fee = money(15)
        self.bank(CHECKING, BankLine(wire_day, -fee, "INCOMING WIRE FEE", "FEE_TRANSACTION"))
        self.planted.append(
            Planted(
                "bank fee on the statement, missing from the books",
                f"INCOMING WIRE FEE {fee} USD on {wire_day} (checking statement)",
                "bo reconcile (statement line with no entry); bo import would add it",
                None,
            )
        )

        atlas = next(b for b in self.billers if b[0] == "Atlas Legal LLP")
        check_day = self.business_day(month_end(month), forward=False)
        txn, ref, amount = self.bill(
            atlas,
            month.replace(day=8),
            terms=21,
            amount=money(2400 * self.spec.scale),
            method="none",
        )
        paid = self.pay_bill(
            atlas[0],
            ref,
            txn.links[0],
            check_day,
            amount,
            "check",
            clears=self.business_day(add_months(month, 1).replace(day=6)),
        )
        self.planted.append(
            Planted(
                "outstanding check",
                f"check {self.check_no} to Atlas Legal LLP, {amount} USD, "
                f"written {check_day}, clears the bank in October",
                "bo reconcile (outstanding check on the bank rec)",
                paid,
            )
        )

        depositor = self.customers[1][0]
        inv = self.invoice(
            depositor,
            month.replace(day=2) - timedelta(days=30),
            30,
            0,
            money(3150 * self.spec.scale),
            pay=False,
        )
        last_day = month_end(month)
        dit = self.add(
            Txn(
                last_day,
                depositor,
                f"Payment for {inv.links[0]} (check)",
                [(CHECKING, inv.postings[0][1]), (AR, None)],
                meta=[("invoice", f'"{inv.links[0]}"')],
                links=inv.links,
            )
        )
        self.bank(
            CHECKING,
            BankLine(
                self.business_day(last_day + timedelta(days=1)),
                inv.postings[0][1],
                "REMOTE ONLINE DEPOSIT",
                "DEPOSIT",
            ),
        )
        self.planted.append(
            Planted(
                "deposit in transit",
                f"{depositor} check {inv.postings[0][1]} USD booked {last_day}, "
                "on the bank statement the next business day",
                "bo reconcile (deposit in transit on the bank rec)",
                dit,
            )
        )

        fernwood = next(b for b in self.billers if b[0] == "Fernwood Photography")
        txn, ref, amount = self.bill(
            fernwood,
            month.replace(day=3),
            terms=21,
            amount=money(1254 * self.spec.scale),
            method="none",
        )
        booked = amount - 9  # 1,254.00 keyed as 1,245.00: two digits swapped
        transposed = self.pay_bill(
            fernwood[0], ref, txn.links[0], month.replace(day=24), amount, "ach", booked=booked
        )
        self.planted.append(
            Planted(
                "transposed amount",
                f"Fernwood Photography {ref}: the bank paid {amount}, the books say {booked}",
                "bo reconcile (near match: amount off by 9 × n, a transposition)",
                transposed,
            )
        )

        coffee_day = month.replace(day=22)
        coffee = Txn(
            coffee_day, "SQ *COFFEE CART 4471", "", [(UNCATEGORIZED, money("18.75")), (CARD, None)]
        )
        coffee.narration = "Imported, no rule matched"
        self.add(coffee)
        self.card_line(coffee_day, money("-18.75"), "SQ *COFFEE CART 4471", "Dining")
        self.planted.append(
            Planted(
                "uncategorized card charge",
                "SQ *COFFEE CART 4471, 18.75 USD",
                "bo check (warning); the close's no-uncategorized step",
                coffee,
            )
        )

        late = self.customers[2][0]
        overdue = self.invoice(
            late,
            add_months(month, -4).replace(day=28),
            30,
            0,
            money(5600 * self.spec.scale),
            pay=False,
        )
        due = overdue.meta[1][1]
        self.planted.append(
            Planted(
                "invoice more than 90 days past due",
                f"{late} {overdue.links[0]}, due {due}, unpaid",
                "bo report aging-ar (90+ bucket); the close's ar-aging step",
                overdue,
            )
        )

        # Honest repeats that must *not* be reported: two identical coffees from two
        # statement lines, and the monthly subscriptions.
        twin_day = month.replace(day=11)
        for _ in range(2):
            self.card_charge(
                twin_day,
                "Blue Bottle Coffee",
                "BLUE BOTTLE COFFEE OAK",
                "Expenses:Meals",
                money("6.50"),
                "Dining",
                "Coffee",
            )

        # The write-off of an old invoice, before the planted month.
        writeoff = add_months(month, -2)
        if self.spec.start <= add_months(writeoff, -5):
            bad = self.customers[3][0]
            old = self.invoice(
                bad,
                add_months(writeoff, -5).replace(day=14),
                30,
                0,
                money(2250 * self.spec.scale),
                pay=False,
            )
            self.add(
                Txn(
                    month_end(writeoff),
                    bad,
                    f"Write off {old.links[0]}: customer closed",
                    [("Expenses:BadDebt", old.postings[0][1]), (AR, None)],
                    meta=[("invoice", f'"{old.links[0]}"')],
                    links=old.links,
                )
            )


# -- writing ---------------------------------------------------------------------------------


class Writer:
    """Turns a generated story into files: ledgers, statements, schedules, budget, bo.yaml."""

    def __init__(self, gen: Generator) -> None:
        self.gen = gen
        self.spec = gen.spec
        self.files: dict[str, str] = {}
        self.where: dict[int, str] = {}  # id(txn) -> "ledgers/FILE:LINE"

    def write(self) -> None:
        statements = self.statements()
        self.ledgers(statements)
        self.schedules()
        self.budget()
        self.settings()
        self.parties()
        self.readme()
        out = self.spec.out
        for folder in ("ledgers", "statements", "schedules", "budgets", "parties"):
            shutil.rmtree(out / folder, ignore_errors=True)
        for name, text in sorted(self.files.items()):
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")

    # -- statements ----------------------------------------------------------------------

    def statements(self) -> dict[tuple[str, date], Decimal]:
        """Write every month's statement; return each account's closing balance by month."""
        closing: dict[tuple[str, date], Decimal] = {}
        for account, folder in STATEMENT_DIRS.items():
            balance = self.gen.opening.get(account, ZERO)
            by_month: dict[date, list[BankLine]] = defaultdict(list)
            for line in merge_deposits(sorted(self.gen.lines[account], key=lambda x: x.date)):
                by_month[line.date.replace(day=1)].append(line)
            for month in months_between(self.spec.start, self.spec.end):
                rows = by_month.get(month, [])
                if account == CARD:
                    text, balance = card_csv(rows, balance)
                else:
                    text, balance = bank_csv(rows, balance)
                closing[account, month] = balance
                self.files[f"statements/{folder}/{month:%Y-%m}.csv"] = text
        return closing

    # -- ledgers -------------------------------------------------------------------------

    def ledgers(self, statement_balance: dict[tuple[str, date], Decimal]) -> None:
        gen, spec = self.gen, self.spec
        opened = spec.start - timedelta(days=1)
        chart = [
            f"; Chart of accounts of {gen.name}. Add accounts as you need them;",
            "; bo.yaml gives the ones bo works with their roles.",
            "",
        ]
        for account, note in ACCOUNTS:
            line = f"{opened} open {account:<46} USD"
            chart.append(f"{line}  ; {note}" if note else line)
        self.files["ledgers/accounts.beancount"] = "\n".join(chart) + "\n"

        balances = self.assertions(statement_balance)
        files: dict[str, list[tuple[date, int, str, Txn | None]]] = defaultdict(list)
        for order, txn in enumerate(gen.txns):
            if self.unbooked(txn):
                continue
            files[txn.file].append((txn.date, order, txn.render(), txn))
        for day, account, amount in balances:
            text = f"{day} balance {account:<38}{amount:>12} USD\n"
            files[str(day.year)].append((day, -1, text, None))

        years = sorted(name for name in files if not name.startswith("closing/"))
        for name, items in files.items():
            items.sort(key=lambda item: (item[0], item[1]))
            if name.startswith("closing/"):
                head = [
                    f"; Entries posted by the close of {name[8:]}: the schedules in"
                    " schedules/*.yaml.",
                    "; bo writes this file; change the schedules, not these lines.",
                    "",
                ]
            else:
                head = [
                    f"; {gen.name}, {name}. Statement lines become entries here",
                    "; (bo import); balance assertions follow each reconciled month.",
                    "",
                ]
            lines = list(head)
            for _day, _, text, txn in items:
                if txn is not None:
                    self.where[id(txn)] = (
                        f"ledgers/{name}.beancount:{len(lines) + 1 + bool(txn.comment)}"
                    )
                lines.extend(text.rstrip("\n").split("\n"))
                if txn is not None:
                    lines.append("")
            self.files[f"ledgers/{name}.beancount"] = "\n".join(lines).rstrip("\n") + "\n"

        includes = "\n".join(f'include "{year}.beancount"' for year in years)
        self.files["ledgers/main.beancount"] = (
            f"; The books of {gen.name}. bo, bean-check and fava load this file;\n"
            "; it includes the rest.\n"
            f'option "title" "{gen.name}"\n'
            'option "operating_currency" "USD"\n\n'
            'include "accounts.beancount"\n'
            f"{includes}\n"
            "; What each month-end close posted (depreciation, amortization, accruals).\n"
            'include "closing/*.beancount"\n'
        )

    def unbooked(self, txn: Txn) -> bool:
        """Whether `txn` is left for `bo import` to add (Spec.unbooked_from)."""
        since = self.spec.unbooked_from
        if since is None or txn.date < since:
            return False
        accounts = {account for account, _ in txn.postings}
        return CHECKING in accounts and not (accounts - {CHECKING}) & set(STATEMENT_DIRS)

    def assertions(self, statement_balance: dict[tuple[str, date], Decimal]):
        """Balance assertions after each closed month, checked against the statements.

        A month before the planted one must reconcile to the cent: if the books and the
        statement disagree here, the generator is wrong, and it says so rather than write.
        """
        postings: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for txn in self.gen.txns:
            for account, amount in txn.resolved():
                if account in STATEMENT_DIRS:
                    postings[account].append((txn.date, amount))
        out = []
        for account in STATEMENT_DIRS:
            for month in self.gen.closed:
                end = month_end(month)
                books = sum((a for d, a in postings[account] if d <= end), ZERO)
                bank = statement_balance[account, month]
                if books != bank:
                    sys.exit(f"generator bug: {account} {month:%Y-%m}: books {books}, bank {bank}")
                out.append((end + timedelta(days=1), account, books))
        return out

    # -- schedules, budget, settings -----------------------------------------------------

    def schedules(self) -> None:
        groups = {
            "depreciation": "Depreciation of fixed assets, straight line by month.",
            "prepaid": "Prepaid expenses released to expense month by month.",
            "accrued": "Accruals: posted at period end and reversed on the next day.",
        }
        for prefix, about in groups.items():
            entries = [s for s in self.gen.schedules if s["id"].startswith(prefix)]
            lines = [
                f"# {about}",
                "# `bo close` posts each schedule due in the period into",
                "# ledgers/closing/<period>.beancount (step `schedules`), once per period.",
                "schedules:",
            ]
            for entry in entries:
                lines += [
                    f"  - id: {entry['id']}",
                    f'    title: "{entry["title"]}"',
                    f"    debit: {entry['debit']}",
                    f"    credit: {entry['credit']}",
                    f"    amount: {entry['amount']} USD",
                    f"    from: {entry['from']:%Y-%m}",
                    f"    to: {entry['to']:%Y-%m}",
                ]
                if entry["reverse"]:
                    lines.append("    reverse: true")
            self.files[f"schedules/{prefix}.yaml"] = "\n".join(lines) + "\n"

    def budget(self) -> None:
        year = self.spec.end.year
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        months = {d.month for d in months_between(self.spec.start, self.spec.end) if d.year == year}
        for txn in self.gen.txns:
            if txn.date.year != year or txn.file.startswith("closing/"):
                continue
            for account, amount in txn.resolved():
                if account.startswith(("Income:Services", "Expenses:")):
                    totals[account] += amount
        lines = [
            f"# Budget for {year}: what each account should show in a month, income and",
            "# expenses both as positive numbers. `bo report budget` flags a month outside",
            "# the tolerance band (the account's own, else the default below).",
            f"year: {year}",
            "tolerance: {pct: 10, amount: 250.00 USD}",
            "accounts:",
        ]
        for account in sorted(totals):
            if account in (UNCATEGORIZED, "Expenses:BadDebt") or not months:
                continue
            monthly = abs(totals[account]) / len(months)
            monthly = money((monthly / 50).quantize(Decimal(1), ROUND_HALF_UP) * 50 or monthly)
            band = (
                ", tolerance: {pct: 50}" if account in ("Expenses:Travel", "Expenses:Meals") else ""
            )
            lines.append(f"  {account}: {{monthly: {monthly} USD{band}}}")
        self.files[f"budgets/{year}.yaml"] = "\n".join(lines) + "\n"

    def settings(self) -> None:
        gen = self.gen
        bookkeeper, controller, owner = gen.people
        email = lambda person: f"{person.split()[0].lower()}@{gen.short}.example"  # noqa: E731
        rules = []
        seen = set()
        for payee, text, account, *_ in CARD_MERCHANTS:
            key = text.split()[0].split("*")[0].rstrip(",").lower()
            if key in seen:
                continue
            seen.add(key)
            rules.append((payee, key, account, "card"))
        rules += [
            ("Harbor Properties", "harbor properties", "Expenses:Rent", "checking"),
            ("PG&E", "pgande", "Expenses:Utilities", "checking"),
            ("First Coastal Bank", "service fee", "Expenses:BankFees", "checking"),
            ("First Coastal Bank", "wire fee", "Expenses:BankFees", "checking"),
            ("First Coastal Bank", "interest payment", "Income:Interest", "savings"),
            ("Capital One", "capital one", CARD, "checking"),
            ("Capital One", "capital one", CHECKING, "card"),
        ]
        account_of = {"card": CARD, "checking": CHECKING, "savings": SAVINGS}
        rule_lines = []
        for payee, key, account, source in rules:
            rule_lines += [
                f"  - name: {payee}",
                f'    match: {{payee: "{key}", account: {account_of[source]}}}',
                f'    set: {{account: {account}, payee: "{payee}"}}',
            ]
        self.files["bo.yaml"] = BO_YAML.format(
            name=gen.name,
            bookkeeper=bookkeeper,
            controller=controller,
            owner=owner,
            bookkeeper_email=email(bookkeeper),
            controller_email=email(controller),
            owner_email=email(owner),
            minimum=money(15000 * self.spec.scale),
            rules="\n".join(rule_lines),
        )

    def parties(self) -> None:
        """A record per vendor billed through payables and per customer (parties/)."""
        onboarded = self.spec.start - timedelta(days=1)
        for i, (name, _, account, *_) in enumerate([*self.gen.billers, KEYSTONE]):
            # One W-9 never came back: `bo report 1099` flags it.
            tax_id = (
                ""
                if name.startswith("Blue Harbor")
                else f'tax_id: {{kind: W-9, number: "{91 + i}-{4417203 + i * 7919:07d}", '
                f"document: documents/w9/{slug(name)}.pdf}}\n"
            )
            self.files[f"parties/vendors/{slug(name)}.yaml"] = (
                f'name: "{name}"\nterms: net 30\naccount: {account}\n'
                f"onboarded: {onboarded}\n{tax_id}"
            )
        for name, terms, _ in self.gen.customers:
            self.files[f"parties/customers/{slug(name)}.yaml"] = (
                f'name: "{name}"\nterms: net {terms}\naccount: Income:Services\n'
            )

    def readme(self) -> None:
        gen = self.gen
        rows = "\n".join(
            f"| {p.what} | {p.where} | `{self.where.get(id(p.txn), 'statement only')}` "
            f"| {p.finds} |"
            for p in gen.planted
        )
        first, last = self.spec.start, self.spec.end
        count = sum(1 for t in gen.txns)
        self.files["ledgers/README.md"] = README.format(
            name=gen.name,
            first=f"{first:%B %Y}",
            last=f"{last:%B %Y}",
            count=f"{count:,}",
            customers=len(gen.customers),
            vendors=len({t.payee for t in gen.txns if t.payee} - {c[0] for c in gen.customers}),
            period=f"{self.spec.planted_period:%B %Y}",
            rows=rows or "| (none in range) | | | |",
            closed=f"{gen.closed[-1]:%B %Y}" if gen.closed else "no month",
            cash_days=cash_check_days(gen) if self.spec.is_demo else "",
        )


# The days `bo cash check --as-of DAY` has something to say in the demo books. The story
# puts them there; `cash_check_days` asserts it, so a change to the story that moves one fails
# here rather than in a test far away.
QUIET_DAY = date(2025, 7, 15)
STALE_DAY = date(2024, 10, 10)
LOW_DAY = date(2024, 11, 18)
UNUSUAL_DAY = date(2025, 3, 10)
MINIMUM = Decimal("15000.00")  # accounts.Assets:Bank:Checking.minimum
MATERIALITY = Decimal("1000.00")  # thresholds.materiality
CHECKING_STALE_DAYS, STALE_DAYS = 7, 35  # accounts.Assets:Bank:Checking.stale_days; thresholds


def cash_check_days(gen: Generator) -> str:
    """Assert the demo's cash-check days hold, and describe them for ledgers/README.md."""

    def balance(account: str, day: date) -> Decimal:
        return sum(
            (a for t in gen.txns if t.date <= day for acct, a in t.resolved() if acct == account),
            ZERO,
        )

    def last_line(account: str, day: date) -> date:
        return max(line.date for line in gen.lines[account] if line.date <= day)

    def first_paid(payee: str) -> date:
        return min(
            t.date
            for t in gen.txns
            if t.payee == payee and any(a in (CHECKING, CARD) and n < 0 for a, n in t.resolved())
        )

    low = balance(CHECKING, LOW_DAY)
    assert low < MINIMUM <= balance(CHECKING, LOW_DAY - timedelta(days=7)), low
    stale = last_line(CHECKING, STALE_DAY)
    assert (STALE_DAY - stale).days > CHECKING_STALE_DAYS, stale
    for account in (SAVINGS, CARD):
        assert gen.lines[account] and min(
            x.date for x in gen.lines[account]
        ) > STALE_DAY - timedelta(days=STALE_DAYS)
    apple = [t for t in gen.txns if t.payee == "Apple"]
    assert apple[0].date == UNUSUAL_DAY == first_paid("Apple"), apple[0].date
    assert -dict(apple[0].resolved())[CARD] >= MATERIALITY
    # The quiet day: cash above its minimum, every account's bank data fresh, and no payee
    # paid for the first time since the business day before.
    assert balance(CHECKING, QUIET_DAY) >= MINIMUM
    assert (QUIET_DAY - last_line(CHECKING, QUIET_DAY)).days <= CHECKING_STALE_DAYS
    for account in (SAVINGS, CARD):
        assert (QUIET_DAY - last_line(account, QUIET_DAY)).days <= STALE_DAYS
    day_before = QUIET_DAY - timedelta(days=1)
    assert not {t.payee for t in gen.txns if day_before <= t.date <= QUIET_DAY and t.payee} - {
        t.payee for t in gen.txns if t.date < day_before
    }
    checking = "Assets:Bank:Checking"
    rows = [
        (QUIET_DAY, "nothing, exit 0: a quiet day", ""),
        (
            STALE_DAY,
            f"{checking} is stale: its newest statement line is from {stale}, "
            f"{(STALE_DAY - stale).days} days earlier",
            f"`accounts.{checking}.stale_days` ({CHECKING_STALE_DAYS})",
        ),
        (
            LOW_DAY,
            f"{checking} is at {low:,} USD, under its minimum",
            f"`accounts.{checking}.minimum` ({MINIMUM:,})",
        ),
        (
            UNUSUAL_DAY,
            f"Apple, {-dict(apple[0].resolved())[CARD]:,} on the card: a payee never paid "
            "before, above materiality",
            f"`thresholds.materiality` ({MATERIALITY:,})",
        ),
    ]
    return CASH_DAYS.format(
        rows="\n".join(f"| {day} | {what} | {setting} |" for day, what, setting in rows),
        low_day=LOW_DAY,
    )


def merge_deposits(lines: list[BankLine]) -> list[BankLine]:
    """Checks deposited together show as one bank line (up to four checks a slip)."""
    out: list[BankLine] = []
    open_slip: BankLine | None = None
    count = 0
    for line in lines:
        if line.deposit and open_slip is not None and open_slip.date == line.date and count < 4:
            open_slip.amount += line.amount
            count += 1
            continue
        if line.deposit:
            open_slip = BankLine(line.date, line.amount, line.description, line.kind, deposit=True)
            count = 1
            out.append(open_slip)
        else:
            out.append(line)
    return out


def bank_csv(rows: list[BankLine], balance: Decimal) -> tuple[str, Decimal]:
    """The checking/savings layout: signed amounts, US dates, running balance, newest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["Details", "Posting Date", "Description", "Amount", "Type", "Balance", "Check or Slip #"]
    )
    out = []
    for line in rows:
        balance += line.amount
        details = "CHECK" if line.check else ("CREDIT" if line.amount > 0 else "DEBIT")
        out.append(
            [
                details,
                f"{line.date:%m/%d/%Y}",
                line.description,
                f"{line.amount}",
                line.kind,
                f"{balance}",
                line.check,
            ]
        )
    writer.writerows(reversed(out))
    return buffer.getvalue(), balance


def card_csv(rows: list[BankLine], balance: Decimal) -> tuple[str, Decimal]:
    """The card layout: ISO dates, charges and credits in separate columns, oldest first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "Transaction Date",
            "Posted Date",
            "Card No.",
            "Description",
            "Category",
            "Debit",
            "Credit",
        ]
    )
    for line in rows:
        balance += line.amount
        debit, credit = (f"{-line.amount}", "") if line.amount < 0 else ("", f"{line.amount}")
        writer.writerow(
            [
                f"{line.date}",
                f"{line.posted or line.date}",
                "3318",
                line.description,
                line.kind,
                debit,
                credit,
            ]
        )
    return buffer.getvalue(), balance


BO_YAML = """\
# bo.yaml of the demo books: the settings bo reads on every command (`bo check` validates it).
# Written by bench/generate_books.py. Unknown keys are errors, so a typo never silently does
# nothing.

entity:
  name: "{name}"
  currency: USD                # base currency: reports and thresholds are in it
  fiscal_year_start: 1         # month the fiscal year starts (1 = January)
  country: US                  # holidays for business days (BD+3 due dates)
  subdivision: CA

ledger: ledgers/main.beancount # the beancount entry point; it includes the rest

# Who does the work. Checklist steps name roles; a step's owner and reviewer must be
# different people (segregation of duties).
people:
  - name: {bookkeeper}
    email: {bookkeeper_email}
    roles: [bookkeeper]
  - name: {controller}
    email: {controller_email}
    roles: [controller]
  - name: {owner}
    email: {owner_email}
    roles: [owner]

# What each account is for. bo reconciles bank and card accounts against their statements,
# ages receivables and payables, and alerts when cash goes below `minimum`.
accounts:
  Assets:Bank:Checking:
    role: bank
    minimum: {minimum} USD
    statement: {{format: chase-checking, dir: statements/checking}}
    stale_days: 7              # fed daily: a week without a bank line is stale
  Assets:Bank:Savings:
    role: bank
    statement: {{format: chase-checking, dir: statements/savings}}
  Liabilities:CreditCard:
    role: card
    statement: {{format: capitalone-card, dir: statements/card, account_id: "3318"}}
  Assets:AccountsReceivable:
    role: receivable
  Liabilities:AccountsPayable:
    role: payable
  Liabilities:Payroll:Federal:
    role: payroll_liabilities
  Liabilities:Payroll:State:
    role: payroll_liabilities
  Liabilities:AccruedExpenses:
    role: accrued_liabilities
  Liabilities:Loan:FirstCoastal:
    role: loan
    cashflow: financing
  Assets:Prepaid:Insurance:
    role: prepaid
  Assets:FixedAssets:Equipment:
    role: fixed_asset
    cashflow: investing
  Assets:FixedAssets:AccumulatedDepreciation:
    role: accumulated_depreciation
  Expenses:Uncategorized:
    role: uncategorized
  Equity:RetainedEarnings:
    role: retained_earnings
  Equity:Owner:Draws:
    role: owner_equity
    cashflow: financing

thresholds:
  materiality: 1000.00 USD     # entries above this need a document; alerts above it
  flux_pct: 10                 # month-over-month change that needs an explanation...
  flux_amount: 2500.00 USD     # ...when it is also at least this much
  flux_combine: and
  stale_days: 35               # statements come monthly: older than this is stale
  future_days: 60              # entries dated further ahead are flagged as typos

# How to read each bank's CSV export. Columns are header names or 0-based positions.
statement_formats:
  chase-checking:              # signed amounts, MM/DD/YYYY, running balance, newest first
    kind: csv
    date: Posting Date
    date_format: "%m/%d/%Y"
    amount: Amount
    payee: Description
    memo: Type
    reference: "Check or Slip #"
    balance: Balance
  capitalone-card:             # ISO dates, charges and payments in separate columns
    kind: csv
    date: Transaction Date
    debit: Debit
    credit: Credit
    payee: Description
    memo: Category
    account_number: Card No.     # a file of another card is refused

# Bills need approval before a payment run pays them (`bo approve`): one person for
# any bill, two above 2,500; a vendor's first bill always two. Bills from before bo
# ran the payables were approved on paper.
approvals:
  since: 2026-01-01
  new_vendor_approvers: 2
  bands:
    - {{above: 0.00 USD, approvers: 1, roles: [controller, owner]}}
    - {{above: 2500.00 USD, approvers: 2, roles: [controller, owner]}}

# Payment runs (`bo pay --run DATE`) pay from checking.
payments:
  account: Assets:Bank:Checking

# Categorization rules for imported statement lines, first match wins. A line no rule
# matches goes to Expenses:Uncategorized, and `bo check` warns until someone moves it.
rules:
{rules}
"""

README = """\
# The demo books

{name}, a fictional small design studio, {first} to {last}: {count} transactions,
{customers} customers, {vendors} vendors and payees. Written by `bench/generate_books.py`
(seeded: `make demo-books` writes the same bytes again; a test checks that these files are
exactly its output). Do not edit them by hand; change the generator.

| where | what |
|---|---|
| `bo.yaml` | settings: people, account roles, statement formats, categorization rules |
| `ledgers/main.beancount` | the entry point: the chart, one file a year, `closing/` |
| `ledgers/closing/*.beancount` | what each month-end close posted (schedules), through {closed} |
| `statements/checking`, `statements/savings` | bank CSV: signed amounts, US dates, balance |
| `statements/card` | card exports: ISO dates, separate Debit/Credit columns, no balance |
| `schedules/*.yaml` | depreciation, prepaid insurance, the monthly bookkeeping accrual |
| `budgets/*.yaml` | the budget per account and month, with tolerance bands |

The story: customers are invoiced with `invoice:` and `due:` metadata and a link
(`^INV-1042`) and pay by ACH or by check, some late, some in two parts, some after a credit
note; one invoice is written off. Vendors bill through payables and are paid by check or ACH;
subscriptions, meals, travel and supplies go on the card, paid in full each month. Payroll
runs on the 15th and the last business day through Gusto; withholdings and employer taxes
are paid to the IRS and the EDD on the 15th of the next month. Rent, utilities, a bank loan,
owner draws, a quarterly transfer to savings, savings interest and a monthly service fee
complete it. Every month through {closed} reconciles to the cent (balance assertions follow
each one).

## Planted in {period}

What bo must find in the month to close:

| problem | what | where | who finds it |
|---|---|---|---|
{rows}

Honest look-alikes that must **not** be reported: two identical 6.50 coffees at Blue Bottle
on the 11th (two statement lines, two entries), the monthly subscriptions, and the card
refunds.
{cash_days}"""

CASH_DAYS = """
## Cash-check days

`bo cash check --as-of DAY` replays a morning. The story puts these days in it (the generator
asserts each one):

| day | what it says | setting |
|---|---|---|
{rows}

Each alert day exits 1. The minimum also shows on the business day before {low_day}, and an
outflow stays "since the last business day" on the morning after it too.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="books folder to write")
    parser.add_argument(
        "--years",
        type=int,
        help="years of history ending December 2025 "
        "(default: the demo's October 2024 to December 2025)",
    )
    parser.add_argument("--scale", type=int, default=1, help="multiply volume by this")
    parser.add_argument("--entities", type=int, default=1, help="write this many books")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--unbooked-from",
        type=lambda text: date.fromisoformat(f"{text}-01"),
        metavar="YYYY-MM",
        help="leave checking's statement-only entries from this month on out of the ledger, "
        "for bo import to add (bench books)",
    )
    args = parser.parse_args(argv)
    if args.scale < 1 or args.entities < 1 or (args.years is not None and args.years < 1):
        parser.error("--scale, --entities and --years must be at least 1")
    end = date(2025, 12, 31)
    start = date(2024, 10, 1) if args.years is None else date(2026 - args.years, 1, 1)
    for entity in range(args.entities):
        out = args.out if args.entities == 1 else args.out / f"entity-{entity + 1:02d}"
        out.mkdir(parents=True, exist_ok=True)
        spec = Spec(out, start, end, args.scale, args.seed, entity)
        spec.unbooked_from = args.unbooked_from
        gen = Generator(spec)
        gen.generate()
        Writer(gen).write()
        print(f"{out}: {gen.name}, {len(gen.txns):,} transactions", file=sys.stderr)


if __name__ == "__main__":
    main()
