"""`bo dupes` on what importers leave in the books, no statement to count the lines: a card's
statement downloaded again after the bank changed its line ids, a processor's record imported
twice, and an entry typed into an account a feed brings in. Each beside the honest look-alike
that must stay quiet.

Each test writes a small ledger in tmp_path and runs `bo dupes --json` as a user would.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bo.duplicates.model import ENTERED_TWICE, IMPORTED_TWICE
from bo.lineids import LineId, id_scheme, same_kind_differs, same_scheme
from tests import test_duplicates_third_party as third_party
from tests.test_duplicates_third_party import line_of, lines_of

ROLES = """\
entity: {name: Feeds Ltd, currency: GBP}
accounts:
  Assets:Bank: {role: bank}
  Assets:Stripe: {role: processor}
  Liabilities:Card: {role: card}
  Liabilities:NetPay: {role: payroll_liabilities}
matching:
  line_id_keys: [bank_uuid, fitid]
"""
ACCOUNTS = (
    *("Assets:Bank", "Assets:Stripe", "Liabilities:Card", "Liabilities:NetPay"),
    *("Expenses:Food", "Expenses:Fees", "Expenses:Chargebacks", "Expenses:Wages"),
    *("Income:Donations", "Income:Sales", "Equity:Opening"),
)
OPEN = "".join(f"2025-01-01 open {account} GBP\n" for account in ACCOUNTS) + "\n"


def entry(
    day: str, payee: str, narration: str, *postings: tuple[str, str, str], **meta: str
) -> str:
    """An entry; each posting (account, amount, its own `key=value` metadata or "")."""
    head = f'{day} * "{payee}" "{narration}"\n' if payee else f'{day} * "{narration}"\n'
    lines = "".join(f'  {key}: "{value}"\n' for key, value in meta.items())
    for account, amount, posted in postings:
        lines += f"  {account}  {amount} GBP\n"
        if posted:
            key, value = posted.split("=")
            lines += f'    {key}: "{value}"\n'
    return head + lines + "\n"


def card(day: str, payee: str, amount: str, fitid: str) -> str:
    """A card purchase from the card's OFX download: the `fitid` on the card's posting."""
    return entry(
        day,
        payee,
        "Food stock",
        ("Liabilities:Card", f"-{amount}", f"fitid={fitid}"),
        ("Expenses:Food", amount, ""),
    )


def dupes(bo, tmp_path: Path, *entries: str) -> list[dict]:
    return third_party.dupes(bo, tmp_path, *entries, roles=ROLES, opened=OPEN)


# --- A card's statement downloaded again under new line ids ------------------------------------

# The card's lines all year under the bank's first scheme (13 digits).
_RUN = [
    card("2025-03-02", "Tesco", "21.36", "2503020240001"),
    card("2025-05-10", "Costco", "208.72", "2505100240097"),
    card("2025-09-28", "Tesco", "18.40", "2509280240311"),
]


def test_a_line_downloaded_again_after_the_bank_changed_its_ids_is_one_line(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        *_RUN,
        card("2025-05-25", "Booker Wholesale", "343.95", "2505250240100"),
        # the same purchase from a download made after the bank's change, the next day
        card("2025-05-26", "Booker Wholesale", "343.95", "CC202505250040"),
        # two honest purchases the same day: two ids of one scheme are two lines
        card("2025-07-04", "Shell", "60.00", "2507040240200"),
        card("2025-07-04", "Shell", "60.00", "2507040240201"),
    )
    booker = [line_of(tmp_path, "Booker Wholesale", n) for n in (0, 1)]
    assert lines_of(found) == [(ENTERED_TWICE, booker)]
    assert any("numbered two ways" in reason for reason in found[0]["reasons"])


def test_a_line_after_the_banks_change_of_ids_is_a_line_of_its_own(bo, tmp_path):
    """The old scheme's last line, and the first under the new one the next day: the same
    coffee two days running, not one line numbered twice."""
    found = dupes(
        bo,
        tmp_path,
        *_RUN,
        card("2025-09-30", "Costa", "4.20", "2509300240400"),
        card("2025-10-01", "Costa", "4.20", "CC202510010001"),
        card("2025-10-08", "Costa", "7.90", "CC202510080002"),
    )
    assert found == []


def test_ids_of_one_shape_are_one_scheme_and_of_two_shapes_prove_nothing():
    assert id_scheme("2505250240100") == id_scheme("2505250240101")
    assert id_scheme("2505250240100") != id_scheme("CC202505250040")
    assert id_scheme("dxtx_3kd91ab0c") == id_scheme("dxtx_p0qq7z2mm")
    assert id_scheme("txn_axejksjpp123") == id_scheme("txn_ab12cdefgh9k")
    assert same_scheme("bank:99999", "bank:100000")  # a counter gaining a digit
    assert not same_scheme("re_3Q05hbtqzaefwg", "dp_1Q8pr4wy3dk555")
    same, other = LineId("fitid", "2505250240100"), LineId("fitid", "2505250240101")
    assert same_kind_differs([same], [other]) == (same, other)
    assert same_kind_differs([same], [LineId("fitid", "CC202505250040")]) is None


@given(st.uuids(), st.uuids())
def test_two_uuids_are_ids_of_one_scheme(first: uuid.UUID, second: uuid.UUID):
    assert id_scheme(str(first)) == id_scheme(str(second))


_IDS = st.text(alphabet="AZaz09_-:/.", min_size=1, max_size=24)


@given(_IDS, _IDS)
def test_one_scheme_is_read_alike_both_ways_and_an_id_is_of_its_own(first: str, second: str):
    assert same_scheme(first, first)
    assert same_scheme(first, second) == same_scheme(second, first)


# --- A processor's record imported twice ---------------------------------------------------------


def refund(day: str, stripe_id: str, amount: str) -> str:
    return entry(
        day,
        "",
        "Refund",
        ("Income:Sales", amount, ""),
        ("Assets:Stripe", f"-{amount}", ""),
        stripe_id=stripe_id,
    )


def dispute(day: str, stripe_id: str, amount: str, narration: str = "Dispute") -> str:
    """A dispute from the processor's export: the amount and its fee out of the balance (a
    negative amount: the funds reinstated)."""
    sign = -1 if amount.startswith("-") else 1
    fee, total = Decimal("15.00") * sign, Decimal(amount) + Decimal("15.00") * sign
    return entry(
        day,
        "",
        narration,
        ("Expenses:Chargebacks", amount, ""),
        ("Expenses:Fees", str(fee), ""),
        ("Assets:Stripe", str(-total), ""),
        stripe_id=stripe_id,
    )


def charges(*days: str) -> list[str]:
    """The processor's daily charges, each its own record."""
    return [
        entry(
            day,
            "",
            f"Charges {day}",
            ("Assets:Stripe", f"{300 + n}.00", ""),
            ("Income:Sales", f"-{300 + n}.00", ""),
            stripe_id=f"txr_x31cpa{n}wtr",
        )
        for n, day in enumerate(days)
    ]


