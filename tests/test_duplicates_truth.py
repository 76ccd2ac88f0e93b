"""A generated set with known truth: duplicates of every kind with noise, and look-alikes.

Nothing here mirrors the detector's rules: each scenario is something that happens in a
small business's books, written the way a bookkeeper, a bank export or `bo import` would
write it, with misspelled payees, invoice numbers in another format, shifted dates, card
lines that post days later. Precision and recall are printed and must both be >= 0.95.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount

from bo.duplicates.find import find_duplicates
from bo.duplicates.model import finding_id
from bo.settings import Settings
from bo.statements.printed import Printed, PrintedLine

SETTINGS = Settings.model_validate(
    {
        "entity": {"name": "Truth LLC", "currency": "USD"},
        "accounts": {
            "Assets:Checking": {
                "role": "bank",
                "statement": {"format": "bank", "dir": "statements/checking"},
            },
            "Assets:Savings": {
                "role": "bank",
                "statement": {"format": "bank", "dir": "statements/savings"},
            },
            "Liabilities:Card": {
                "role": "card",
                "statement": {"format": "bank", "dir": "statements/card"},
            },
            # A second card whose statements are not in the books: only the entries speak.
            "Liabilities:Amex": {"role": "card"},
            "Liabilities:AP": {"role": "payable"},
            "Expenses:Uncategorized": {"role": "uncategorized"},
        },
    }
)
STATEMENT_DIRS = {
    "Assets:Checking": "statements/checking",
    "Assets:Savings": "statements/savings",
    "Liabilities:Card": "statements/card",
}
VENDORS = [
    "Acme Supply",
    "Bolt Hosting",
    "Cobalt Legal",
    "Delta Print",
    "Echo Media",
    "Fjord Design",
    "Granite Movers",
    "Harbor Cleaning",
    "Ivy Translation",
    "Juniper Catering",
]
MERCHANTS = ["Blue Bottle", "Staples", "Shell", "Uber", "Lyft", "Office Depot", "Sweetgreen"]


class Books:
    """A ledger and its statements being written, with the planted truth."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.entries: list[data.Transaction] = []
        self.printed: list[PrintedLine] = []
        self.truth: list[set[str]] = []  # each planted duplicate: the ids that find it
        self.kinds: list[str] = []
        self.pairs: list[tuple] = []
        self.rows: Counter = Counter()

    # -- how entries get written -----------------------------------------------------------
    def txn(self, day, payee, narration, postings, meta=None):
        meta = {"filename": "/truth.beancount", "lineno": len(self.entries) + 1, **(meta or {})}
        entry = data.Transaction(
            meta,
            day,
            "*",
            payee,
            narration,
            frozenset(),
            frozenset(),
            [
                data.Posting(a, Amount(Decimal(n), "USD"), None, None, None, None)
                for a, n in postings
            ],
        )
        self.entries.append(entry)
        return entry

    def print_line(self, account, day, amount, text, check=None):
        """The bank prints a line; returns the id bo import would give it."""
        self.rows[(account, day, amount, text)] += 1
        line_id = f"row:{account}:{day}:{amount}:{text}:{self.rows[(account, day, amount, text)]}"
        refs = {line_id} | ({check} if check else set())
        self.printed.append(
            PrintedLine(
                account,
                day,
                Decimal(amount),
                "USD",
                text,
                frozenset(refs),
                "check" if check else "",
            )
        )
        return line_id

    def imported(self, account, day, amount, text, counter, line_id, payee=None):
        """What bo import writes for a statement line."""
        n = self.rng.randint(2, 60)
        meta = {
            "import-id": line_id,
            "import-source": f"{STATEMENT_DIRS[account]}/{day:%Y-%m}.csv:{n}",
        }
        negated = str(-Decimal(amount))
        return self.txn(day, payee or text, "", [(account, amount), (counter, negated)], meta)

    def plant(self, kind, *pairs):
        self.truth.append({finding_id(pair) for pair in pairs})
        self.kinds.append(kind)
        self.pairs.append(pairs)

    # -- noise -----------------------------------------------------------------------------
    def amount(self, low=20, high=5000):
        return f"{self.rng.randint(low, high)}.{self.rng.randint(0, 99):02d}"

    def misspell(self, name):
        """How a vendor's name comes out elsewhere: the bank's capitals, a suffix, a typo."""
        how = self.rng.randrange(5)
        if how == 0:
            return name.upper() + " " + self.rng.choice(["INC", "LLC", "CO", "CORP"])
        if how == 1:
            return name + " " + self.rng.choice(["Inc.", "LLC", "& Co"])
        letters = [k for k in range(1, len(name) - 1) if name[k : k + 2].isalpha()]
        if how == 2 and letters:
            at = self.rng.choice(letters)
            return name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # two letters swapped
        if how == 3 and len(name) > 6:
            at = self.rng.randrange(1, len(name) - 1)
            return name[:at] + name[at + 1 :]  # a letter dropped
        return "ACH PMT " + name.upper()

    def invoice(self, number):
        """One invoice number, written as different people write it."""
        return self.rng.choice(
            [f"INV-{number:04d}", f"inv {number}", f"{number:04d}", f"Invoice #{number}"]
        )

    def bank_text(self, name):
        return f"{name.upper()} {self.rng.randint(1000, 9999)}"

    def later(self, day, low, high):
        return day + timedelta(days=self.rng.randint(low, high))


