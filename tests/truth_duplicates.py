"""A year of a small bakery's books, kept by people and by other tools, with known duplicates.

Written from the bookkeeping, not from bo: what a bookkeeper calls a duplicate (one purchase,
one bill, one transfer, one bank line in the books twice) and what only looks like one (two
coffees, a bill paid in instalments, a subscription, a refund, payroll, two vendors with
similar names). The books are set up the way a new user would: `bo init`'s roles (a bank
account, a card, payables, an uncategorized account); the savings account, the card importer
and the bank importer come from elsewhere and write their own ids (`bank_id`, `txn_id`,
`fitid`, links), never bo's.

Every real movement of money is one line on its account's statement. A duplicate is two
entries for one movement (or two movements for one obligation: a bill paid twice, where the
bank shows both). `Books.write` puts the ledger, the statements and a `bo.yaml` in a folder;
`score` runs `bo dupes --json` over it and counts, per kind, what was found.

    python tests/truth_duplicates.py --seeds 1 2 3    # precision and recall per kind
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

CHECKING, SAVINGS, CARD = "Assets:Bank:Checking", "Assets:Bank:Savings", "Liabilities:CreditCard"
AP, UNCATEGORIZED = "Liabilities:AccountsPayable", "Expenses:Uncategorized"
YEAR = 2025
JOURNAL = "ledgers/journal.beancount"

# What bo should call each planted duplicate (a transfer typed twice is booked twice either way).
ENTERED = "same transaction entered twice"
IMPORTED = "same bank line imported twice"
PAID = "duplicate payment"
TWO_VENDORS = "same reference paid to two vendors"
TRANSFER = "transfer booked from both sides"
EXPECT = {
    "typed twice": {ENTERED},
    "imported and typed": {ENTERED},
    "line imported twice": {IMPORTED},
    "twin imported twice": {IMPORTED},
    "bill paid twice": {PAID},
    "bill paid twice, payee abbreviated": {PAID},
    "vendor paid twice, no invoice": {PAID},
    "transfer from both sides": {TRANSFER, ENTERED},
    "paid to the wrong vendor too": {TWO_VENDORS},
    "typed again the next day": {ENTERED},
    "paid again weeks later": {PAID},
    "no payee, no narration, twice": {ENTERED},
    "daily transfer typed twice": {ENTERED, TRANSFER},
}

# Vendors: the name on the bill, how the bank prints it, how a person abbreviates it.
VENDORS = [
    ("Pixel Print Co", "PIXEL PRINT CO", "Pixel Print"),
    ("Harbor Cleaning Services LLC", "HARBOR CLEANING SVCS", "Harbor Cleaning"),
    ("Northwest Mechanical Contractors Inc", "NW MECHANICAL CONTR", "NW Mechanical"),
    ("Johnson & Sons Plumbing", "JOHNSON SONS PLUMBING", "Johnson and Sons"),
    ("Summit Legal Group LLP", "SUMMIT LEGAL GRP", "Summit Legal"),
    ("Blue Ridge Insurance Agency", "BLUE RIDGE INS AGCY", "Blue Ridge Ins."),
    ("Acme Restaurant Supply", "ACME REST SUPPLY", "Acme Rest. Supply"),
    ("Green Valley Produce", "GREEN VALLEY PRODUCE INC", "Green Valley"),
    ("Metro Waste Management", "METRO WASTE MGMT", "Metro Waste"),
    ("Sunrise Bakery Equipment", "SUNRISE BAKERY EQUIP", "Sunrise Equipment"),
    ("Oakridge Accounting CPA", "OAKRIDGE ACCTG CPA", "Oakridge Accounting"),
    ("Coastal Electric Co", "COASTAL ELECTRIC CO", "Coastal Electric"),
    ("Riverside Flour Mills", "RIVERSIDE FLOUR MILLS", "Riverside Flour"),
    ("Golden Dairy Cooperative", "GOLDEN DAIRY COOP", "Golden Dairy"),
]
# Two real vendors apiece whose names share words: never one vendor.
NAMESAKES = [
    (
        ("Green Valley Dairy", "GREEN VALLEY DAIRY"),
        ("Green Valley Produce", "GREEN VALLEY PRODUCE INC"),
    ),
    (("Summit Staffing", "SUMMIT STAFFING"), ("Summit Legal Group LLP", "SUMMIT LEGAL GRP")),
    (("Coastal Refrigeration", "COASTAL REFRIG"), ("Coastal Electric Co", "COASTAL ELECTRIC CO")),
]
EXPENSE_OF = {
    "Pixel Print Co": "Expenses:Marketing",
    "Harbor Cleaning Services LLC": "Expenses:Cleaning",
    "Northwest Mechanical Contractors Inc": "Expenses:Repairs",
    "Johnson & Sons Plumbing": "Expenses:Repairs",
    "Summit Legal Group LLP": "Expenses:Professional",
    "Blue Ridge Insurance Agency": "Expenses:Insurance",
    "Acme Restaurant Supply": "Expenses:Supplies",
    "Green Valley Produce": "Expenses:Ingredients",
    "Metro Waste Management": "Expenses:Utilities",
    "Sunrise Bakery Equipment": "Expenses:Repairs",
    "Oakridge Accounting CPA": "Expenses:Professional",
    "Coastal Electric Co": "Expenses:Repairs",
    "Riverside Flour Mills": "Expenses:Ingredients",
    "Golden Dairy Cooperative": "Expenses:Ingredients",
    "Green Valley Dairy": "Expenses:Ingredients",
    "Summit Staffing": "Expenses:Wages",
    "Coastal Refrigeration": "Expenses:Repairs",
}
# Card merchants: the name a person writes, how the card prints it, what it is for.
MERCHANTS = [
    ("Blue Bottle Coffee", "BLUE BOTTLE COFFEE 0231", "Expenses:Meals", (4, 14)),
    ("Staples", "STAPLES 00123", "Expenses:Office", (8, 180)),
    ("Amazon", "AMZN MKTP US*2K4T1", "Expenses:Supplies", (12, 260)),
    ("Shell", "SHELL OIL 57442", "Expenses:Vehicle", (35, 95)),
    ("Costco", "COSTCO WHSE #0423", "Expenses:Ingredients", (60, 480)),
    ("Home Depot", "THE HOME DEPOT #4410", "Expenses:Repairs", (15, 320)),
    ("Restaurant Depot", "RESTAURANT DEPOT 18", "Expenses:Ingredients", (80, 650)),
    ("Uber", "UBER *TRIP", "Expenses:Travel", (9, 48)),
    ("Chevron", "CHEVRON 0094211", "Expenses:Vehicle", (30, 90)),
    ("WebstaurantStore", "WEBSTAURANTSTORE", "Expenses:Supplies", (25, 400)),
    ("Trader Joe's", "TRADER JOE S #552", "Expenses:Ingredients", (20, 160)),
    ("USPS", "USPS PO 0542110", "Expenses:Office", (5, 60)),
]
SUBSCRIPTIONS = [
    ("Adobe", "ADOBE *CREATIVE CLD", "Expenses:Software", Decimal("54.99"), 3),
    ("Google Workspace", "GOOGLE *GSUITE", "Expenses:Software", Decimal("36.00"), 2),
    ("Square", "SQ *SQUARE POS", "Expenses:Software", Decimal("60.00"), 5),
    ("Spotify Business", "SPOTIFY USA", "Expenses:Software", Decimal("26.99"), 9),
]
CUSTOMERS = [
    "Maple Street Cafe",
    "Lakeside Hotel",
    "Corner Deli",
    "Hilltop School District",
    "Bayview Catering",
    "Evergreen Hospital",
    "Sunset Farmers Market",
]
EMPLOYEES = [  # two of them earn the same
    ("Jamie Lee", Decimal("2140.55")),
    ("Marco Ortiz", Decimal("2140.55")),
    ("Priya Nair", Decimal("2688.10")),
    ("Sam Whitfield", Decimal("1875.40")),
]
INSTALMENT_WORDS = [
    "part {n}",
    "part {n} of {m}",
    "{n}/{m}",
    "instalment {n}",
    "installment {n} of {m}",
    "payment {n} of {m}",
    "{nth} installment",
]
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass
class Txn:
    """An entry as someone wrote it into the ledger."""

    day: date
    payee: str | None
    narration: str
    postings: list[tuple[str, Decimal]]
    meta: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    posting_meta: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass
class Line:
    """A line of a statement: what the bank or card company printed."""

    account: str
    day: date
    amount: Decimal  # as the books post it: money into the account positive
    text: str
    bank_id: str
    check: str = ""


@dataclass
class Case:
    """Entries that belong together: a planted duplicate, or an honest look-alike."""

    kind: str
    planted: bool
    entries: list[int]


class Books:
    """The year being written, with the truth."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.txns: list[Txn] = []
        self.lines: list[Line] = []
        self.cases: list[Case] = []
        self.ids = Counter()
        self.check_number = 1040 + self.rng.randrange(400)
        self.invoice_number = self.rng.randrange(1000, 9000)
        self.series: dict[str, list[int]] = defaultdict(list)  # look-alikes month after month
        self.build()

    # -- how money moves and how entries get written -----------------------------------------
    def money(self, low: float, high: float) -> Decimal:
        cents = self.rng.randint(round(low * 100), round(high * 100))
        return (Decimal(cents) / 100).quantize(Decimal("0.01"))

    def day_in(self, month: int, first: int = 1, last: int = 28) -> date:
        return date(YEAR, month, self.rng.randint(first, last))

    def bank_id(self, account: str, day: date) -> str:
        prefix = {CHECKING: "CK", SAVINGS: "SV", CARD: "CC"}[account]
        self.ids[prefix] += 1
        return f"{prefix}{day:%y%m%d}{self.rng.randrange(10**6):06d}{self.ids[prefix]:04d}"

    def print_line(self, account: str, day: date, amount: Decimal, text: str, check: str = ""):
        line = Line(account, day, amount, text, self.bank_id(account, day), check)
        self.lines.append(line)
        return line

    def add(self, txn: Txn) -> int:
        self.txns.append(txn)
        return len(self.txns) - 1

    def imported(self, line: Line, counter: str) -> int:
        """What the bank's or the card's importer writes for a line: the bank's text, the
        line's id in its own metadata key (or link), categorized by its rules or not."""
        txn = Txn(line.day, None, line.text, [(line.account, line.amount), (counter, -line.amount)])
        if line.account == CARD:
            txn.meta["txn_id"] = line.bank_id
        elif line.account == SAVINGS:
            txn.posting_meta[0] = {"fitid": line.bank_id}
        elif line.day.month <= 6:
            txn.meta["bank_id"] = line.bank_id
        else:  # the bank importer since July marks the line with a link
            txn.links.append(f"chk-{line.bank_id.lower()}")
        if line.check:
            txn.meta["check"] = line.check
        return self.add(txn)

    def typed(self, day, payee, narration, postings, **meta) -> int:
        """What a person types: their own names, no bank id."""
        return self.add(Txn(day, payee, narration, list(postings), {k: v for k, v in meta.items()}))

    def case(self, kind: str, planted: bool, *entries: int) -> None:
        self.cases.append(Case(kind, planted, list(entries)))

    def next_check(self) -> str:
        self.check_number += 1
        return str(self.check_number)

    def next_invoice(self, vendor: str) -> str:
        self.invoice_number += self.rng.randint(1, 40)
        initials = "".join(w[0] for w in vendor.split() if w[0].isalpha())[:3].upper()
        return f"{initials}-{self.invoice_number}"

    def invoice_words(self, number: str) -> str:
        """An invoice number as people write it in a narration."""
        return self.rng.choice(["Inv {}", "Invoice #{}", "inv. {}", "INV {}", "Bill {}"]).format(
            number
        )

    def clears(self, day: date, check: bool) -> date:
        """When the bank posts a payment made on `day`."""
        if check:
            return day + timedelta(days=self.rng.randint(2, 12))
        return day + timedelta(days=self.rng.choice([0, 0, 1, 1, 2]))

    # -- the year ------------------------------------------------------------------------------
    def build(self) -> None:
        self.typed(
            date(YEAR, 1, 1),
            None,
            "Opening balances",
            [
                (CHECKING, Decimal("48000.00")),
                (SAVINGS, Decimal("15000.00")),
                ("Equity:Opening-Balances", Decimal("-63000.00")),
            ],
        )
        for month in range(1, 13):
            self.card_month(month)
            self.subscriptions(month)
            self.fixed_costs(month)
            self.payroll(month)
            self.sales(month)
            self.bills(month)
            self.savings(month)
        self.plant_duplicates()
        self.honest_look_alikes()
        for kind, entries in self.series.items():
            self.case(kind.split()[0] if kind.startswith("subscription") else kind, False, *entries)

    def card_month(self, month: int) -> None:
        """Card purchases: most imported from the card statement, some typed from receipts."""
        for _ in range(self.rng.randint(38, 48)):
            name, printed, expense, (low, high) = self.rng.choice(MERCHANTS)
            day = self.day_in(month)
            amount = self.money(low, high)
            posted = day + timedelta(days=self.rng.choice([0, 1, 1, 2, 3]))
            line = self.print_line(CARD, posted, -amount, printed)
            if self.rng.random() < 0.85:
                self.imported(line, expense if self.rng.random() < 0.7 else UNCATEGORIZED)
            else:
                what = self.rng.choice(["supplies", "receipt", "", "for the shop", "misc"])
                self.typed(day, name, what, [(expense, amount), (CARD, -amount)])
        # The card is paid in full from checking each month (typed by hand).
        due = date(YEAR, month, 25)
        amount = self.money(1500, 4000)
        self.print_line(CHECKING, due, -amount, "PAYMENT TO CREDIT CARD ...7719")
        self.print_line(CARD, due + timedelta(days=1), amount, "PAYMENT - THANK YOU")
        self.typed(due, "Card payment", "Pay the card", [(CARD, amount), (CHECKING, -amount)])

    def subscriptions(self, month: int) -> None:
        for name, printed, expense, amount, day in SUBSCRIPTIONS:
            line = self.print_line(CARD, date(YEAR, month, day), -amount, printed)
            self.series[f"subscription {name}"].append(self.imported(line, expense))

    def fixed_costs(self, month: int) -> None:
        """Rent, the loan, utilities on autopay, the bank's fee: typed or imported."""
        rent = Decimal("3800.00")
        self.print_line(CHECKING, date(YEAR, month, 1), -rent, "HARBOR PROPERTIES ACH RENT")
        self.series["monthly rent"].append(
            self.typed(
                date(YEAR, month, 1),
                "Harbor Properties",
                f"Rent {month:02d}/{YEAR}",
                [("Expenses:Rent", rent), (CHECKING, -rent)],
            )
        )
        loan = Decimal("1212.47")
        line = self.print_line(CHECKING, date(YEAR, month, 5), -loan, "FIRST COASTAL LOAN PMT")
        self.series["loan payment"].append(self.imported(line, "Liabilities:Loan"))
        power = self.money(380, 720)
        line = self.print_line(CHECKING, self.day_in(month, 10, 14), -power, "PG&E WEB ONLINE")
        self.imported(line, "Expenses:Utilities")
        fee = Decimal("15.00")
        line = self.print_line(CHECKING, date(YEAR, month, 28), -fee, "MONTHLY SERVICE FEE")
        self.series["monthly bank fee"].append(self.imported(line, "Expenses:BankFees"))

    def payroll(self, month: int) -> None:
        """Net pay on the 15th and the last business day, one ACH per person, typed by hand
        from the payroll report. Two people earn the same: honest look-alikes."""
        for day in (15, 28):
            paid = date(YEAR, month, day)
            while paid.weekday() >= 5:
                paid -= timedelta(days=1)
            same = []
            for name, amount in EMPLOYEES:
                self.print_line(CHECKING, paid, -amount, f"GUSTO NET PAY {name.upper()}")
                entry = self.typed(
                    paid,
                    "Gusto",
                    f"Net pay {name}",
                    [("Expenses:Wages", amount), (CHECKING, -amount)],
                )
                if amount == EMPLOYEES[0][1]:
                    same.append(entry)
            self.case("payroll, equal net pay", False, *same)

    def sales(self, month: int) -> None:
        """Customers pay by ACH or check deposit; the bank's importer books them."""
        for _ in range(self.rng.randint(8, 12)):
            customer = self.rng.choice(CUSTOMERS)
            amount = self.money(180, 2600)
            line = self.print_line(
                CHECKING, self.day_in(month), amount, f"ACH CREDIT {customer.upper()}"
            )
            self.imported(line, "Income:Sales")
        # Two customers paying the same catering deposit on one day.
        day = self.day_in(month)
        amount = Decimal(self.rng.choice(["250.00", "500.00", "750.00"]))
        pair = []
        for customer in self.rng.sample(CUSTOMERS, 2):
            line = self.print_line(CHECKING, day, amount, f"ACH CREDIT {customer.upper()}")
            pair.append(self.imported(line, "Income:Sales"))
        self.case("two customers, same deposit", False, *pair)

    def bill(self, vendor: str, day: date, amount: Decimal, number: str) -> int:
        """A bill booked in payables, by hand."""
        return self.typed(
            day,
            vendor,
            f"Bill {number}",
            [(EXPENSE_OF[vendor], amount), (AP, -amount)],
            invoice=number,
        )

    def pay(
        self,
        vendor: str,
        day: date,
        amount: Decimal,
        number: str | None,
        *,
        through_ap: bool,
        how: str = "",
        printed: str | None = None,
        words: str = "",
        narration: str | None = None,
        payee: str | None = None,
    ) -> int:
        """A payment typed by hand (`payee` as the person wrote the vendor's name), with the
        line the bank prints for it."""
        check = self.next_check() if (how or self.rng.choice(["check", "ach"])) == "check" else ""
        text = printed or next(p for v, p, _ in VENDORS if v == vendor)
        bank_text = f"CHECK {check}" if check else f"ACH DEBIT {text}"
        self.print_line(CHECKING, self.clears(day, bool(check)), -amount, bank_text, check)
        meta = {}
        if number and self.rng.random() < 0.6:
            meta["invoice"] = number
            about = narration if narration is not None else ("Payment " + words).strip()
        else:
            shown = self.invoice_words(number) if number else ""
            about = narration if narration is not None else f"{shown} {words}".strip()
        if check:
            meta["check"] = check
        counter = AP if through_ap else EXPENSE_OF[vendor]
        postings = [(counter, amount), (CHECKING, -amount)]
        return self.typed(day, payee or vendor, about, postings, **meta)

    def bills(self, month: int) -> None:
        """Vendors bill; most bills are booked in payables and paid two to four weeks later."""
        for vendor, _, _ in self.rng.sample(VENDORS, 6):
            day = self.day_in(month)
            amount = self.money(120, 4800)
            number = self.next_invoice(vendor)
            if self.rng.random() < 0.7:
                self.bill(vendor, day, amount, number)
                self.pay(
                    vendor,
                    day + timedelta(days=self.rng.randint(14, 30)),
                    amount,
                    number,
                    through_ap=True,
                )
            else:
                self.pay(vendor, day, amount, number, through_ap=False)
        # A weekly delivery at the same price, paid by ACH each Monday, no invoice quoted.
        monday = date(YEAR, month, 1)
        while monday.weekday() != 0:
            monday += timedelta(days=1)
        weekly = []
        while monday.month == month:
            weekly.append(
                self.pay(
                    "Golden Dairy Cooperative",
                    monday,
                    Decimal("312.40"),
                    None,
                    through_ap=False,
                    how="ach",
                    narration="Weekly milk",
                )
            )
            monday += timedelta(days=7)
        self.case("weekly delivery, same price", False, *weekly)

    def savings(self, month: int) -> None:
        """Interest, imported from the savings statement by its importer."""
        interest = self.money(8, 40)
        line = self.print_line(SAVINGS, date(YEAR, month, 28), interest, "INTEREST PAYMENT")
        self.imported(line, "Income:Interest")
        if month % 3 == 0:  # a quarterly transfer, typed in checking
            amount = Decimal("2500.00")
            day = self.day_in(month, 10, 20)
            self.print_line(CHECKING, day, -amount, "ONLINE TRANSFER TO SAV ...8841")
            self.print_line(SAVINGS, day, amount, "ONLINE TRANSFER FROM CHK ...7702")
            self.typed(day, None, "Transfer to savings", [(SAVINGS, amount), (CHECKING, -amount)])

    # -- duplicates a bookkeeper would want to hear about ----------------------------------------
    def plant_duplicates(self) -> None:
        rng = self.rng
        for _ in range(10):  # a receipt typed twice: the card shows it once
            name, printed, expense, (low, high) = rng.choice(MERCHANTS)
            day, amount = self.day_in(rng.randint(1, 12)), self.money(low, high)
            self.print_line(CARD, day + timedelta(days=rng.randint(0, 2)), -amount, printed)
            first = self.typed(day, name, "receipt", [(expense, amount), (CARD, -amount)])
            again = day + timedelta(days=rng.choice([0, 0, 1, 2, 3]))
            second = self.typed(
                again,
                rng.choice([name, name.upper(), name + " store"]),
                rng.choice(["receipt", "", "supplies"]),
                [(expense, amount), (CARD, -amount)],
            )
            self.case("typed twice", True, first, second)
        for _ in range(14):  # imported from the card, and typed from the receipt as well
            name, printed, expense, (low, high) = rng.choice(MERCHANTS)
            day, amount = self.day_in(rng.randint(1, 12)), self.money(low, high)
            line = self.print_line(CARD, day + timedelta(days=rng.randint(0, 3)), -amount, printed)
            first = self.imported(line, rng.choice([expense, UNCATEGORIZED]))
            second = self.typed(
                day,
                name,
                rng.choice(["", "receipt", "for the kitchen"]),
                [(expense, amount), (CARD, -amount)],
            )
            self.case("imported and typed", True, first, second)
        for k in range(10):  # one bank line imported twice (an overlapping download)
            account = rng.choice([CARD, CHECKING, CHECKING])
            day = self.day_in(rng.randint(1, 12))
            if account == CARD:
                name, printed, expense, (low, high) = rng.choice(MERCHANTS)
                amount, counter = -self.money(low, high), expense
            else:
                printed, amount, counter = (
                    "ACH CREDIT " + rng.choice(CUSTOMERS).upper(),
                    self.money(200, 2000),
                    "Income:Sales",
                )
            line = self.print_line(account, day, amount, printed)
            first = self.imported(line, counter)
            second = self.imported(line, rng.choice([counter, UNCATEGORIZED]))
            if k % 2 and account == CHECKING:
                # The second download came through the other importer: the id as a link.
                self.txns[second].meta.pop("bank_id", None)
                self.txns[second].links[:] = [f"chk-{line.bank_id.lower()}"]
                self.txns[first].links[:] = []
                self.txns[first].meta["bank_id"] = line.bank_id
            self.case("line imported twice", True, first, second)
        for _ in range(4):  # two honest identical coffees, one of them imported twice
            name, printed, expense, _ = MERCHANTS[0]
            day, amount = self.day_in(rng.randint(1, 12)), self.money(4, 9)
            one = self.print_line(CARD, day, -amount, printed)
            two = self.print_line(CARD, day, -amount, printed)
            twin = self.imported(one, expense)
            first = self.imported(two, expense)
            second = self.imported(two, expense)
            self.case("identical purchases, distinct ids", False, twin, first)
            self.case("twin imported twice", True, first, second)
        for k in range(10):  # a bill paid twice: by check, then again by ACH
            vendor, printed, short = rng.choice(VENDORS)
            day, amount = self.day_in(rng.randint(1, 10)), self.money(300, 5000)
            number = self.next_invoice(vendor)
            self.bill(vendor, day, amount, number)
            paid = day + timedelta(days=rng.randint(10, 25))
            first = self.pay(vendor, paid, amount, number, through_ap=True, how="check")
            later = paid + timedelta(days=rng.randint(3, 30))
            abbreviated = k % 3 == 0
            second = self.pay(
                vendor,
                later,
                amount,
                number,
                through_ap=True,
                how="ach",
                payee=short if abbreviated else vendor.upper(),
            )
            kind = "bill paid twice, payee abbreviated" if abbreviated else "bill paid twice"
            self.case(kind, True, first, second)
        for _ in range(6):  # a service call paid twice within days, no invoice quoted
            vendor, printed, short = rng.choice(VENDORS)
            day, amount = self.day_in(rng.randint(1, 12)), self.money(150, 900)
            first = self.pay(
                vendor, day, amount, None, through_ap=False, how="ach", narration="Service call"
            )
            second = self.pay(
                vendor,
                day + timedelta(days=rng.randint(1, 9)),
                amount,
                None,
                through_ap=False,
                how="ach",
                payee=rng.choice([vendor, short]),
                narration=rng.choice(["Service call", "service", ""]),
            )
            self.case("vendor paid twice, no invoice", True, first, second)
        for _ in range(8):  # a transfer typed in checking, and imported from savings too
            day, amount = (
                self.day_in(rng.randint(1, 12)),
                Decimal(rng.choice(["500", "1000", "1500"])),
            )
            self.print_line(CHECKING, day, -amount, "ONLINE TRANSFER TO SAV ...8841")
            line = self.print_line(
                SAVINGS,
                day + timedelta(days=rng.randint(0, 1)),
                amount,
                "ONLINE TRANSFER FROM CHK ...7702",
            )
            first = self.typed(
                day, None, "Transfer to savings", [(SAVINGS, amount), (CHECKING, -amount)]
            )
            second = self.imported(line, rng.choice([CHECKING, UNCATEGORIZED]))
            self.case("transfer from both sides", True, first, second)
        for _ in range(4):  # the same invoice and amount paid to two vendors
            (vendor, printed, _), (other, other_printed, _) = rng.sample(VENDORS, 2)
            day, amount = self.day_in(rng.randint(1, 11)), self.money(400, 3000)
            number = self.next_invoice(vendor)
            self.bill(vendor, day, amount, number)
            wrong = self.pay(
                other,
                day + timedelta(days=12),
                amount,
                number,
                through_ap=True,
                printed=other_printed,
            )
            right = self.pay(
                vendor, day + timedelta(days=rng.randint(20, 40)), amount, number, through_ap=True
            )
            self.txns[wrong].meta["invoice"] = number
            self.txns[right].meta["invoice"] = number
            self.case("paid to the wrong vendor too", True, wrong, right)
        for _ in range(4):  # one payment typed again the next day, and paid again weeks later
            vendor, printed, _ = rng.choice(VENDORS)
            day, amount = self.day_in(rng.randint(1, 10)), self.money(200, 2500)
            number = self.next_invoice(vendor)
            first = self.pay(vendor, day, amount, number, through_ap=False, how="ach")
            self.txns[first].meta["invoice"] = number
            typo = self.typed(
                day + timedelta(days=1),
                vendor,
                f"Payment {number}",
                [(EXPENSE_OF[vendor], amount), (CHECKING, -amount)],
            )
            again = self.pay(
                vendor,
                day + timedelta(days=rng.randint(20, 35)),
                amount,
                number,
                through_ap=False,
                how="check",
            )
            self.txns[again].meta["invoice"] = number
            self.case("typed again the next day", True, first, typo)
            self.case("paid again weeks later", True, first, again)
        for _ in range(4):  # a fee typed twice with no payee and no narration
            day = self.day_in(rng.randint(1, 12))
            amount = Decimal(rng.choice(["25.00", "35.00", "12.50"]))
            self.print_line(CHECKING, day, -amount, "WIRE FEE")
            first = self.typed(day, None, "", [("Expenses:BankFees", amount), (CHECKING, -amount)])
            second = self.typed(day, None, "", [("Expenses:BankFees", amount), (CHECKING, -amount)])
            self.case("no payee, no narration, twice", True, first, second)
        # Round-up transfers, one a day for a week; Thursday's is typed twice.
        monday = self.day_in(rng.randint(2, 11), 1, 20)
        while monday.weekday() != 0:
            monday += timedelta(days=1)
        ten = Decimal("10.00")
        week = []
        for offset, label in enumerate("ABCD"):
            day = monday + timedelta(days=offset)
            self.print_line(CHECKING, day, -ten, "ONLINE TRANSFER TO SAV ...8841")
            self.print_line(SAVINGS, day, ten, "ONLINE TRANSFER FROM CHK ...7702")
            week.append(
                self.typed(day, None, f"Round-up {label}", [(SAVINGS, ten), (CHECKING, -ten)])
            )
        again = self.typed(
            monday + timedelta(days=3), None, "Round-up D", [(SAVINGS, ten), (CHECKING, -ten)]
        )
        self.case("daily transfers, same amount", False, *week)
        self.case("daily transfer typed twice", True, week[-1], again)

    # -- what only looks like a duplicate ------------------------------------------------------
    def honest_look_alikes(self) -> None:
        rng = self.rng
        for k in range(8):  # a bill paid in equal instalments, two weeks apart
            vendor, _, _ = rng.choice(VENDORS)
            parts = rng.choice([2, 2, 3])
            day, share = self.day_in(rng.randint(1, 9)), self.money(250, 2000)
            number = self.next_invoice(vendor)
            booked = k % 2 == 0
            if booked:
                self.bill(vendor, day, share * parts, number)
            pattern = rng.choice(INSTALMENT_WORDS)
            paid = []
            for n in range(1, parts + 1):
                words = pattern.format(n=n, m=parts, nth=ORDINALS[n])
                paid.append(
                    self.pay(
                        vendor,
                        day + timedelta(days=14 * n),
                        share,
                        number,
                        through_ap=booked,
                        how="ach",
                        words=words,
                    )
                )
            self.case("instalments", False, *paid)
        for _ in range(5):  # a bill paid in two unequal parts
            vendor, _, _ = rng.choice(VENDORS)
            day, total = self.day_in(rng.randint(1, 10)), self.money(800, 6000)
            first_part = (total * Decimal(rng.choice(["0.4", "0.5", "0.6"]))).quantize(
                Decimal("0.01")
            )
            number = self.next_invoice(vendor)
            self.bill(vendor, day, total, number)
            parts = [
                self.pay(vendor, day + timedelta(days=10), first_part, number, through_ap=True),
                self.pay(
                    vendor,
                    day + timedelta(days=rng.randint(12, 30)),
                    total - first_part,
                    number,
                    through_ap=True,
                ),
            ]
            self.case("split payment", False, *parts)
        for _ in range(10):  # two identical purchases on one day, each its own card line
            name, printed, expense, (low, high) = rng.choice(MERCHANTS[:4])
            day, amount = self.day_in(rng.randint(1, 12)), self.money(low, min(high, 40))
            pair = [
                self.imported(self.print_line(CARD, day, -amount, printed), expense)
                for _ in range(2)
            ]
            self.case("identical purchases, distinct ids", False, *pair)
        for _ in range(3):  # ... and two typed by hand from two receipts, no ids
            name, printed, expense, (low, high) = rng.choice(MERCHANTS[:4])
            day, amount = self.day_in(rng.randint(1, 12)), self.money(low, min(high, 40))
            pair = []
            for _ in range(2):
                self.print_line(CARD, day, -amount, printed)
                pair.append(self.typed(day, name, "", [(expense, amount), (CARD, -amount)]))
            self.case("identical purchases typed, no ids", False, *pair)
        for _ in range(6):  # a purchase and its refund
            name, printed, expense, (low, high) = rng.choice(MERCHANTS)
            day, amount = self.day_in(rng.randint(1, 12)), self.money(low, high)
            bought = self.imported(self.print_line(CARD, day, -amount, printed), expense)
            back = day + timedelta(days=rng.randint(1, 6))
            refund = self.imported(
                self.print_line(CARD, back, amount, printed + " REFUND"), expense
            )
            self.case("refund", False, bought, refund)
        for (name, printed), (other, other_printed) in NAMESAKES:  # two vendors, similar names
            day, amount = self.day_in(rng.randint(1, 12)), self.money(200, 900)
            one = self.pay(
                name,
                day,
                amount,
                None,
                through_ap=False,
                how="ach",
                printed=printed,
                narration="Delivery",
            )
            two = self.pay(
                other,
                day + timedelta(days=rng.randint(0, 5)),
                amount,
                None,
                through_ap=False,
                how="ach",
                printed=other_printed,
                narration="Delivery",
            )
            self.case("two vendors, similar names", False, one, two)
        for _ in range(4):  # one vendor, two bills of the same amount, both quoted
            vendor, _, _ = rng.choice(VENDORS)
            day, amount = self.day_in(rng.randint(1, 11)), self.money(100, 800)
            first = self.pay(vendor, day, amount, self.next_invoice(vendor), through_ap=False)
            second = self.pay(
                vendor,
                day + timedelta(days=rng.randint(2, 12)),
                amount,
                self.next_invoice(vendor),
                through_ap=False,
            )
            for entry in (first, second):
                if "invoice" not in self.txns[entry].meta:
                    self.txns[entry].meta["invoice"] = self.next_invoice(vendor)
            self.case("two bills, same amount", False, first, second)

    # -- the books on disk -----------------------------------------------------------------------
    def write(self, root: Path, statements: bool) -> dict[int, str]:
        """The books in `root`; returns each entry's `file:line`."""
        (root / "ledgers").mkdir(parents=True, exist_ok=True)
        accounts = sorted({a for t in self.txns for a, _ in t.postings} | {UNCATEGORIZED})
        opens = "".join(f"2024-12-01 open {a}\n" for a in accounts)
        (root / "ledgers/main.beancount").write_text(
            'option "operating_currency" "USD"\n' + opens + '\ninclude "journal.beancount"\n'
        )
        order = sorted(range(len(self.txns)), key=lambda i: (self.txns[i].day, i))
        text, where, lineno = [], {}, 1
        for i in order:
            block = render(self.txns[i])
            where[i] = f"{JOURNAL}:{lineno}"
            text.append(block)
            lineno += block.count("\n") + 1
        (root / JOURNAL).write_text("\n".join(text))
        for folder, account in (("checking", CHECKING), ("card", CARD), ("savings", SAVINGS)):
            lines = sorted(
                (ln for ln in self.lines if ln.account == account), key=lambda ln: ln.day
            )
            for month in range(1, 13):
                rows = [ln for ln in lines if ln.day.month == month]
                path = root / "statements" / folder / f"{YEAR}-{month:02d}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                body = "Date,Description,Amount,Check No,Transaction ID\n" + "".join(
                    f"{ln.day:%m/%d/%Y},{ln.text},{ln.amount},{ln.check},{ln.bank_id}\n"
                    for ln in rows
                )
                path.write_text(body)
        (root / "bo.yaml").write_text(settings(statements))
        return where


