"""`bo dupes`: the demo's planted duplicate payment, each kind's rules, dismissals, bad input.

The generated known-truth set is in test_duplicates_truth.py.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from decimal import Decimal

from beancount.core import data
from beancount.core.amount import Amount
from hypothesis import given, settings
from hypothesis import strategies as st

from bo.books import open_books
from bo.duplicates.find import find_duplicates
from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE, TRANSFER_TWICE, TWO_VENDORS, finding_id
from bo.periods import Period
from bo.settings import Settings
from bo.statements import printed as printed_module
from bo.statements.printed import Printed, PrintedLine, bank_lines
from tests.conftest import PROJECT

SETTINGS = Settings.model_validate(
    {
        "entity": {"name": "Small LLC", "currency": "USD"},
        "accounts": {
            "Assets:Checking": {"role": "bank"},
            "Assets:Savings": {"role": "bank"},
            "Liabilities:Card": {"role": "card"},
            "Liabilities:AP": {"role": "payable"},
            "Expenses:Uncategorized": {"role": "uncategorized"},
        },
    }
)
DAY = date(2025, 3, 3)
LINES = itertools.count(1)


def txn(day, payee, narration, postings, **meta):
    meta = {"filename": "/books.beancount", "lineno": next(LINES), **meta}
    return data.Transaction(
        meta,
        day,
        "*",
        payee,
        narration,
        frozenset(),
        frozenset(),
        [data.Posting(a, Amount(Decimal(n), "USD"), None, None, None, None) for a, n in postings],
    )


def printed(*lines):
    """Statement lines (account, day, amount, text, import id) on March's statements."""
    accounts = sorted({line[0] for line in lines})
    march = [(a, date(2025, 3, 1), date(2025, 3, 31)) for a in accounts]
    return Printed(
        tuple(
            PrintedLine(
                a, d, Decimal(n), "USD", text, frozenset([line_id]) if line_id else frozenset()
            )
            for a, d, n, text, line_id in lines
        ),
        tuple(march),
    )


def coffee(day=DAY, **meta):
    return txn(
        day,
        "Blue Bottle",
        "Coffee",
        [("Expenses:Meals", "6.50"), ("Liabilities:Card", "-6.50")],
        **meta,
    )


def pay(day, payee, amount, account="Assets:Checking", **meta):
    return txn(day, payee, "Payment", [("Liabilities:AP", amount), (account, f"-{amount}")], **meta)


def bill(day, payee, amount, **meta):
    return txn(
        day,
        payee,
        "Bill",
        [("Expenses:Services", amount), ("Liabilities:AP", f"-{amount}")],
        **meta,
    )


def transfer(day, narration="Transfer to savings", **meta):
    return txn(
        day,
        None,
        narration,
        [("Assets:Savings", "1000.00"), ("Assets:Checking", "-1000.00")],
        **meta,
    )


# --- The demo books ----------------------------------------------------------------------------


def test_demo_books_show_exactly_the_planted_duplicate_payment(bo):
    result = bo("dupes", "--json", "--books", str(PROJECT))
    assert result.exit_code == 1
    (dupe,) = json.loads(result.stdout)
    assert dupe["kind"] == "duplicate payment"
    assert dupe["entries"] == ["ledgers/2025.beancount:3407", "ledgers/2025.beancount:3575"]
    assert "same vendor Pixel Print Co, same invoice PP-2025-0016" in dupe["reasons"]
    # The matcher's evidence, not a constant: the two payments are 8 days apart.
    assert {"same amount 1,860.00 USD", "dates 8 days apart", "payee 100% similar"} <= set(
        dupe["reasons"]
    )


def test_each_of_the_fifteen_months_alone_shows_what_the_full_run_shows():
    books = open_books(PROJECT, PROJECT)
    everything = find_duplicates(
        books.ledger.entries, books.settings, statements=bank_lines(books, None), root=PROJECT
    )
    months = [Period(2024, 10), Period(2024, 11), Period(2024, 12)]
    months += [Period(2025, m) for m in range(1, 13)]
    by_month = {}
    for month in months:
        found = find_duplicates(
            books.ledger.entries,
            books.settings,
            period=str(month),
            statements=bank_lines(books, month),
            root=PROJECT,
        )
        by_month[str(month)] = [d.id for d in found]
    assert by_month == {str(m): [] for m in months} | {"2025-09": [everything[0].id]}
    assert len(everything) == 1