# --- Duplicates --------------------------------------------------------------------------------


def bill_paid_twice(b: Books, day, n):
    vendor, amount = b.rng.choice(VENDORS), b.amount()
    b.txn(
        day,
        vendor,
        f"Bill {n}",
        [("Expenses:Services", amount), ("Liabilities:AP", f"-{amount}")],
        {"invoice": f"INV-{n:04d}"},
    )
    paid = b.later(day, 10, 30)
    first = b.txn(
        paid,
        vendor,
        "Payment",
        [("Liabilities:AP", amount), ("Assets:Checking", f"-{amount}")],
        {"invoice": b.invoice(n), "check": str(2000 + n)},
    )
    b.print_line("Assets:Checking", b.later(paid, 2, 9), f"-{amount}", "CHECK", str(2000 + n))
    again = b.later(paid, 1, 40)
    second = b.txn(
        again,
        b.misspell(vendor),
        "ACH payment",
        [("Liabilities:AP", amount), ("Assets:Checking", f"-{amount}")],
        {"invoice": b.invoice(n)},
    )
    b.print_line("Assets:Checking", again, f"-{amount}", b.bank_text(vendor))
    b.plant("bill paid twice", [first, second])


def invoice_paid_twice_no_bill(b: Books, day, n):
    vendor, amount = b.rng.choice(VENDORS), b.amount()
    account = b.rng.choice(["Assets:Checking", "Liabilities:Card"])
    first = b.txn(
        day,
        vendor,
        "Services",
        [("Expenses:Services", amount), (account, f"-{amount}")],
        {"invoice": b.invoice(n)},
    )
    b.print_line(account, day, f"-{amount}", b.bank_text(vendor))
    again = b.later(day, 2, 45)
    second = b.txn(
        again,
        b.misspell(vendor),
        "Services",
        [("Expenses:Services", amount), (account, f"-{amount}")],
        {"invoice": b.invoice(n)},
    )
    b.print_line(account, again, f"-{amount}", b.bank_text(vendor))
    b.plant("invoice paid twice, no bill", [first, second])