def render(txn: Txn) -> str:
    head = f"{txn.day} *"
    if txn.payee is not None:
        head += f' "{txn.payee}"'
    head += f' "{txn.narration}"' + "".join(f" ^{link}" for link in txn.links)
    lines = [head] + [f'  {key}: "{value}"' for key, value in txn.meta.items()]
    for n, (account, amount) in enumerate(txn.postings):
        lines.append(f"  {account}  {amount} USD")
        lines += [f'    {key}: "{value}"' for key, value in txn.posting_meta.get(n, {}).items()]
    return "\n".join(lines) + "\n"


def settings(statements: bool) -> str:
    """bo.yaml as `bo init` writes it, with the statements of the bank and the card when
    the user has set them up."""
    checking = "    statement: {format: bank-csv, dir: statements/checking}\n" if statements else ""
    card = "    statement: {format: bank-csv, dir: statements/card}\n" if statements else ""
    return f"""\
entity:
  name: Fernhill Bakery LLC
  currency: USD
people:
  - name: Bookkeeper
    roles: [bookkeeper]
accounts:
  {CHECKING}:
    role: bank
{checking}  {CARD}:
    role: card
{card}  {AP}:
    role: payable
  {UNCATEGORIZED}:
    role: uncategorized
statement_formats:
  bank-csv:
    kind: csv
    date: Date
    date_format: "%m/%d/%Y"
    amount: Amount
    payee: Description
    reference: Check No
    id: Transaction ID
"""


