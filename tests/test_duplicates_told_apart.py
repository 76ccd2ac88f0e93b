"""`bo dupes` on what tells a duplicate from its look-alike in books bo did not write: a bill
reversed and booked again the same day in either order, a supplier's statement entered as a
bill, one bill under one payment reference or a copy's marked number, and what says two
look-alike movements are two (two documents' ids, a payer a batch names, two payees, two
balances, two things bought).

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would, the
duplicate beside the honest look-alike a bookkeeper would leave alone.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bo.duplicates.marked import marked_copy
from bo.duplicates.model import ENTERED_TWICE
from bo.duplicates.parties import documents_apart
from bo.duplicates.periods import months_apart
from tests.test_duplicates_third_party import OPEN, ROLES, bill, dupes, entry, line_of, lines_of


def tagged(tmp_path, *tags: str) -> list[int]:
    return [line_of(tmp_path, f'tag: "{tag}"') for tag in tags]


# --- A bill reversed and booked again the same day ------------------------------------------


def test_a_rebooking_typed_before_its_reversal_on_one_day_is_no_duplicate(bo, tmp_path):
    """The new booking first, then the reversal of the old one: the books hold the bill once,
    and the reversal (it debits the payables) is no second payment of it."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-05-08", "Provet Pty Ltd", "2851.30", "Invoice PV-1181167", invoice="PV-1181167"),
        entry(
            "2025-05-10",
            "Provet Pty Ltd",
            "Invoice PV-1181167",
            ("Expenses:Meals", "2851.30"),
            ("Liabilities:AP", "-2851.30"),
            invoice="PV-1181167",
        ),
        entry(
            "2025-05-10",
            "Provet Pty Ltd",
            "Reverse PV-1181167 - wrong account",
            ("Expenses:Services", "-2851.30"),
            ("Liabilities:AP", "2851.30"),
            invoice="PV-1181167",
        ),
        entry(
            "2025-06-07",
            "Provet Pty Ltd",
            "Payment PV-1181167",
            ("Liabilities:AP", "2851.30"),
            ("Assets:BofA:Checking", "-2851.30"),
            invoice="PV-1181167",
        ),
    )
    assert found == []


def test_a_journal_posted_early_reversed_and_posted_again_is_once(bo, tmp_path):
    """A pay run journal posted a day early, posted on its pay date, then reversed."""
    run = (
        ("Expenses:Wages", "18080.00"),
        ("Expenses:Services", "2079.20"),
        ("Liabilities:NetPay", "-20159.20"),
    )
    back = tuple((account, f"{-Decimal(amount)}") for account, amount in run)
    found = dupes(
        bo,
        tmp_path,
        entry("2025-11-06", "KeyPay", "Pay run 10", *run, payrun="PR-2410"),
        entry("2025-11-07", "KeyPay", "Pay run 10", *run, payrun="PR-2410"),
        entry("2025-11-07", "KeyPay", "Reverse pay run 10 - wrong pay date", *back),
        opened=OPEN + "2025-01-01 open Liabilities:NetPay USD\n\n",
    )
    assert found == []


# --- Journals of two days -------------------------------------------------------------------

# The clearing account is no bank of bo.yaml's: a journal that moves no money.
TAKINGS = (
    ("Assets:Clearing", "3872.48"),
    ("Income:Sales", "-3520.44"),
    ("Expenses:Services", "-352.04"),
)
OPEN_CLEARING = OPEN + "2025-01-01 open Assets:Clearing USD\n\n"


def takings(day: str, narration: str, **meta: str) -> str:
    return entry(day, "Tyro", narration, *TAKINGS, **meta)


def test_two_days_takings_of_one_amount_are_two_journals(bo, tmp_path):
    """Friday's and Saturday's takings equal: two days named, or two reports' ids."""
    found = dupes(
        bo,
        tmp_path,
        takings("2025-10-11", "Card takings 11/10 (end of day)"),
        takings("2025-10-12", "Card takings 12/10 (end of day)"),
        takings("2025-10-20", "Card takings", eod="EOD-251020"),
        takings("2025-10-21", "Card takings", eod="EOD-251021"),
        opened=OPEN_CLEARING,
    )
    assert found == []