def test_a_record_imported_again_by_a_script_rerun_is_one_record(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        *charges(*(f"2025-0{month}-{day}" for month in (3, 4, 6, 7) for day in (10, 20, 28))),
        refund("2025-03-31", "re_3Q1n0mkv0nsc89", "99.00"),
        refund("2025-04-01", "re_3Q1n0mkv0nsc89", "99.00"),
        # two refunds of one price the same day: two records
        refund("2025-06-02", "re_3Q05hbtqzaefwg", "49.00"),
        refund("2025-06-02", "re_3Q0hdwg03rgk1e", "49.00"),
        # a dispute lost then won: one record's id on two movements the other way round
        dispute("2025-07-15", "dp_1Q5z6t156wskhv", "199.00"),
        dispute("2025-07-18", "dp_1Q5z6t156wskhv", "-199.00", "Dispute won: funds reinstated"),
    )
    first = line_of(tmp_path, "re_3Q1n0mkv0nsc89", 0)
    second = line_of(tmp_path, "re_3Q1n0mkv0nsc89", 1)
    assert lines_of(found) == [(IMPORTED_TWICE, [first, second])]
    assert found[0]["reasons"][0].startswith("same stripe_id re_3Q1n0mkv0nsc89")


def test_a_run_id_on_the_journal_and_its_payment_names_two_records(bo, tmp_path):
    """A payroll export writes its run's id on the journal and on the net-pay debit: a
    reference between two records, which move money differently."""
    found = dupes(
        bo,
        tmp_path,
        entry(
            "2025-01-13",
            "Gusto",
            "Payroll 2025-01-15",
            ("Expenses:Wages", "4000.00", ""),
            ("Liabilities:NetPay", "-4000.00", ""),
            payroll_id="pr_250115qptt2q",
        ),
        entry(
            "2025-01-15",
            "Gusto",
            "Net pay",
            ("Liabilities:NetPay", "4000.00", ""),
            ("Assets:Bank", "-4000.00", "bank_uuid=0f06a3db-4253-4b10-9f54-672702e9c822"),
            payroll_id="pr_250115qptt2q",
        ),
    )
    assert found == []


# --- An entry typed into an account a feed brings in ---------------------------------------------


