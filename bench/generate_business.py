"""Write the books of a small business of a given shape, seeded: books bo did not write, for
the forecast's backtest (and anyone who wants a ledger that is not the demo's).

Two shapes, from how such businesses run, not from how bo forecasts:

- `seasonal`: Fernhill Landscape & Garden. Design-build projects follow the seasons (few in
  winter, most from April to July), half invoiced as a deposit when signed and half on
  completion weeks later; homeowners pay within days of the due date, a few weeks late,
  some in two parts. Commercial maintenance contracts bill monthly (a summer and a winter
  rate). Plants, stone and subcontractors are billed by suppliers as the projects run, so
  they follow the season too. A salaried core crew is paid twice a month, payroll taxes
  the 15th of the next month; rent, a truck loan, fuel and tools on a card paid in full,
  insurance once a year, estimated income tax four times a year, equipment in spring.
  After each quarter the owner takes the cash beyond a reserve that carries the winter.
- `projects`: Keel & Beam, a product studio selling fixed-price projects to a dozen
  clients: about one project a month, sized from 20,000 to 250,000, invoiced in three
  milestones (30% on signing, 40% mid-way, 30% on delivery). Enterprise and public
  clients pay weeks late, start-ups on time, one client disputes now and then. Two
  clients keep a monthly support retainer. Staff are paid every other Friday with the
  payroll taxes deposited three days later; contractors bill per project. A line of
  credit carries the dry spells; after each quarter the owners repay it with the cash
  beyond their reserve and take what is left.

    python bench/generate_business.py --shape seasonal --seed 7 --out /tmp/fernhill
"""

from __future__ import annotations

import argparse
import calendar
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import holidays

CENT = Decimal("0.01")
CHECKING = "Assets:Bank:Operating"
RESERVE = "Assets:Bank:Reserve"
AR = "Assets:Receivables"
AP = "Liabilities:Payables"
CARD = "Liabilities:Card:Amex"
WITHHELD = "Liabilities:PayrollTaxes"
LOAN = "Liabilities:Loan:Truck"
CREDIT_LINE = "Liabilities:LineOfCredit"

SHAPES = {
    "seasonal": {
        "name": "Fernhill Landscape & Garden LLC",
        "start": date(2022, 1, 1),
        "end": date(2025, 12, 31),
        "opening": 150000,
        "minimum": 20000,
        "reserve": 120000,  # four months of fixed costs, to carry the winter
    },
    "projects": {
        "name": "Keel & Beam Studio LLC",
        "start": date(2023, 1, 1),
        "end": date(2025, 12, 31),
        "opening": 260000,
        "minimum": 60000,
        "reserve": 240000,  # three months of payroll and rent
    },
}
# Design-build projects signed by month of the year, against the average month.
SEASON = (0.25, 0.35, 0.8, 1.5, 1.8, 1.7, 1.4, 1.2, 1.1, 0.9, 0.6, 0.35)