def test_a_month_reads_the_statements_it_would_read_without_telling_spans(monkeypatch):
    # bank_lines skips files whose date cells say they are of other months, without
    # reading them; reading every file, as before, keeps the same lines.
    books = open_books(PROJECT, PROJECT)
    months = [Period(2024, 10), Period(2025, 2), Period(2025, 9), Period(2025, 12)]
    quick = {str(m): bank_lines(books, m) for m in months}
    monkeypatch.setattr(printed_module, "statement_span", lambda *args: None)
    assert quick == {str(m): bank_lines(books, m) for m in months}
    assert all(quick[str(m)].lines for m in months)


def test_the_two_identical_coffees_of_the_demo_are_honest_because_the_card_printed_two():
    books = open_books(PROJECT, PROJECT)
    coffees = [
        e
        for e in books.ledger.entries
        if isinstance(e, data.Transaction)
        and e.date == date(2025, 9, 11)
        and e.payee == "Blue Bottle Coffee"
    ]
    assert len(coffees) == 2
    statements = bank_lines(books, Period(2025, 9))
    assert find_duplicates(coffees, books.settings, statements=statements) == []
    # Without the statement nothing tells them apart: they are a question for a person.
    (alone,) = find_duplicates(coffees, books.settings)
    assert alone.kind == ENTERED_TWICE


# --- The CLI -----------------------------------------------------------------------------------


def test_account_filter_keeps_a_finding_whose_other_entry_is_elsewhere(bo):
    # The bill (Expenses/AP) never touches checking; the payments do.
    found = bo("dupes", "--account", "Assets:Bank:Checking", "--json", "--books", str(PROJECT))
    assert found.exit_code == 1
    assert len(json.loads(found.stdout)) == 1
    assert (
        bo("dupes", "--account", "Liabilities:AccountsPayable", "--books", str(PROJECT)).exit_code
        == 1
    )
    other = bo("dupes", "--account", "Expenses:Software", "--json", "--books", str(PROJECT))
    assert (other.exit_code, json.loads(other.stdout)) == (0, [])


def test_an_unknown_account_is_bad_input(bo):
    result = bo("dupes", "--account", "Assets:Nope", "--books", str(PROJECT))
    assert result.exit_code == 2
    assert "Assets:Nope" in result.stderr and "no such account" in result.stderr


def test_reason_without_dismiss_is_bad_input(bo):
    result = bo("dupes", "--reason", "a refund", "--books", str(PROJECT))
    assert result.exit_code == 2
    assert "--reason goes with --dismiss" in result.stderr


def test_a_dismissal_is_remembered_until_the_entries_change(demo, bo):
    (dupe,) = json.loads(bo("dupes", "--json", cwd=demo).stdout)
    assert bo("dupes", "--dismiss", dupe["id"], cwd=demo).exit_code == 2  # no reason given
    assert bo("dupes", "--dismiss", "d-nope", "--reason", "x", cwd=demo).exit_code == 2
    assert not (demo / "dupes").exists()
    done = bo("dupes", "--dismiss", dupe["id"], "--reason", "refund requested", cwd=demo)
    assert done.exit_code == 0
    assert "refund requested" in (demo / "dupes/dismissed.yaml").read_text()
    assert bo("dupes", cwd=demo).exit_code == 0
    # The close's step reads the same file.
    before = (demo / "dupes/dismissed.yaml").read_text()
    again = bo("dupes", "--dismiss", dupe["id"], "--reason", "refund requested", cwd=demo)
    assert again.exit_code == 0 and "dismissed already" in again.stdout
    assert (demo / "dupes/dismissed.yaml").read_text() == before  # safe to run twice
    # Change one of the entries: it is a new question.
    ledger = demo / "ledgers/2025.beancount"
    ledger.write_text(
        ledger.read_text().replace('"ACH payment for PP-2025-0016"', '"ACH for PP-2025-0016"')
    )
    assert bo("dupes", cwd=demo).exit_code == 1


