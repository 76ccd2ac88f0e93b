"""`bo dupes` on books written by someone else: their invoice wording, their payables, their
transfers. Each cause a bookkeeper found beside the honest look-alikes that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE, TRANSFER_TWICE
from bo.duplicates.wording import invoice_in, invoice_reference
from bo.matching import normalize_ref
from bo.matching.text import CHECK_WORDS, INVOICE_WORDS

ROLES = """\
entity: {name: Third Party LLC, currency: USD}
accounts:
  Assets:BofA:Checking: {role: bank}
  Assets:Ally:Savings: {role: bank}
  Assets:Payroll: {role: bank}
  Liabilities:AP: {role: payable}
  Liabilities:Card: {role: card}
  Expenses:Uncategorized: {role: uncategorized}
"""
OPEN = """\
2025-01-01 open Assets:BofA:Checking USD
2025-01-01 open Assets:Ally:Savings USD
2025-01-01 open Assets:Payroll USD
2025-01-01 open Liabilities:AP USD
2025-01-01 open Liabilities:Card USD
2025-01-01 open Expenses:Services USD
2025-01-01 open Expenses:Rent USD
2025-01-01 open Expenses:Wages USD
2025-01-01 open Expenses:Loan USD
2025-01-01 open Expenses:Meals USD
2025-01-01 open Expenses:Uncategorized USD
2025-01-01 open Income:Sales USD
2025-01-01 open Equity:Opening USD

