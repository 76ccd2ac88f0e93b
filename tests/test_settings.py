"""bo.yaml validation: every problem names bo.yaml:LINE and the field, exits 2, writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bo.cache import cache_home
from bo.settings import Money
from tests.conftest import BO_YAML


def test_unknown_key_names_key_and_line(books, bo):
    (books / "bo.yaml").write_text(
        BO_YAML.replace("  currency: USD\n", "  currency: USD\n  curency: EUR\n")
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:4: unknown key `curency` in `entity`" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (books / ".bo").exists(), "nothing is written for bad input"


@pytest.mark.parametrize(
    ("place", "field", "says"),
    [
        ("  country: XX\n", "country", "`XX` is not a country code"),
        ("  country: US\n  subdivision: ZZ\n", "subdivision", "ZZ"),
    ],
)
def test_a_place_without_a_holiday_calendar_is_named(books, bo, place, field, says):
    (books / "bo.yaml").write_text(
        BO_YAML.replace("  currency: USD\n", "  currency: USD\n" + place)
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert f"bo.yaml:4: `entity.{field}`" in result.stderr or f"bo.yaml:5: `entity.{field}`" in (
        result.stderr
    )
    assert says in result.stderr
    assert not (books / ".bo").exists(), "nothing is written for bad input"


def test_holiday_tables_are_kept_for_the_next_run(books, bo):
    (books / "bo.yaml").write_text(
        BO_YAML.replace("  currency: USD\n", "  currency: USD\n  country: GB\n")
    )
    assert bo("check", cwd=books).exit_code == 0
    assert "GB/" in (cache_home() / "holidays.json").read_text()
    assert not (books / ".bo").exists(), "bo's caches are kept outside the books"


def test_unknown_top_level_key(books, bo):
    (books / "bo.yaml").write_text(BO_YAML + "threshold:\n  materiality: 10.00 USD\n")
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:15: unknown key `threshold`" in result.stderr


def test_money_without_currency_is_explained(books, bo):
    (books / "bo.yaml").write_text(BO_YAML.replace("minimum: 1000.00 USD", "minimum: 1000.00"))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:12:" in result.stderr
    assert "`accounts.Assets:Bank:Checking.minimum`" in result.stderr
    assert "needs its currency, like `1000.00 USD`" in result.stderr


def test_every_problem_is_reported_at_once(books, bo):
    text = BO_YAML.replace("role: bank", "role: banking").replace(
        "roles: [controller]", "roles: []"
    )
    (books / "bo.yaml").write_text(text)
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:8: `people[1].roles`" in result.stderr
    assert "bo.yaml:11: `accounts.Assets:Bank:Checking.role`" in result.stderr
    assert "banking" in result.stderr


def test_account_not_opened_in_ledger(books, bo):
    (books / "bo.yaml").write_text(BO_YAML + "  Liabilities:CreditCard:\n    role: card\n")
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert (
        "bo.yaml:15: `accounts.Liabilities:CreditCard`: account `Liabilities:CreditCard` "
        "is not opened in the ledger" in result.stderr
    )


def test_statement_format_must_exist(books, bo):
    text = BO_YAML.replace(
        "    minimum: 1000.00 USD\n",
        "    minimum: 1000.00 USD\n    statement: {format: chase-csv}\n",
    )
    (books / "bo.yaml").write_text(text)
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:13:" in result.stderr and "unknown format `chase-csv`" in result.stderr


def test_csv_format_needs_amount_columns(books, bo):
    text = BO_YAML + "statement_formats:\n  bank:\n    kind: csv\n    date: Date\n    debit: Out\n"
    (books / "bo.yaml").write_text(text)
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:16:" in result.stderr
    assert "give `amount`, or both `debit` and `credit` columns" in result.stderr


def test_yaml_syntax_error_has_line(books, bo):
    (books / "bo.yaml").write_text(BO_YAML.replace("  name: Small Books LLC", "  name: [oops"))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "bo.yaml:" in result.stderr and "not valid YAML" in result.stderr


def test_invalid_regex_in_rule(books, bo):
    rule = (
        "rules:\n  - name: broken\n    match: {payee_regex: '(unclosed'}\n"
        "    set: {account: Expenses:Rent}\n"
    )
    (books / "bo.yaml").write_text(BO_YAML + rule)
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert (
        "bo.yaml:17:" in result.stderr and "is not a regular expression bo can use" in result.stderr
    )


def test_no_books_found(tmp_path, bo):
    result = bo("check", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no bo.yaml" in result.stderr


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False)
)
def test_money_parses_exactly(number):
    assert Money.model_validate(f"{number} USD").number == number
    assert Money.model_validate(f"{number:,} USD").number == number


@pytest.mark.parametrize("text", ["12 usd", "USD 12", "12", "twelve USD"])
def test_money_rejects_malformed(text):
    with pytest.raises(ValueError):
        Money.model_validate(text)
