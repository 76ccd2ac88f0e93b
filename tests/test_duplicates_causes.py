"""`bo dupes` on causes an independent truth set found, each a rule a bookkeeper states: the
duplicate, beside the honest look-alike that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

import json

import pytest

from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE, TRANSFER_TWICE
from tests.test_duplicates_third_party import OPEN, bill, dupes, entry, line_of, lines_of, paid

# --- What is owed under one invoice number ----------------------------------------------------


def test_a_bill_entered_twice_makes_no_room_for_its_second_payment(bo, tmp_path):
    """Entering a bill twice does not make it owed twice: paying both is paying it twice."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-03-01", "Elektro Schulz", "1480.25", invoice="R2025/188", tag="bill1"),
        bill("2025-03-09", "Elektro Schulz", "1480.25", invoice="2025188", tag="bill2"),
        paid("2025-03-20", "Elektro Schulz", "1480.25", "Payment", invoice="R2025/188", tag="p1"),
        paid("2025-04-25", "Elektro Schulz", "1480.25", "Payment", invoice="2025188", tag="p2"),
    )
    assert (
        PAID_TWICE,
        [line_of(tmp_path, 'tag: "p1"'), line_of(tmp_path, 'tag: "p2"')],
    ) in lines_of(found)


def test_a_credit_note_and_a_vendors_refund_are_no_second_payment(bo, tmp_path):
    """Bill, payment, credit note for returned goods, the vendor's refund: all honest."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-03-01", "Grainger", "786.22", invoice="9401310"),
        paid("2025-03-10", "Grainger", "786.22", "Payment 9401310", invoice="9401310"),
        entry(
            "2025-03-14",
            "Grainger",
            "Credit memo for 9401310 (returned goods)",
            ("Liabilities:AP", "786.22"),
            ("Expenses:Services", "-786.22"),
            invoice="9401310",
        ),
        entry(
            "2025-03-20",
            "Grainger",
            "Refund 9401310",
            ("Assets:BofA:Checking", "786.22"),
            ("Liabilities:AP", "-786.22"),
            invoice="9401310",
        ),
    )
    assert found == []


# --- Who the vendor is, and which number the invoice is ----------------------------------------


def test_a_bill_entered_again_under_the_banks_spelling_acronym_or_legal_name(bo, tmp_path):
    """Würth as WUERTH, Puget Sound Energy as PSE, Ferguson Supply as FERGUSON ENTERPRISES,
    and the vendor's letters dropped from the number: each one bill entered twice."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-04-01", "Würth Handelsgesellschaft", "573.18", invoice="44100229", tag="w1"),
        bill("2025-04-02", "WUERTH HANDELSGES.", "573.18", invoice="Nr. 44100229", tag="w2"),
        bill("2025-05-03", "Puget Sound Energy", "605.12", invoice="200445300", tag="p1"),
        bill("2025-05-06", "PSE", "605.12", invoice="INV-200445300", tag="p2"),
        bill("2025-06-08", "Ferguson Supply", "3155.32", invoice="FS-20583", tag="f1"),
        bill("2025-06-15", "FERGUSON ENTERPRISES", "3155.32", invoice="20583", tag="f2"),
        bill("2025-07-09", "Metro Waste Services", "450.00", invoice="MW-8958", tag="m1"),
        bill("2025-07-15", "Metro Waste Services", "450.00", invoice="8958", tag="m2"),
    )
    pairs = [("w1", "w2"), ("p1", "p2"), ("f1", "f2"), ("m1", "m2")]
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, f'tag: "{a}"'), line_of(tmp_path, f'tag: "{b}"')])
        for a, b in pairs
    ]


def test_a_family_name_an_acronym_or_a_vendors_letters_alone_join_nothing(bo, tmp_path):
    """Two vendors of one family name with their own numbers, a namesake acronym's bill, and
    the same digits under two vendors' letters at different amounts: all honest."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-04-01", "Ferguson Supply", "3155.32", invoice="FS-20583"),
        bill("2025-04-03", "Ferguson Legal", "900.00", invoice="20584"),
        bill("2025-05-03", "Puget Sound Energy", "605.12", invoice="200445300"),
        bill("2025-05-06", "PSE", "605.12", invoice="200445301"),
        bill("2025-06-08", "Metro Waste Services", "450.00", invoice="MW-8958"),
        bill("2025-06-09", "Metro Waste Services", "450.00", invoice="MW-8959"),
        bill("2025-07-09", "Apex Electric", "4550.79", invoice="AE-547"),
        bill("2025-07-10", "Bay Plumbing", "1200.00", invoice="BP-547"),
    )
    assert found == []


# --- A payment's narration read against the numbers the books know ----------------------------


def test_a_second_payment_naming_the_bills_number_bare_is_found(bo, tmp_path):
    """ "Check 2132 - 20430" pays Ferguson's FS-20430 again: the number is the bill's."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-10-20", "Ferguson Supply", "5713.44", invoice="FS-20430"),
        paid(
            "2025-11-01", "Ferguson Supply", "5713.44", "Check 1982 - FS-20430", invoice="FS-20430"
        ),
        paid("2025-12-05", "FERGUSON ENTERPRISES", "5713.44", "Check 2132 - 20430"),
    )
    assert lines_of(found) == [
        (
            PAID_TWICE,
            [line_of(tmp_path, "Check 1982"), line_of(tmp_path, "Check 2132")],
        )
    ]


