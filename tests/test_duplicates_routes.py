"""`bo dupes` on what the books alone show: one cost paid through two routes (the card and an
expense claim), one journal posted twice, a bill entered again under the vendor's initials,
and a bill reversed before it was booked again (a re-booking, no duplicate).

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would, the
duplicate beside the honest look-alike a bookkeeper would leave alone.
"""

from __future__ import annotations

from datetime import date

import pytest

from bo.duplicates.model import ENTERED_TWICE, IMPORTED_TWICE, PAID_TWICE
from bo.duplicates.reimbursed import _dates_in
from bo.duplicates.vendors import initialled, vendor_words
from tests.test_duplicates_third_party import bill, dupes, entry, line_of, lines_of

PAYROLL = """\
2025-01-01 open Expenses:Salaries USD
2025-01-01 open Expenses:PayrollTax USD
2025-01-01 open Liabilities:NetPay USD
2025-01-01 open Liabilities:PayrollTax USD

"""


def payroll(day: str, narration: str, **meta: str) -> str:
    return entry(
        day,
        "Ashdown Payroll Bureau",
        narration,
        ("Expenses:Salaries", "11874.60"),
        ("Expenses:PayrollTax", "1010.32"),
        ("Liabilities:NetPay", "-8704.39"),
        ("Liabilities:PayrollTax", "-4180.53"),
        **meta,
    )


def card(day: str, shop: str, amount: str, account: str = "Expenses:Meals", **meta: str) -> str:
    return entry(
        day, shop, "Food stock", (account, amount), ("Liabilities:Card", f"-{amount}"), **meta
    )


def claim(
    day: str, person: str, narration: str, amount: str, account: str = "Expenses:Meals", **meta: str
) -> str:
    return entry(
        day, person, narration, (account, amount), ("Assets:BofA:Checking", f"-{amount}"), **meta
    )


def pair(tmp_path, kind: str, first: str, second: str) -> tuple[str, list[int]]:
    return (kind, [line_of(tmp_path, f'tag: "{first}"'), line_of(tmp_path, f'tag: "{second}"')])


# --- One cost paid twice: on the card and on an expense claim --------------------------------


def test_a_card_purchase_claimed_again_on_an_expense_claim_is_paid_twice(bo, tmp_path):
    """The claim names the shop and the receipt's date; the card paid the same cost."""
    found = dupes(
        bo,
        tmp_path,
        card("2025-04-14", "Booker Wholesale", "60.70", tag="card"),
        claim(
            "2025-04-22",
            "Ruth Patel",
            "Expense claim: Booker Wholesale receipt 14/04, food stock",
            "60.70",
            tag="claim",
        ),
    )
    assert lines_of(found) == [pair(tmp_path, PAID_TWICE, "card", "claim")]
    assert "the receipt of 2025-04-14" in " ".join(found[0]["reasons"])


def test_a_claim_naming_the_shop_by_its_first_word_matches_the_cards_descriptor(bo, tmp_path):
    """The card prints "TESCO STORES 3456"; the claim says "Tesco", and gives no date."""
    found = dupes(
        bo,
        tmp_path,
        card("2025-06-22", "TESCO STORES 3456", "32.55", tag="card"),
        claim("2025-07-03", "Margaret Ellis", "Expense claim: Tesco, food stock", "32.55", tag="c"),
    )
    assert lines_of(found) == [pair(tmp_path, PAID_TWICE, "card", "c")]
    assert found[0]["score"] == 0.8