def fed(day: str, payee: str, narration: str, amount: str, counter: str, line: str) -> str:
    """A line the bank's sync script brought in, its id on the entry."""
    return entry(
        day,
        payee,
        narration,
        ("Assets:Bank", amount, ""),
        (counter, f"-{amount}", ""),
        bank_uuid=line,
    )


def typed(day: str, payee: str, narration: str, amount: str, counter: str) -> str:
    return entry(day, payee, narration, ("Assets:Bank", amount, ""), (counter, f"-{amount}", ""))


def test_a_cheque_typed_from_the_paying_in_book_and_brought_in_by_the_feed(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        typed("2025-05-08", "St Luke's Church", "Harvest collection cheque, slip 100278", "100.00",
              "Income:Donations"),
        fed("2025-05-09", "", "Cheques paid in, slip 100278", "100.00", "Income:Donations",
            "21f674ad-bbb0-4d37-b088-d330bfa06e73"),
        # another slip of the same amount days later: the book's own line, no copy
        typed("2025-05-12", "Tilehurst Methodist", "Harvest collection cheque, slip 100290",
              "100.00", "Income:Donations"),
        fed("2025-05-13", "", "Cheques paid in, slip 100240", "100.00", "Income:Donations",
            "ad2afde3-c32f-4250-bb09-fb65815285e7"),
        # a cheque by its number after the cheque's word, the bank's with leading zeros
        typed("2025-06-02", "Reading Rotary", "Cheque 1042, summer appeal", "250.00",
              "Income:Donations"),
        fed("2025-06-04", "", "CHQ 001042", "250.00", "Income:Donations",
            "58c7e848-e4ec-4fcc-b470-cfab100578a1"),
    )  # fmt: skip
    slip = [line_of(tmp_path, "slip 100278", n) for n in (0, 1)]
    cheque = [line_of(tmp_path, "1042"), line_of(tmp_path, "CHQ 001042")]
    assert lines_of(found) == [(ENTERED_TWICE, slip), (ENTERED_TWICE, cheque)]
    assert any("both name 100278" in reason for reason in found[0]["reasons"])
    assert found[0]["missing"] == []


def test_a_supporters_gift_typed_from_their_letter_under_their_full_name(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        typed("2025-09-14", "Tilehurst Women's Institute", "Donation, thank-you letter sent",
              "200.00", "Income:Donations"),
        fed("2025-09-16", "Tilehurst WI", "Donation", "200.00", "Income:Donations",
            "61edc124-7ed5-4dbd-ad16-acb4e9b52118"),
        typed("2025-10-06", "Caversham F.C.", "Raffle takings", "85.00", "Income:Donations"),
        fed("2025-10-07", "Caversham Football Club Ltd", "Raffle", "85.00", "Income:Donations",
            "9f1b7c55-0e3a-4d1e-9a53-8b0a4be0c0d1"),
        typed("2025-05-19", "St Luke's, Tilehurst", "Donation, thank-you letter sent", "60.00",
              "Income:Donations"),
        fed("2025-05-21", "St Luke's Church", "Donation", "60.00", "Income:Donations",
            "0f06a3db-4253-4b10-9f54-672702e9c822"),
    )  # fmt: skip
    assert sorted(lines_of(found)) == [
        (ENTERED_TWICE, [line_of(tmp_path, "Tilehurst W"), line_of(tmp_path, "Tilehurst W", 1)]),
        (ENTERED_TWICE, [line_of(tmp_path, "Caversham F"), line_of(tmp_path, "Caversham F", 1)]),
        (ENTERED_TWICE, [line_of(tmp_path, "St Luke's"), line_of(tmp_path, "St Luke's", 1)]),
    ]


def test_two_gifts_of_one_amount_from_two_names_stay_two(bo, tmp_path):
    """Two merchants' names beginning alike, two churches of one saint, two people's pay:
    the same postings within days, and nothing beyond the amount saying one."""
    found = dupes(
        bo,
        tmp_path,
        typed("2025-02-24", "Whole Foods", "Hamper", "39.22", "Income:Donations"),
        fed("2025-02-26", "WHOLESALE FLOORS 7", "", "39.22", "Income:Donations",
            "9dfd1ced-5cdc-4d45-847b-96ea0c1a6c7b"),
        typed("2025-03-10", "St Mary's, Caversham", "Donation", "50.00", "Income:Donations"),
        fed("2025-03-11", "St Luke's Church", "Donation", "50.00", "Income:Donations",
            "ebc752bf-20dc-4acd-a189-c10271d3e813"),
        entry("2025-04-30", "", "Net pay Jamie Lee 100278",
              ("Liabilities:NetPay", "1800.00", ""), ("Assets:Bank", "-1800.00", "")),
        entry("2025-04-30", "", "Net pay Marco Ortiz 100278",
              ("Liabilities:NetPay", "1800.00", ""), ("Assets:Bank", "-1800.00", ""),
              bank_uuid="5327d11d-c96f-4ba3-8816-52b5af9163f1"),
    )  # fmt: skip
    assert found == []