def test_a_dismissal_is_appended_below_what_a_person_wrote(demo, bo):
    (dupe,) = json.loads(bo("dupes", "--json", cwd=demo).stdout)
    mine = (
        "# Sam: Pixel Print's credit memo covers this one\n"
        "dismissed:\n"
        "  - id: d-000000000000\n"
        "    reason: an older question, kept on the record\n"
    )
    (demo / "dupes").mkdir()
    (demo / "dupes/dismissed.yaml").write_text(mine)
    assert bo("dupes", "--dismiss", dupe["id"], "--reason", "credit memo", cwd=demo).exit_code == 0
    text = (demo / "dupes/dismissed.yaml").read_text()
    assert text.startswith(mine)
    assert bo("dupes", cwd=demo).exit_code == 0


BAD_DISMISSALS = [
    ("dismissed:\n  - id: d-8e53ef9fa13d\n    reason: [unclosed\n", 4, "not valid YAML"),
    ("- id: d-8e53ef9fa13d\n  reason: a list at the top\n", 1, "valid dictionary"),
    ("dismissed:\n  - just-a-string\n", 2, "dismissed[0]"),
    ("dismissed:\n  - id: d-8e53ef9fa13d\n    reasn: typo\n", 3, "reasn"),
]


def test_a_broken_dismissals_file_is_bad_input_naming_file_and_line(demo, bo):
    (dupe,) = json.loads(bo("dupes", "--json", cwd=demo).stdout)
    (demo / "dupes").mkdir()
    path = demo / "dupes/dismissed.yaml"
    for text, line, words in BAD_DISMISSALS:
        path.write_text(text)
        listed = bo("dupes", cwd=demo)
        assert listed.exit_code == 2, text
        assert f"dupes/dismissed.yaml:{line}" in listed.stderr and words in listed.stderr, text
        dismissing = bo("dupes", "--dismiss", dupe["id"], "--reason", "x", cwd=demo)
        assert dismissing.exit_code == 2, text
        assert path.read_text() == text  # nothing written


def test_a_period_run_reads_statements_by_their_dates_not_their_names(demo, bo):
    # The card's September export renamed: the two honest coffees of the 11th stay honest.
    (demo / "statements/card/2025-09.csv").rename(demo / "statements/card/export-sept.csv")
    september = bo("dupes", "--period", "2025-09", "--json", cwd=demo)
    full = bo("dupes", "--json", cwd=demo)
    assert json.loads(september.stdout) == json.loads(full.stdout)
    assert len(json.loads(full.stdout)) == 1


# --- Duplicate payments ------------------------------------------------------------------------


def test_a_bill_paid_twice_under_another_spelling_and_invoice_format():
    entries = [
        bill(DAY, "Acme Supply", "840.00", invoice="INV-0042"),
        first := pay(DAY + timedelta(days=20), "Acme Supply", "840.00", invoice="INV-0042"),
        second := pay(DAY + timedelta(days=26), "ACME SUPPLY INC", "840.00", invoice="inv 42"),
    ]
    (dupe,) = find_duplicates(entries, SETTINGS)
    assert (dupe.kind, dupe.id) == (PAID_TWICE, finding_id([first, second]))
    assert "paid 1,680.00 against a bill of 840.00 (840.00 too much)" in dupe.reasons
    assert "dates 6 days apart" in dupe.reasons and "payee 100% similar" in dupe.reasons


def test_a_bill_paid_in_two_parts_is_not_a_duplicate():
    entries = [
        bill(DAY, "Acme Supply", "840.00", invoice="INV-0042"),
        pay(DAY + timedelta(days=10), "Acme Supply", "420.00", invoice="INV-0042"),
        pay(DAY + timedelta(days=12), "Acme Supply", "420.00", invoice="0042"),
    ]
    assert find_duplicates(entries, SETTINGS) == []


def test_one_invoice_paid_twice_with_no_bill_booked():
    first = txn(
        DAY,
        "Bolt Hosting",
        "Hosting",
        [("Expenses:Hosting", "99.00"), ("Liabilities:Card", "-99.00")],
        invoice="BH-7781",
    )
    second = txn(
        DAY + timedelta(days=30),
        "Bolt Hosting LLC",
        "Hosting",
        [("Expenses:Hosting", "99.00"), ("Liabilities:Card", "-99.00")],
        invoice="bh 7781",
    )
    (dupe,) = find_duplicates([first, second], SETTINGS)
    assert dupe.kind == PAID_TWICE and "no bill booked for it" in dupe.reasons