def test_claims_naming_no_shop_another_receipt_or_another_cost_are_honest(bo, tmp_path):
    """Mileage of the card purchase's amount, a claim for the shop's receipt of another day,
    one booked to another expense, and one paid before the purchase: all honest."""
    found = dupes(
        bo,
        tmp_path,
        card("2025-04-14", "Booker Wholesale", "60.70"),
        claim("2025-04-16", "Derek Chu", "Mileage claim, 134 miles at 45p", "60.70"),
        claim("2025-04-17", "Ivy Morgan", "Expense claim: Booker Wholesale receipt 11/04", "60.70"),
        claim(
            "2025-04-18",
            "Sunita Rao",
            "Expense claim: Booker Wholesale, hall chairs",
            "60.70",
            account="Expenses:Services",
        ),
        card("2025-05-14", "Tesco", "32.55"),
        claim("2025-05-10", "Margaret Ellis", "Expense claim: Tesco, food stock", "32.55"),
    )
    assert found == []


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("receipt 14/04, food", date(2025, 4, 14)),
        ("receipt 04/14", date(2025, 4, 14)),
        ("receipt 14.04.25", date(2025, 4, 14)),
        ("receipt of 2025-04-14", date(2025, 4, 14)),
    ],
)
def test_a_receipts_date_is_read_day_or_month_first(text, day):
    assert day in _dates_in(text, date(2025, 4, 22))


def test_a_claim_without_a_date_names_none():
    assert _dates_in("Mileage claim, 118 miles at 45p", date(2025, 4, 22)) == set()


# --- One journal posted twice ----------------------------------------------------------------


def test_a_payroll_journal_typed_again_from_the_report_is_entered_twice(bo, tmp_path):
    """Every posting alike, the same day: the words the copy adds say where it came from."""
    found = dupes(
        bo,
        tmp_path,
        PAYROLL,
        payroll("2025-10-25", "Payroll 2025-10"),
        payroll("2025-11-25", "Payroll 2025-11", tag="one"),
        payroll("2025-11-25", "Payroll 2025-11 (bureau report)", tag="two"),
        payroll("2025-12-23", "Payroll 2025-12"),
    )
    assert lines_of(found) == [pair(tmp_path, ENTERED_TWICE, "one", "two")]
    # Four postings alike are more than two coffees alike: above the unproven pair's 0.55.
    assert found[0]["score"] == 0.8
    assert found[0]["missing"] == ["neither journal carries the id of the document it posts"]


def test_a_payroll_journal_imported_twice_under_its_runs_id_is_sure(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        PAYROLL,
        payroll("2025-10-29", "Payroll 2025-10-31", gusto_payroll_id="pr_251031", tag="one"),
        payroll("2025-10-30", "Payroll 2025-10-31", gusto_payroll_id="pr_251031", tag="two"),
    )
    assert lines_of(found) == [pair(tmp_path, ENTERED_TWICE, "one", "two")]
    assert found[0]["score"] > 0.9  # the pair's own score, a day apart, undiminished
    assert "both carry gusto_payroll_id pr_251031" in found[0]["reasons"]


def test_equal_payroll_journals_each_month_and_two_pay_periods_are_honest(bo, tmp_path):
    """The same figures every month, and two half-month runs days apart naming their dates."""
    found = dupes(
        bo,
        tmp_path,
        PAYROLL,
        payroll("2025-01-25", "Payroll 2025-01"),
        payroll("2025-02-25", "Payroll 2025-02"),
        payroll("2025-03-25", "Payroll 2025-03"),
        payroll("2025-04-10", "Payroll 2025-04-15 (bureau report)"),
        payroll("2025-04-14", "Payroll 2025-04-30"),
    )
    assert found == []


def test_two_purchases_told_apart_in_words_stay_two():
    """The journal rule is for journals: a coffee and a coffee with Sam are two."""
    from beancount.parser import parser

    from bo.duplicates.journals import one_journal

    entries, errors, _ = parser.parse_string(
        '2025-01-01 * "Cafe" "Coffee"\n  Expenses:Meals  4.50 USD\n  Liabilities:Card\n\n'
        '2025-01-01 * "Cafe" "Coffee with Sam"\n  Expenses:Meals  4.50 USD\n  Liabilities:Card\n'
    )
    assert not errors
    assert not one_journal(entries[0], entries[1], frozenset())


# --- A bill entered again under the vendor's initials ----------------------------------------


