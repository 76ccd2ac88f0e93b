"""`bo dupes` where one entry sits in two duplicates, and where a document's number, a
vendor's name or a payment's wording is written another way: what a bookkeeper reads off the
invoice, the vendor's ledger card and the words people use.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would, with
the honest look-alike beside each duplicate.
"""

from __future__ import annotations

import pytest

from bo.duplicates.invoiced import digit_groups
from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE
from bo.duplicates.vendors import Vendors
from bo.duplicates.wording import check_in, instalment, invoice_in, named_apart
from tests.test_duplicates_books_only import RECEIVABLES, received
from tests.test_duplicates_third_party import bill, dupes, entry, line_of, lines_of, paid


def check(day: str, vendor: str, narration: str, amount: str, **meta: str) -> str:
    return paid(day, vendor, amount, narration, **meta)


def test_a_check_typed_twice_and_the_bill_paid_again_are_two_findings(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-07-28", "Hillcrest Farms", "485.02", "Invoice HF-10259", invoice="HF-10259"),
        check("2025-08-04", "Hillcrest Farms", "Check 1293 - HF-10259", "485.02",
              invoice="HF-10259", check="1293", tag="first"),
        # the same check typed again the next day from its stub
        check("2025-08-05", "Hillcrest Farms", "Check 1293 HF-10259", "485.02", tag="stub"),
        # and the invoice paid again in a later check run: both checks cashed
        check("2025-08-19", "Hillcrest Farms", "Check 1294 - HF-10259", "485.02",
              invoice="HF-10259", check="1294", tag="again"),
        # a bill paid in two parts that add up to it
        bill("2025-07-28", "Bayside Provisions", "900.00", "Invoice 88-41336", invoice="88-41336"),
        check("2025-08-04", "Bayside Provisions", "Check 1295 - 88-41336", "450.00",
              invoice="88-41336", check="1295"),
        check("2025-08-06", "Bayside Provisions", "Check 1296 - 88-41336", "450.00",
              invoice="88-41336", check="1296"),
    )  # fmt: skip
    first, stub, again = (line_of(tmp_path, f'tag: "{t}"') for t in ("first", "stub", "again"))
    assert sorted(lines_of(found)) == [
        (PAID_TWICE, [first, again]),
        (ENTERED_TWICE, [first, stub]),
    ]


def test_a_receipt_typed_beside_a_deposit_and_its_balance_is_one_finding(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        RECEIVABLES,
        entry("2025-03-10", "Bridgetown Film Festival", "Catering invoice CAT-25003",
              ("Assets:AR", "8100.00"), ("Income:Fees", "-8100.00"), invoice="CAT-25003"),
        received("2025-03-13", "Bridgetown Film Festival", "Deposit 50% CAT-25003", "4050.00",
                invoice="CAT-25003", bank_id="TRN-1"),
        received("2025-04-03", "Bridgetown Film Festival", "Balance CAT-25003", "4050.00",
                invoice="CAT-25003", bank_id="TRN-2", tag="feed"),
        # typed from the remittance email two days before the bank's line came in
        received("2025-04-01", "Bridgetown Film Festival",
                "Payment received CAT-25003 (remittance email)", "4050.00", tag="typed"),
        # another customer's invoice, paid once
        entry("2025-03-12", "Oregon Health Partners", "Catering invoice CAT-25004",
              ("Assets:AR", "5800.00"), ("Income:Fees", "-5800.00"), invoice="CAT-25004"),
        received("2025-04-02", "Oregon Health Partners", "Payment CAT-25004", "5800.00",
                invoice="CAT-25004", bank_id="TRN-3"),
    )  # fmt: skip
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "typed"'), line_of(tmp_path, 'tag: "feed"')])
    ]
    assert any("4,050.00 too much" in reason for reason in found[0]["reasons"])


def test_equal_instalments_in_german_are_parts_of_a_bill(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        "2025-01-01 open Assets:Furniture USD\n2025-01-01 open Assets:VAT USD\n\n",
        # a fixed asset bought on account with its input tax: no money moved
        entry("2025-02-14", "Vitra GmbH", "Rechnung VI-88120 Büromöbel",
              ("Assets:Furniture", "9600.00"), ("Assets:VAT", "1824.00"),
              ("Liabilities:AP", "-11424.00"), invoice="VI-88120"),
        *(
            check(f"2025-0{3 + n}-01", "Vitra GmbH", f"VI-88120 {n + 1}. Rate", "3808.00",
                  invoice="VI-88120", bank_id=f"b-{n}")
            for n in range(3)
        ),
    )  # fmt: skip
    assert found == []


