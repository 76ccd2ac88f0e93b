"""`bo dupes` with no statement to count the bank's lines: what a bookkeeper reads in the books
alone. A line a second importer brought in again, a refund booked from the feed and by hand, a
purchase typed twice in other words, a customer's receipt booked twice, a bill paid again in
another currency; each beside the honest look-alike that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

import json

import pytest

from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE
from bo.duplicates.vendors import Vendors, vendor_words
from tests.test_duplicates_third_party import dupes, entry, line_of, lines_of


def card(day: str, payee: str, narration: str, amount: str, account: str, **meta: str) -> str:
    return entry(
        day, payee, narration, (account, amount), ("Liabilities:Card", f"-{amount}"), **meta
    )


def bank(day: str, payee: str, narration: str, amount: str, account: str, **meta: str) -> str:
    return entry(
        day, payee, narration, (account, amount), ("Assets:BofA:Checking", f"-{amount}"), **meta
    )


def test_a_line_a_second_importer_brought_in_again(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bank("2025-03-03", "Sunrise Candle Supply", "Payment SCS465", "812.40", "Expenses:Services",
             bank_id="b-7781", tag="feed"),
        # the OFX download of the same line, under its own id and the bank's words, next day
        bank("2025-03-04", "ORIG CO NAME:SUNRISE CAND CO ENTRY DESCR:PAYMENT", "", "812.40",
             "Expenses:Uncategorized", fitid="20250304001", tag="ofx"),
        # two lines of the feed, one id each: two payments, however alike
        bank("2025-05-05", "Sunrise Candle Supply", "Payment", "300.00", "Expenses:Services",
             bank_id="b-8001"),
        bank("2025-05-06", "Sunrise Candle Supply", "Payment", "300.00", "Expenses:Services",
             bank_id="b-8002"),
    )  # fmt: skip
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "feed"'), line_of(tmp_path, 'tag: "ofx"')])
    ]
    assert any("two importers (bank_id, fitid)" in reason for reason in found[0]["reasons"])


def test_a_refund_booked_from_the_feed_and_by_hand(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        card("2025-07-19", "UBER *TRIP 649DNP", "", "16.62", "Expenses:Services", txn_id="A1"),
        card("2025-07-22", "UBER *TRIP 649DNP REFUND", "", "-16.62", "Expenses:Services",
             txn_id="A2", tag="feed"),
        card("2025-07-22", "Uber", "Refund", "-16.62", "Expenses:Services", tag="typed"),
        # a purchase and its refund: opposite movements, never one
        card("2025-08-02", "Blick Art Materials", "paper", "40.00", "Expenses:Services"),
        card("2025-08-04", "BLICK ART REFUND", "Return", "-40.00", "Expenses:Services"),
    )  # fmt: skip
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "feed"'), line_of(tmp_path, 'tag: "typed"')])
    ]


def test_a_correction_after_a_double_entry_still_clears_it(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        card("2025-02-03", "Staples", "toner", "58.00", "Expenses:Services"),
        card("2025-02-03", "Staples", "toner", "58.00", "Expenses:Services"),
        card("2025-02-05", "Staples", "toner entered twice", "-58.00", "Expenses:Services"),
    )
    assert found == []


def test_a_purchase_typed_twice_in_other_words(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bank("2025-06-06", "RiverBank Properties", "Paying the rent", "2400.00", "Expenses:Rent",
             tag="first"),
        bank("2025-06-06", "RiverBank Properties", "Rent", "2400.00", "Expenses:Rent",
             tag="again"),
        card("2025-03-11", "Trainline", "Client visit tickets", "166.78", "Expenses:Services",
             tag="tickets"),
        card("2025-03-11", "Trainline", "Train tickets client visit", "166.78",
             "Expenses:Services", tag="retyped"),
        # one narration saying who else it was for: two purchases a person told apart
        card("2025-04-01", "Blue Bottle", "Coffee", "6.50", "Expenses:Meals"),
        card("2025-04-01", "Blue Bottle", "Coffee with Sam", "6.50", "Expenses:Meals"),
    )  # fmt: skip
    assert sorted(lines for _, lines in lines_of(found)) == sorted(
        [
            [line_of(tmp_path, 'tag: "first"'), line_of(tmp_path, 'tag: "again"')],
            [line_of(tmp_path, 'tag: "tickets"'), line_of(tmp_path, 'tag: "retyped"')],
        ]
    )
    # Typed by hand, no statement, no ids: reported below the findings evidence carries.
    assert all(f["score"] <= 0.55 and f["missing"] for f in found)


RECEIVABLES = """\
2025-01-01 open Assets:AR USD
2025-01-01 open Income:Fees USD