def test_one_days_takings_typed_again_the_next_morning_is_twice(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        takings("2025-07-08", "Card takings 08/07 (end of day)", eod="EOD-250708", tag="one"),
        takings("2025-07-09", "Takings 08/07 (re-entered from the report)", tag="two"),
        opened=OPEN_CLEARING,
    )
    assert lines_of(found) == [(ENTERED_TWICE, tagged(tmp_path, "one", "two"))]


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [
        ("EOD-241011", "EOD-241012", True),
        ("BGM250102-002", "BGM250106-004", True),
        ("KPI-204819", "204819", False),  # one number written two ways
        ("EOD-241011", "EOD-241011", False),
    ],
)
def test_two_ids_under_one_key_are_two_documents_when_their_digits_differ(first, second, apart):
    meta = {"filename": "x", "lineno": 1}
    found = documents_apart({**meta, "doc": first}, {**meta, "doc": second}, frozenset())
    assert (found == "doc") is apart


# --- A supplier's statement entered as a bill -----------------------------------------------


def test_a_statement_entered_as_a_bill_is_found_with_the_invoices_it_lists(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-08-03", "Cryo Gas", "96.80", "Invoice CG-50314 rental", invoice="CG-50314"),
        bill("2025-08-09", "Cryo Gas", "370.06", "Invoice CG-50319 refill", invoice="CG-50319"),
        bill("2025-08-28", "Cryo Gas", "466.86", "Statement August", tag="statement"),
    )
    lines = [
        line_of(tmp_path, "CG-50314"),
        line_of(tmp_path, "CG-50319"),
        *tagged(tmp_path, "statement"),
    ]
    assert lines_of(found) == [(ENTERED_TWICE, lines)]
    assert "statement entered as a bill" in found[0]["reasons"][0]


def test_recurring_equal_bills_and_a_bill_summing_nothing_are_no_statement(bo, tmp_path):
    """A monthly rental at one price, each bill numbered; a bill without a number whose
    amount is no sum of the vendor's bills before it."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-07-03", "Cryo Gas", "96.80", "Invoice CG-50301 rental", invoice="CG-50301"),
        bill("2025-08-03", "Cryo Gas", "96.80", "Invoice CG-50314 rental", invoice="CG-50314"),
        bill("2025-08-09", "Cryo Gas", "370.06", "Invoice CG-50319 refill", invoice="CG-50319"),
        bill("2025-08-20", "Cryo Gas", "193.60", "Invoice CG-50325 rental", invoice="CG-50325"),
        bill("2025-08-28", "Cryo Gas", "412.00", "Cylinder repair"),
        # Its own number in words, equal to two bills of the month by chance.
        bill("2025-08-30", "Cryo Gas", "290.40", "Invoice 50333 - three cylinders"),
    )
    assert found == []


# --- One bill under one reference, or under a copy's marked number --------------------------


def test_a_qr_bill_entered_again_under_a_short_name_is_one_bill(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill(
            "2025-10-03",
            "St.Gallisch-Appenzellische Kraftwerke AG",
            "2184.05",
            "Rechnung 1314",
            invoice="1314",
            qr_ref="723941441545929045318541345",
            tag="one",
        ),
        bill(
            "2025-10-07",
            "SAK",
            "2184.05",
            "QR-Rechnung 1314",
            qr_ref="723941441545929045318541345",
            tag="two",
        ),
        # Two months' electricity of one amount, one under the short name: two references.
        bill(
            "2025-04-22",
            "St.Gallisch-Appenzellische Kraftwerke AG",
            "2418.50",
            "Rechnung 770440",
            invoice="770440",
            qr_ref="825377662381957236077113725",
        ),
        bill(
            "2025-05-22",
            "SAK",
            "2418.50",
            "Rechnung 770540",
            invoice="770540",
            qr_ref="905774965569274298130029019",
        ),
    )
    assert lines_of(found) == [(ENTERED_TWICE, tagged(tmp_path, "one", "two"))]
    assert "qr_ref 723941441545929045318541345" in found[0]["reasons"][0]


def test_a_paper_copy_numbered_with_a_mark_is_the_invoice(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill(
            "2025-05-14",
            "Uppsala Ror & Varme AB",
            "18745.00",
            "Faktura 4527",
            invoice="4527",
            tag="one",
        ),
        bill(
            "2025-05-19",
            "Uppsala Ror",
            "18745.00",
            "Fakt. 4527 (pappersfaktura)",
            invoice="4527-1",
            tag="two",
        ),
        # Two parts of one order, both marked: two bills.
        bill("2025-06-02", "Uppsala Ror & Varme AB", "900.00", "Faktura 4600-1", invoice="4600-1"),
        bill("2025-06-04", "Uppsala Ror & Varme AB", "900.00", "Faktura 4600-2", invoice="4600-2"),
    )
    assert lines_of(found) == [(ENTERED_TWICE, tagged(tmp_path, "one", "two"))]


@pytest.mark.parametrize(
    ("first", "second", "one"),
    [
        ("4527", "4527-1", True),
        ("4471-1", "4471", True),
        ("4527-1", "4527-2", False),
        ("4527", "4528", False),
        ("12", "12-1", False),
        ("4527", "4527-12", False),
    ],
)
def test_a_copys_mark_is_one_short_group_after_the_invoices_digits(first, second, one):
    assert marked_copy(first, second) is one


# --- Two payers, two payees, two balances, two things bought --------------------------------

CLIENT_ROLES = """\
entity: {name: Property Manager AB, currency: USD}
accounts:
  Assets:Client: {role: bank}
  Liabilities:AP: {role: payable}