def paid_twice_no_reference(b: Books, day, n):
    vendor, amount = b.rng.choice(VENDORS), b.amount(200, 3000)
    # The vendor's bills go through payables: a vendor, not a café.
    b.txn(
        day - timedelta(days=40),
        vendor,
        "Bill",
        [("Expenses:Services", amount), ("Liabilities:AP", f"-{amount}")],
        {"invoice": f"OLD-{n}"},
    )
    account = b.rng.choice(["Assets:Checking", "Liabilities:Card"])
    first = b.txn(day, vendor, "Payment", [("Liabilities:AP", amount), (account, f"-{amount}")])
    b.print_line(account, day, f"-{amount}", b.bank_text(vendor))
    again = b.later(day, 0, 10)
    second = b.txn(
        again, b.misspell(vendor), "Payment", [("Liabilities:AP", amount), (account, f"-{amount}")]
    )
    b.print_line(account, again, f"-{amount}", b.bank_text(vendor))
    b.plant("paid twice, no reference", [first, second])


def one_reference_two_vendors(b: Books, day, n):
    one, other = b.rng.sample(VENDORS, 2)
    amount = b.amount()
    first = b.txn(
        day,
        one,
        "Payment",
        [("Expenses:Services", amount), ("Assets:Checking", f"-{amount}")],
        {"invoice": b.invoice(n)},
    )
    b.print_line("Assets:Checking", day, f"-{amount}", b.bank_text(one))
    again = b.later(day, 0, 30)
    second = b.txn(
        again,
        other,
        "Payment",
        [("Expenses:Services", amount), ("Assets:Checking", f"-{amount}")],
        {"invoice": b.invoice(n)},
    )
    b.print_line("Assets:Checking", again, f"-{amount}", b.bank_text(other))
    b.plant("one reference, two vendors", [first, second])