def test_a_bill_entered_again_under_the_vendors_short_name(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-03-26", "Studio Meerblau", "1725.64", "Rechnung SMB-2025-03",
             invoice="SMB-2025-03", tag="email"),
        bill("2025-04-04", "Meerblau", "1725.64", "Rechnung Nr. SMB 2025/03", tag="pdf"),
        bill("2025-07-26", "Tom Avery Illustration", "2133.25", "Rechnung TA0725",
             invoice="TA0725", tag="avery"),
        bill("2025-07-30", "T. Avery", "2133.25", "Rechnung Nr. TA-0725", invoice="TA-0725",
             tag="initial"),
        # two bills of one amount under two spellings, each with its own number
        bill("2025-05-26", "Studio Meerblau", "980.00", "Rechnung SMB-2025-05",
             invoice="SMB-2025-05"),
        bill("2025-06-02", "Meerblau UG", "980.00", "Rechnung SMB-2025-06", invoice="SMB-2025-06"),
    )  # fmt: skip
    tags = [("email", "pdf"), ("avery", "initial")]
    assert sorted(lines_of(found)) == sorted(
        (ENTERED_TWICE, [line_of(tmp_path, f'tag: "{a}"'), line_of(tmp_path, f'tag: "{b}"')])
        for a, b in tags
    )


def claim(day: str, customer: str, narration: str, number: str, amount: str, **meta) -> str:
    return entry(
        day, customer, narration, ("Assets:AR", amount), ("Income:Fees", f"-{amount}"),
        invoice=number, **meta,
    )  # fmt: skip


def test_a_progress_claim_entered_again_from_the_payment_certificate(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        RECEIVABLES,
        claim("2025-05-28", "Kensington Dental Corp.", "Progress claim PC-250-05", "PC-250-05",
              "40375.00", tag="claim"),
        claim("2025-05-31", "Kensington Dental Corp.", "Payment certificate 250-5 (architect)",
              "250-5", "40375.00", tag="certificate"),
        # a fixed-price contract's equal claims, each under its own number
        claim("2025-07-28", "Town of Okotoks", "Progress claim PC-255-07", "PC-255-07",
              "58187.50"),
        claim("2025-08-28", "Town of Okotoks", "Progress claim PC-255-08", "PC-255-08",
              "58187.50"),
    )  # fmt: skip
    assert lines_of(found) == [
        (
            ENTERED_TWICE,
            [line_of(tmp_path, 'tag: "claim"'), line_of(tmp_path, 'tag: "certificate"')],
        )
    ]


HOLDBACK = "2025-01-01 open Liabilities:Holdback USD\n2025-01-01 open Assets:Trust USD\n\n"


def subtrade_bill(day: str, vendor: str, number: str, amount: str, held: str) -> str:
    return entry(
        day, vendor, f"Progress invoice {number}", ("Expenses:Services", amount),
        ("Liabilities:AP", f"-{amount}"), ("Liabilities:Holdback", f"-{held}"),
        ("Expenses:Services", held), invoice=number,
    )  # fmt: skip


def release(day: str, vendor: str, narration: str, amount: str, account: str, **meta) -> str:
    return entry(
        day, vendor, narration, ("Liabilities:Holdback", amount), (account, f"-{amount}"), **meta
    )


def test_a_holdback_released_twice_from_two_accounts(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        HOLDBACK,
        *(subtrade_bill(f"2025-0{m}-25", "Foothills Framing Co.", f"FF-030{m}", "11160.00",
                        "1240.00") for m in range(1, 7)),
        release("2025-08-20", "Foothills Framing Co.", "Holdback release P-241 cheque 0089",
                "7440.00", "Assets:Trust", cheque="0089", tag="trust"),
        release("2025-09-11", "Foothills Framing Co.", "Holdback P-241", "7440.00",
                "Assets:BofA:Checking", tag="eft"),
        # another subtrade's holdback released once, its later bills holding back again
        *(subtrade_bill(f"2025-0{m}-25", "Sparks Electric Ltd.", f"SE-{m}", "6000.00",
                        "600.00") for m in range(1, 9)),
        release("2025-06-30", "Sparks Electric Ltd.", "Holdback release P-241 cheque 0090",
                "3000.00", "Assets:Trust", cheque="0090"),
    )  # fmt: skip
    assert lines_of(found) == [
        (PAID_TWICE, [line_of(tmp_path, 'tag: "trust"'), line_of(tmp_path, 'tag: "eft"')])
    ]