def test_a_check_number_equal_to_another_bills_number_names_no_invoice(bo, tmp_path):
    """Check 1198 pays bill 1250; that 1198 is also an earlier bill's number is chance."""
    found = dupes(
        bo,
        tmp_path,
        bill("2025-02-01", "Apex Electric", "800.00", invoice="1198"),
        paid("2025-02-10", "Apex Electric", "800.00", "Payment INV-1198", invoice="1198"),
        bill("2025-03-01", "Apex Electric", "800.00", invoice="1250"),
        paid("2025-03-10", "Apex Electric", "800.00", "Check 1198 - 1250"),
        bill("2025-03-02", "Bay Plumbing", "800.00", invoice="BP-77"),
        paid("2025-03-12", "Bay Plumbing", "800.00", "Payment 1198"),
    )
    assert found == []


# --- A transfer's narrations name its own accounts ----------------------------------------------


def _moved(day: str, narration: str, amount: str, first: str, second: str) -> str:
    return entry(day, "", narration, (first, f"-{amount}"), (second, amount))


@pytest.mark.parametrize(
    ("first", "second", "far"),
    [
        # the words that differ name the two accounts, not two transfers
        ("Umbuchung Payroll", "Umbuchung von Checking", "Assets:Payroll"),
        # a direction says how one movement is seen
        ("Transfer", "Transfer in", "Assets:Ally:Savings"),
    ],
)
def test_one_transfer_narrated_from_each_side_is_one_transfer(bo, tmp_path, first, second, far):
    found = dupes(
        bo,
        tmp_path,
        _moved("2025-06-26", first, "10470.40", "Assets:BofA:Checking", far),
        _moved("2025-06-28", second, "10470.40", "Assets:BofA:Checking", far),
    )
    assert [kind for kind, _ in lines_of(found)] == [TRANSFER_TWICE]


def test_two_transfers_naming_two_people_stay_two(bo, tmp_path):
    checking, payroll = "Assets:BofA:Checking", "Assets:Payroll"
    found = dupes(
        bo,
        tmp_path,
        _moved("2025-06-26", "Transfer to Payroll for Jamie", "1500.00", checking, payroll),
        _moved("2025-06-27", "Transfer to Payroll for Marco", "1500.00", checking, payroll),
    )
    assert found == []


# --- Two purchases a person told apart in words -------------------------------------------------


def _card(day: str, payee: str, narration: str, amount: str) -> str:
    return entry(
        day, payee, narration, ("Expenses:Meals", amount), ("Liabilities:Card", f"-{amount}")
    )


def test_two_coffees_told_apart_in_words_are_two_coffees(bo, tmp_path):
    """Typed by hand, no ids, no statement: "Coffee" and "Coffee with Sam", "Kaffee" and
    "Kaffee (2)" say a person wrote two purchases."""
    found = dupes(
        bo,
        tmp_path,
        _card("2025-09-28", "Blue Bottle Coffee", "Coffee", "5.25"),
        _card("2025-09-28", "Blue Bottle Coffee", "Coffee with Sam", "5.25"),
        _card("2025-02-16", "CAFE DICHTL", "Kaffee", "6.40"),
        _card("2025-02-16", "CAFE DICHTL", "Kaffee (2)", "6.40"),
    )
    assert found == []