"""
CLIENT_OPEN = (
    "".join(
        f"2025-01-01 open {account} USD\n"
        for account in (
            "Assets:Client",
            "Liabilities:Owner:Ekholm",
            "Liabilities:Owner:Lindgren",
            "Liabilities:Deposits",
            "Liabilities:AP",
            "Expenses:Fees",
        )
    )
    + "\n"
)


def rent(day: str, payee: str, narration: str, amount: str, owner: str = "Ekholm", **meta) -> str:
    return entry(
        day,
        payee,
        narration,
        ("Assets:Client", amount),
        (f"Liabilities:Owner:{owner}", f"-{amount}"),
        **meta,
    )


def batch(day: str, serial: str, *payments: tuple[str, str], tag: str = "") -> str:
    """A bankgiro file: one bank line, a posting per tenant naming her."""
    total = sum(float(amount) for _, amount in payments)
    lines = f'{day} * "Bankgirot" "BgMax rent"\n  bgmax: "{serial}"\n'
    lines += f'  tag: "{tag}"\n' if tag else ""
    lines += f"  Assets:Client  {total:.2f} USD\n"
    for tenant, amount in payments:
        lines += f'  Liabilities:Owner:Ekholm  -{amount} USD\n    tenant: "{tenant}"\n'
    return lines + "\n"


def test_a_rent_typed_and_read_again_in_the_days_file_is_twice(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        rent(
            "2025-01-03",
            "Nilsson",
            "Rent January flat 1114 (from her e-mail)",
            "13200.00",
            tag="typed",
        ),
        batch(
            "2025-01-03",
            "BGM250103-001",
            ("Nilsson flat 1114", "13200.00"),
            ("Johansson flat 1112", "10750.00"),
            tag="file",
        ),
        roles=CLIENT_ROLES,
        opened=CLIENT_OPEN,
    )
    assert [lines for _, lines in lines_of(found)] == [tagged(tmp_path, "typed", "file")]


def test_look_alike_receipts_the_books_tell_apart_are_left_alone(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        # Two files of two days, each with a tenant paying 9,850.00.
        batch(
            "2025-02-02",
            "BGM250202-002",
            ("Andersson flat 1111", "9850.00"),
            ("Karlsson flat 1113", "11200.00"),
        ),
        batch(
            "2025-02-06",
            "BGM250206-004",
            ("Persson flat 1124", "9850.00"),
            ("Eriksson flat 1121", "11400.00"),
        ),
        # A new tenant's first rent, equal to another tenant's payment in the day's file.
        rent("2025-03-31", "Oberg", "Rent April flat 1131 (first rent)", "12700.00"),
        batch(
            "2025-03-31",
            "BGM250331-017",
            ("Lund flat 1111", "12700.00"),
            ("Berg flat 1121", "11400.00"),
        ),
        # Two tenants on equal rent paying without OCR the same day.
        rent("2025-07-01", "Engstrom", "Rent July flat 4131", "9100.00", "Lindgren"),
        rent("2025-07-01", "Danielsson", "Rent July flat 4132", "9100.00", "Lindgren"),
        # A deposit and the first rent, two equal transfers the same day.
        entry(
            "2025-09-30",
            "Falk",
            "Deposit flat 3111",
            ("Assets:Client", "7950.00"),
            ("Liabilities:Deposits", "-7950.00"),
        ),
        rent("2025-09-30", "Falk", "Rent October flat 3111 (first rent)", "7950.00"),
        roles=CLIENT_ROLES,
        opened=CLIENT_OPEN,
    )
    assert found == []


def test_an_owners_payment_typed_again_under_the_banks_name_is_twice(bo, tmp_path):
    payout = ("Assets:Client", "-72200.00"), ("Liabilities:Owner:Ekholm", "72200.00")
    found = dupes(
        bo,
        tmp_path,
        entry("2025-03-06", "Familjen Ekholm", "Statement February - payout", *payout, tag="one"),
        entry("2025-03-07", "Ekholm Anders", "Payout per bank statement", *payout, tag="two"),
        roles=CLIENT_ROLES,
        opened=CLIENT_OPEN,
    )
    assert [lines for _, lines in lines_of(found)] == [tagged(tmp_path, "one", "two")]


def card(day: str, shop: str, narration: str, amount: str, **meta: str) -> str:
    return entry(
        day, shop, narration, ("Expenses:Meals", amount), ("Liabilities:Card", f"-{amount}"), **meta
    )


def test_two_purchases_naming_two_things_bought_are_two(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        card("2025-03-15", "Bunnings", "kennel latches", "86.40"),
        card("2025-03-15", "Bunnings", "run gate hinges", "86.40"),
        card("2025-01-13", "Officeworks", "printer paper", "164.95"),
        card("2025-01-19", "OFFICEWORKS 0432", "toner cartridges", "164.95"),
        card("2025-05-18", "Ampol", "vehicles", "116.80", tag="one"),
        card("2025-05-18", "Ampol Bendigo 74411", "from the card statement", "116.80", tag="two"),
    )
    assert [lines for _, lines in lines_of(found)] == [tagged(tmp_path, "one", "two")]


# --- Payments naming two months -------------------------------------------------------------


def test_a_months_balance_and_the_next_months_advance_are_two_payments(bo, tmp_path):
    """A farmer's July balance and August advance, equal; his balance sent twice is twice."""
    pay = ("Assets:BofA:Checking", "-3000.00"), ("Liabilities:AP", "3000.00")
    found = dupes(
        bo,
        tmp_path,
        bill("2025-07-05", "Looser Beat", "9000.00", "Milk statement June"),
        entry("2025-07-25", "Looser Beat", "Akonto Milchgeld Juli", *pay),
        entry("2025-08-11", "Looser Beat", "Milchgeld Juli Restzahlung", *pay),
        entry("2025-08-25", "Looser Beat", "Akonto Milchgeld August", *pay),
        entry("2025-09-10", "Scherrer Jakob", "Milchgeld August Restzahlung", *pay, tag="one"),
        entry("2025-09-13", "Scherrer Jakob", "Milchgeld August Restzahlung", *pay, tag="two"),
    )
    assert [lines for _, lines in lines_of(found)] == [tagged(tmp_path, "one", "two")]


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [
        ("Milchgeld Juli Restzahlung", "Akonto Milchgeld August", True),
        ("Rent July", "Rent for 2025-08", True),
        ("Loyer juillet", "Loyer juillet (copie)", False),
        ("Advance", "Akonto Milchgeld August", False),  # one names no month
    ],
)
def test_two_narrations_naming_no_month_in_common_are_two_periods(first, second, apart):
    assert months_apart(first, second) is apart


