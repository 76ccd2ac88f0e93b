"""`bo dupes` on causes an independent truth set found, each a rule a bookkeeper states: the
duplicate, beside the honest look-alike that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

from bo.duplicates import PAID_TWICE
from tests.test_duplicates_third_party import bill, dupes, entry, line_of, lines_of, paid

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