def test_one_purchase_typed_again_in_the_same_or_other_words_is_still_found(bo, tmp_path):
    """Typed again with the same words, other words, or the invoice's number added: nothing
    tells a second purchase apart."""
    found = dupes(
        bo,
        tmp_path,
        _card("2025-09-28", "Blue Bottle Coffee", "Coffee", "5.25"),
        _card("2025-09-28", "Blue Bottle Coffee", "Coffee", "5.25"),
        _card("2025-03-03", "Office Depot", "receipt", "61.17"),
        _card("2025-03-04", "Office Depot", "supplies", "61.17"),
        entry(
            "2025-04-07",
            "Harbor Cleaning",
            "Payment",
            ("Expenses:Services", "640.00"),
            ("Assets:BofA:Checking", "-640.00"),
        ),
        entry(
            "2025-04-08",
            "Harbor Cleaning",
            "Payment INV-0042",
            ("Expenses:Services", "640.00"),
            ("Assets:BofA:Checking", "-640.00"),
        ),
    )
    assert [kind for kind, _ in lines_of(found)] == [ENTERED_TWICE] * 3


# --- Payables found by their bills when bo.yaml names none ---------------------------------------

GERMAN = """\
option "name_assets" "Aktiva"
option "name_liabilities" "Passiva"
option "name_equity" "Eigenkapital"
option "name_income" "Ertrag"
option "name_expenses" "Aufwand"
2025-01-01 open Aktiva:Bank:Giro EUR
2025-01-01 open Passiva:Verbindlichkeiten EUR
2025-01-01 open Passiva:Kreditkarte EUR
2025-01-01 open Aufwand:Material EUR
2025-01-01 open Eigenkapital:Start EUR

"""


def _eur(day: str, payee: str, narration: str, *postings: tuple[str, str], **meta: str) -> str:
    return entry(day, payee, narration, *postings, **meta).replace(" USD\n", " EUR\n")


def _rechnung(day: str, vendor: str, amount: str, number: str) -> str:
    owed = ("Passiva:Verbindlichkeiten", f"-{amount}")
    return _eur(day, vendor, f"Eingangsrechnung {number}", ("Aufwand:Material", amount), owed)


def _zahlung(day: str, vendor: str, amount: str, number: str) -> str:
    paying = ("Passiva:Verbindlichkeiten", amount), ("Aktiva:Bank:Giro", f"-{amount}")
    return _eur(day, vendor, f"Zahlung Rechnung {number}", *paying, invoice=number)


def test_books_without_roles_have_their_payables_found_by_their_bills(bo, tmp_path):
    """No roles in bo.yaml, German root names: the liability bills are credited to is the
    payables. A bill entered twice and a bill paid twice are found; a bill and its payment,
    a card's purchases and its payment are not duplicates."""
    (tmp_path / "bo.yaml").write_text("entity: {name: Holzwerk GmbH, currency: EUR}\n")
    (tmp_path / "ledgers").mkdir()
    card = ("Passiva:Kreditkarte", "-64.00")
    (tmp_path / "ledgers/main.beancount").write_text(
        GERMAN
        + _rechnung("2025-01-06", "Holzhandel Meier", "705.67", "RE-2025-1252")
        + _zahlung("2025-02-14", "Holzhandel Meier", "705.67", "RE-2025-1252")
        + _rechnung("2025-01-21", "Remondis Entsorgung", "210.00", "RE-2025-348")
        + _rechnung("2025-01-22", "Remondis Entsorgung", "210.00", "2025-348")
        + _rechnung("2025-04-01", "Würth", "573.18", "44100229")
        + _zahlung("2025-04-20", "Würth", "573.18", "44100229")
        + _zahlung("2025-05-25", "Würth", "573.18", "44100229")
        + _eur("2025-03-02", "Baumarkt", "Schrauben", ("Aufwand:Material", "64.00"), card)
        + _eur("2025-03-20", "Baumarkt", "Farbe", ("Aufwand:Material", "64.00"), card)
        + _eur(
            "2025-03-31",
            "Sparkasse",
            "Abrechnung Kreditkarte",
            ("Passiva:Kreditkarte", "128.00"),
            ("Aktiva:Bank:Giro", "-128.00"),
        )
    )
    result = bo("dupes", "--json", cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    found = json.loads(result.stdout)
    assert sorted(lines_of(found)) == sorted(
        [
            (ENTERED_TWICE, [line_of(tmp_path, "RE-2025-348"), line_of(tmp_path, " 2025-348")]),
            (
                PAID_TWICE,
                [line_of(tmp_path, "2025-04-20"), line_of(tmp_path, "2025-05-25")],
            ),
        ]
    )


def test_a_purchase_typed_and_imported_under_a_glued_shortened_name(bo, tmp_path):
    """WHOLEFDS HOB 10233 is Whole Foods shortened and glued by the bank; WHOLESALE FLOORS is
    another merchant beginning alike."""
    found = dupes(
        bo,
        tmp_path,
        _card("2025-02-24", "Whole Foods", "groceries", "39.22"),
        entry(
            "2025-02-26",
            "WHOLEFDS HOB 10233",
            "",
            ("Expenses:Meals", "39.22"),
            ("Liabilities:Card", "-39.22"),
            fitid="400125",
        ),
        _card("2025-05-12", "Whole Foods", "groceries", "84.10"),
        entry(
            "2025-05-13",
            "WHOLESALE FLOORS 7",
            "",
            ("Expenses:Meals", "84.10"),
            ("Liabilities:Card", "-84.10"),
            fitid="400321",
        ),
    )
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, "2025-02-24"), line_of(tmp_path, "2025-02-26")])
    ]


