"""Statement readers: real bank and card files in, exact signed lines and balances out."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount.core.amount import Amount
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bo.errors import ExitCode, Source
from bo.settings import CsvFormat, Settings
from bo.statements import (
    Statement,
    StatementError,
    StatementLine,
    read_statement,
    statement_span,
)
from bo.statements.cells import AmountParser, Column
from bo.statements.ofx import OfxReader
from bo.text import clean_line

DATA = Path(__file__).parent / "data" / "statements"

CHECKING_CSV = {
    "kind": "csv",
    "date": "Date",
    "date_format": "%m/%d/%Y",
    "amount": "Amount",
    "payee": "Description",
    "reference": "Check Number",
    "id": "Transaction ID",
    "balance": "Balance",
}
CARD_CSV = {
    "kind": "csv",
    "skip_rows": 2,
    "date": "Posted Date",
    "date_format": "%d %b %Y",
    "debit": "Debit",
    "credit": "Credit",
    "payee": "Payee",
    "memo": "Memo",
    "balance": "Balance",
}
GIRO_CSV = {
    "kind": "csv",
    "delimiter": ";",
    "date": "Buchungstag",
    "date_format": "%d.%m.%Y",
    "amount": "Betrag",
    "payee": "Empfänger",
    "memo": "Verwendungszweck",
    "balance": "Saldo",
    "decimal": ",",
    "thousands": ".",
    "currency": "EUR",
}

CHECKING = "Assets:Bank:Checking"
CARD = "Liabilities:Card:Amex"


def make_settings(formats: dict[str, dict[str, Any]], accounts: dict[str, str]) -> Settings:
    """bo.yaml with these statement formats, and accounts pointing at them by name."""
    return Settings.model_validate(
        {
            "entity": {"name": "Small Books LLC", "currency": "USD"},
            "accounts": {
                account: {
                    "role": "card" if account.startswith("Liabilities") else "bank",
                    "statement": {"format": name},
                }
                for account, name in accounts.items()
            },
            "statement_formats": formats,
        }
    )


def read_with(fmt: dict[str, Any], path: Path, account: str = CHECKING) -> Statement:
    """Read `path` as the only statement format of `account`."""
    return read_statement(path, account, make_settings({"bank": fmt}, {account: "bank"}))


def usd(number: str, currency: str = "USD") -> Amount:
    return Amount(Decimal(number), currency)


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str], Path]:
    """Write a small CSV statement, exactly as given (no dedent), and return its path."""

    def _write(text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / "statement.csv"
        path.write_bytes(text.encode(encoding))
        return path

    return _write


def refusal(fmt: dict[str, Any], path: Path, account: str = CHECKING) -> StatementError:
    with pytest.raises(StatementError) as caught:
        read_with(fmt, path, account)
    return caught.value


# -- the files a bookkeeper downloads ---------------------------------------------------------
def test_bank_csv_with_signed_amounts_checks_and_running_balance() -> None:
    path = DATA / "checking.csv"
    statement = read_with(CHECKING_CSV, path)
    assert statement.lines == (
        StatementLine(
            CHECKING, date(2025, 9, 2), usd("4500.00"), "ACME CORP, INC. DEPOSIT", "", None,
            "T1001", Decimal("14500.00"), Source(str(path), 2), 0,
        ),
        StatementLine(
            CHECKING, date(2025, 9, 5), usd("-2000.00"), "CHECK 1001", "", "1001",
            "T1002", Decimal("12500.00"), Source(str(path), 3), 1,
        ),
        StatementLine(
            CHECKING, date(2025, 9, 12), usd("-4.75"), 'Joe\'s "Best" Coffee', "", None,
            "T1003", Decimal("12495.25"), Source(str(path), 4), 2,
        ),
        StatementLine(
            CHECKING, date(2025, 9, 30), usd("-12.50"), "MONTHLY SERVICE FEE", "", None,
            "T1004", Decimal("12482.75"), Source(str(path), 5), 3,
        ),
    )  # fmt: skip
    assert (statement.currency, statement.start, statement.end) == (
        "USD",
        date(2025, 9, 2),
        date(2025, 9, 30),
    )
    assert statement.opening_balance == Decimal("10000.00")
    assert statement.closing_balance == Decimal("12482.75")


def test_card_csv_with_debit_and_credit_columns_posts_charges_negative() -> None:
    path = DATA / "card.csv"
    statement = read_with(CARD_CSV, path, CARD)
    assert [(line.date, line.amount, line.payee, line.memo) for line in statement.lines] == [
        (date(2025, 9, 3), usd("-45.99"), "OFFICE SUPPLY CO", "Toner, paper"),
        (date(2025, 9, 15), usd("-1200.00"), "AIRLINE TICKETS", ""),
        (date(2025, 9, 20), usd("500.00"), "PAYMENT - THANK YOU", ""),
    ]
    # The issuer prints what is owed as positive; the books carry it as a negative liability.
    assert [line.balance for line in statement.lines] == [
        Decimal("-45.99"),
        Decimal("-1245.99"),
        Decimal("-745.99"),
    ]
    assert [line.source.lineno for line in statement.lines] == [4, 5, 6]
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("0.00"),
        Decimal("-745.99"),
    )


def test_european_csv_with_bom_semicolons_and_decimal_commas() -> None:
    path = DATA / "girokonto.csv"
    statement = read_with(GIRO_CSV, path)
    assert [(line.date, line.amount, line.payee, line.memo) for line in statement.lines] == [
        (date(2025, 9, 1), usd("-1250.00", "EUR"), "Miete GmbH", "Miete September"),
        (date(2025, 9, 15), usd("2380.00", "EUR"), "Kunde AG", "Rechnung 17; Teilzahlung"),
        (date(2025, 9, 30), usd("-9.90", "EUR"), "Bank", "Kontoführung"),
    ]
    assert statement.currency == "EUR"
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("5000.00"),
        Decimal("6120.10"),
    )


def test_bank_ofx_in_sgml_form() -> None:
    path = DATA / "checking.ofx"
    statement = read_with({"kind": "ofx"}, path)
    assert statement.lines == (
        StatementLine(
            CHECKING, date(2025, 9, 2), usd("4500.00"), "ACME CORP", "Invoice 1042 payment",
            None, "202509020001", None, Source(str(path), 39), 0,
        ),
        StatementLine(
            CHECKING, date(2025, 9, 5), usd("-2000.00"), "CHECK 1001", "", "1001",
            "202509050001", None, Source(str(path), 47), 1,
        ),
        # Posted at 21:30 EST on the 30th: the bank's date, not the next day in UTC.
        StatementLine(
            CHECKING, date(2025, 9, 30), usd("-12.50"), "MONTHLY SERVICE FEE", "Fee & charges",
            None, "202509300001", None, Source(str(path), 55), 2,
        ),
    )  # fmt: skip
    assert (statement.start, statement.end) == (date(2025, 9, 1), date(2025, 9, 30))
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("10000.00"),
        Decimal("12487.50"),
    )


def test_card_qfx_charges_are_negative_as_the_books_post_them() -> None:
    path = DATA / "card.qfx"
    statement = read_with({"kind": "ofx"}, path, CARD)
    assert [(line.date, line.amount, line.payee, line.bank_id) for line in statement.lines] == [
        (date(2025, 9, 3), usd("-45.99"), "OFFICE SUPPLY CO", "2025090324692165"),
        (date(2025, 9, 15), usd("-1200.00"), "AIRLINE TICKETS", "2025091524692166"),
        (date(2025, 9, 20), usd("500.00"), "PAYMENT - THANK YOU", "2025092024692167"),
    ]
    assert statement.lines[0].memo == "Toner, paper"
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("0.00"),
        Decimal("-745.99"),
    )


def test_ofx2_xml_with_payee_aggregate() -> None:
    path = DATA / "savings-v2.ofx"
    statement = read_with({"kind": "ofx"}, path)
    assert [
        (line.date, line.amount, line.payee, line.memo, line.source.lineno)
        for line in statement.lines
    ] == [
        (date(2025, 9, 10), usd("2500.00", "EUR"), "Transfer from checking", "", 25),
        (date(2025, 9, 30), usd("3.17", "EUR"), "Interest", "Interest paid", 39),
    ]
    assert statement.currency == "EUR"
    assert statement.closing_balance == Decimal("7503.17")
    assert statement.opening_balance == Decimal("5000.00")


def test_headerless_csv_by_column_position(csv_file: Callable[..., Path]) -> None:
    path = csv_file(
        '"09/01/2025","-15.00","*","","COFFEE"\n"09/02/2025","200.00","*","","REFUND"\n'
    )
    fmt = {"kind": "csv", "date": 0, "date_format": "%m/%d/%Y", "amount": 1, "payee": 4}
    statement = read_with(fmt, path)
    assert [(line.amount, line.payee, line.source.lineno) for line in statement.lines] == [
        (usd("-15.00"), "COFFEE", 1),
        (usd("200.00"), "REFUND", 2),
    ]


def test_positions_with_a_header_row_skip_it(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Amount,Payee\n2025-09-01,-15.00,COFFEE\n")
    statement = read_with({"kind": "csv", "date": 0, "amount": 1, "payee": 2}, path)
    assert [(line.amount, line.source.lineno, line.row) for line in statement.lines] == [
        (usd("-15.00"), 2, 0)
    ]


def test_outflow_files_print_charges_positive(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Amount,Balance\n2025-09-01,45.99,45.99\n2025-09-02,-10.00,35.99\n")
    fmt = {"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"}
    statement = read_with({**fmt, "positive": "outflow"}, path, CARD)
    assert [line.amount for line in statement.lines] == [usd("-45.99"), usd("10.00")]
    assert statement.closing_balance == Decimal("-35.99")


def test_a_card_is_told_by_its_role_not_its_root_name() -> None:
    # A ledger with `option "name_liabilities" "Passif"`: the card's statement still prints
    # what is owed as positive, and the books still carry it negative.
    account = "Passif:Carte:Amex"
    settings = Settings.model_validate(
        {
            "entity": {"name": "Petits Livres SARL", "currency": "USD"},
            "accounts": {account: {"role": "card", "statement": {"format": "card"}}},
            "statement_formats": {"card": CARD_CSV},
        }
    )
    statement = read_statement(DATA / "card.csv", account, settings)
    assert statement.closing_balance == read_with(CARD_CSV, DATA / "card.csv", CARD).closing_balance
    assert statement.closing_balance == Decimal("-745.99")


def test_newest_first_rows_still_check_balances(csv_file: Callable[..., Path]) -> None:
    path = csv_file(
        "Date,Amount,Balance\n2025-09-03,-5.00,90.00\n2025-09-02,-5.00,95.00\n"
        "2025-09-01,100.00,100.00\n"
    )
    fmt = {"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"}
    statement = read_with(fmt, path)
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("0.00"),
        Decimal("90.00"),
    )
    assert [line.row for line in statement.lines] == [0, 1, 2]


@pytest.mark.parametrize("newest_first", [True, False])
def test_a_one_day_statement_runs_whichever_way_its_balances_say(
    csv_file: Callable[..., Path], newest_first: bool
) -> None:
    rows = ["2025-09-30,-100.00,1000.00", "2025-09-30,-25.00,975.00"]
    if newest_first:
        rows.reverse()
    path = csv_file("Date,Amount,Balance\n" + "\n".join(rows) + "\n")
    fmt = {"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"}
    statement = read_with(fmt, path)
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("1100.00"),
        Decimal("975.00"),
    )


def test_a_one_day_statement_whose_balances_break_both_ways_is_refused(
    csv_file: Callable[..., Path],
) -> None:
    path = csv_file("Date,Amount,Balance\n2025-09-30,-25.00,975.00\n2025-09-30,-100.00,990.00\n")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"}, path)
    assert error.source == Source(str(path), 3)
    assert "the balance 990.00 does not follow from the previous balance 975.00" in error.message


def test_zero_in_the_unused_debit_or_credit_column_is_blank(
    csv_file: Callable[..., Path],
) -> None:
    path = csv_file("Date,Debit,Credit\n2025-09-01,0.00,12.00\n2025-09-02,7.00,0.00\n")
    fmt = {"kind": "csv", "date": "Date", "debit": "Debit", "credit": "Credit"}
    assert [line.amount for line in read_with(fmt, path).lines] == [usd("12.00"), usd("-7.00")]


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "number"),
    [
        ("12.50", ".", ",", "12.50"),
        ("-1,234.56", ".", ",", "-1234.56"),
        ("(12.50)", ".", ",", "-12.50"),
        ("12.50-", ".", ",", "-12.50"),
        ("$1,000", ".", ",", "1000"),
        ("-$3.00", ".", ",", "-3.00"),
        ("$-3.00", ".", ",", "-3.00"),
        ("USD 7.25", ".", ",", "7.25"),
        ("7.25 USD", ".", ",", "7.25"),
        ("+4.00", ".", ",", "4.00"),
        ("1.234,56 €", ",", ".", "1234.56"),
        ("−9,90", ",", ".", "-9.90"),
        ("1 234,56", ",", " ", "1234.56"),
        ("1'234.56", ".", "'", "1234.56"),
        ("1234.56", ".", "", "1234.56"),
        (".50", ".", ",", "0.50"),
    ],
)
def test_amount_cells(text: str, decimal: str, thousands: str, number: str) -> None:
    fmt = CsvFormat(date="Date", amount="Amount", decimal=decimal, thousands=thousands)
    currency = "EUR" if "€" in text else "USD"  # a symbol must be the statement's currency's
    parsed = AmountParser(fmt, currency).parse(Column("amount", 0, '"Amount"'), text)
    assert parsed == Decimal(number)
    assert str(parsed) == number  # exact digits, never through float


@pytest.mark.parametrize(
    "text",
    [
        "12,50",
        "1,23.00",
        "(12.50",
        "-(12.50)",
        "--3",
        "12.50 EUR",
        "abc",
        "1e5",
        "NaN",
        "$",
        "",
        "€12.50",
        "12.50 £",
        "１２",
        "١٢",
        "1" * 16,
        "0." + "1" * 11,
    ],
)
def test_amount_cells_refused(text: str) -> None:
    fmt = CsvFormat(date="Date", amount="Amount")
    with pytest.raises(ValueError):
        AmountParser(fmt, "USD").parse(Column("amount", 0, '"Amount"'), text)


# -- input bo refuses, and how it says so -----------------------------------------------------
def test_a_bad_date_names_file_line_column_and_format(tmp_path: Path) -> None:
    path = tmp_path / "2025-09.csv"
    text = (DATA / "checking.csv").read_text().replace("09/12/2025", "13/45/2025")
    path.write_text(text)
    error = refusal(CHECKING_CSV, path)
    assert str(error) == (
        f'{path}:4: column "Date": "13/45/2025" is not a date in the format %m/%d/%Y'
    )
    assert error.source == Source(str(path), 4)
    assert error.exit_code == ExitCode.BAD_INPUT


def test_every_bad_row_is_reported_at_once(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Amount\n2025-09-01,abc\n2025-09-02,1.00\n2025/09/03,2.00\n")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert str(error).splitlines() == [
        f'{path}:2: column "Amount": "abc" is not an amount like 1,234.50',
        f'{path}:4: column "Date": "2025/09/03" is not a date in the format %Y-%m-%d',
    ]


def test_a_wrong_date_format_shows_the_first_rows_and_counts_the_rest(
    csv_file: Callable[..., Path],
) -> None:
    path = csv_file("Date,Amount\n" + "09/01/2025,1.00\n" * 30)
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert len(error.problems) == 20
    assert str(error).splitlines()[-1] == f"{path}: and 10 more problems like these"


def test_a_column_missing_from_the_header_shows_the_header(
    csv_file: Callable[..., Path],
) -> None:
    path = csv_file("Posting Date,Amount\n2025-09-01,1.00\n")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert str(error) == (
        f'{path}:1: column "Date" (`date` in the statement format) is not in the header; '
        'the header is: "Posting Date", "Amount"'
    )


def test_a_position_beyond_the_row(csv_file: Callable[..., Path]) -> None:
    path = csv_file("2025-09-01,1.00\n")
    error = refusal({"kind": "csv", "date": 0, "amount": 1, "balance": 5}, path)
    assert str(error) == (
        f"{path}:1: column 5 (`balance` in the statement format) is beyond the 2 columns of "
        'the first row: "2025-09-01", "1.00"'
    )


def test_a_short_row(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Payee,Amount\n2025-09-01,SHOP,1.00\n2025-09-02,SHOP\n")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert (
        str(error) == f'{path}:3: the row has 2 fields, the header 3; there is no column "Amount"'
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2025-09-01,5.00,3.00", "both are filled; a row is either money out or in"),
        ("2025-09-01,,", "both are blank; expected an amount in one"),
    ],
)
def test_debit_and_credit_both_or_neither(
    csv_file: Callable[..., Path], row: str, message: str
) -> None:
    path = csv_file(f"Date,Debit,Credit\n2025-09-01,1.00,\n{row}\n")
    error = refusal({"kind": "csv", "date": "Date", "debit": "Debit", "credit": "Credit"}, path)
    assert str(error) == f'{path}:3: columns "Debit" and "Credit": {message}'


def test_a_running_balance_that_breaks_names_the_first_bad_row(
    csv_file: Callable[..., Path],
) -> None:
    path = csv_file(
        "Date,Amount,Balance\n2025-09-01,10.00,110.00\n2025-09-02,-5.00,105.00\n"
        "2025-09-03,-5.00,99.00\n2025-09-04,-1.00,98.00\n"
    )
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"}, path)
    assert error.source == Source(str(path), 4)
    assert error.message.startswith(
        'column "Balance": the balance 99.00 does not follow from the previous balance 105.00 '
        "and this row's amount; expected 100.00."
    )


def test_a_sign_convention_the_wrong_way_round_is_caught() -> None:
    path = DATA / "checking.csv"
    error = refusal({**CHECKING_CSV, "positive": "outflow"}, path)
    assert error.source == Source(str(path), 3)
    # The hint names the setting to put back; following it reads the file right (below).
    assert "set `positive: inflow`" in error.message
    assert read_with(CHECKING_CSV, path).lines


def test_separators_configured_the_wrong_way_round_are_refused() -> None:
    path = DATA / "girokonto.csv"
    error = refusal({**GIRO_CSV, "decimal": ".", "thousands": ","}, path)
    assert error.source == Source(str(path), 2)
    assert error.message.startswith('column "Betrag": "-1.250,00 €" is not an amount')


def test_a_currency_code_other_than_the_statements(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Amount\n2025-09-01,12.00 EUR\n")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert error.message == 'column "Amount": "12.00 EUR" is in EUR, the statement is in USD'


def test_bytes_that_are_not_the_configured_encoding(csv_file: Callable[..., Path]) -> None:
    path = csv_file("Date,Payee,Amount\n2025-09-01,Caf\xe9,1.00\n", encoding="latin-1")
    error = refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)
    assert error.source == Source(str(path), 2)
    assert "is not utf-8-sig text; set `encoding`" in error.message
    statement = read_with({"kind": "csv", "date": 0, "amount": 2, "encoding": "cp1252"}, path)
    assert statement.lines[0].amount == usd("1.00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        ("Date,Amount\n\n", "the statement has no transaction rows"),
    ],
)
def test_files_without_rows(csv_file: Callable[..., Path], text: str, message: str) -> None:
    path = csv_file(text)
    assert str(refusal({"kind": "csv", "date": "Date", "amount": "Amount"}, path)) == (
        f"{path}: {message}"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    assert str(refusal(CHECKING_CSV, path)) == f"{path}: no such statement file"


def test_an_account_without_a_statement_format() -> None:
    settings = make_settings({"bank": CHECKING_CSV}, {CHECKING: "bank"})
    with pytest.raises(StatementError, match="`Assets:Bank:Savings` has no statement format"):
        read_statement(DATA / "checking.csv", "Assets:Bank:Savings", settings)


def test_an_account_pointing_at_an_unknown_format() -> None:
    settings = make_settings({"bank": CHECKING_CSV}, {CHECKING: "chase"})
    known = r"unknown format `chase` \(statement_formats: bank; built in: plain"
    with pytest.raises(StatementError, match=known):
        read_statement(DATA / "checking.csv", CHECKING, settings)


def test_an_ofx_file_where_a_csv_is_configured() -> None:
    error = refusal(CHECKING_CSV, DATA / "checking.ofx")
    assert error.message.startswith("does not look like a CSV file")


def test_a_malformed_ofx_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ofx"
    path.write_bytes((DATA / "checking.ofx").read_bytes().replace(b"<TRNAMT>-12.50", b"<TRNAMT>x"))
    error = refusal({"kind": "ofx"}, path)
    assert error.source == Source(str(path), 58)  # the line of the amount, not just the file
    assert error.message == "<TRNAMT> `x` is not an amount (like -12.50)"


def test_an_ofx_file_whose_tags_leave_no_statement_is_refused(tmp_path: Path) -> None:
    # Tags cut so that the file's top aggregate is the sign-on, not <OFX> (hypothesis found
    # this one): the file has no OFX body to read.
    text = (DATA / "checking.ofx").read_text()
    text = text.replace("<OFX>", "OFX>").replace("</SIGNONMSGSRSV1>", "<SIGNONMSGSRSV1>")
    path = tmp_path / "cut.ofx"
    path.write_text(text)
    error = refusal({"kind": "ofx"}, path)
    assert error.source == Source(str(path))
    assert error.message == "not an OFX statement: no <OFX> tag opens its body"


def two_statements(tmp_path: Path) -> Path:
    """An OFX 2 file holding two bank statements, as some banks send for all accounts."""
    text = (DATA / "savings-v2.ofx").read_text()
    start, end = text.index("<STMTTRNRS>"), text.index("</STMTTRNRS>") + len("</STMTTRNRS>")
    second = text[start:end].replace("DE89370400440532013000", "DE02120300000000202051")
    second = second.replace("SV-000", "SX-000")
    path = tmp_path / "both.ofx"
    path.write_text(text[:end] + second + text[end:])
    return path


def test_an_ofx_file_with_several_statements_is_ambiguous(tmp_path: Path) -> None:
    error = refusal({"kind": "ofx"}, two_statements(tmp_path))
    assert error.message == (
        "the file holds 2 statements (account ids: DE89370400440532013000, "
        "DE02120300000000202051) and bo cannot tell which one to read"
    )


def test_an_account_id_picks_one_statement_or_refuses(tmp_path: Path) -> None:
    path = two_statements(tmp_path)
    statement = OfxReader(account_id="202051").read(path, CHECKING)
    assert [line.bank_id for line in statement.lines] == ["SX-0001", "SX-0002"]
    assert [line.source.lineno for line in statement.lines] == [66, 80]
    with pytest.raises(StatementError, match="no statement of account id 9999"):
        OfxReader(account_id="9999").read(path, CHECKING)


# -- properties -------------------------------------------------------------------------------
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d %b %Y", "%Y%m%d"]
SEPARATORS = [(".", ","), (".", ""), (",", "."), (",", " "), (".", "'")]
AMOUNT_STYLES = ["plain", "symbol", "code", "parentheses", "trailing"]
HEADER = {"date": "Date", "amount": "Amount", "debit": "Debit", "credit": "Credit"}
HEADER |= {"payee": "Payee", "balance": "Balance"}

rows_strategy = st.lists(
    st.tuples(
        st.dates(date(1990, 1, 1), date(2040, 12, 31)),
        st.integers(-(10**9), 10**9).map(lambda cents: Decimal(cents).scaleb(-2)),
        st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")),
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def layouts(draw: st.DrawFn) -> dict[str, Any]:
    """A CSV layout bo supports, and how the file writes its amounts."""
    decimal, thousands = draw(st.sampled_from(SEPARATORS))
    fields = ["date", *draw(st.sampled_from([["amount"], ["debit", "credit"]])), "payee"]
    if draw(st.booleans()):
        fields.append("balance")
    order = draw(st.permutations(fields))
    by_name = draw(st.booleans())
    return {
        "fields": fields,
        "order": order,
        "by_name": by_name,
        "header": by_name or draw(st.booleans()),
        "preamble": draw(st.lists(st.sampled_from(["Account 1234", "Export", ""]), max_size=2)),
        "bom": draw(st.booleans()),
        "style": draw(st.sampled_from(AMOUNT_STYLES)),
        "format": {
            "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
            "date_format": draw(st.sampled_from(DATE_FORMATS)),
            "positive": draw(st.sampled_from(["inflow", "outflow"])),
            "decimal": decimal,
            "thousands": thousands,
        },
    }


def format_amount(number: Decimal, layout: dict[str, Any]) -> str:
    """An amount as a bank in this layout would print it."""
    fmt, style = layout["format"], layout["style"]
    digits = f"{abs(number):,.2f}".replace(",", "_").replace(".", fmt["decimal"])
    digits = digits.replace("_", fmt["thousands"])
    if number >= 0:
        return {"symbol": f"${digits}", "code": f"{digits} USD"}.get(style, digits)
    return {
        "symbol": f"-${digits}",
        "code": f"USD -{digits}",
        "parentheses": f"({digits})",
        "trailing": f"{digits}-",
    }.get(style, f"-{digits}")


def write_layout(path: Path, layout: dict[str, Any], rows: list[tuple[date, Decimal, str]]) -> None:
    """Write rows with the csv module in this layout, with a running balance if it has one."""
    fmt = layout["format"]
    buffer = io.StringIO(newline="")
    for line in layout["preamble"]:
        buffer.write(line + "\r\n")
    writer = csv.writer(buffer, delimiter=fmt["delimiter"])
    if layout["header"]:
        writer.writerow([HEADER[field] for field in layout["order"]])
    balance = Decimal("1000.00")
    for when, amount, payee in rows:
        balance += amount
        printed = -amount if fmt["positive"] == "outflow" else amount
        cells = {
            "date": when.strftime(fmt["date_format"]),
            "amount": format_amount(printed, layout),
            "debit": format_amount(-amount, layout) if amount < 0 else "",
            "credit": format_amount(amount, layout) if amount >= 0 else "",
            "payee": payee,
            "balance": format_amount(balance, layout),
        }
        writer.writerow([cells[field] for field in layout["order"]])
    path.write_bytes((b"\xef\xbb\xbf" if layout["bom"] else b"") + buffer.getvalue().encode())


def layout_format(layout: dict[str, Any]) -> dict[str, Any]:
    """The bo.yaml statement format describing this layout."""
    columns = {
        field: HEADER[field] if layout["by_name"] else layout["order"].index(field)
        for field in layout["fields"]
    }
    return {"kind": "csv", "skip_rows": len(layout["preamble"]), **layout["format"], **columns}


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts(), rows=rows_strategy)
def test_any_supported_layout_reads_back_exact_dates_and_amounts(
    tmp_path: Path, layout: dict[str, Any], rows: list[tuple[date, Decimal, str]]
) -> None:
    if "balance" in layout["fields"]:
        rows = sorted(rows, key=lambda row: row[0])  # balances run in date order
    path = tmp_path / "statement.csv"
    write_layout(path, layout, rows)
    statement = read_with(layout_format(layout), path)
    assert [(line.date, line.amount.number) for line in statement.lines] == [
        (when, amount) for when, amount, _ in rows
    ]
    # Control characters never reach the ledger; the rest of the text is kept as written.
    assert [line.payee for line in statement.lines] == [
        clean_line(payee.strip()) for _, _, payee in rows
    ]
    if "balance" in layout["fields"]:
        assert statement.opening_balance == Decimal("1000.00")
        assert statement.closing_balance == Decimal("1000.00") + sum(a for _, a, _ in rows)


GARBAGE_FORMATS = [
    {"kind": "ofx"},
    {"kind": "csv", "date": "Date", "amount": "Amount", "balance": "Balance"},
    {"kind": "csv", "date": 0, "debit": 1, "credit": 2, "balance": 3, "delimiter": ";"},
]


def assert_reads_or_refuses(path: Path) -> None:
    for fmt in GARBAGE_FORMATS:
        with contextlib.suppress(StatementError):
            read_with(fmt, path)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_garbage_reads_or_is_refused_never_crashes(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "garbage"
    path.write_bytes(garbage)
    assert_reads_or_refuses(path)


CSV_TOKENS = ["Date", "Amount", "Balance", "2025-09-01", "1.00", "-2,50", "(3)", '"', ",", ";"]


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.lists(st.sampled_from([*CSV_TOKENS, "\n", " ", "\x00"]), max_size=12)),
    mutations=st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=3)), max_size=4),
    name=st.sampled_from(["checking.ofx", "card.qfx", "savings-v2.ofx"]),
)
def test_near_valid_files_read_or_are_refused(
    tmp_path: Path, lines: list[list[str]], mutations: list[tuple[int, bytes]], name: str
) -> None:
    path = tmp_path / "near.csv"
    path.write_text("Date,Amount,Balance\n" + "\n".join("".join(line) for line in lines))
    assert_reads_or_refuses(path)
    data = bytearray((DATA / name).read_bytes())
    for position, replacement in mutations:
        data[position : position + len(replacement) + 1] = replacement
    path.write_bytes(bytes(data))
    assert_reads_or_refuses(path)


def test_a_large_statement_reads_whole(tmp_path: Path) -> None:
    # Its speed is measured in bench/bench_import.py, not asserted here.
    path = tmp_path / "big.csv"
    rows = [
        f"09/{day % 28 + 1:02d}/2025,PAYEE {i},{i},-{i % 997}.{i % 100:02d},T{i}"
        for i, day in enumerate(range(20_000))
    ]
    path.write_text("Date,Description,Check Number,Amount,Transaction ID\n" + "\n".join(rows))
    fmt = {key: value for key, value in CHECKING_CSV.items() if key != "balance"}
    statement = read_with(fmt, path)
    assert len(statement.lines) == 20_000
    assert statement.lines[-1].reference == "19999"


# --- statement_span: a statement's first and last day from its date cells alone -------------


def span_with(fmt: dict[str, Any], path: Path, account: str = CHECKING):
    return statement_span(path, account, make_settings({"bank": fmt}, {account: "bank"}))


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts(), rows=rows_strategy)
def test_a_span_is_the_days_the_read_finds(
    tmp_path: Path, layout: dict[str, Any], rows: list[tuple[date, Decimal, str]]
) -> None:
    if "balance" in layout["fields"]:
        rows = sorted(rows, key=lambda row: row[0])
    path = tmp_path / "statement.csv"
    write_layout(path, layout, rows)
    statement = read_with(layout_format(layout), path)
    assert span_with(layout_format(layout), path) == (statement.start, statement.end)


@hypothesis_settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(st.lists(st.sampled_from([*CSV_TOKENS, "\n", " ", "\x00"]), max_size=12)),
)
def test_a_span_never_disagrees_with_the_read(tmp_path: Path, lines: list[list[str]]) -> None:
    # Whatever the file: no span (the read must tell), or the days a successful read finds.
    path = tmp_path / "near.csv"
    path.write_text("Date,Amount,Balance\n" + "\n".join("".join(line) for line in lines))
    for fmt in GARBAGE_FORMATS:
        span = span_with(fmt, path)
        try:
            statement = read_with(fmt, path)
        except StatementError:
            continue
        assert span is None or span == (statement.start, statement.end)


def test_only_a_csv_has_a_span() -> None:
    assert span_with({"kind": "ofx"}, DATA / "checking.ofx") is None
    assert span_with(CHECKING_CSV, DATA / "missing.csv") is None
