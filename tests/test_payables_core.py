"""The payables core without files: terms, bill lines, approval bands."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bo.errors import BadInputError
from bo.payables.approvals import Bill, need_of
from bo.payables.bills import parse_line
from bo.payables.parties import parse_terms
from bo.payables.payrun import Payment, _apply_credits
from bo.settings import Settings

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


@given(st.integers(0, 365), st.integers(0, 90), st.decimals("0.1", "9.9", places=1))
def test_terms_give_the_due_date_and_the_discount_window(days, within, pct):
    issued = date(2026, 3, 1)
    assert parse_terms(f"net {days}").due(issued) == issued + timedelta(days=days)
    terms = parse_terms(f"{pct}/{within} Net {days}")
    assert terms.discount_pct == pct
    assert terms.discount_until(issued) == issued + timedelta(days=within)
    assert parse_terms(f"net {days}").discount_until(issued) is None


@pytest.mark.parametrize("text", ["30 days", "net", "2/10", "net thirty", "n30"])
def test_terms_in_another_form_are_refused_with_the_expected_one(text):
    with pytest.raises(ValueError, match="terms like `net 30`"):
        parse_terms(text)


@given(money, st.sampled_from(["", " USD", " EUR"]))
def test_a_line_reads_back_its_account_amount_and_currency(number, currency):
    account, amount, cur = parse_line(f"Expenses:Office={number:,}{currency}", None)
    assert (account, amount, cur) == ("Expenses:Office", number, currency.strip() or None)
    assert parse_line(f"{number}", "Expenses:Rent")[:2] == ("Expenses:Rent", number)


@pytest.mark.parametrize(
    "text", ["Expenses:Office=abc", "=400", "400", "expenses=4", "Expenses:Office=1 2 3", "X=NaN"]
)
def test_a_bad_line_is_bad_input(text):
    with pytest.raises(BadInputError):
        parse_line(text, None)


SETTINGS = Settings.model_validate(
    {
        "entity": {"name": "T"},
        "approvals": {
            "new_vendor_approvers": 2,
            "bands": [
                {"above": "0.00 USD", "approvers": 1, "roles": ["controller"]},
                {"above": "5000.00 USD", "approvers": 2, "roles": ["owner"]},
                {"above": "100.00 USD", "approvers": 3, "accounts": ["Expenses:Legal"]},
            ],
            "since": "2026-01-01",
        },
    }
)


def bill(amount: str, account: str = "Expenses:Office", day: date = date(2026, 2, 1)) -> Bill:
    return Bill("V", "1", day, None, Decimal(amount), "USD", (account,), None, None)  # type: ignore[arg-type]


def test_the_highest_band_a_bill_passes_decides_and_new_vendors_need_two():
    assert need_of(SETTINGS, bill("50.00"), False).count == 1
    assert need_of(SETTINGS, bill("5000.00"), False).roles == ("controller",)
    assert need_of(SETTINGS, bill("5000.01"), False).roles == ("owner",)
    assert need_of(SETTINGS, bill("150.00", "Expenses:Legal"), False).count == 3
    assert need_of(SETTINGS, bill("150.00", "Expenses:Legal"), True).count == 3
    assert need_of(SETTINGS, bill("50.00"), True).count == 2
    assert need_of(SETTINGS, bill("9000.00", day=date(2025, 12, 31)), True).count == 0


@given(money, st.lists(money, max_size=4))
def test_credit_notes_cover_a_payment_up_to_what_it_owes_and_no_further(owed, notes):
    payment = Payment(bill(str(owed)), None, owed, owed, Decimal(0), "due")  # type: ignore[arg-type]
    credits = [(f"CN-{i}", amount) for i, amount in enumerate(notes)]
    paid = _apply_credits(payment, credits)
    taken = sum((amount for _, amount in paid.credits), Decimal(0))
    assert paid.amount + taken == owed
    assert paid.amount == max(Decimal(0), owed - sum(notes, Decimal(0)))
    assert all(amount <= dict(credits)[number] for number, amount in paid.credits)
    assert (paid is payment) == (not paid.credits)