def test_a_vendor_paid_twice_without_reference_even_when_the_bank_printed_both():
    entries = [
        bill(DAY - timedelta(days=30), "Cobalt Legal", "1500.00", invoice="C-1"),
        first := pay(DAY, "Cobalt Legal", "1500.00", account="Liabilities:Card"),
        second := pay(
            DAY + timedelta(days=3), "COBALT LEGAL LLC", "1500.00", account="Liabilities:Card"
        ),
    ]
    statement = printed(
        ("Liabilities:Card", DAY, "-1500.00", "COBALT LEGAL", None),
        ("Liabilities:Card", DAY + timedelta(days=3), "-1500.00", "COBALT LEGAL", None),
    )
    (dupe,) = find_duplicates(entries, SETTINGS, statements=statement)
    assert (dupe.kind, dupe.id) == (PAID_TWICE, finding_id([first, second]))
    assert "the statement of Liabilities:Card shows both: the money left twice" in dupe.reasons


def test_a_weekly_payment_at_one_price_is_a_cadence_and_an_extra_one_is_not():
    weekly = [pay(DAY + timedelta(days=7 * k), "Harbor Cleaning", "180.00") for k in range(5)]
    vendor = bill(DAY - timedelta(days=20), "Harbor Cleaning", "180.00", invoice="H-1")
    assert find_duplicates([vendor, *weekly], SETTINGS) == []
    extra = pay(DAY + timedelta(days=16), "Harbor Cleaning", "180.00")
    (dupe,) = find_duplicates([vendor, *weekly, extra], SETTINGS)
    assert dupe.id == finding_id([weekly[2], extra])  # paired with its nearer neighbour only


def test_one_reference_and_amount_paid_to_two_vendors():
    first = txn(
        DAY,
        "Delta Print",
        "Print run",
        [("Expenses:Printing", "2210.00"), ("Assets:Checking", "-2210.00")],
        invoice="INV-0777",
    )
    second = txn(
        DAY + timedelta(days=9),
        "Echo Media",
        "Print run",
        [("Expenses:Printing", "2210.00"), ("Assets:Checking", "-2210.00")],
        invoice="777",
    )
    (dupe,) = find_duplicates([first, second], SETTINGS)
    assert dupe.kind == TWO_VENDORS
    other = txn(
        DAY + timedelta(days=9),
        "Echo Media",
        "Print run",
        [("Expenses:Printing", "512.00"), ("Assets:Checking", "-512.00")],
        invoice="777",
    )
    assert find_duplicates([first, other], SETTINGS) == []  # their own numbering, not a mix-up


# --- Entered twice -----------------------------------------------------------------------------


def test_two_real_coffees_and_a_third_typed_by_hand():
    cups = [coffee(), coffee()]
    third = coffee()
    two_lines = printed(
        ("Liabilities:Card", DAY, "-6.50", "BLUE BOTTLE", None),
        ("Liabilities:Card", DAY, "-6.50", "BLUE BOTTLE", None),
    )
    assert find_duplicates(cups, SETTINGS, statements=two_lines) == []
    (dupe,) = find_duplicates([*cups, third], SETTINGS, statements=two_lines)
    assert dupe.kind == ENTERED_TWICE
    assert dupe.id in {finding_id([cups[0], third]), finding_id([cups[1], third])}
    assert "the statement of Liabilities:Card shows it once" in dupe.reasons


def test_typed_and_imported_is_found_and_two_lines_of_one_statement_are_not():
    typed = txn(
        DAY, "Staples", "Toner", [("Expenses:Office", "84.20"), ("Liabilities:Card", "-84.20")]
    )
    imported = txn(
        DAY + timedelta(days=2),
        "STAPLES 0042",
        "",
        [("Liabilities:Card", "-84.20"), ("Expenses:Uncategorized", "84.20")],
        **{"import-id": "row:aa:1", "import-source": "statements/card/2025-03.csv:9"},
    )
    (dupe,) = find_duplicates([typed, imported], SETTINGS)
    assert dupe.kind == ENTERED_TWICE
    assert "one typed by hand, one imported from the Liabilities:Card statement" in dupe.reasons
    again = imported._replace(meta={**imported.meta, "import-id": "row:bb:1"})
    assert find_duplicates([imported, again], SETTINGS) == []