# --- Two vendors' invoices under one number, told apart by their letters --------------------


def test_two_vendors_numbering_by_month_are_two_invoices(bo, tmp_path):
    """Two suppliers number their bills by month ("SA-202501", "YA-202501") and the bank
    prints its own word before both names: paid the same day, they are two invoices. The
    gas bill of February paid twice is still one paid twice."""

    def pay(day: str, payee: str, amount: str, number: str) -> str:
        return entry(
            day,
            payee,
            number,
            ("Assets:BofA:Checking", f"-{amount}"),
            ("Liabilities:AP", amount),
        )

    found = dupes(
        bo,
        tmp_path,
        bill("2025-01-31", "Sanwa Gas", "83260", "Bill SA-202501", invoice="SA-202501"),
        bill("2025-01-31", "Yamato Unyu", "38880", "Bill YA-202501", invoice="YA-202501"),
        bill("2025-02-28", "Sanwa Gas", "81770", "Bill SA-202502", invoice="SA-202502"),
        bill("2025-02-28", "Yamato Unyu", "41250", "Bill YA-202502", invoice="YA-202502"),
        pay("2025-02-26", "KOFURI SANWA GAS", "83260", "SA-202501"),
        pay("2025-02-26", "KOFURI YAMATO UNYU", "38880", "YA-202501"),
        pay("2025-03-26", "KOFURI SANWA GAS", "81770", "SA-202502"),
        pay("2025-03-26", "KOFURI YAMATO UNYU", "41250", "YA-202502"),
        pay("2025-04-08", "KOFURI SANWA GAS", "81770", "SA-202502"),
    )
    sanwa = [line_of(tmp_path, 'GAS" "SA-202502"', nth) for nth in (0, 1)]
    assert [sorted(members) for _, members in lines_of(found)] == [sanwa]