def typed_and_imported(b: Books, day, n):
    merchant, amount = b.rng.choice(MERCHANTS + VENDORS), b.amount(5, 900)
    typed = b.txn(
        day, merchant, "Supplies", [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")]
    )
    posted = b.later(day, 0, 3)  # the card line posts days after the purchase
    text = b.bank_text(merchant)
    line_id = b.print_line("Liabilities:Card", posted, f"-{amount}", text)
    counter = b.rng.choice(["Expenses:Uncategorized", "Expenses:Office"])
    imported = b.imported("Liabilities:Card", posted, f"-{amount}", text, counter, line_id)
    b.plant("typed and imported", [typed, imported])


def typed_twice(b: Books, day, n):
    merchant, amount = b.rng.choice(MERCHANTS + VENDORS), b.amount(5, 900)
    account = b.rng.choice(["Liabilities:Card", "Liabilities:Amex"])
    counter = b.rng.choice(["Expenses:Office", "Expenses:Travel"])
    first = b.txn(day, merchant, "Purchase", [(counter, amount), (account, f"-{amount}")])
    again = b.later(day, 0, 6)
    second = b.txn(
        again, b.misspell(merchant), "Purchase", [(counter, amount), (account, f"-{amount}")]
    )
    if account == "Liabilities:Card":
        b.print_line(account, b.later(day, 0, 2), f"-{amount}", b.bank_text(merchant))
    b.plant("typed twice", [first, second])


def transfer_from_both_sides(b: Books, day, n):
    amount = f"{b.rng.randint(50, 800) * 10}.00"
    out_id = b.print_line("Assets:Checking", day, f"-{amount}", "ONLINE TRANSFER TO SAV")
    arrived = b.later(day, 0, 2)
    in_id = b.print_line("Assets:Savings", arrived, amount, "ONLINE TRANSFER FROM CHK")
    first = b.imported(
        "Assets:Checking", day, f"-{amount}", "ONLINE TRANSFER TO SAV", "Assets:Savings", out_id
    )
    second = b.imported(
        "Assets:Savings", arrived, amount, "ONLINE TRANSFER FROM CHK", "Assets:Checking", in_id
    )
    b.plant("transfer from both sides", [first, second])


def transfer_and_uncategorized(b: Books, day, n):
    amount = f"{b.rng.randint(50, 800) * 10}.00"
    typed = b.txn(
        day,
        None,
        "Transfer to savings",
        [("Assets:Savings", amount), ("Assets:Checking", f"-{amount}")],
    )
    b.print_line("Assets:Checking", day, f"-{amount}", "ONLINE TRANSFER TO SAV")
    arrived = b.later(day, 0, 2)
    in_id = b.print_line("Assets:Savings", arrived, amount, "ONLINE TRANSFER FROM CHK")
    imported = b.imported(
        "Assets:Savings",
        arrived,
        amount,
        "ONLINE TRANSFER FROM CHK",
        "Expenses:Uncategorized",
        in_id,
    )
    b.plant("transfer, other side uncategorized", [typed, imported])


def line_imported_twice(b: Books, day, n):
    merchant, amount = b.rng.choice(MERCHANTS), b.amount(5, 300)
    text = b.bank_text(merchant)
    line_id = b.print_line("Liabilities:Card", day, f"-{amount}", text)
    first = b.imported("Liabilities:Card", day, f"-{amount}", text, "Expenses:Meals", line_id)
    # An overlapping export imported again, by a version that did not recognise it.
    second = b.imported(
        "Liabilities:Card", day, f"-{amount}", text, "Expenses:Uncategorized", line_id
    )
    b.plant("line imported twice", [first, second])


def two_coffees_and_a_third_typed(b: Books, day, n):
    price = f"{b.rng.randint(3, 9)}.{b.rng.choice(['00', '50', '75'])}"
    ids = [b.print_line("Liabilities:Card", day, f"-{price}", "BLUE BOTTLE OAK") for _ in "ab"]
    cups = [
        b.imported(
            "Liabilities:Card",
            day,
            f"-{price}",
            "BLUE BOTTLE OAK",
            "Expenses:Meals",
            line_id,
            payee="Blue Bottle",
        )
        for line_id in ids
    ]
    typed = b.txn(
        day, "Blue Bottle", "Coffee", [("Expenses:Meals", price), ("Liabilities:Card", f"-{price}")]
    )
    b.plant("two coffees and a third typed", [cups[0], typed], [cups[1], typed])


# --- Look-alikes that are not duplicates -------------------------------------------------------


def two_honest_coffees(b: Books, day, n):
    price = f"{b.rng.randint(3, 9)}.50"
    typed = b.rng.random() < 0.5
    for _ in range(2):
        line_id = b.print_line("Liabilities:Card", day, f"-{price}", "BLUE BOTTLE OAK")
        if typed:
            b.txn(
                day,
                "Blue Bottle",
                "Coffee",
                [("Expenses:Meals", price), ("Liabilities:Card", f"-{price}")],
            )
        else:
            b.imported(
                "Liabilities:Card", day, f"-{price}", "BLUE BOTTLE OAK", "Expenses:Meals", line_id
            )


def weekly_service(b: Books, day, n):
    vendor, fee = b.rng.choice(VENDORS), f"{b.rng.randint(80, 400)}.{n % 100:02d}"
    b.txn(
        day - timedelta(days=30),
        vendor,
        "Bill",
        [("Expenses:Services", fee), ("Liabilities:AP", f"-{fee}")],
        {"invoice": f"W-{n}"},
    )
    account = b.rng.choice(["Assets:Checking", "Liabilities:Card"])
    step = b.rng.choice([7, 14])
    for week in range(b.rng.randint(3, 6)):
        when = day + timedelta(days=step * week + b.rng.choice([0, 0, 0, 1]))
        b.txn(when, vendor, "Weekly service", [("Liabilities:AP", fee), (account, f"-{fee}")])
        b.print_line(account, when, f"-{fee}", b.bank_text(vendor))


def monthly_subscription(b: Books, day, n):
    fee = f"{b.rng.choice([9, 12, 15, 20, 29, 49])}.{b.rng.choice(['00', '99'])}"
    name = b.rng.choice(["Figma", "Notion", "Slack", "Dropbox", "Zoom"])
    for month in range(4):
        when = day + timedelta(days=30 * month + b.rng.randint(-1, 1))
        b.txn(
            when,
            name,
            "Subscription",
            [("Expenses:Software", fee), ("Liabilities:Card", f"-{fee}")],
        )
        b.print_line("Liabilities:Card", when, f"-{fee}", name.upper())


def honest_transfers(b: Books, day, n):
    amount = f"{b.rng.randint(5, 30) * 100}.00"
    for when in (day, b.later(day, 1, 4)):
        b.txn(
            when,
            None,
            "Transfer to savings",
            [("Assets:Savings", amount), ("Assets:Checking", f"-{amount}")],
        )
        b.print_line("Assets:Checking", when, f"-{amount}", "ONLINE TRANSFER TO SAV")
        b.print_line("Assets:Savings", when, amount, "ONLINE TRANSFER FROM CHK")


def purchase_and_refund(b: Books, day, n):
    merchant, amount = b.rng.choice(MERCHANTS + VENDORS), b.amount(20, 900)
    b.txn(
        day, merchant, "Monitor", [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")]
    )
    b.print_line("Liabilities:Card", day, f"-{amount}", merchant.upper())
    back = b.later(day, 1, 5)
    b.txn(
        back, merchant, "Refund", [("Expenses:Office", f"-{amount}"), ("Liabilities:Card", amount)]
    )
    b.print_line("Liabilities:Card", back, amount, merchant.upper())


def bill_paid_in_parts(b: Books, day, n):
    vendor = b.rng.choice(VENDORS)
    whole = Decimal(b.amount(200, 6000))
    halves = b.rng.random() < 0.5
    first_part = (
        (whole / 2).quantize(Decimal("0.01"))
        if halves
        else (whole * Decimal("0.3")).quantize(Decimal("0.01"))
    )
    parts = [first_part, whole - first_part]
    b.txn(
        day,
        vendor,
        "Bill",
        [("Expenses:Services", str(whole)), ("Liabilities:AP", str(-whole))],
        {"invoice": f"P-{n:04d}"},
    )
    when = b.later(day, 5, 20)
    for k, part in enumerate(parts):
        paid = when + timedelta(days=k * b.rng.randint(0, 3))
        b.txn(
            paid,
            vendor if k == 0 else b.misspell(vendor),
            f"Part {k + 1}",
            [("Liabilities:AP", str(part)), ("Assets:Checking", str(-part))],
            {"invoice": b.rng.choice([f"P-{n:04d}", f"p {n:04d}", f"P{n:04d}"])},
        )
        b.print_line("Assets:Checking", paid, str(-part), b.bank_text(vendor))


def two_bills_same_price(b: Books, day, n):
    vendor, fee = b.rng.choice(VENDORS), f"{b.rng.randint(100, 900)}.00"
    for k in range(2):
        ref = f"R-{n}-{k}"
        b.txn(
            day,
            vendor,
            f"Bill {ref}",
            [("Expenses:Services", fee), ("Liabilities:AP", f"-{fee}")],
            {"invoice": ref},
        )
        paid = b.later(day, 10, 12)
        b.txn(
            paid,
            vendor,
            f"Payment {ref}",
            [("Liabilities:AP", fee), ("Assets:Checking", f"-{fee}")],
            {"invoice": ref},
        )
        b.print_line("Assets:Checking", paid, f"-{fee}", b.bank_text(vendor))


def same_number_two_vendors(b: Books, day, n):
    for vendor in b.rng.sample(VENDORS, 2):
        amount = b.amount()
        b.txn(
            day,
            vendor,
            "Payment",
            [("Expenses:Services", amount), ("Assets:Checking", f"-{amount}")],
            {"invoice": b.invoice(n)},
        )
        b.print_line("Assets:Checking", day, f"-{amount}", b.bank_text(vendor))


def two_vendors_one_price(b: Books, day, n):
    amount = f"{b.rng.randint(20, 2000) * 5}.00"  # round fees: two vendors quote the same
    for vendor in b.rng.sample(VENDORS, 2):
        b.txn(
            day, vendor, "Payment", [("Liabilities:AP", amount), ("Assets:Checking", f"-{amount}")]
        )
        b.print_line("Assets:Checking", day, f"-{amount}", b.bank_text(vendor))


def corrected_entry(b: Books, day, n):
    """Typed to the wrong account, reversed, typed again: three entries, one card line."""
    merchant, amount = b.rng.choice(MERCHANTS), b.amount(5, 600)
    wrong = [("Expenses:Travel", amount), ("Liabilities:Card", f"-{amount}")]
    b.txn(day, merchant, "Purchase", wrong)
    b.txn(
        b.later(day, 0, 5),
        merchant,
        "Reversal: booked to Travel by mistake",
        [("Expenses:Travel", f"-{amount}"), ("Liabilities:Card", amount)],
    )
    b.txn(
        day, merchant, "Purchase", [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")]
    )
    b.print_line("Liabilities:Card", day, f"-{amount}", b.bank_text(merchant))


def payroll(b: Books, day, n):
    net = b.amount(3000, 9000)
    for run in range(4):
        when = day + timedelta(days=14 * run)
        b.txn(when, "Gusto", "Payroll", [("Expenses:Wages", net), ("Assets:Checking", f"-{net}")])
        b.print_line("Assets:Checking", when, f"-{net}", "GUSTO NET")


def background(b: Books, day, n):
    merchant, amount = b.rng.choice(MERCHANTS), b.amount(3, 400)
    b.txn(
        day, merchant, "Purchase", [("Expenses:Office", amount), ("Liabilities:Card", f"-{amount}")]
    )
    b.print_line("Liabilities:Card", day, f"-{amount}", b.bank_text(merchant))


DUPLICATES = [
    bill_paid_twice,
    invoice_paid_twice_no_bill,
    paid_twice_no_reference,
    one_reference_two_vendors,
    typed_and_imported,
    typed_twice,
    transfer_from_both_sides,
    transfer_and_uncategorized,
    line_imported_twice,
    two_coffees_and_a_third_typed,
]
LOOK_ALIKES = [
    two_honest_coffees,
    weekly_service,
    monthly_subscription,
    honest_transfers,
    purchase_and_refund,
    bill_paid_in_parts,
    two_bills_same_price,
    same_number_two_vendors,
    two_vendors_one_price,
    corrected_entry,
    payroll,
    background,
    background,
    background,
]


def generate(seed: int) -> Books:
    b = Books(seed)
    start = date(2025, 1, 1)
    for n in range(1, 400):
        day = start + timedelta(days=b.rng.randrange(330))
        scenario = b.rng.choice(DUPLICATES) if b.rng.random() < 0.3 else b.rng.choice(LOOK_ALIKES)
        scenario(b, day, n)
    return b


def test_known_truth_precision_and_recall():
    correct = reported = expected = 0
    missed: Counter = Counter()
    planted: Counter = Counter()
    false: Counter = Counter()
    for seed in (1, 2, 3):
        b = generate(seed)
        found = find_duplicates(b.entries, SETTINGS, statements=Printed.of(b.printed))
        ids = {d.id for d in found}
        hit = set()
        for truth, kind in zip(b.truth, b.kinds, strict=True):
            planted[kind] += 1
            if truth & ids:
                hit |= truth & ids
            else:
                missed[kind] += 1
        correct += len(hit)
        reported += len(ids)
        expected += len(b.truth)
        false.update(d.kind for d in found if d.id not in hit)
    precision, recall = correct / reported, (expected - sum(missed.values())) / expected
    print(
        f"\nduplicates: precision {precision:.3f}, recall {recall:.3f} "
        f"over {expected} planted, {reported} reported"
    )
    for kind in sorted(planted):
        print(f"  {kind}: {planted[kind] - missed[kind]}/{planted[kind]} found")
    for kind, count in sorted(false.items()):
        print(f"  false {kind}: {count}")
    assert precision >= 0.95 and recall >= 0.95