@dataclass
class Score:
    """Findings against the truth, per planted kind and per look-alike kind."""

    found: Counter = field(default_factory=Counter)  # planted kind -> found with the right kind
    planted: Counter = field(default_factory=Counter)
    reported: Counter = field(default_factory=Counter)  # bo's kind -> findings
    correct: Counter = field(default_factory=Counter)  # bo's kind -> right findings
    false: Counter = field(default_factory=Counter)  # what a wrong finding was, by cause

    def add(self, other: Score) -> None:
        for name in ("found", "planted", "reported", "correct", "false"):
            getattr(self, name).update(getattr(other, name))

    @property
    def precision(self) -> float:
        return sum(self.correct.values()) / max(1, sum(self.reported.values()))

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(1, sum(self.planted.values()))

    def table(self) -> str:
        out = [f"precision {self.precision:.3f}, recall {self.recall:.3f}"]
        out.append("  recall by planted kind:")
        for kind in sorted(self.planted):
            out.append(f"    {kind:40} {self.found[kind]:3} of {self.planted[kind]:3}")
        out.append("  precision by reported kind:")
        for kind in sorted(self.reported):
            out.append(f"    {kind:40} {self.correct[kind]:3} of {self.reported[kind]:3}")
        if self.false:
            out.append("  wrong findings, by what the entries were:")
            for cause, n in self.false.most_common():
                out.append(f"    {cause:40} {n:3}")
        return "\n".join(out)