def test_entered_twice_five_days_apart_with_a_score_that_falls_with_the_gap():
    near = find_duplicates([coffee(), coffee(DAY + timedelta(days=1))], SETTINGS)
    far = find_duplicates([coffee(), coffee(DAY + timedelta(days=5))], SETTINGS)
    assert len(near) == len(far) == 1
    assert near[0].score > far[0].score
    narrow = SETTINGS.model_copy(
        update={"thresholds": SETTINGS.thresholds.model_copy(update={"duplicate_entry_days": 3})}
    )
    assert find_duplicates([coffee(), coffee(DAY + timedelta(days=5))], narrow) == []


def test_a_refund_is_never_a_duplicate_of_its_purchase():
    refund = txn(
        DAY, "Blue Bottle", "Refund", [("Expenses:Meals", "-6.50"), ("Liabilities:Card", "6.50")]
    )
    assert find_duplicates([coffee(), refund], SETTINGS) == []


# --- Transfers ---------------------------------------------------------------------------------


def test_two_honest_transfers_of_one_amount_days_apart():
    both = [transfer(DAY), transfer(DAY + timedelta(days=3))]
    lines = printed(
        *[("Assets:Checking", t.date, "-1000.00", "ONLINE TRANSFER TO SAV", None) for t in both],
        *[("Assets:Savings", t.date, "1000.00", "ONLINE TRANSFER FROM CHK", None) for t in both],
    )
    assert find_duplicates(both, SETTINGS, statements=lines) == []


def test_a_transfer_imported_from_both_statements():
    out = txn(
        DAY,
        None,
        "ONLINE TRANSFER TO SAV",
        [("Assets:Checking", "-1000.00"), ("Assets:Savings", "1000.00")],
        **{"import-id": "row:c:1", "import-source": "statements/checking/2025-03.csv:3"},
    )
    back = txn(
        DAY + timedelta(days=1),
        None,
        "ONLINE TRANSFER FROM CHK",
        [("Assets:Savings", "1000.00"), ("Assets:Checking", "-1000.00")],
        **{"import-id": "row:s:1", "import-source": "statements/savings/2025-03.csv:7"},
    )
    (dupe,) = find_duplicates([out, back], SETTINGS)
    assert dupe.kind == TRANSFER_TWICE


def test_a_transfer_whose_other_side_went_to_uncategorized():
    typed = transfer(DAY)
    imported = txn(
        DAY + timedelta(days=1),
        "ONLINE TRANSFER FROM CHK",
        "",
        [("Assets:Savings", "1000.00"), ("Expenses:Uncategorized", "-1000.00")],
        **{"import-id": "row:s:1", "import-source": "statements/savings/2025-03.csv:7"},
    )
    lines = printed(
        ("Assets:Checking", DAY, "-1000.00", "ONLINE TRANSFER TO SAV", None),
        (
            "Assets:Savings",
            DAY + timedelta(days=1),
            "1000.00",
            "ONLINE TRANSFER FROM CHK",
            "row:s:1",
        ),
    )
    (dupe,) = find_duplicates([typed, imported], SETTINGS, statements=lines)
    assert dupe.kind == TRANSFER_TWICE
    assert "the statement of Assets:Savings shows it once" in dupe.reasons


def test_a_rent_payment_of_a_transfers_amount_is_not_a_transfer_booked_twice():
    rent = txn(
        DAY,
        "Harbor Properties",
        "Rent",
        [("Expenses:Rent", "1000.00"), ("Assets:Checking", "-1000.00")],
    )
    assert find_duplicates([transfer(DAY), rent], SETTINGS) == []


# --- Properties --------------------------------------------------------------------------------

AMOUNTS = st.sampled_from(["6.50", "84.20", "1000.00", "1860.00"])
PAYEES = st.sampled_from(["Blue Bottle", "BLUE BOTTLE 0412", "Acme Supply", "ACME SUPPLY INC"])