def money(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


@dataclass
class Txn:
    day: date
    payee: str
    narration: str
    postings: list[tuple[str, Decimal | None]]
    meta: dict[str, str] = field(default_factory=dict)
    links: tuple[str, ...] = ()

    def text(self) -> str:
        head = f'{self.day} * "{self.payee}" "{self.narration}"'
        if self.links:
            head += " " + " ".join(f"^{link}" for link in self.links)
        lines = [head, *(f"  {k}: {v}" for k, v in self.meta.items())]
        for account, amount in self.postings:
            lines.append(f"  {account}  {amount} USD" if amount is not None else f"  {account}")
        return "\n".join(lines)


class Business:
    def __init__(self, shape: str, seed: int, start: date | None = None) -> None:
        self.shape = shape
        self.spec = {**SHAPES[shape], **({"start": start} if start else {})}
        self.rng = random.Random(f"{shape}-{seed}")
        self.txns: list[Txn] = []
        self.invoice_no = 1000
        self.bill_no: dict[str, int] = {}
        self.holidays = holidays.country_holidays("US", years=range(2021, 2028))
        self.card_balance = Decimal(0)
        self.credit_line = Decimal(0)
        self.card_closing: dict[date, Decimal] = {}
        self.withheld: dict[date, Decimal] = {}

    # -- calendar ------------------------------------------------------------------------------

    def business_day(self, day: date, forward: bool = True) -> date:
        step = timedelta(days=1 if forward else -1)
        while day.weekday() >= 5 or day in self.holidays:
            day += step
        return day

    def months(self) -> list[date]:
        found, month = [], self.spec["start"]
        while month <= self.spec["end"]:
            found.append(month)
            month = add_months(month, 1)
        return found

    def add(self, txn: Txn) -> None:
        if self.spec["start"] <= txn.day <= self.spec["end"]:
            self.txns.append(txn)

    def lognormal(self, median: float, sigma: float, low: float, high: float) -> Decimal:
        value = median * math.exp(self.rng.gauss(0, sigma))
        return money(round(min(max(value, low), high), -1))

    # -- documents -----------------------------------------------------------------------------

    def invoice(self, customer, day: date, amount: Decimal, what: str, terms: int) -> None:
        """An invoice, and its payment as this customer pays (late, in parts, disputed)."""
        self.invoice_no += 1
        number = f"INV-{self.invoice_no}"
        due = day + timedelta(days=terms)
        self.add(
            Txn(
                day,
                customer.name,
                f"Invoice {number}: {what}",
                [(AR, amount), ("Income:Sales", None)],
                {"invoice": f'"{number}"', "due": str(due)},
                (number,),
            )
        )
        roll = self.rng.random()
        if roll < customer.disputes:
            late = self.rng.randint(45, 120)  # a disputed invoice, paid after a long wait
        else:
            late = customer.late + self.rng.randint(-customer.jitter, customer.jitter)
        paid = self.business_day(due + timedelta(days=late))
        if self.rng.random() < customer.in_parts:
            first = money(amount * Decimal(self.rng.choice(("0.5", "0.4", "0.6"))))
            self.receipt(customer, number, paid, first)
            later = self.business_day(paid + timedelta(days=self.rng.randint(14, 40)))
            self.receipt(customer, number, later, amount - first)
        else:
            self.receipt(customer, number, paid, amount)

    def receipt(self, customer, number: str, day: date, amount: Decimal) -> None:
        self.add(
            Txn(
                day,
                customer.name,
                f"Payment for {number}",
                [(CHECKING, amount), (AR, None)],
                {"invoice": f'"{number}"'},
                (number,),
            )
        )

    def bill(self, vendor: str, day: date, amount: Decimal, account: str, terms: int) -> None:
        """A bill, paid on its due date (or a few days either side, as the owner gets to it)."""
        self.bill_no[vendor] = self.bill_no.get(vendor, 100) + self.rng.randint(1, 9)
        ref = f"{vendor.split()[0][:3].upper()}-{self.bill_no[vendor]}"
        link = f"{vendor.split()[0].lower()}-{ref.lower()}"
        due = day + timedelta(days=terms)
        self.add(
            Txn(
                day,
                vendor,
                f"Bill {ref}",
                [(account, amount), (AP, None)],
                {"invoice": f'"{ref}"', "due": str(due)},
                (link,),
            )
        )
        paid = self.business_day(due + timedelta(days=self.rng.randint(-3, 2)), forward=False)
        self.add(
            Txn(
                paid,
                vendor,
                f"Payment of {ref}",
                [(AP, amount), (CHECKING, None)],
                {"invoice": f'"{ref}"'},
                (link,),
            )
        )

    # -- cash that recurs ------------------------------------------------------------------------

    def pay(self, day: date, payee: str, what: str, account: str, amount: Decimal) -> None:
        self.add(Txn(day, payee, what, [(account, amount), (CHECKING, None)]))

    def card_charges(self, month: date, merchants) -> None:
        """This month's charges, after paying last month's statement on the 18th."""
        self.card_payment(month)
        last = calendar.monthrange(month.year, month.month)[1]
        for payee, account, low, high, times in merchants:
            count = int(times) + (self.rng.random() < times - int(times))
            for _ in range(count):
                day = month.replace(day=self.rng.randint(1, last))
                amount = money(self.rng.uniform(low, high))
                self.add(Txn(day, payee, "Card purchase", [(account, amount), (CARD, None)]))
                if self.spec["start"] <= day <= self.spec["end"]:
                    self.card_balance -= amount
        self.card_closing[month] = self.card_balance

    def card_payment(self, month: date) -> None:
        owed = -self.card_closing.get(add_months(month, -1), Decimal(0))
        if owed > 0:
            day = self.business_day(month.replace(day=18))
            self.add(Txn(day, "American Express", "Card payment", [(CARD, owed), (CHECKING, None)]))
            self.card_balance += owed

    def payroll(self, day: date, gross: Decimal) -> Decimal:
        """Net pay out of the bank; the withholdings and employer taxes owed to the IRS."""
        taxes = money(gross * Decimal("0.2265"))  # withheld plus employer FICA
        net = gross - money(gross * Decimal("0.153"))
        self.add(
            Txn(
                day,
                "Gusto",
                "Payroll",
                [
                    ("Expenses:Wages", gross),
                    ("Expenses:PayrollTaxes", taxes - (gross - net)),
                    (WITHHELD, -taxes),
                    (CHECKING, -net),
                ],
            )
        )
        return taxes

    # -- the shapes ------------------------------------------------------------------------------

    def generate(self) -> None:
        getattr(self, f"_{self.shape}")()

    def _seasonal(self) -> None:
        homeowners = [
            Customer(f"{first} {last}", terms=15, late=self.rng.choice((0, 0, 0, 3, 8, 20)),
                     jitter=4, in_parts=0.08, disputes=0.02)
            for first in ("Ana", "Ben", "Cleo", "Dev", "Erin", "Faye", "Gil", "Hana", "Ivo", "Jo")
            for last in ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir")
        ]  # fmt: skip
        commercial = [
            Customer(name, terms=30, late=self.rng.choice((0, 5, 12)), jitter=3, in_parts=0.0,
                     disputes=0.0, summer=summer)
            for name, summer in (
                ("Riverside Office Park", 2400), ("Maple Court HOA", 1850),
                ("Sunhill Medical Center", 1600), ("Oak Street Plaza", 1250),
                ("Lakeview Apartments", 2100), ("Hillcrest School", 980),
            )
        ]  # fmt: skip
        suppliers = (
            ("Greenleaf Nursery", "Expenses:Materials:Plants", 0.22, 30),
            ("Stonebridge Supply", "Expenses:Materials:Hardscape", 0.18, 30),
            ("Clearwater Irrigation", "Expenses:Subcontractors", 0.12, 21),
        )
        self.opening(self.spec["opening"], 15000, truck=38000)
        staff = [Decimal(v) for v in (62000, 54000, 48000, 48000, 45000)]
        for month in self.months():
            factor = SEASON[month.month - 1]
            # Projects signed this month: a deposit now, the rest on completion.
            for _ in range(self._poisson(7.5 * factor)):
                customer = self.rng.choice(homeowners)
                size = self.lognormal(6500, 0.7, 1200, 48000)
                signed = self.business_day(month.replace(day=self.rng.randint(1, 28)))
                deposit = money(size / 2)
                self.invoice(customer, signed, deposit, "design-build deposit", customer.terms)
                done = self.business_day(signed + timedelta(days=self.rng.randint(18, 50)))
                self.invoice(customer, done, size - deposit, "design-build completion",
                             customer.terms)  # fmt: skip
                for vendor, account, share, terms in suppliers:
                    if self.rng.random() < 0.8:
                        cost = money(size * Decimal(str(share * self.rng.uniform(0.7, 1.3))))
                        day = self.business_day(signed + timedelta(days=self.rng.randint(5, 30)))
                        self.bill(vendor, day, cost, account, terms)
            for customer in commercial:
                rate = customer.summer if 4 <= month.month <= 10 else customer.summer * 0.55
                day = self.business_day(month)
                self.invoice(customer, day, money(rate), f"grounds maintenance, {month:%B}", 30)
            self.monthly_costs(month, staff)
            self.card_charges(
                month,
                (
                    ("Shell", "Expenses:Fuel", 60, 140, 6 * max(factor, 0.5)),
                    ("Home Depot", "Expenses:Tools", 40, 400, 3 * max(factor, 0.4)),
                    ("Verizon", "Expenses:Phone", 180, 180, 1),
                    ("Jobber", "Expenses:Software", 129, 129, 1),
                ),
            )
            if month.month == 2:
                self.pay(self.business_day(month.replace(day=10)), "Acuity Insurance",
                         "Annual general liability policy", "Expenses:Insurance",
                         money(7800 * self.rng.uniform(0.95, 1.1)))  # fmt: skip
            if month.month == 3:
                self.pay(self.business_day(month.replace(day=20)), "Valley Equipment",
                         "Mowers and trimmers for the season", "Expenses:Equipment",
                         money(self.rng.uniform(6000, 14000)))  # fmt: skip
            if month.month in (1, 4, 6, 9):
                self.pay(self.business_day(month.replace(day=15)), "IRS",
                         "Estimated income tax", "Equity:Owner:Taxes",
                         money(round(self.rng.uniform(6000, 9000), -2)))  # fmt: skip
            self.distribute(month)

    def _projects(self) -> None:
        clients = [
            Customer(name, terms=terms, late=late, jitter=jitter, in_parts=0.05,
                     disputes=disputes)
            for name, terms, late, jitter, disputes in (
                ("Northbeam Health", 30, 28, 8, 0.0), ("City of Fairhaven", 45, 35, 10, 0.0),
                ("Orbit Freight", 30, 3, 3, 0.0), ("Lumenary", 15, 0, 2, 0.0),
                ("Brightwater Bank", 30, 18, 6, 0.0), ("Tessellate", 15, 1, 2, 0.1),
                ("Harborline Ferries", 30, 10, 5, 0.0), ("Quill & Ink", 15, 5, 4, 0.15),
                ("Meridian Labs", 30, 2, 3, 0.0), ("Westfield University", 45, 25, 10, 0.0),
                ("Canopy Outdoor", 30, 7, 4, 0.0), ("Polar Pay", 15, 0, 2, 0.05),
            )
        ]  # fmt: skip
        retainers = [(clients[2], Decimal("6500.00")), (clients[4], Decimal("4800.00"))]
        self.opening(self.spec["opening"], 40000, truck=0)
        staff = [Decimal(v) for v in (128000, 115000, 104000, 98000, 92000, 86000)]
        for month in self.months():
            for _ in range(self._poisson(1.2)):
                client = self.rng.choice(clients)
                size = self.lognormal(65000, 0.6, 20000, 250000)
                signed = self.business_day(month.replace(day=self.rng.randint(1, 28)))
                mid = self.business_day(signed + timedelta(days=self.rng.randint(30, 90)))
                end = self.business_day(mid + timedelta(days=self.rng.randint(30, 70)))
                parts = (money(size * Decimal("0.3")), money(size * Decimal("0.4")))
                for day, amount, what in (
                    (signed, parts[0], "project deposit"),
                    (mid, parts[1], "mid-project milestone"),
                    (end, size - parts[0] - parts[1], "delivery"),
                ):
                    self.invoice(client, day, amount, what, client.terms)
                contractor = self.rng.choice(("Pixelworks Contracting", "Ada Byte Consulting"))
                for share_day in range(self.rng.randint(1, 3)):
                    day = self.business_day(signed + timedelta(days=20 + 30 * share_day))
                    cost = money(size * Decimal(str(self.rng.uniform(0.04, 0.08))))
                    self.bill(contractor, day, cost, "Expenses:Contractors", 30)
            self.borrow(month)
            for client, amount in retainers:
                day = self.business_day(month.replace(day=3))
                self.invoice(client, day, amount, f"support retainer, {month:%B}", client.terms)
            self.monthly_costs(month, staff, biweekly=True)
            self.card_charges(
                month,
                (
                    ("AWS", "Expenses:Hosting", 1400, 2600, 1),
                    ("GitHub", "Expenses:Software", 420, 420, 1),
                    ("Figma", "Expenses:Software", 225, 225, 1),
                    ("United Airlines", "Expenses:Travel", 300, 900, 0.6),
                    ("Various", "Expenses:Meals", 30, 160, 5),
                ),
            )
            if month.month == 7:
                premium = money(9600 * self.rng.uniform(0.95, 1.1))
                self.pay(self.business_day(month.replace(day=8)), "Hiscox", "Annual E&O policy",
                         "Expenses:Insurance", premium)  # fmt: skip
            self.distribute(month)

    def cash(self, day: date) -> Decimal:
        """The bank accounts' balance at the end of `day`, from what is written so far."""
        return sum(
            (a for t in self.txns if t.day <= day for acct, a in t.postings
             if acct in (CHECKING, RESERVE) and a is not None),
            Decimal(0),
        ) + sum(
            (-sum((a for _, a in t.postings if a is not None), Decimal(0)) for t in self.txns
             if t.day <= day and any(acct in (CHECKING, RESERVE) and a is None
                                     for acct, a in t.postings)),
            Decimal(0),
        )  # fmt: skip

    def borrow(self, month: date) -> None:
        """A dry spell: the studio draws on its line of credit when cash runs low."""
        day = self.business_day(month.replace(day=2))
        cash = self.cash(day)
        if cash < self.spec["minimum"] * 4 // 3:
            short = Decimal(self.spec["minimum"]) * Decimal("2.5") - cash
            draw = money(-(-short // 10000) * 10000)  # up to the next 10,000
            self.credit_line += draw
            self.add(Txn(day, "First Federal", "Line of credit draw",
                         [(CHECKING, draw), (CREDIT_LINE, None)]))  # fmt: skip
        if self.credit_line:
            interest = money(self.credit_line * Decimal("0.085") / 12)
            self.pay(self.business_day(month.replace(day=25)), "First Federal",
                     "Line of credit interest", "Expenses:Interest", interest)  # fmt: skip

    def distribute(self, month: date) -> None:
        """After each quarter the owners repay the line of credit with the cash beyond the
        reserve they keep, and take the rest."""
        if month.month not in (1, 4, 7, 10):
            return
        day = self.business_day(month.replace(day=12))
        extra = round((self.cash(day) - self.spec["reserve"]) / 1000) * 1000
        repay = min(Decimal(max(extra, 0)), self.credit_line)
        if repay > 0:
            self.credit_line -= repay
            self.add(Txn(day, "First Federal", "Line of credit repayment",
                         [(CREDIT_LINE, money(repay)), (CHECKING, None)]))  # fmt: skip
        extra -= repay
        if extra > 0:
            self.add(
                Txn(day, "Owners", "Quarterly distribution",
                    [("Equity:Distributions", money(extra)), (CHECKING, None)])
            )  # fmt: skip

    def _poisson(self, mean: float) -> int:
        count, threshold, product = 0, math.exp(-mean), self.rng.random()
        while product > threshold:
            count += 1
            product *= self.rng.random()
        return count

    # -- shared costs ----------------------------------------------------------------------------

    def opening(self, cash: int, reserve: int, truck: int) -> None:
        postings = [(CHECKING, money(cash)), (RESERVE, money(reserve))]
        if truck:
            postings.append((LOAN, money(-truck)))
        postings.append(("Equity:Opening", None))
        self.add(Txn(self.spec["start"], "Opening", "Opening balances", postings))
        self.loan = Decimal(truck)
        self.reserve = Decimal(reserve)

    def monthly_costs(self, month: date, staff: list[Decimal], biweekly: bool = False) -> None:
        self.pay(self.business_day(month), "Harbor Realty", "Rent", "Expenses:Rent",
                 Decimal("6500.00") if biweekly else Decimal("3800.00"))  # fmt: skip
        self.pay(self.business_day(month.replace(day=22)), "Owner", "Owner draw",
                 "Equity:Owner:Draws", Decimal("4000.00"))  # fmt: skip
        utilities = money(self.rng.uniform(280, 520))
        self.pay(self.business_day(month.replace(day=12)), "City Power", "Electric and water",
                 "Expenses:Utilities", utilities)  # fmt: skip
        if self.loan > 0:
            interest = money(self.loan * Decimal("0.069") / 12)
            payment = min(Decimal("950.00"), self.loan + interest)
            self.loan -= payment - interest
            self.add(
                Txn(
                    self.business_day(month.replace(day=5)),
                    "Ally Bank",
                    "Truck loan payment",
                    [(LOAN, payment - interest), ("Expenses:Interest", interest),
                     (CHECKING, -payment)],
                )
            )  # fmt: skip
        interest = money(self.reserve * Decimal("0.03") / 12)
        self.reserve += interest
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        self.add(
            Txn(last, "First Federal", "Interest", [(RESERVE, interest), ("Income:Interest", None)])
        )
        if biweekly:
            # Every other Friday from the first one of the books; taxes deposited three days on.
            day = self.spec["start"] + timedelta(days=(4 - self.spec["start"].weekday()) % 7)
            while day < month:
                day += timedelta(days=14)
            while day.month == month.month and day.year == month.year:
                paid = self.business_day(day, forward=False)
                taxes = self.payroll(paid, money(sum(staff) / 26))
                deposit = self.business_day(paid + timedelta(days=3))
                self.add(
                    Txn(
                        deposit, "IRS", "Payroll tax deposit", [(WITHHELD, taxes), (CHECKING, None)]
                    )
                )
                day += timedelta(days=14)
            return
        owed = Decimal(0)
        for pay_day in (month.replace(day=15), last):
            owed += self.payroll(self.business_day(pay_day, forward=False), money(sum(staff) / 24))
        self.withheld[month] = owed
        before = self.withheld.get(add_months(month, -1))
        if before:
            self.add(
                Txn(self.business_day(month.replace(day=15)), "IRS", "Payroll taxes",
                    [(WITHHELD, before), (CHECKING, None)])
            )  # fmt: skip

    # -- files -----------------------------------------------------------------------------------

    def write(self, out: Path) -> None:
        accounts = sorted(
            {a for t in self.txns for a, _ in t.postings}
            | {CHECKING, RESERVE, AR, AP, CARD, LOAN, WITHHELD, CREDIT_LINE}
        )
        start = self.spec["start"] - timedelta(days=1)
        lines = [
            'option "title" "' + self.spec["name"] + '"',
            'option "operating_currency" "USD"',
            "",
        ]
        lines += [f"{start} open {a} USD" for a in accounts]
        self.txns.sort(key=lambda t: t.day)
        lines += ["", *("\n" + t.text() for t in self.txns)]
        (out / "ledgers").mkdir(parents=True, exist_ok=True)
        (out / "ledgers" / "main.beancount").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (out / "bo.yaml").write_text(
            BO_YAML.format(name=self.spec["name"], minimum=self.spec["minimum"]), encoding="utf-8"
        )


@dataclass
class Customer:
    name: str
    terms: int
    late: int  # days after the due date, as a rule
    jitter: int  # give or take
    in_parts: float  # chance of paying an invoice in two parts
    disputes: float  # chance of an invoice paid months late
    summer: int = 0  # maintenance contracts: the monthly rate from April to October


BO_YAML = """\
entity:
  name: "{name}"
  currency: USD
  country: US
people:
  - name: Owner
    roles: [owner]
  - name: Bookkeeper
    roles: [bookkeeper]
accounts:
  Assets:Bank:Operating:
    role: bank
    minimum: {minimum}.00 USD
  Assets:Bank:Reserve:
    role: bank
  Liabilities:Card:Amex:
    role: card
  Assets:Receivables:
    role: receivable
  Liabilities:Payables:
    role: payable
  Liabilities:PayrollTaxes:
    role: payroll_liabilities
  Liabilities:Loan:Truck:
    role: loan
  Liabilities:LineOfCredit:
    role: loan
"""


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def write_books(shape: str, seed: int, out: Path, start: date | None = None) -> Path:
    """Generate the books of `shape` with `seed` into `out` (from `start`, a month's first
    day, instead of the shape's own)."""
    business = Business(shape, seed, start)
    business.generate()
    business.write(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--start", type=date.fromisoformat, help="a month's first day")
    args = parser.parse_args()
    print(write_books(args.shape, args.seed, args.out, args.start))


if __name__ == "__main__":
    main()