# --- Two weeks named ------------------------------------------------------------------------


def test_settlements_naming_two_weeks_are_two_and_one_week_twice_is_one(bo, tmp_path):
    """An owner-driver on a fixed rate is billed and paid the same net some fortnights: the
    bills and payments naming weeks 30 and 32 are two; week 34's paid twice is a duplicate."""

    def settle(day: str, driver: str, week: int) -> str:
        return entry(
            day,
            driver,
            f"Settlement week {week}",
            ("Expenses:Services", "2257.50"),
            ("Liabilities:AP", "-2257.50"),
        )

    def pay(day: str, driver: str, week: int) -> str:
        return entry(
            day,
            driver,
            f"Settlement wk {week}",
            ("Liabilities:AP", "2257.50"),
            ("Assets:BofA:Checking", "-2257.50"),
        )

    found = dupes(
        bo,
        tmp_path,
        settle("2025-07-25", "Ben O'Connor", 30),
        pay("2025-07-29", "Ben O'Connor", 30),
        settle("2025-08-08", "Ben O'Connor", 32),
        pay("2025-08-12", "Ben O'Connor", 32),
        settle("2025-08-22", "Raj Patel", 34),
        pay("2025-08-26", "Raj Patel", 34),
        pay("2025-08-29", "Raj Patel", 34),
    )
    twice = [line_of(tmp_path, '"Settlement wk 34"', nth) for nth in (0, 1)]
    assert [sorted(members) for _, members in lines_of(found)] == [twice]


def test_weeks_are_read_as_people_write_them():
    from bo.duplicates.periods import named_periods_apart, weeks_named

    assert weeks_named("Settlement wk 30") == {30}
    assert weeks_named("KW 12 Fahrer") == weeks_named("uge 12") == weeks_named("2025-W12") == {12}
    assert weeks_named("Invoice W123456") == weeks_named("Weekly route 7") == frozenset()
    assert named_periods_apart("Settlement week 50", "Settlement wk 52")
    assert not named_periods_apart("Settlement week 50", "Settlement wk 50 again")
    assert not named_periods_apart("Settlement week 50", "Settlement")


def test_a_transfer_typed_from_both_statements_is_once_whatever_each_names(bo, tmp_path):
    """Typed from the current account's statement ("Salon Fyrtarn", the owner's name there)
    and from the savings account's ("Danske Bank"): one transfer booked twice, though the two
    payees share no word."""
    move = (("Assets:BofA:Checking", "-10000.00"), ("Assets:Ally:Savings", "10000.00"))
    found = dupes(
        bo,
        tmp_path,
        entry("2025-05-15", "Salon Fyrtarn", "Transfer to savings", *move),
        entry("2025-05-15", "Danske Bank", "Transferred from current account", *move),
    )
    assert [sorted(members) for _, members in lines_of(found)] == [
        [line_of(tmp_path, "Transfer to savings"), line_of(tmp_path, "Transferred from")]
    ]