"""


def invoiced(day: str, customer: str, number: str, amount: str) -> str:
    return entry(
        day, customer, f"Invoice {number}", ("Assets:AR", amount), ("Income:Fees", f"-{amount}"),
        invoice=number,
    )  # fmt: skip


def received(day: str, customer: str, narration: str, amount: str, **meta: str) -> str:
    return entry(
        day, customer, narration, ("Assets:BofA:Checking", amount), ("Assets:AR", f"-{amount}"),
        **meta,
    )  # fmt: skip


def test_a_customers_receipt_booked_from_the_feed_and_the_remittance_advice(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        RECEIVABLES,
        invoiced("2025-06-05", "Fairhaven Council", "TF-1021", "5640.00"),
        received("2025-07-05", "Fairhaven Council", "Receipt TF-1021", "5640.00",
                 bank_id="c-3162", tag="feed"),
        received("2025-07-05", "Fairhaven Council", "Remittance advice TF-1021", "5640.00",
                 tag="advice"),
        # an invoice paid in two parts that add up to it: instalments
        invoiced("2025-06-06", "Elm Street Dental", "TF-1022", "7680.00"),
        received("2025-07-07", "Elm Street Dental", "Receipt TF-1022", "3840.00"),
        received("2025-08-07", "Elm Street Dental", "Receipt TF-1022", "3840.00"),
        # two customers paying equal invoices the same day
        invoiced("2025-06-07", "Dunmore Housing Trust", "TF-1023", "1200.00"),
        invoiced("2025-06-07", "Oak Lane Surgery", "TF-1024", "1200.00"),
        received("2025-07-08", "Dunmore Housing Trust", "Receipt TF-1023", "1200.00"),
        received("2025-07-08", "Oak Lane Surgery", "Receipt TF-1024", "1200.00"),
    )  # fmt: skip
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "feed"'), line_of(tmp_path, 'tag: "advice"')])
    ]
    assert any("5,640.00 too much" in reason for reason in found[0]["reasons"])


def test_a_customer_who_paid_twice_is_a_duplicate_payment(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        RECEIVABLES,
        invoiced("2025-06-05", "Fairhaven Council", "TF-1031", "980.00"),
        invoiced("2025-06-09", "Fairhaven Council", "TF-1032", "410.00"),
        # two lines of the bank, one id each: the money came in twice
        received("2025-07-05", "Fairhaven Council", "Receipt TF-1031", "980.00", bank_id="c-1"),
        received("2025-07-09", "Fairhaven Council", "Receipt TF-1031", "980.00", bank_id="c-2"),
        received("2025-07-09", "Fairhaven Council", "Receipt TF-1032", "410.00", bank_id="c-3"),
    )
    assert [(kind, len(lines)) for kind, lines in lines_of(found)] == [(PAID_TWICE, 2)]
    assert "the customer paid twice" in found[0]["reasons"][2]


@pytest.mark.parametrize("named", ['    invoice: "FT 2025/812"\n', ""], ids=["invoice", "none"])
def test_a_bill_paid_again_by_card_in_another_currency(bo, tmp_path, named):
    euro = """\
2025-01-01 open Assets:Wise EUR
2025-01-01 open Liabilities:AP
2025-01-01 open Liabilities:Card USD
2025-01-01 open Expenses:Inventory USD

2025-01-02 * "Ceramica Atlantico Lda" "Invoice FT 2025/812"
  invoice: "FT 2025/812"
  Liabilities:AP                     -4120.24 EUR @ 1.10 USD
  Expenses:Inventory                  4532.26 USD

2025-01-22 * "Ceramica Atlantico Lda" "Payment FT 2025/812"
  transaction_id: "TRANSFER-290146459"
  Assets:Wise                        -4120.24 EUR
  Liabilities:AP                      4120.24 EUR
    invoice: "FT 2025/812"

2025-01-29 * "CERAMICA ATLANTICO" ""
  fitid: "320528664153880"
  Liabilities:Card                   -4532.26 USD
  Liabilities:AP                      4120.24 EUR @ 1.10 USD
{named}
"""
    (tmp_path / "bo.yaml").write_text(
        "entity: {name: Shop Inc, currency: USD}\naccounts:\n"
        "  Liabilities:AP: {role: payable}\n  Liabilities:Card: {role: card}\n"
    )
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text(euro.format(named=named))
    assert bo("check", cwd=tmp_path).exit_code == 0
    result = bo("dupes", "--json", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [(kind, len(lines)) for kind, lines in lines_of(found)] == [(PAID_TWICE, 2)]
    # By the invoice on the posting, against the bill; else by the amount off the payables.
    assert (
        "too much" in found[0]["reasons"][1]
        if named
        else "4,120.24 EUR twice" in found[0]["reasons"][0]
    )


@pytest.mark.parametrize(
    ("bank_text", "name"),
    [
        ("ORIG CO NAME:SUNRISE CAND CO ENTRY DESCR:PAYMENT", "Sunrise Candle Supply"),
        ("WINE-TARNER CBL DES:BILL PAY ID:XXXXX66 INDN:SMITH", "Wine-Tarner Cable"),
        ("Hartley Moss Llp Hm/2025/1832 Bgc", "Hartley & Moss Solicitors"),
        ("GOOD MOODS M #346", "Good Moods Market"),
        ("BLICK ART REFUND", "Blick Art Materials"),
        ("SUNRISECANDLE ACH", "Sunrise Candle Supply"),
    ],
)
def test_a_payee_read_out_of_the_banks_wording(bank_text, name):
    assert Vendors().same(bank_text, name)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Green Valley Dairy", "Green Valley Produce"),
        ("ORIG CO NAME:SUNRISE CAND CO ENTRY DESCR:PAYMENT", "Sunset Candle Supply"),
        ("Good Moods Market", "Good Moods Bakery"),
    ],
)
def test_two_vendors_stay_two_in_the_banks_wording(first, second):
    assert not Vendors().same(first, second)


def test_ids_and_bank_codes_are_no_part_of_a_name():
    assert vendor_words("Hartley Moss Llp Hm/2025/1832 Bgc") == ("hartley", "moss")
    assert vendor_words("AMZN Mktp US*WUKA56") == ("amzn", "mktp")
