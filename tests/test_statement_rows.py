"""A CSV row is booked at the amount its amount field holds, or not at all.

Exports are written by careless programs: a thousands separator left unquoted, a payee with
the delimiter in it, a stray quote. Whatever such a row looks like, bo either refuses the
statement or reads every row at exactly the amount the bank wrote in its amount field(s);
never `1,500.00` as 1.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bo.settings import CsvFormat
from bo.statements import StatementError
from bo.statements.csv import CsvReader

SEPARATORS = [(".", ","), (".", ""), (",", "."), (",", " "), (".", "'")]


@st.composite
def formats(draw: st.DrawFn) -> dict:
    decimal, thousands = draw(st.sampled_from(SEPARATORS))
    return {
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "decimal": decimal,
        "thousands": thousands,
        "positive": draw(st.sampled_from(["inflow", "outflow"])),
        "split": draw(st.booleans()),  # debit and credit columns instead of one amount
    }


@st.composite
def renderings(draw: st.DrawFn) -> dict:
    """How one careless export writes an amount cell."""
    return {
        "group": draw(st.booleans()),
        "symbol": draw(st.booleans()),
        "sign": draw(st.sampled_from(["-", "()", "trailing"])),
        "quote": draw(st.booleans()),
    }


def amount_text(number: Decimal, fmt: dict, style: dict) -> str:
    whole, _, cents = f"{abs(number):.2f}".partition(".")
    if style["group"] and fmt["thousands"]:
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = fmt["thousands"].join([whole, *groups])
    text = f"{whole}{fmt['decimal']}{cents}"
    if style["symbol"]:
        text = "$" + text
    if number < 0:
        text = {"-": f"-{text}", "()": f"({text})", "trailing": f"{text}-"}[style["sign"]]
    # The careless part: quoted only when the style says so, whatever the text holds.
    return f'"{text}"' if style["quote"] else text


rows = st.lists(
    st.tuples(
        st.integers(-(10**8), 10**8).map(lambda cents: Decimal(cents).scaleb(-2)),
        renderings(),
        st.text(alphabet=st.sampled_from('ab ,;|\t"$1.-'), max_size=8),
        st.booleans(),  # the payee quoted (with its quotes doubled) or written as it is
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fmt=formats(), written=rows)
def test_a_row_that_imports_imports_at_exactly_its_amount(tmp_path: Path, fmt: dict, written):
    delimiter = fmt["delimiter"]
    columns = ["Date", "Debit", "Credit", "Payee"] if fmt["split"] else ["Date", "Amount", "Payee"]
    lines = [delimiter.join(columns)]
    expected = []
    for number, style, payee, quote_payee in written:
        payee_cell = '"' + payee.replace('"', '""') + '"' if quote_payee else payee
        if fmt["split"]:
            # Money out in the debit column, in the credit column money in, both unsigned.
            cell = amount_text(abs(number), fmt, style)
            cells = [cell, ""] if number < 0 else ["", cell]
            expected.append(number)
        else:
            cells = [amount_text(number, fmt, style)]
            expected.append(-number if fmt["positive"] == "outflow" else number)
        lines.append(delimiter.join(["2025-09-15", *cells, payee_cell]))
    path = tmp_path / "statement.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    config = {
        "delimiter": delimiter,
        "decimal": fmt["decimal"],
        "thousands": fmt["thousands"],
        "positive": fmt["positive"],
        "date": "Date",
        "payee": "Payee",
    }
    config |= {"debit": "Debit", "credit": "Credit"} if fmt["split"] else {"amount": "Amount"}
    reader = CsvReader(CsvFormat(**config), "USD")
    try:
        statement = reader.read(path, "Assets:Bank:Checking")
    except StatementError:
        return  # refused whole: nothing is booked at all
    assert len(statement.lines) == len(written)
    assert [line.amount.number for line in statement.lines] == expected
    assert all(line.date == date(2025, 9, 15) for line in statement.lines)


def test_a_stray_quote_that_joins_rows_is_refused_a_quoted_payee_over_lines_is_not(
    tmp_path: Path,
) -> None:
    reader = CsvReader(CsvFormat(date="Date", amount="Amount", payee="Payee"), "USD")
    path = tmp_path / "statement.csv"
    # Three rows, one cell: the two after the stray quote would be booked as nothing.
    path.write_text(
        'Date,Amount,Payee\n2025-09-15,-1.00,"Acme\n2025-09-16,-2.00,Bolt\n2025-09-17,-3.00,Cog"\n'
    )
    with pytest.raises(StatementError, match="stray quote") as refused:
        reader.read(path, "Assets:Bank:Checking")
    assert refused.value.source.lineno == 2
    # A payee the bank quoted over two lines, with the delimiter in it, is one row.
    path.write_text('Date,Amount,Payee\n2025-09-15,-1.00,"Acme, Inc.\nSuite 4, Main St"\n')
    statement = reader.read(path, "Assets:Bank:Checking")
    assert [(line.amount.number, line.payee) for line in statement.lines] == [
        (Decimal("-1.00"), "Acme, Inc. Suite 4, Main St")
    ]


# -- the hints a broken running balance prints lead to the right books --------------------------
HINT = re.compile(r"set `(positive|balance_owed): (\w+)`")


def follow_hints(path: Path, config: dict, owed: bool) -> tuple[list[Decimal], list[str]]:
    """Read the statement; while bo refuses it with a hint, do what the first hint says.
    Returns the amounts read and every message seen on the way."""
    seen = []
    for _ in range(3):
        try:
            statement = CsvReader(CsvFormat(**config), "USD").read(path, "X:Card", owed=owed)
        except StatementError as exc:
            seen.append(exc.message)
            found = HINT.search(exc.message)
            assert found, exc.message  # a refusal for a sign must say which setting to change
            config = {**config, found[1]: found[2]}
            continue
        return [line.amount.number for line in statement.lines], seen
    raise AssertionError(seen)


# Truth, as the books post it: a card charge is money out (negative), a payment money in.
CARD_TRUTH = [Decimal("-40.00"), Decimal("-12.50"), Decimal("300.00"), Decimal("-7.25")]


def card_file(tmp_path: Path, charges_positive: bool, owed_positive: bool, start: Decimal) -> Path:
    """A card export: amounts printed one way or the other, the balance owed likewise."""
    lines, owed = ["Date,Amount,Description,Balance"], start
    for n, amount in enumerate(CARD_TRUTH):
        owed -= amount  # a charge adds to what is owed
        printed_amount = -amount if charges_positive else amount
        printed_balance = owed if owed_positive else -owed
        lines.append(f"2025-09-{10 + n},{printed_amount},SHOP {n},{printed_balance}")
    path = tmp_path / "card.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


CARD = {"date": "Date", "amount": "Amount", "payee": "Description", "balance": "Balance"}


@pytest.mark.parametrize("charges_positive", [False, True])
@pytest.mark.parametrize("owed_positive", [False, True])
def test_a_card_export_is_read_right_whichever_way_it_prints_signs(
    tmp_path: Path, charges_positive: bool, owed_positive: bool
) -> None:
    path = card_file(tmp_path, charges_positive, owed_positive, Decimal("500.00"))
    amounts, seen = follow_hints(path, CARD, owed=True)
    assert amounts == CARD_TRUTH, seen
    # The balance column alone never needs a setting: its signs say how it prints what is owed.
    assert all("balance_owed" not in message.split("(")[0] for message in seen)
    assert len(seen) == (1 if charges_positive else 0)


@pytest.mark.parametrize("charges_positive", [False, True])
def test_a_card_in_credit_all_month_is_read_right_by_following_the_hint(
    tmp_path: Path, charges_positive: bool
) -> None:
    # Overpaid by 1,000: the issuer prints the balance owed as a negative number all month,
    # which looks like the other convention; the hint offers `balance_owed` for that case.
    path = card_file(tmp_path, charges_positive, owed_positive=True, start=Decimal("-1000.00"))
    config = {**CARD, "positive": "outflow" if charges_positive else "inflow"}
    with pytest.raises(StatementError, match="balance_owed: positive"):
        CsvReader(CsvFormat(**config), "USD").read(path, "X:Card", owed=True)
    fixed = CsvReader(CsvFormat(**config, balance_owed="positive"), "USD").read(
        path, "X:Card", owed=True
    )
    assert [line.amount.number for line in fixed.lines] == CARD_TRUTH


@pytest.mark.parametrize("charges_positive", [False, True])
def test_a_bank_export_with_charges_printed_positive_is_read_right_after_the_hint(
    tmp_path: Path, charges_positive: bool
) -> None:
    truth = [Decimal("-40.00"), Decimal("1200.00"), Decimal("-7.25")]
    lines, balance = ["Date,Amount,Description,Balance"], Decimal("100.00")
    for n, amount in enumerate(truth):
        balance += amount
        lines.append(f"2025-09-{10 + n},{-amount if charges_positive else amount},X {n},{balance}")
    path = tmp_path / "bank.csv"
    path.write_text("\n".join(lines) + "\n")
    amounts, seen = follow_hints(path, CARD, owed=False)
    assert amounts == truth
    assert len(seen) == (1 if charges_positive else 0)
    assert all("balance_owed" not in message for message in seen)


def test_a_statement_past_bo_s_limits_is_refused_saying_how_to_export_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bo.statements
    import bo.statements.csv

    path = tmp_path / "statement.csv"
    path.write_text("Date,Amount,Payee\n" + "2025-09-15,-1.00,Acme\n" * 5)
    monkeypatch.setattr(bo.statements.csv, "MAX_ROWS", 3)
    reader = CsvReader(CsvFormat(date="Date", amount="Amount", payee="Payee"), "USD")
    with pytest.raises(StatementError, match="more than 3 rows: export it") as refused:
        reader.read(path, "Assets:Bank:Checking")
    assert refused.value.source.lineno == 4
    # Too large to be a statement: refused before a byte is read.
    monkeypatch.setattr(bo.statements, "MAX_STATEMENT_BYTES", 2**20)
    path.write_bytes(b"x" * (2**20 + 1))
    with pytest.raises(StatementError, match="up to 1 MB: export it") as refused:
        bo.statements.check_statement_file(path)
    assert refused.value.source.filename == str(path)


@given(st.text())
def test_a_cell_reads_the_same_stripped_before_or_after_its_controls_go(text: str) -> None:
    # The reader cleans a cell, then strips it; a payee written stripped must read the same.
    from bo.text import clean_line

    assert clean_line(text).strip() == clean_line(text.strip())
    assert clean_line("\x1f0\xa00") == "0\xa00" and clean_line("0\xa0\x1b") == "0"