def test_a_journal_typed_twice_under_two_labels_is_entered_twice(bo, tmp_path):
    """A month's payroll journal typed twice, once labelled "Payroll" and once "給与" (pay):
    a journal's payee is a label, its postings and words say what it is."""
    run = (
        ("Expenses:Wages", "146580"),
        ("Liabilities:Withholding", "-1171"),
        ("Liabilities:NetPay", "-145409"),
    )
    found = dupes(
        bo,
        tmp_path,
        entry("2025-04-24", "Payroll", "4月分給与 パート2名", *run),
        entry("2025-04-25", "給与", "4月分給与 パート2名", *run),
        opened=OPEN
        + "2025-01-01 open Liabilities:NetPay USD\n2025-01-01 open Liabilities:Withholding USD\n\n",
    )
    assert [sorted(members) for _, members in lines_of(found)] == [
        [line_of(tmp_path, '"Payroll"'), line_of(tmp_path, '"給与"')]
    ]


def test_one_bill_under_its_name_in_two_scripts_is_entered_twice(bo, tmp_path):
    """The clay supplier's bill typed from the PDF under its romanised name and again from the
    paper bill under its name in kanji, the number written without its dash: one bill."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-05-30", "Mashiko Todo Ltd", "91550", "Invoice MA-202505", invoice="MA-202505"),
        bill("2025-06-02", "益子陶土", "91550", "請求書 MA202505", invoice="MA202505"),
        bill("2025-06-02", "Kogei Yakuhin", "91550", "Invoice KO-202505", invoice="KO-202505"),
    )
    assert [sorted(members) for _, members in lines_of(found)] == [
        [line_of(tmp_path, '"MA-202505"'), line_of(tmp_path, '"MA202505"')]
    ]


def test_one_week_paid_twice_among_weekly_payments_is_a_duplicate(bo, tmp_path):
    """An owner-driver paid the same net every week: the weekly payments are a series, but
    week 14's paid in the batch and again four days later is one week paid twice."""
    from datetime import date, timedelta

    def settle(day: date, week: int) -> str:
        return entry(
            day.isoformat(),
            "Ben O'Connor",
            f"Settlement week {week}",
            ("Expenses:Services", "2257.50"),
            ("Liabilities:AP", "-2257.50"),
        )

    def pay(day: date, week: int) -> str:
        return entry(
            day.isoformat(),
            "Ben O'Connor",
            f"Settlement wk {week}",
            ("Liabilities:AP", "2257.50"),
            ("Assets:BofA:Checking", "-2257.50"),
        )

    weeks = range(10, 19)
    first = date(2025, 3, 7)
    found = dupes(
        bo,
        tmp_path,
        *(settle(first + timedelta(weeks=n), week) for n, week in enumerate(weeks)),
        *(pay(first + timedelta(weeks=n, days=4), week) for n, week in enumerate(weeks)),
        pay(first + timedelta(weeks=4, days=8), 14),
    )
    twice = [line_of(tmp_path, '"Settlement wk 14"', nth) for nth in (0, 1)]
    assert [sorted(members) for _, members in lines_of(found)] == [twice]


def test_a_docket_typed_beside_the_fuel_cards_line_naming_its_number_is_once(bo, tmp_path):
    """The fuel card's script imports each docket under its number; the same fill typed from
    the paper docket names that number in its words: one fill, though the station is named
    otherwise. Another fill of the same amount under another docket stays alone."""

    def fill(day: str, payee: str, narration: str, **meta: str) -> str:
        return entry(
            day,
            payee,
            narration,
            ("Expenses:Meals", "293.43"),
            ("Liabilities:Card", "-293.43"),
            **meta,
        )

    found = dupes(
        bo,
        tmp_path,
        fill("2025-07-03", "Z Timaru", "Diesel 155.25L STP402", docket="04104362"),
        fill("2025-07-03", "Z Energy", "Diesel STP402 docket 04104362"),
        fill("2025-07-04", "Z Timaru", "Diesel 155.25L HWK77", docket="04104388"),
        roles=ROLES + "matching:\n  line_id_keys: [docket]\n",
    )
    assert [sorted(members) for _, members in lines_of(found)] == [
        [line_of(tmp_path, "Diesel 155.25L STP402"), line_of(tmp_path, "docket 04104362")]
    ]