@st.composite
def ledgers(draw):
    entries = []
    for n in range(draw(st.integers(0, 12))):
        day = DAY + timedelta(days=draw(st.integers(0, 20)))
        amount, payee = draw(AMOUNTS), draw(PAYEES)
        account = draw(st.sampled_from(["Assets:Checking", "Liabilities:Card"]))
        sign = draw(st.sampled_from(["", "-"]))
        meta = {"lineno": n + 1}
        if draw(st.booleans()):
            meta["invoice"] = draw(st.sampled_from(["INV-0042", "inv 42", "43"]))
        counter = draw(st.sampled_from(["Liabilities:AP", "Expenses:Office"]))
        other = "" if sign else "-"
        entries.append(
            txn(
                day,
                payee,
                "x",
                [(counter, f"{other}{amount}"), (account, f"{sign}{amount}")],
                **meta,
            )
        )
    return entries


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.randoms(use_true_random=False))
def test_property_findings_do_not_depend_on_the_order_of_entries(entries, rng):
    shuffled = list(entries)
    rng.shuffle(shuffled)
    assert find_duplicates(entries, SETTINGS) == find_duplicates(shuffled, SETTINGS)


@settings(max_examples=60, deadline=None)
@given(ledgers())
def test_property_a_finding_never_pairs_money_in_with_money_out(entries):
    for dupe in find_duplicates(entries, SETTINGS):
        lines = {int(where.rsplit(":", 1)[1]) for where in dupe.entries}
        members = [e for e in entries if e.meta["lineno"] in lines]
        signs = {
            p.units.number > 0
            for e in members
            for p in e.postings
            if p.account in ("Assets:Checking", "Liabilities:Card")
        }
        assert len(signs) == 1


def test_the_readme_shows_what_bo_dupes_prints(bo):
    readme = (PROJECT / "README.md").read_text()
    shown = readme.split("$ bo dupes --period 2025-09\n", 1)[1].split("```", 1)[0]
    assert bo("dupes", "--period", "2025-09", "--books", str(PROJECT)).stdout == shown


# --- Books bo did not write: other importers' ids, links, no roles, vendors, instalments ----


def test_other_importers_ids_tell_identical_purchases_apart_and_find_the_twin_imported_twice():
    # Two honest coffees, each with the card's id under another importer's key; the second
    # downloaded twice. Only the second and its copy are one line.
    one = coffee(txn_id="CC-1001")
    two = coffee(txn_id="CC-1002")
    again = coffee(txn_id="CC-1002")
    (dupe,) = find_duplicates([one, two, again], SETTINGS)
    assert dupe.kind == "same bank line imported twice"
    assert dupe.id == finding_id([two, again])
    assert "same txn_id CC-1002: one statement line, 2 entries" in dupe.reasons


def test_a_link_naming_the_bank_line_is_its_id_but_a_shared_invoice_link_is_not():
    via_key = coffee(bank_id="AB123456")
    via_link = coffee()._replace(links=frozenset({"cc-ab123456"}))
    (dupe,) = find_duplicates([via_key, via_link], SETTINGS)
    assert dupe.kind == "same bank line imported twice"
    # A bill and its two instalments share the invoice's link: no line twice.
    parts = [
        pay(DAY + timedelta(days=14 * n), "Pixel Print", "500.00")._replace(
            links=frozenset({"inv-2025-0016"}), narration=f"Invoice 2025-0016 part {n} of 2"
        )
        for n in (1, 2)
    ]
    billed = bill(DAY, "Pixel Print", "1000.00")._replace(links=frozenset({"inv-2025-0016"}))
    assert find_duplicates([billed, *parts], SETTINGS) == []


def test_equal_instalments_are_not_a_bill_paid_twice_but_a_part_paid_twice_is():
    def part(day, words, **meta):
        entry = pay(day, "Pixel Print Co", "900.00", invoice="PP-0016", **meta)
        return entry._replace(narration=f"PP-0016 {words}")

    first, second = part(DAY, "part 1 of 2"), part(DAY + timedelta(days=14), "part 2 of 2")
    assert find_duplicates([first, second], SETTINGS) == []
    again = part(DAY + timedelta(days=20), "part 2 of 2")
    (dupe,) = find_duplicates([first, second, again], SETTINGS)
    assert dupe.kind == PAID_TWICE and dupe.id == finding_id([second, again])


