"""`bo dupes` on documents and pay that no statement settles: an insurer's claim typed again
under its number written otherwise, a work order recharged twice, a credit note posted twice,
a deposit booked from the lease and again on arrival, one person's net pay sent twice; each
beside the honest look-alike that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

import pytest

from bo.duplicates.model import ENTERED_TWICE, PAID_TWICE
from bo.duplicates.renumbered import document_number
from bo.duplicates.wages import pay_accounts
from bo.duplicates.wording import named_apart, shared_number
from tests.test_duplicates_third_party import dupes, entry, line_of, lines_of

ROLES = """\
entity: {name: Creekside Vets, currency: USD}
matching:
  line_id_keys: [bank_ref]
accounts:
  Assets:Bank:Operating: {role: bank}
  Assets:Receivable:Insurers: {role: receivable}
  Assets:Receivable:Clients: {role: receivable}
  Liabilities:Payroll:NetPay: {role: payroll_liabilities}
  Liabilities:GST: {role: sales_tax}
  Liabilities:Card: {role: card}
"""
OPEN = (
    "".join(
        f"2025-01-01 open {account} USD\n"
        for account in (
            "Assets:Bank:Operating",
            "Assets:Receivable:Insurers",
            "Assets:Receivable:Clients",
            "Liabilities:Payroll:NetPay",
            "Liabilities:GST",
            "Liabilities:Card",
            "Liabilities:Deposits",
            "Liabilities:OwnerFunds:Lind",
            "Liabilities:OwnerFunds:Ekholm",
            "Income:Surgery",
            "Income:Recharges",
            "Income:Rent",
            "Income:Rebates",
            "Expenses:Wages",
            "Expenses:Hardware",
        )
    )
    + "\n"
)


def found_in(bo, tmp_path, *entries: str) -> list:
    return lines_of(dupes(bo, tmp_path, *entries, roles=ROLES, opened=OPEN))


def claim(day: str, insurer: str, narration: str, amount: str, gst: str = "", **meta) -> str:
    """A gap-free claim raised to an insurer: its GST split out, or not (typed by hand)."""
    net = f"-{amount}" if not gst else f"-{float(amount) - float(gst):.2f}"
    postings = [("Assets:Receivable:Insurers", amount), ("Income:Surgery", net)]
    if gst:
        postings.append(("Liabilities:GST", f"-{gst}"))
    return entry(day, insurer, narration, *postings, **meta)


# Claims the practice raised all year, each under its own number: the books' evidence that
# `claim` names each document by its own number.
BACKGROUND = [
    claim(f"2025-0{m}-0{d}", "PetCover", f"Gap-free claim PC-3000{m}{d}", f"{m}{d}0.00",
          claim=f"PC-3000{m}{d}")
    for m in (1, 2) for d in (2, 3, 4)
]  # fmt: skip


@pytest.mark.parametrize(
    ("number", "narration"),
    [
        ("204819", "Claim 204819 Daisy gap"),
        ("KPI 204819", "Claim KPI 204819 Daisy gap"),
        ("KPI204819", "Claim Daisy gap"),
        (None, "Claim 204819 Daisy gap"),
    ],
)
def test_a_claim_typed_again_under_its_number_written_otherwise(bo, tmp_path, number, narration):
    copy = {"claim": number} if number else {}
    found = found_in(
        bo,
        tmp_path,
        *BACKGROUND,
        claim("2025-03-20", "Kanga Pet Insurance", "Gap-free claim KPI-204819 - Daisy",
              "1929.60", "175.42", claim="KPI-204819", tag="raised"),
        # typed again without the GST split, days later
        claim("2025-03-24", "Kanga Pet Insurance", narration, "1929.60", tag="typed", **copy),
    )  # fmt: skip
    assert found == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "raised"'), line_of(tmp_path, 'tag: "typed"')])
    ]


def test_two_pets_claims_and_a_claim_resubmitted_are_not_one_claim_twice(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        *BACKGROUND,
        # two pets of one household, equal claims the same day, two numbers
        claim("2025-04-11", "PetCover", "Gap-free claim PC-209910 - Bella", "1386.00", "126.00",
              claim="PC-209910"),
        claim("2025-04-11", "PetCover", "Gap-free claim PC-209911 - Max", "1386.00", "126.00",
              claim="PC-209911"),
        # declined, taken back, resubmitted under a new number at the same amount
        claim("2025-05-06", "PetCover", "Gap-free claim PC-210400 - Rosie", "2145.00", "195.00",
              claim="PC-210400"),
        entry("2025-05-13", "PetCover", "Claim PC-210400 declined - resubmitting",
              ("Assets:Receivable:Insurers", "-2145.00"), ("Income:Surgery", "1950.00"),
              ("Liabilities:GST", "195.00")),
        claim("2025-05-14", "PetCover", "Gap-free claim PC-210452 - Rosie (resubmitted)",
              "2145.00", "195.00", claim="PC-210452"),
    )  # fmt: skip
    assert found == []


def recharge(day: str, narration: str, owner: str, amount: str, **meta: str) -> str:
    return entry(
        day,
        "",
        narration,
        (f"Liabilities:OwnerFunds:{owner}", amount),
        ("Income:Recharges", f"-{amount}"),
        **meta,
    )


WORK_ORDERS = [
    recharge(f"2025-02-{d:02}", f"Recharge work order AO-14{d:02} - keys", "Lind", f"{d}00.00",
             order=f"AO-14{d:02}")
    for d in (3, 5, 7, 11, 13)
]  # fmt: skip


def test_a_work_order_recharged_again_from_the_months_list(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        *WORK_ORDERS,
        recharge("2025-09-14", "Recharge work order AO-1545 - call-out", "Lind", "650.00",
                 order="AO-1545", tag="order"),
        # the month's recharge list, sixteen days later: the same order, written "AO 1545"
        recharge("2025-09-30", "Recharges per September list: AO 1545", "Lind", "650.00",
                 tag="list"),
    )  # fmt: skip
    assert found == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "order"'), line_of(tmp_path, 'tag: "list"')])
    ]


def test_two_orders_of_one_price_and_a_recharge_moved_to_its_owner_are_not(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        *WORK_ORDERS,
        recharge("2025-06-06", "Recharge work order AO-1414 - keys", "Ekholm", "650.00",
                 order="AO-1414"),
        recharge("2025-06-06", "Recharge work order AO-1415 - keys", "Ekholm", "650.00",
                 order="AO-1415"),
        # charged to the wrong owner, charged to the right one, the wrong one taken back
        recharge("2025-10-07", "Recharge work order AO-1564 - keys", "Lind", "450.00",
                 order="AO-1564"),
        recharge("2025-10-09", "Recharge work order AO-1564 - keys", "Ekholm", "450.00",
                 order="AO-1564"),
        recharge("2025-10-09", "Reclass AO-1564 - wrong owner", "Lind", "-450.00"),
    )  # fmt: skip
    assert found == []


def credit_note(day: str, narration: str, amount: str, **meta: str) -> str:
    return entry(
        day,
        "Coop",
        narration,
        ("Income:Rebates", amount),
        ("Assets:Receivable:Clients", f"-{amount}"),
        **meta,
    )


def test_a_rebate_credit_note_posted_at_quarter_end_and_again_from_the_advice(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        credit_note("2025-09-30", "Credit note quarterly rebate Q3 (3%)", "1204.14",
                    invoice="GS-25-Q3", tag="posted"),
        credit_note("2025-10-09", "Coop credit advice rebate Q3", "1204.14", tag="advice"),
        # two customers' equal credit notes the same day: two documents
        entry("2025-11-03", "Volg Ebnat", "Credit note returns", ("Income:Rebates", "80.00"),
              ("Assets:Receivable:Clients", "-80.00")),
        entry("2025-11-03", "Volg Wattwil", "Credit note returns", ("Income:Rebates", "80.00"),
              ("Assets:Receivable:Clients", "-80.00")),
    )  # fmt: skip
    assert found == [
        (ENTERED_TWICE, [line_of(tmp_path, 'tag: "posted"'), line_of(tmp_path, 'tag: "advice"')])
    ]


def deposit(day: str, tenant: str, narration: str, amount: str, to: str = "Liabilities:Deposits"):
    return entry(day, tenant, narration, ("Assets:Bank:Operating", amount), (to, f"-{amount}"))


def test_a_deposit_booked_from_the_lease_and_again_on_arrival(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        deposit("2025-05-26", "Holm", "Deposit per signed lease flat 2112", "10050.00"),
        deposit("2025-05-30", "Holm", "Deposit flat 2112", "10050.00"),
        # a new tenant's deposit and first rent: two equal transfers the same day
        deposit("2025-02-28", "Falk", "Deposit flat 3111", "7950.00"),
        deposit("2025-02-28", "Falk", "Rent March flat 3111 (first rent)", "7950.00",
                "Income:Rent"),
    )  # fmt: skip
    # Liabilities:Deposits has no role: the books read it as money, the copy as a transfer too
    assert [lines for _, lines in found] == [
        [line_of(tmp_path, "2112"), line_of(tmp_path, "2112", 1)]
    ]


def net_pay(day: str, person: str, run: int, amount: str, ref: str, to: str = "") -> str:
    return entry(
        day,
        person,
        f"Net pay - pay run {run}",
        ("Assets:Bank:Operating", f"-{amount}"),
        (to or "Liabilities:Payroll:NetPay", amount),
        bank_ref=ref,
    )


def test_one_persons_net_pay_sent_twice_in_one_pay_run(bo, tmp_path):
    found = found_in(
        bo,
        tmp_path,
        net_pay("2025-09-12", "Kirra Thompson", 6, "1538.10", "e0490d65fb"),
        net_pay("2025-09-12", "Kirra Thompson", 6, "1538.10", "0b8f01e7cc"),
        # two nurses on equal net pay the same run
        net_pay("2025-09-26", "Kirra Thompson", 7, "1538.10", "a1"),
        net_pay("2025-09-26", "Sam Okafor", 7, "1538.10", "a2"),
        # one nurse's equal pay in the next run, and a bonus of the same amount beside it
        net_pay("2025-10-10", "Kirra Thompson", 8, "1538.10", "a3"),
        entry("2025-10-10", "Kirra Thompson", "Bonus - pay run 8",
              ("Assets:Bank:Operating", "-1538.10"), ("Expenses:Wages", "1538.10"), bank_ref="a4"),
        # two equal purchases at one shop the same day, two bank lines: not pay
        entry("2025-10-14", "Bunnings", "Timber", ("Assets:Bank:Operating", "-86.40"),
              ("Expenses:Hardware", "86.40"), bank_ref="b1"),
        entry("2025-10-14", "Bunnings", "Screws and timber", ("Assets:Bank:Operating", "-86.40"),
              ("Expenses:Hardware", "86.40"), bank_ref="b2"),
    )  # fmt: skip
    assert found == [
        (PAID_TWICE, [line_of(tmp_path, "e0490d65fb"), line_of(tmp_path, "0b8f01e7cc")])
    ]


def test_pay_is_told_by_the_payroll_role_or_an_account_named_for_wages():
    holds_pay = pay_accounts([("Liabilities:Personal:Net", "payroll_liabilities")])
    assert holds_pay("Liabilities:Personal:Net")
    for account in ("Expenses:Wages", "Aufwand:Loehne", "Expenses:Loner", "Expenses:Gehälter",
                    "Liabilities:Payroll:NetPay", "Expenses:Salaries"):  # fmt: skip
        assert holds_pay(account), account
    for account in ("Expenses:Hardware", "Expenses:Salon", "Expenses:Londis", "Assets:Wagon"):
        assert not holds_pay(account), account


def test_a_documents_number_is_its_digits_and_no_year():
    assert document_number("KPI-204819") == document_number("KPI 204819") == "204819"
    assert document_number("AO-01545") == "1545"
    assert document_number("2025") is None
    assert document_number("Q1") is None
    assert shared_number("Deposit per lease flat 2112", "Deposit flat 2112") == "2112"
    assert shared_number("Coffee (2)", "Coffee (2) with Sam") is None
    # the letters of "Q1" name no one: one rebate in two phrasings, not two people
    assert not named_apart("Gutschrift Quartalsbonus Q1 (3%)", "Coop Gutschriftsanzeige Bonus Q1")
    assert named_apart("Net pay Jamie Lee", "Net pay Marco Ortiz")
