"""Statement layouts banks really print, each read at the dates and amounts the bank meant.

The fixtures in tests/data/layouts are written by hand for these tests: an unsigned amount
with a direction column, trailer lines, balance and summary rows among the data, a card's
balance printed negative when owed, one-digit years, a file whose dates only one of two
patterns reads, several cards in one file, a tab-separated file, and built-in formats.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bo.settings import INFLOW_WORDS, OUTFLOW_WORDS, CsvFormat, Settings
from bo.statements import Statement, StatementError, read_statement
from bo.statements.dates import DateParser

LAYOUTS = Path(__file__).parent / "data" / "layouts"
BANK = "Assets:Bank:Checking"
CARD = "Liabilities:Card:Visa"


def settings_for(fmt: dict[str, Any] | str, account: str = BANK, **extra: Any) -> Settings:
    """bo.yaml with one account whose statements are in `fmt` (a mapping, or a name)."""
    formats = {} if isinstance(fmt, str) else {"mine": fmt}
    name = fmt if isinstance(fmt, str) else "mine"
    return Settings.model_validate(
        {
            "entity": {"name": "Layouts Ltd", "currency": extra.pop("currency", "USD")},
            "accounts": {
                account: {
                    "role": "card" if account.startswith("Liabilities") else "bank",
                    "statement": {"format": name, **extra},
                }
            },
            "statement_formats": formats,
        }
    )


def read(name: str, fmt: dict[str, Any] | str, account: str = BANK, **extra: Any) -> Statement:
    return read_statement(LAYOUTS / name, account, settings_for(fmt, account, **extra))


def new_books(tmp_path: Path, bo: Any, formats: str, *changes: tuple[str, str]) -> Path:
    """Books from `bo init` whose bo.yaml has these statement formats and changes."""
    books = tmp_path / "books"
    assert bo("init", str(books), "--no-git", cwd=tmp_path).exit_code == 0
    settings = (books / "bo.yaml").read_text()
    for old, new in (("statement_formats: {}\n", f"statement_formats:\n{formats}"), *changes):
        assert old in settings
        settings = settings.replace(old, new)
    (books / "bo.yaml").write_text(settings)
    return books


def booked(statement: Statement) -> list[tuple[date, Decimal]]:
    return [(line.date, line.amount.number) for line in statement.lines]


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- an unsigned amount and a direction column ------------------------------------------------
def test_a_d_c_column_says_which_way_the_unsigned_amount_goes() -> None:
    fmt = {
        "date": "Value Date",
        "amount": "Amount",
        "direction": "D/C",
        "payee": "Narrative",
        "id": "Reference",
    }
    statement = read("direction-dc.csv", fmt)
    assert booked(statement) == [
        (d("2025-09-02"), Decimal("2400.00")),
        (d("2025-09-03"), Decimal("-1200.00")),
        (d("2025-09-05"), Decimal("-45.10")),
        (d("2025-09-09"), Decimal("3.95")),
    ]


def test_debit_and_credit_words_on_a_card_statement() -> None:
    # A debit on a card is a charge (more owed, negative in the books), a credit a payment.
    fmt = {
        "date": "Date",
        "date_format": "%m/%d/%Y",
        "amount": "Amount",
        "direction": "Type",
        "payee": "Merchant",
    }
    statement = read("direction-words.csv", fmt, CARD)
    assert booked(statement) == [
        (d("2025-09-01"), Decimal("-1024.50")),
        (d("2025-09-04"), Decimal("1500.00")),
        (d("2025-09-07"), Decimal("-89.00")),
        (d("2025-09-12"), Decimal("24.50")),
    ]


def test_an_unknown_direction_is_refused_naming_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Date,Amount,Dir\n2025-09-01,5.00,X\n")
    fmt = {"date": "Date", "amount": "Amount", "direction": "Dir"}
    with pytest.raises(StatementError) as caught:
        read_statement(path, BANK, settings_for(fmt))
    assert str(caught.value).startswith(f'{path}:2: column "Dir": "X" is not a direction')


def test_direction_needs_an_amount_column() -> None:
    with pytest.raises(ValueError, match="`direction` says which way `amount` goes"):
        CsvFormat.model_validate({"date": 0, "debit": 1, "credit": 2, "direction": 3})


# -- trailer lines after the data -------------------------------------------------------------
TRAILER_EXPECTED = [
    (d("2025-10-01"), Decimal("-12.40")),
    (d("2025-10-02"), Decimal("850.00")),
    (d("2025-10-06"), Decimal("-64.20")),
]


def test_trailer_lines_left_out_by_count() -> None:
    statement = read("trailer.csv", {"preset": "plain", "footer_rows": 3})
    assert booked(statement) == TRAILER_EXPECTED


def test_trailer_lines_left_out_from_the_row_that_ends_the_data() -> None:
    fmt = {"preset": "plain", "filters": [{"matches": "^Total", "then": "end"}]}
    assert booked(read("trailer.csv", fmt)) == TRAILER_EXPECTED


def test_a_trailer_without_a_setting_is_refused_at_its_line() -> None:
    with pytest.raises(StatementError) as caught:
        read("trailer.csv", "plain")
    assert f"{LAYOUTS / 'trailer.csv'}:6: " in str(caught.value)


# -- balance and summary rows among the data --------------------------------------------------
def test_opening_and_closing_rows_are_balances_and_a_subtotal_is_skipped() -> None:
    fmt = {
        "preset": "plain",
        "filters": [
            {"column": "Description", "matches": "(?i)^opening", "then": "opening_balance"},
            {"column": "Description", "matches": "(?i)^closing", "then": "closing_balance"},
            {"column": "Description", "matches": "^Subtotal"},
        ],
    }
    statement = read("balance-rows.csv", fmt)
    # The opening balance is never a deposit, the subtotal no transaction.
    assert booked(statement) == [
        (d("2025-08-04"), Decimal("-310.00")),
        (d("2025-08-11"), Decimal("1750.00")),
        (d("2025-08-20"), Decimal("-12.00")),
        (d("2025-08-29"), Decimal("-58.75")),
    ]
    assert statement.opening_balance == Decimal("5000.00")
    assert statement.closing_balance == Decimal("6369.25")


def test_a_closing_row_the_rows_do_not_reach_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    text = (LAYOUTS / "balance-rows.csv").read_text().replace("6369.25", "6400.00")
    path.write_text(text)
    fmt = {
        "preset": "plain",
        "filters": [
            {"matches": "Opening Balance", "then": "opening_balance"},
            {"matches": "Closing Balance", "then": "closing_balance"},
            {"matches": "Subtotal"},
        ],
    }
    with pytest.raises(StatementError) as caught:
        read_statement(path, BANK, settings_for(fmt))
    assert f"{path}:8: the closing balance 6400.00 does not follow" in str(caught.value)
    assert "6369.25" in str(caught.value)


def test_the_bofa_preset_reads_past_the_summary_and_takes_the_beginning_balance() -> None:
    statement = read("bofa-checking.csv", "bofa-checking")
    assert booked(statement) == [
        (d("2025-09-02"), Decimal("-1200.00")),
        (d("2025-09-10"), Decimal("3150.00")),
        (d("2025-09-22"), Decimal("-12.00")),
        (d("2025-09-29"), Decimal("-50.35")),
    ]
    assert statement.opening_balance == Decimal("2000.00")
    assert statement.closing_balance == Decimal("3887.65")


# -- a card's balance printed negative when owed -----------------------------------------------
@pytest.mark.parametrize("owed", [None, "negative"])
def test_a_card_balance_printed_negative_when_owed(owed: str | None) -> None:
    fmt = {"preset": "plain-balance", "date": "Posted"}
    if owed:
        fmt["balance_owed"] = owed
    statement = read("card-owed-negative.csv", fmt, CARD)
    assert booked(statement) == [
        (d("2025-09-01"), Decimal("-420.00")),
        (d("2025-09-05"), Decimal("-310.50")),
        (d("2025-09-15"), Decimal("730.50")),
        (d("2025-09-20"), Decimal("-28.00")),
    ]
    # Owed is a credit balance in the books: -28.00 owed at the end.
    assert statement.closing_balance == Decimal("-28.00")
    assert statement.opening_balance == Decimal("0.00")


# -- dates strptime alone cannot read ------------------------------------------------------------
def test_one_digit_years_and_a_decimal_comma_alone() -> None:
    fmt = {
        "delimiter": ";",
        "date": "Date",
        "date_format": "%d-%b-%y",
        "amount": "Amount",
        "payee": "Description",
        "decimal": ",",  # thousands "." follows
        "currency": "EUR",
    }
    statement = read("short-years.csv", fmt, currency="EUR")
    assert booked(statement) == [
        (d("2009-11-10"), Decimal("-4.20")),
        (d("2009-12-03"), Decimal("1250.00")),
        (d("2009-12-31"), Decimal("0.37")),
    ]


def test_the_first_date_pattern_that_reads_the_whole_file_is_the_files() -> None:
    # 02/01/2025 reads in either order; 13/01/2025 only day first: so the whole file is.
    fmt = {"preset": "plain", "date_format": ["%m/%d/%Y", "%d/%m/%Y"]}
    assert booked(read("mixed-dates.csv", fmt)) == [
        (d("2025-01-02"), Decimal("-15.00")),
        (d("2025-01-13"), Decimal("300.00")),
        (d("2025-01-31"), Decimal("-5.00")),
    ]


# -- one file, several cards ------------------------------------------------------------------
def two_cards() -> Settings:
    fmt = {"preset": "plain", "date": "Transaction Date", "account_number": "Card Number"}
    return Settings.model_validate(
        {
            "entity": {"name": "Layouts Ltd"},
            "accounts": {
                "Liabilities:Card:Alex": {
                    "role": "card",
                    "statement": {"format": "cards", "account_id": "1001"},
                },
                "Liabilities:Card:Sam": {
                    "role": "card",
                    "statement": {"format": "cards", "account_id": "2002"},
                },
            },
            "statement_formats": {"cards": fmt},
        }
    )


def test_a_file_of_several_cards_gives_each_account_its_rows() -> None:
    settings = two_cards()
    path = LAYOUTS / "several-cards.csv"
    alex = read_statement(path, "Liabilities:Card:Alex", settings)
    sam = read_statement(path, "Liabilities:Card:Sam", settings)
    assert booked(alex) == [
        (d("2025-09-02"), Decimal("-99.00")),
        (d("2025-09-08"), Decimal("-450.00")),
        (d("2025-09-12"), Decimal("99.00")),
    ]
    assert booked(sam) == [
        (d("2025-09-03"), Decimal("-23.40")),
        (d("2025-09-09"), Decimal("-61.00")),
    ]
    assert [line.source.lineno for line in sam.lines] == [3, 5]


def test_a_card_number_bo_yaml_does_not_know_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    text = (LAYOUTS / "several-cards.csv").read_text()
    path.write_text(text.replace("****2002", "****3003", 1))
    with pytest.raises(StatementError) as caught:
        read_statement(path, "Liabilities:Card:Alex", two_cards())
    assert str(caught.value).startswith(
        f'{path}:3: column "Card Number": account number `****3003` is not Liabilities:Card:Alex\'s'
    )


# -- separators ---------------------------------------------------------------------------------
@pytest.mark.parametrize("written", ["tab", "TAB", "\\t", "\t"])
def test_a_tab_delimiter_however_written(written: str) -> None:
    statement = read("tabbed.tsv", {"preset": "plain", "delimiter": written})
    assert booked(statement) == [
        (d("2025-09-01"), Decimal("1000.00")),
        (d("2025-09-04"), Decimal("-8.50")),
    ]


def test_decimal_comma_with_thousands_comma_says_what_to_set() -> None:
    with pytest.raises(ValueError, match="`decimal` and `thousands` are both `,`"):
        CsvFormat.model_validate({"date": 0, "amount": 1, "decimal": ",", "thousands": ","})


# -- presets ------------------------------------------------------------------------------------
def test_an_unknown_preset_names_the_built_in_ones() -> None:
    wrong = "`preset: chasse-card` is not a built-in format .*chase-card"
    with pytest.raises(ValueError, match=wrong):
        CsvFormat.model_validate({"preset": "chasse-card"})


def test_every_preset_is_a_valid_format() -> None:
    from bo.presets import PRESETS

    for name in PRESETS:
        assert CsvFormat.model_validate({"preset": name}).preset == name


def test_a_preset_key_overridden() -> None:
    fmt = CsvFormat.model_validate({"preset": "amex-card", "date_format": "%Y-%m-%d"})
    assert (fmt.date_format, fmt.positive, fmt.amount) == ("%Y-%m-%d", "outflow", "Amount")


def test_bad_format_settings_name_file_line_and_field(tmp_path: Path, bo: Any) -> None:
    (tmp_path / "bo.yaml").write_text(
        "entity: {name: X}\nstatement_formats:\n  mine:\n    preset: plain\n    delimiter: two\n"
    )
    (tmp_path / "ledgers").mkdir()
    (tmp_path / "ledgers/main.beancount").write_text("")
    result = bo("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "bo.yaml:5: `statement_formats.mine.delimiter`: one character" in result.stderr


def test_import_of_a_file_of_two_cards_books_each_cards_rows(tmp_path: Path, bo: Any) -> None:
    books = new_books(
        tmp_path,
        bo,
        "  cards:\n    preset: plain\n    date: Transaction Date\n"
        "    account_number: Card Number\n",
        (
            "  Liabilities:CreditCard:\n    role: card\n",
            "  Liabilities:CreditCard:\n    role: card\n"
            "    statement: {format: cards, dir: statements/cards, account_id: '1001'}\n"
            "  Liabilities:CreditCard:Sam:\n    role: card\n"
            "    statement: {format: cards, dir: statements/cards, account_id: '2002'}\n",
        ),
    )
    accounts = books / "ledgers/accounts.beancount"
    accounts.write_text(accounts.read_text() + "2020-01-01 open Liabilities:CreditCard:Sam\n")
    (books / "statements/cards").mkdir(parents=True)
    statement = books / "statements/cards/2025-09.csv"
    statement.write_text((LAYOUTS / "several-cards.csv").read_text())
    result = bo("import", "statements/cards/2025-09.csv", cwd=books)
    assert result.exit_code == 1, result.stderr  # imported, uncategorized
    alex = (books / "ledgers/imports/liabilities-creditcard/2025-09.beancount").read_text()
    sam = (books / "ledgers/imports/liabilities-creditcard-sam/2025-09.beancount").read_text()
    assert [line.split()[0] for line in alex.splitlines() if line[:1].isdigit()] == [
        "2025-09-02",
        "2025-09-08",
        "2025-09-12",
    ]
    assert "-99.00 USD" in alex and "-450.00 USD" in alex and "-23.40" not in alex
    assert "-23.40 USD" in sam and "-61.00 USD" in sam and "-99.00" not in sam
    # Safe to run twice: each card's rows are in the books once.
    again = bo("import", "statements/cards/2025-09.csv", cwd=books)
    assert "added 0 entries" in again.stdout


# -- properties of the row parser ---------------------------------------------------------------
cents = st.integers(0, 10**9).map(lambda n: Decimal(n).scaleb(-2))
days = st.dates(date(1970, 1, 1), date(2060, 12, 31))


def cased(word: str, how: int) -> str:
    return (word, word.upper(), word.lower(), word.title())[how]


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            days,
            cents,
            st.booleans(),  # money out
            st.sampled_from(range(4)),  # how the direction word is cased
            st.booleans(),  # a subtotal row after this one
        ),
        min_size=1,
        max_size=8,
    ),
    opening=cents,
    trailer=st.integers(0, 3),
    words=st.tuples(st.sampled_from(OUTFLOW_WORDS), st.sampled_from(INFLOW_WORDS)),
)
def test_direction_balance_rows_and_trailers_read_exactly(
    tmp_path: Path, rows: list, opening: Decimal, trailer: int, words: tuple[str, str]
) -> None:
    text = ["Date;Details;Amount;Dir", f"01/01/1970;Opening balance;{opening};"]
    expected = []
    for when, number, out, how, subtotal in rows:
        word = cased(words[0] if out else words[1], how)
        text.append(f"{when:%d/%m/%Y};Row {len(expected)};{number};{word}")
        expected.append((when, -number if out else number))
        if subtotal:
            text.append(f"{when:%d/%m/%Y};Subtotal;{number};")
    text += [f"End of statement {i}" for i in range(trailer)]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(text) + "\n")
    fmt = {
        "delimiter": ";",
        "date": "Date",
        "date_format": ["%d/%m/%Y"],
        "amount": "Amount",
        "direction": "Dir",
        "payee": "Details",
        "footer_rows": trailer,
        "thousands": "",
        "filters": [
            {"column": "Details", "matches": "^Opening balance$", "then": "opening_balance"},
            {"column": "Details", "matches": "^Subtotal$"},
        ],
    }
    statement = read_statement(path, BANK, settings_for(fmt))
    assert booked(statement) == expected
    assert statement.opening_balance == opening
    assert statement.closing_balance == opening + sum(number for _, number in expected)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    when=st.dates(date(1969, 1, 1), date(2068, 12, 31)),
    pattern=st.sampled_from(["%d-%b-%y", "%m/%d/%y", "%d.%m.%y", "%Y-%m-%d", "%d %B %Y"]),
    lone=st.booleans(),
)
def test_a_date_reads_back_with_or_without_leading_zeros(
    when: date, pattern: str, lone: bool
) -> None:
    text = when.strftime(pattern)
    if lone:  # 05-Nov-09 printed as 5-Nov-9, as some banks do
        text = re.sub(r"(?<![0-9])0([0-9])(?![0-9])", r"\1", text)
    assert DateParser(["%Y-%m-%d", pattern]).parse(text) == when


@pytest.mark.parametrize("written", ["tab", "'\\t'", '"\\t"'])
def test_a_tab_delimiter_passes_check_and_imports_alike(
    tmp_path: Path, bo: Any, written: str
) -> None:
    books = new_books(
        tmp_path,
        bo,
        f'  tabbed:\n    preset: plain\n    delimiter: {written}\n    decimal: "."\n',
        ("{format: plain, dir:", "{format: tabbed, dir:"),
    )
    assert bo("check", cwd=books).exit_code == 0
    folder = books / "statements/checking"
    folder.mkdir(parents=True)
    (folder / "2025-09.tsv").write_text((LAYOUTS / "tabbed.tsv").read_text())
    result = bo("import", "statements/checking/2025-09.tsv", cwd=books)
    assert result.exit_code == 1, result.stderr
    written_file = books / "ledgers/imports/assets-bank-checking/2025-09.beancount"
    text = written_file.read_text()
    assert "1000.00 USD" in text and "-8.50 USD" in text


def test_a_decimal_comma_alone_passes_check(tmp_path: Path, bo: Any) -> None:
    books = new_books(
        tmp_path, bo, '  eu:\n    preset: plain\n    delimiter: ";"\n    decimal: ","\n'
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 0, result.stderr


def test_an_opening_balance_row_is_the_banks_balance_in_reconcile_not_a_deposit(
    tmp_path: Path, bo: Any
) -> None:
    books = new_books(
        tmp_path,
        bo,
        "  mine:\n    preset: plain\n    filters:\n"
        '      - {column: Description, matches: "^Opening Balance", then: opening_balance}\n'
        '      - {column: Description, matches: "^Closing Balance", then: closing_balance}\n'
        '      - {column: Description, matches: "^Subtotal"}\n',
        ("{format: plain, dir:", "{format: mine, dir:"),
    )
    folder = books / "statements/checking"
    folder.mkdir(parents=True)
    (folder / "2025-08.csv").write_text((LAYOUTS / "balance-rows.csv").read_text())
    imported = bo("import", "statements/checking/2025-08.csv", cwd=books)
    assert "added 4 entries" in imported.stdout
    assert (
        "5000.00"
        not in (books / "ledgers/imports/assets-bank-checking/2025-08.beancount").read_text()
    )
    rec = bo("reconcile", "Assets:Bank:Checking", "--period", "2025-08", "--json", cwd=books)
    balances = json.loads(rec.stdout)["balances"]
    # The bank holds the 5,000.00 it opened with; the books, never told, hold the month's lines.
    assert Decimal(balances["bank"]) == Decimal("6369.25")
    assert Decimal(balances["books"]) == Decimal("1369.25")


def test_a_beginning_balance_the_running_balances_contradict_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bofa.csv"
    text = (LAYOUTS / "bofa-checking.csv").read_text()
    path.write_text(
        text.replace(
            '09/01/2025,Beginning balance as of 09/01/2025,,"2,000.00"',
            '09/01/2025,Beginning balance as of 09/01/2025,,"2,100.00"',
        )
    )
    with pytest.raises(StatementError) as caught:
        read_statement(path, BANK, settings_for("bofa-checking"))
    assert str(caught.value) == (
        f"{path}:8: the opening balance 2100.00 does not agree with the running balances, "
        "which start from 2000.00"
    )