def test_a_bill_entered_again_under_the_vendors_initials(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-07-11", "Thames Valley Print Ltd", "240.00", invoice="TVP-3336", tag="a"),
        bill("2025-07-14", "TV Print", "240.00", invoice="TVP3336", tag="b"),
    )
    assert lines_of(found) == [pair(tmp_path, ENTERED_TWICE, "a", "b")]


def test_the_vendors_initials_with_another_number_are_another_bill(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-05-10", "Thames Valley Print Ltd", "240.00", invoice="TVP-3325"),
        bill("2025-05-17", "TV PRINT", "240.00", invoice="TVP-3319"),
    )
    assert found == []


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("TV Print", "Thames Valley Print Ltd", True),
        ("GWR Trains", "Great Western Railway Trains", True),
        ("TV Print", "Tree Village Press", False),
        ("TV", "Thames Valley", False),  # two letters alone name too many vendors
        ("TV Print", "Thames Print", False),
    ],
)
def test_initials_stand_for_the_first_words_only_with_the_rest_alike(first, second, same):
    assert initialled(vendor_words(first), vendor_words(second)) is same


# --- A bill reversed and booked again ---------------------------------------------------------


def test_a_bill_reversed_and_booked_again_is_no_duplicate(bo, tmp_path):
    """Coded to the wrong account (or month), reversed, booked again the same day: once."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-05-10", "Thames Valley Print Ltd", "240.00", "Leaflets", invoice="TVP-3325"),
        entry(
            "2025-05-16",
            "Thames Valley Print Ltd",
            "Reversal of TVP-3325: wrong account",
            ("Expenses:Services", "-240.00"),
            ("Liabilities:AP", "240.00"),
            invoice="TVP-3325",
        ),
        entry(
            "2025-05-16",
            "Thames Valley Print Ltd",
            "Leaflets",
            ("Expenses:Meals", "240.00"),
            ("Liabilities:AP", "-240.00"),
            invoice="TVP-3325",
        ),
        bill("2025-09-02", "Kingfisher Facilities", "380.00", "Cleaning", invoice="KF-2025-09"),
        entry(
            "2025-09-08",
            "Kingfisher Facilities",
            "Reversal of KF-2025-09: wrong month",
            ("Expenses:Services", "-380.00"),
            ("Liabilities:AP", "380.00"),
            invoice="KF-2025-09",
        ),
        bill("2025-09-08", "Kingfisher Facilities", "380.00", "Cleaning", invoice="KF-2025-09"),
    )
    assert found == []


def test_a_journal_posted_twice_then_reversed_once_is_still_twice(bo, tmp_path):
    """A month-end accrual posted twice and reversed on the first: one is still there twice."""
    accrual = ("Expenses:Services", "1200.00"), ("Liabilities:AP", "-1200.00")
    reversal = ("Expenses:Services", "-1200.00"), ("Liabilities:AP", "1200.00")
    found = dupes(
        bo,
        tmp_path,
        entry("2025-03-31", "AWS", "Accrual March", *accrual, tag="one"),
        entry("2025-03-31", "AWS", "Accrual March", *accrual, tag="two"),
        entry("2025-04-01", "AWS", "Reverse accrual March", *reversal),
    )
    assert lines_of(found) == [pair(tmp_path, ENTERED_TWICE, "one", "two")]


def test_a_line_imported_twice_with_its_refund_between_is_still_twice(bo, tmp_path):
    """The bank printed the purchase once and its refund once: the second copy is a copy."""
    found = dupes(
        bo,
        tmp_path,
        card("2025-06-02", "Booker Wholesale", "60.70", **{"import-id": "L-1"}, tag="one"),
        entry(
            "2025-06-03",
            "Booker Wholesale",
            "Refund",
            ("Liabilities:Card", "60.70"),
            ("Expenses:Meals", "-60.70"),
            **{"import-id": "L-2"},
        ),
        card("2025-06-04", "Booker Wholesale", "60.70", **{"import-id": "L-1"}, tag="two"),
    )
    assert [kinds for kinds, _ in lines_of(found)] == [IMPORTED_TWICE]
    assert lines_of(found)[0][1] == pair(tmp_path, IMPORTED_TWICE, "one", "two")[1]