"""


def entry(day: str, payee: str, narration: str, *postings: tuple[str, str], **meta: str) -> str:
    head = f'{day} * "{payee}" "{narration}"\n' if payee else f'{day} * "{narration}"\n'
    lines = "".join(f'  {key}: "{value}"\n' for key, value in meta.items())
    lines += "".join(f"  {account}  {amount} USD\n" for account, amount in postings)
    return head + lines + "\n"


def bill(day: str, vendor: str, amount: str, narration: str = "Bill", **meta: str) -> str:
    return entry(
        day,
        vendor,
        narration,
        ("Expenses:Services", amount),
        ("Liabilities:AP", f"-{amount}"),
        **meta,
    )


def paid(day: str, vendor: str, amount: str, narration: str, **meta: str) -> str:
    return entry(
        day,
        vendor,
        narration,
        ("Liabilities:AP", amount),
        ("Assets:BofA:Checking", f"-{amount}"),
        **meta,
    )


def dupes(bo, tmp_path: Path, *entries: str, roles: str = ROLES, opened: str = OPEN) -> list[dict]:
    """`bo dupes --json` on books of `entries`, `roles` as bo.yaml, `opened` their accounts."""
    (tmp_path / "bo.yaml").write_text(roles)
    (tmp_path / "ledgers").mkdir(exist_ok=True)
    (tmp_path / "ledgers/main.beancount").write_text(opened + "".join(entries))
    result = bo("dupes", "--json", cwd=tmp_path)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


def lines_of(found: list[dict]) -> list[tuple[str, list[int]]]:
    """Each finding as its kind and the ledger lines of its entries."""
    return [(f["kind"], [int(e.rsplit(":", 1)[1]) for e in f["entries"]]) for f in found]


def line_of(tmp_path: Path, text: str, nth: int = 0) -> int:
    """The line of the ledger where the `nth` entry holding `text` starts."""
    lines = (tmp_path / "ledgers/main.beancount").read_text().splitlines()
    at = [n for n, line in enumerate(lines) if text in line][nth]
    while lines[at].startswith(" "):
        at -= 1
    return at + 1


# --- 1. A bill entered twice -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [("INV-1042", "1042", "03"), ("INV-1042", "INV-1042", "01"), ("RE-2025-348", "2025-348", "11")],
)
def test_a_bill_entered_twice_under_one_invoice_number_however_written(
    bo, tmp_path, first, second, days
):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-03-01", "Harbor Cleaning Services LLC", "640.00", invoice=first, tag="a"),
        bill(f"2025-03-{days}", "HARBOR CLEANING SVCS", "640.00", invoice=second, tag="b"),
    )
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "a"'), line_of(tmp_path, 'tag: "b"')])
    ]
    assert any("same bill entered twice" in r for r in found[0]["reasons"])


def test_a_bill_entered_twice_without_numbers_and_the_bills_that_are_not(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        # typed twice, four days apart, no invoice number on either
        bill("2025-03-03", "Pixel Print Co", "212.40", "Flyers", tag="twice-1"),
        bill("2025-03-07", "Pixel Print", "212.40", "Flyers", tag="twice-2"),
        # monthly rent billed at one price, weekly cleaning at another
        *(bill(f"2025-{m:02}-01", "Landlord LLC", "3000.00", "Rent") for m in (2, 3, 4)),
        *(
            bill(f"2025-08-{d:02}", "Harbor Cleaning", "180.00", "Cleaning")
            for d in (4, 11, 18, 25)
        ),
        # a lease in instalments
        bill("2025-05-01", "Ridge Leasing", "410.00", "Lease 3 of 48 contract LS-55012"),
        bill("2025-05-02", "Ridge Leasing", "410.00", "Lease 4 of 48 contract LS-55012"),
        # two bills of one vendor, one amount, two numbers
        bill("2025-06-02", "Summit Legal Group LLP", "900.00", invoice="SL-881"),
        bill("2025-06-03", "Summit Legal Group LLP", "900.00", invoice="SL-882"),
        # two vendors, one amount, one day
        bill("2025-06-10", "Green Valley Dairy", "150.00"),
        bill("2025-06-10", "Blue Ridge Insurance Agency", "150.00"),
        # a credit memo against a bill is no second bill
        bill("2025-07-01", "Acme Supply", "500.00", invoice="INV-77"),
        entry(
            "2025-07-03",
            "Acme Supply",
            "Credit memo INV-77",
            ("Liabilities:AP", "500.00"),
            ("Expenses:Services", "-500.00"),
        ),
    )
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, "twice-1"), line_of(tmp_path, "twice-2")])
    ]
    assert found[0]["missing"] == ["neither bill carries an invoice number"]


# --- 2. Invoice numbers in narrations ------------------------------------------------------


@pytest.mark.parametrize(
    ("narration", "number"),
    [
        ("Payment J-77434", "J-77434"),
        ("Payment CE-33005", "CE-33005"),
        ("Zahlung Rechnung RE-2025-0050", "RE-2025-0050"),
        ("Electric bill 2025-06 invoice 447465", "447465"),
        ("Facture n° 2025-17", "2025-17"),
        ("Fattura 88", "88"),
        ("Rg.-Nr. 123", "123"),
        ("Invoice #PP-0016", "PP-0016"),
        ("INV-1042 Harbor", "1042"),
        ("INV1042", "1042"),
        ("Rent2025 Reno2025 Billing2025", None),
        ("Check 2746", None),
        ("Check #2746 rent", None),
        ("Rent 3 of 48", None),
        ("Invoice 1,250.00", None),
        ("Rechnung 06/2025", None),
        ("Payment 4471", None),
        ("Card XXXX1234", None),
        ("Coffee 10am", None),
        ("Net pay Jamie Lee", None),
    ],
)
def test_invoice_numbers_are_read_from_narrations(narration, number):
    assert invoice_in(narration) == number


def test_a_number_after_an_invoice_word_is_named_and_a_bare_id_is_not():
    assert invoice_reference("Invoice 4471").named
    assert not invoice_reference("Payment J-77434").named


@pytest.mark.parametrize(
    ("first", "second"),
    [("RE-2025-348", "2025-348"), ("R2025/182", "2025182"), ("INV-1042", "1042"), ("Rg 88", "88")],
)
def test_invoice_prefixes_and_separators_are_formatting(first, second):
    assert normalize_ref(first) == normalize_ref(second)


def test_an_invoice_paid_twice_found_by_the_number_in_its_narration(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        paid("2025-03-03", "Northwest Mechanical", "1200.00", "Payment J-77434", tag="one"),
        paid("2025-03-09", "NW MECHANICAL CONTR", "1200.00", "Payment J77434", tag="two"),
        paid(
            "2025-04-01",
            "Johnson & Sons Plumbing",
            "780.00",
            "Electric bill 2025-06 invoice 447465",
            tag="three",
        ),
        paid("2025-04-04", "Johnson and Sons", "780.00", "Zahlung Rechnung 447465", tag="four"),
        paid(
            "2025-04-10",
            "Summit Legal Group LLP",
            "950.00",
            "Payment",
            invoice="CE-33005",
            tag="five",
        ),
        paid("2025-04-13", "Summit Legal", "950.00", "Payment CE-33005", tag="six"),
        # a check number is not an invoice: two checks to one payee, months apart
        paid("2025-05-01", "City Water", "88.00", "Check 2746"),
        paid("2025-06-02", "City Water", "88.00", "Check 2791"),
    )
    assert sorted(lines_of(found)) == [
        (PAID_TWICE, [line_of(tmp_path, "one"), line_of(tmp_path, "two")]),
        (PAID_TWICE, [line_of(tmp_path, "three"), line_of(tmp_path, "four")]),
        (PAID_TWICE, [line_of(tmp_path, "five"), line_of(tmp_path, "six")]),
    ]


def test_honest_payments_with_ids_stay_quiet(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        # monthly rent naming the suite: the same id every month
        *(paid(f"2025-{m:02}-01", "Landlord LLC", "3000.00", "Rent suite A100") for m in (1, 2, 3)),
        # equal payroll, two people, one day
        entry(
            "2025-03-14",
            "Gusto",
            "Net pay Jamie Lee",
            ("Expenses:Wages", "2140.55"),
            ("Assets:BofA:Checking", "-2140.55"),
        ),
        entry(
            "2025-03-14",
            "Gusto",
            "Net pay Marco Ortiz",
            ("Expenses:Wages", "2140.55"),
            ("Assets:BofA:Checking", "-2140.55"),
        ),
        # a loan in instalments
        entry(
            "2025-03-05",
            "Ridge Bank",
            "Loan payment 3 of 48 LN-55012",
            ("Expenses:Loan", "410.00"),
            ("Assets:BofA:Checking", "-410.00"),
        ),
        entry(
            "2025-04-05",
            "Ridge Bank",
            "Loan payment 4 of 48 LN-55012",
            ("Expenses:Loan", "410.00"),
            ("Assets:BofA:Checking", "-410.00"),
        ),
        # one bill paid in two parts
        bill("2025-05-01", "Acme Supply", "840.00", invoice="INV-0042"),
        paid("2025-05-10", "Acme Supply", "420.00", "Invoice 42 part 1"),
        paid("2025-05-20", "Acme Supply", "420.00", "Invoice 42 part 2"),
        # two customers paying the same amount on one day
        entry(
            "2025-05-12",
            "Birch Cafe",
            "Payment INV-301",
            ("Assets:BofA:Checking", "250.00"),
            ("Income:Sales", "-250.00"),
        ),
        entry(
            "2025-05-12",
            "Oak Dental",
            "Payment INV-302",
            ("Assets:BofA:Checking", "250.00"),
            ("Income:Sales", "-250.00"),
        ),
        # two card purchases with their own order ids
        entry(
            "2025-05-20",
            "Amazon",
            "AMZN Mktp US*2K4L51",
            ("Expenses:Services", "19.99"),
            ("Liabilities:Card", "-19.99"),
        ),
        entry(
            "2025-05-20",
            "Amazon",
            "AMZN Mktp US*7H2J90",
            ("Expenses:Services", "19.99"),
            ("Liabilities:Card", "-19.99"),
        ),
    )
    assert found == []


# --- 3. A transfer booked from both sides, each naming the other bank -----------------------

CHECKING, SAVINGS, PAYROLL = "Assets:BofA:Checking", "Assets:Ally:Savings", "Assets:Payroll"


@pytest.mark.parametrize(
    ("narrations", "far_side"),
    [
        (("Transfer to Ally savings", "Transfer from BofA checking"), CHECKING),
        (("Transfer to Ally savings", "Transfer from BofA checking"), "Expenses:Uncategorized"),
        (("Payroll funding", "Funding from BofA operating"), CHECKING),
        (("Umbuchung auf Ally Tagesgeld", "Umbuchung von BofA Giro"), CHECKING),
    ],
)
def test_a_transfer_booked_from_both_sides_naming_each_others_bank(
    bo, tmp_path, narrations, far_side
):
    into = PAYROLL if narrations[0].startswith("Payroll") else SAVINGS
    found = dupes(
        bo,
        tmp_path,
        entry(
            "2025-03-03", "", narrations[0], (into, "1000.00"), (CHECKING, "-1000.00"), tag="out"
        ),
        entry("2025-03-04", "", narrations[1], (into, "1000.00"), (far_side, "-1000.00"), tag="in"),
    )
    assert lines_of(found) == [
        (TRANSFER_TWICE, [line_of(tmp_path, 'tag: "out"'), line_of(tmp_path, 'tag: "in"')])
    ]


def test_two_transfers_named_apart_are_two_transfers(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        entry("2025-03-03", "", "Round-up Alpha", (SAVINGS, "10.00"), (CHECKING, "-10.00")),
        entry("2025-03-04", "", "Round-up Bravo", (SAVINGS, "10.00"), (CHECKING, "-10.00")),
        entry(
            "2025-03-10", "", "Transfer to Ally savings", (SAVINGS, "500.00"), (CHECKING, "-500.00")
        ),
        entry("2025-03-11", "", "Payroll funding", (PAYROLL, "500.00"), (CHECKING, "-500.00")),
    )
    assert found == []


# --- 4. Scores: evidence ranks a pair ------------------------------------------------------


def test_a_pair_alike_only_in_amount_date_and_payee_ranks_below_one_with_evidence(bo, tmp_path):
    coffee = ("Expenses:Meals", "6.50"), ("Liabilities:Card", "-6.50")
    found = dupes(
        bo,
        tmp_path,
        entry("2025-03-03", "Blue Bottle", "Coffee", *coffee, tag="coffee-1"),
        entry("2025-03-03", "Blue Bottle", "Coffee", *coffee, tag="coffee-2"),
        entry(
            "2025-03-10", "", "Transfer to Ally savings", (SAVINGS, "500.00"), (CHECKING, "-500.00")
        ),
        entry(
            "2025-03-12",
            "",
            "Transfer from BofA checking",
            (SAVINGS, "500.00"),
            (CHECKING, "-500.00"),
        ),
        bill("2025-03-20", "Pixel Print Co", "212.40", invoice="INV-17"),
        bill("2025-03-27", "Pixel Print", "212.40", invoice="17"),
    )
    coffees = next(
        f for f in found if f["entries"][0].endswith(f":{line_of(tmp_path, 'coffee-1')}")
    )
    assert (
        coffees["kind"] == ENTERED_TWICE
        and "neither entry carries a bank line id" in coffees["missing"]
    )
    others = [f for f in found if f is not coffees]
    assert sorted(f["kind"] for f in others) == [ENTERED_TWICE, TRANSFER_TWICE], found
    assert all(coffees["score"] < f["score"] for f in others), found


# --- Properties of the reader ---------------------------------------------------------------

numbers = st.integers(min_value=1, max_value=10**7).map(str)
words = st.sampled_from(sorted(INVOICE_WORDS))
periods = st.tuples(st.integers(2000, 2099), st.integers(1, 12)).map(lambda p: f"{p[0]}-{p[1]:02}")


@given(words, numbers, periods, st.sampled_from(["", "No. ", "Nr. ", "#"]))
def test_property_the_number_after_an_invoice_word_is_read_past_a_period(
    word, number, period, number_word
):
    narration = f"Electric bill {period} {word.title()} {number_word}{number}"
    assert normalize_ref(invoice_in(narration)) == normalize_ref(number)


@given(st.sampled_from(sorted(CHECK_WORDS)), numbers, st.sampled_from(["", "#", "No. "]))
def test_property_a_checks_number_is_never_an_invoice(word, number, number_word):
    assert invoice_in(f"{word.title()} {number_word}{number} rent") is None


@given(st.sampled_from(["INV-", "INV", "RE-", "R", "Rg ", "Invoice #"]), numbers, st.booleans())
def test_property_an_invoice_prefix_is_formatting(prefix, number, zeros):
    written = ("00" if zeros else "") + number
    assert normalize_ref(prefix + written) == normalize_ref(number)


# --- A payee as the bank abbreviates it ------------------------------------------------------


def test_a_purchase_typed_and_imported_under_the_banks_abbreviation(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        entry(
            "2025-03-03",
            "Amazon",
            "for the kitchen",
            ("Expenses:Services", "123.03"),
            ("Liabilities:Card", "-123.03"),
            tag="typed",
        ),
        entry(
            "2025-03-05",
            "",
            "AMZN MKTP US*2K4T1",
            ("Expenses:Uncategorized", "123.03"),
            ("Liabilities:Card", "-123.03"),
            txn_id="CC250305001",
            tag="imported",
        ),
        # another card line of that amount, another merchant: not the typed purchase
        entry(
            "2025-04-03",
            "Acme Supply",
            "toner",
            ("Expenses:Services", "88.00"),
            ("Liabilities:Card", "-88.00"),
        ),
        entry(
            "2025-04-04",
            "",
            "AMEX FEE 0042",
            ("Expenses:Uncategorized", "88.00"),
            ("Liabilities:Card", "-88.00"),
            txn_id="CC250404001",
        ),
    )
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "typed"'), line_of(tmp_path, 'tag: "imported"')])
    ]