def test_a_standing_order_paid_ahead_of_its_bill_is_not_paid_twice(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        *(
            part
            for m in range(1, 6)
            for part in (
                check(f"2025-0{m}-01", "Harbor Cleaning", "Standing order", "640.00"),
                bill(f"2025-0{m}-10", "Harbor Cleaning", "640.00", f"Invoice H-{m}",
                     invoice=f"H-{m}"),
            )
        ),
    )  # fmt: skip
    assert found == []


def test_a_card_purchase_typed_from_the_receipt_and_the_statement(bo, tmp_path):
    card = "Liabilities:Card"
    found = dupes(
        bo,
        tmp_path,
        entry("2025-02-06", "Motel One", "Motel One lt. Beleg", (card, "-110.66"),
              ("Expenses:Services", "110.66"), tag="receipt"),
        entry("2025-02-07", "Motel", "Kreditkarte Motel One Hamburg", (card, "-110.66"),
              ("Expenses:Services", "110.66"), tag="statement"),
    )  # fmt: skip
    assert lines_of(found) == [
        (
            ENTERED_TWICE,
            [line_of(tmp_path, 'tag: "receipt"'), line_of(tmp_path, 'tag: "statement"')],
        )
    ]
    assert found[0]["score"] <= 0.55 and found[0]["missing"]


@pytest.mark.parametrize(
    ("text", "part"),
    [("VI-88120 1. Rate", 1), ("2. Teilzahlung", 2), ("Abschlag 3 von 4", 3),
     ("2e échéance", 2), ("2nd installment", 2), ("Miete 03.2025", None)],
)  # fmt: skip
def test_instalments_in_other_languages(text, part):
    assert instalment(text) == part


def test_numbers_names_and_patterns():
    assert invoice_in("Rechnung Nr. SMB 2025/03") == "SMB 2025/03"
    assert invoice_in("bill 2025-06") is None  # a period, not a number
    assert digit_groups("PC-250-05") == digit_groups("250-5") == (250, 5)
    assert check_in("Check 1293 HF-10259") == "1293"
    assert check_in("chk #0042") == "42"
    vendors = Vendors()
    assert vendors.related("Meerblau", "Studio Meerblau")
    assert vendors.related("T. Avery", "Tom Avery Illustration")
    assert not vendors.related("Meerblau UG", "Studio Blau")
    assert named_apart("Net pay Jamie Lee", "Net pay Marco Ortiz")
    assert named_apart("Jamie Lee salary", "Marco Ortiz salary")
    assert not named_apart("Motel One lt. Beleg", "Kreditkarte Motel One Hamburg")


def linked(text: str, link: str) -> str:
    """An entry with a link on its header line, as a beangulp-style importer writes it."""
    head, rest = text.split("\n", 1)
    return f"{head} ^{link}\n{rest}"


def test_a_payment_typed_beside_the_feeds_linked_line_and_paid_again(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        bill("2025-06-02", "Foothills Framing Co.", "2480.00", "Invoice FF-0307",
             invoice="FF-0307"),
        # the feed links each entry to its bank line, no id metadata
        linked(check("2025-06-20", "Foothills Framing Co.", "EFT FF-0307", "2480.00",
                     invoice="FF-0307", tag="feed"), "atb-00093GT2B2CVY"),
        # typed the day before from the online banking confirmation
        check("2025-06-19", "Foothills Framing", "Paid FF-0307 by EFT", "2480.00", tag="typed"),
        # and sent again weeks later: a second line of the feed
        linked(check("2025-07-15", "Foothills Framing Co.", "EFT FF-0307", "2480.00",
                     invoice="FF-0307", tag="again"), "atb-00101KQ7Z3M2P"),
    )  # fmt: skip
    feed, typed, again = (line_of(tmp_path, f'tag: "{t}"') for t in ("feed", "typed", "again"))
    assert sorted(lines_of(found)) == [
        (PAID_TWICE, [feed, again]),
        (ENTERED_TWICE, [typed, feed]),
    ]