def test_an_abbreviated_payee_is_the_same_vendor_and_a_namesake_is_another():
    billed = bill(DAY, "Northwest Mechanical Contractors Inc", "1200.00", invoice="NMC-88")
    paid = pay(
        DAY + timedelta(days=10),
        "Northwest Mechanical Contractors Inc",
        "1200.00",
        invoice="NMC-88",
    )
    again = pay(DAY + timedelta(days=30), "NW Mechanical", "1200.00", invoice="nmc 88")
    (dupe,) = find_duplicates([billed, paid, again], SETTINGS)
    assert dupe.kind == PAID_TWICE
    dairy = pay(DAY, "Green Valley Dairy", "412.00")
    produce = pay(DAY + timedelta(days=2), "Green Valley Produce", "412.00")
    assert find_duplicates([dairy, produce], SETTINGS) == []


def test_one_entry_typed_again_and_paid_again_is_two_findings():
    paid = pay(DAY, "Harbor Cleaning", "640.00", invoice="HC-7")
    typed = pay(DAY + timedelta(days=1), "Harbor Cleaning", "640.00")
    later = pay(DAY + timedelta(days=25), "Harbor Cleaning", "640.00", invoice="HC-7")
    statements = printed(
        ("Assets:Checking", DAY, "-640.00", "HARBOR CLEANING", None),
        ("Assets:Checking", DAY + timedelta(days=25), "-640.00", "HARBOR CLEANING", None),
    )
    found = find_duplicates([paid, typed, later], SETTINGS, statements=statements)
    assert {(d.kind, d.id) for d in found} == {
        (ENTERED_TWICE, finding_id([paid, typed])),
        (PAID_TWICE, finding_id([paid, later])),
    }


def test_empty_twins_are_reported_and_say_what_evidence_is_missing():
    fee = [txn(DAY, None, "", [("Expenses:Fees", "25.00"), ("Assets:Checking", "-25.00")])] * 2
    fees = [fee[0], fee[1]._replace(meta={**fee[1].meta, "lineno": next(LINES)})]
    (dupe,) = find_duplicates(fees, SETTINGS)
    assert dupe.kind == ENTERED_TWICE and dupe.score < 1.0
    assert dupe.missing == (
        "no statement of Assets:Checking covers these dates",
        "neither entry carries a bank line id",
    )
    # Net pay of two people on one day is two payments, not one typed twice.
    jamie = txn(
        DAY,
        "Gusto",
        "Net pay Jamie Lee",
        [("Expenses:Wages", "2140.55"), ("Assets:Checking", "-2140.55")],
    )
    marco = txn(
        DAY,
        "Gusto",
        "Net pay Marco Ortiz",
        [("Expenses:Wages", "2140.55"), ("Assets:Checking", "-2140.55")],
    )
    assert find_duplicates([jamie, marco], SETTINGS) == []


def test_transfers_are_found_without_roles_and_the_missing_roles_are_said_once(tmp_path, bo):
    (tmp_path / "bo.yaml").write_text("entity: {name: Bare LLC, currency: EUR}\n")
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text(
        'option "name_assets" "Actifs"\n'
        'option "operating_currency" "EUR"\n'
        "2025-01-01 open Actifs:Banque EUR\n2025-01-01 open Actifs:Epargne EUR\n"
        "2025-01-01 open Equity:Opening EUR\n\n"
        '2025-03-03 * "Virement epargne"\n  Actifs:Epargne  500.00 EUR\n  Actifs:Banque\n\n'
        '2025-03-04 * "VIREMENT RECU"\n  Actifs:Epargne  500.00 EUR\n  Actifs:Banque\n'
    )
    result = bo("dupes", "--json", cwd=tmp_path)
    (dupe,) = json.loads(result.stdout)
    assert dupe["kind"] in (TRANSFER_TWICE, ENTERED_TWICE), dupe
    assert result.stderr.count("no account the role bank, card or processor") == 1
    assert result.stderr.count("no account the role payable") == 1


def test_a_second_scan_over_unchanged_books_answers_from_the_cache(demo, bo, ledger_untouched):
    first = bo("dupes", "--json", cwd=demo)
    assert first.exit_code == 1
    with ledger_untouched():
        again = bo("dupes", "--json", cwd=demo)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    statement = demo / "statements/card/2025-09.csv"
    statement.write_text(statement.read_text() + "\n")
    with ledger_untouched():
        assert bo("dupes", "--json", cwd=demo).exit_code == 70  # it went for the ledger