def test_a_dispute_typed_from_the_processors_email_and_imported_from_its_export(bo, tmp_path):
    found = dupes(
        bo,
        tmp_path,
        dispute("2025-03-12", "dp_1Qnknmdzp25ppg", "89.00"),
        entry(
            "2025-03-12",
            "Stripe",
            "Chargeback (fraudulent) and fee",
            ("Expenses:Chargebacks", "89.00", ""),
            ("Expenses:Fees", "15.00", ""),
            ("Assets:Stripe", "-104.00", ""),
        ),
        # another customer's dispute of the same plan: the export's own record
        dispute("2025-03-13", "dp_1Q8pr4wy3dk555", "89.00"),
    )
    chargeback = [line_of(tmp_path, '"Dispute"'), line_of(tmp_path, "Chargeback (")]
    assert lines_of(found) == [(ENTERED_TWICE, chargeback)]
    assert any("the same split over 3 accounts" in reason for reason in found[0]["reasons"])


def test_a_customers_id_on_two_equal_payments_names_the_customer_not_one_record(bo, tmp_path):
    """`customer_id` is on every payment of a customer: two equal payments within days are
    two payments, whatever their shared id."""
    payments = [
        entry(
            f"2025-0{month}-{day:02d}",
            "Acme",
            "Subscription",
            ("Assets:Bank", "120.00", f"bank_uuid=line-{month}-{day}"),
            ("Income:Sales", "-120.00", ""),
            customer_id=f"cus_{customer}",
        )
        for month, day, customer in (
            (3, 3, "A81KD02"), (3, 6, "A81KD02"), (4, 3, "A81KD02"), (4, 7, "A81KD02"),
            (3, 4, "B77QX19"), (4, 4, "B77QX19"),
        )
    ]  # fmt: skip
    assert dupes(bo, tmp_path, *payments) == []


def journal(day: str, narration: str, **meta: str) -> str:
    return entry(
        day,
        "Gusto",
        narration,
        ("Expenses:Wages", "44583.34", ""),
        ("Expenses:Fees", "3504.25", ""),
        ("Liabilities:NetPay", "-48087.59", ""),
        **meta,
    )


def test_a_payroll_journal_imported_and_typed_again_from_the_pdf(bo, tmp_path):
    """The typed copy says more than the export's ("per the PDF"): a person telling two
    purchases apart writes so, but the export's entry was not written by a person."""
    found = dupes(
        bo,
        tmp_path,
        journal("2025-10-15", "Payroll 2025-10-15", payroll_id="pr_251015kq82mz"),
        journal("2025-10-29", "Payroll 2025-10-31", payroll_id="pr_251031vkm913"),
        journal("2025-10-29", "Payroll 2025-10-31 per Gusto PDF"),
        journal("2025-11-12", "Payroll 2025-11-14", payroll_id="pr_251114rav78h"),
    )
    pair = [line_of(tmp_path, "Payroll 2025-10-31"), line_of(tmp_path, "per Gusto PDF")]
    assert lines_of(found) == [(ENTERED_TWICE, pair)]
    assert any("the same split over 3 accounts" in reason for reason in found[0]["reasons"])


def test_a_processors_own_movement_typed_under_its_name(bo, tmp_path):
    """A dispute without a fee typed as Stripe's, beside the export's "Dispute"; a customer's
    refund typed under the customer's name is not the processor's own."""
    found = dupes(
        bo,
        tmp_path,
        *charges(*(f"2025-0{month}-{day}" for month in (3, 4, 6, 7) for day in (10, 20, 28))),
        entry("2025-03-12", "", "Dispute", ("Expenses:Chargebacks", "89.00", ""),
              ("Assets:Stripe", "-89.00", ""), stripe_id="dp_1Qnknmdzp25ppg"),
        entry("2025-03-13", "Stripe", "Chargeback (fraudulent)",
              ("Expenses:Chargebacks", "89.00", ""), ("Assets:Stripe", "-89.00", "")),
        refund("2025-06-02", "re_3Q05hbtqzaefwg", "49.00"),
        entry("2025-06-03", "Harrow Bakery", "Goodwill credit", ("Income:Sales", "49.00", ""),
              ("Assets:Stripe", "-49.00", "")),
    )  # fmt: skip
    pair = [line_of(tmp_path, '"Dispute"'), line_of(tmp_path, "Chargeback (")]
    assert lines_of(found) == [(ENTERED_TWICE, pair)]
    assert any("Stripe is the institution of Assets:Stripe" in r for r in found[0]["reasons"])