def judge(books: Books, where: dict[int, str], findings: list[dict]) -> Score:
    """Each finding is right when its entries are exactly a planted duplicate's, called by
    a kind a bookkeeper would; each planted duplicate is found when such a finding names it."""
    score = Score()
    planted = {}
    owner: dict[str, list[Case]] = defaultdict(list)
    for case in books.cases:
        names = frozenset(where[i] for i in case.entries)
        for name in names:
            owner[name].append(case)
        if case.planted:
            planted[names] = case
            score.planted[case.kind] += 1
    for finding in findings:
        names = frozenset(finding["entries"])
        score.reported[finding["kind"]] += 1
        case = planted.get(names)
        if case is not None and finding["kind"] in EXPECT[case.kind]:
            score.correct[finding["kind"]] += 1
            score.found[case.kind] += 1
            continue
        if case is not None:
            score.false[f"{case.kind}: called {finding['kind']}"] += 1
            continue
        causes = sorted({c.kind for n in names for c in owner[n] if not c.planted})
        plants = sorted({c.kind for n in names for c in owner[n] if c.planted})
        score.false[
            " + ".join(causes) or ("part of: " + " + ".join(plants) if plants else "other entries")
        ] += 1
    return score


def score(seed: int, statements: bool, run) -> Score:
    """Write the books of `seed` and judge `bo dupes --json` on them; `run(args, cwd)`
    returns the command's stdout."""
    books = Books(seed)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        where = books.write(root, statements)
        findings = json.loads(run(["dupes", "--json"], root))
    return judge(books, where, findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    from typer.testing import CliRunner

    from bo.cli import app

    def run(argv: list[str], cwd: Path) -> str:
        import os

        here = Path.cwd()
        os.chdir(cwd)
        try:
            return CliRunner().invoke(app, argv).stdout
        finally:
            os.chdir(here)

    for statements in (True, False):
        total = Score()
        for seed in args.seeds:
            total.add(score(seed, statements, run))
        print(("with statements" if statements else "ledger only") + f", seeds {args.seeds}:")
        print(total.table())


if __name__ == "__main__":
    sys.exit(main())