# --- Document numbers under any key ------------------------------------------------------------


def test_two_receipts_numbered_apart_under_any_key_are_two_and_one_number_twice_is_one(
    bo, tmp_path
):
    """`receipt_no` 1001 and 1002: two receipts, however alike; 1001 twice: one typed twice."""
    found = dupes(
        bo,
        tmp_path,
        entry(
            "2025-06-03",
            "Corner Deli",
            "Lunch",
            ("Expenses:Meals", "14.50"),
            ("Liabilities:Card", "-14.50"),
            receipt_no="1001",
        ),
        entry(
            "2025-06-03",
            "Corner Deli",
            "Lunch",
            ("Expenses:Meals", "14.50"),
            ("Liabilities:Card", "-14.50"),
            receipt_no="1002",
        ),
        entry(
            "2025-07-08",
            "Corner Deli",
            "Lunch",
            ("Expenses:Meals", "23.75"),
            ("Liabilities:Card", "-23.75"),
            receipt_no="1187",
            tag="a",
        ),
        entry(
            "2025-07-09",
            "Corner Deli",
            "Lunch",
            ("Expenses:Meals", "23.75"),
            ("Liabilities:Card", "-23.75"),
            receipt_no="1187",
            tag="b",
        ),
    )
    assert lines_of(found) == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "a"'), line_of(tmp_path, 'tag: "b"')])
    ]


def test_a_template_payable_role_on_an_unused_account_does_not_hide_the_payables(bo, tmp_path):
    """bo.yaml kept from the template names Liabilities:AccountsPayable, which the books
    never post to; their payables are Liabilities:AP, found by their bills."""
    (tmp_path / "bo.yaml").write_text(
        "entity: {name: Third Party LLC, currency: USD}\n"
        "accounts:\n"
        "  Assets:BofA:Checking: {role: bank}\n"
        "  Liabilities:AccountsPayable: {role: payable}\n"
        "  Assets:AccountsReceivable: {role: receivable}\n"
    )
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text(
        OPEN
        + "2025-01-01 open Liabilities:AccountsPayable USD\n"
        + "2025-01-01 open Assets:AccountsReceivable USD\n\n"
        + bill("2025-02-01", "Harbor Cleaning", "640.00", invoice="INV-1042")
        + paid("2025-02-20", "Harbor Cleaning", "640.00", "Payment INV-1042", invoice="INV-1042")
        + bill("2025-03-01", "Apex Electric", "4550.79", invoice="AE-547")
        + paid("2025-03-20", "Apex Electric", "4550.79", "Payment AE-547", invoice="AE-547")
        + paid("2025-04-22", "Apex Electric", "4550.79", "Payment 547", tag="again")
    )
    result = bo("dupes", "--json", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert lines_of(found) == [
        (PAID_TWICE, [line_of(tmp_path, "Payment AE-547"), line_of(tmp_path, 'tag: "again"')])
    ]


def test_the_account_bills_are_paid_from_is_a_bank_without_a_role(bo, tmp_path):
    """One bank account, no transfers, no roles: it pays the bills, so a vendor paid twice
    from it days apart is found; the next month's payment of that amount is not."""
    (tmp_path / "bo.yaml").write_text("entity: {name: One Bank LLC, currency: USD}\n")
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text(
        OPEN
        + bill("2025-02-01", "Harbor Cleaning", "640.00", invoice="INV-1042")
        + paid("2025-02-20", "Harbor Cleaning", "640.00", "Payment INV-1042", invoice="INV-1042")
        + bill("2025-03-01", "Harbor Cleaning", "640.00", invoice="INV-1043")
        + paid("2025-03-20", "Harbor Cleaning", "640.00", "Payment", tag="first")
        + paid("2025-03-23", "HARBOR CLEANING SVCS", "640.00", "ACH", tag="again")
    )
    found = json.loads(bo("dupes", "--json", cwd=tmp_path).stdout)
    assert lines_of(found) == [
        (PAID_TWICE, [line_of(tmp_path, 'tag: "first"'), line_of(tmp_path, 'tag: "again"')])
    ]
