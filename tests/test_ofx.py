"""OFX as banks send it: every deviation in tests/data/ofx (each file written by hand for
these tests) reads line for line, through the reader and through `bo import`; a file bo
cannot read is refused saying what is wrong with it, and nothing is written."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from bo.statements.model import StatementError
from bo.statements.ofx import OfxReader
from bo.text import clean_line
from tests.conftest import PROJECT
from tests.test_import import small  # noqa: F401 (a fixture: the small books with formats)

DATA = PROJECT / "tests/data/ofx"
ACCOUNT = "Assets:Bank:Checking"


def d(text: str) -> date:
    return date.fromisoformat(text)


# Each file, what is wrong with it by the spec, and the lines a bookkeeper reads on it.
DEVIATIONS = {
    # BANKID of 13 characters, where the spec allows 9.
    "long-bankid.ofx": [("2025-10-03", "1250.00"), ("2025-10-17", "-84.20")],
    # No OFXHEADER block: the file starts at <OFX>.
    "no-header.ofx": [("2025-10-06", "-310.00"), ("2025-10-21", "95.5")],
    # OFX 2 without its <?xml?> line; a datetime with a time zone, an entity in a memo.
    "no-xml-line.ofx": [("2025-10-31", "4.12"), ("2025-10-14", "-600.00")],
    # The SGML header inside a comment.
    "header-in-comment.qfx": [("2025-10-08", "-23.75"), ("2025-10-19", "-412.00")],
    # <BANKTRANLIST> never closed: the balances follow the last transaction.
    "unclosed-tranlist.ofx": [("2025-10-09", "-1500.00"), ("2025-10-24", "2200.00")],
    # CRLF lines, Windows-1252 text, and a NUL byte after </OFX>.
    "trailing-nul.qfx": [("2025-10-04", "-18.30"), ("2025-10-30", "300.00")],
    # SGML closing nothing, not even <STMTTRN> or </OFX>; an empty <MEMO>; a decimal comma.
    "no-closing-tags.ofx": [
        ("2025-10-02", "-45.00"), ("2025-10-15", "-1.10"), ("2025-10-28", "700.00"),
    ],
    # A card statement with no <LEDGERBAL>, and a NAME longer than the spec's 32 characters.
    "card-no-ledgerbal.qfx": [("2025-10-11", "-64.00"), ("2025-10-25", "64.00")],
    # An investment statement: its cash lines only (a reinvested dividend and a buy on
    # margin move no cash).
    "investment.ofx": [
        ("2025-10-01", "5000.00"), ("2025-10-06", "-2019.95"), ("2025-10-15", "12.40"),
        ("2025-10-27", "615.05"), ("2025-10-31", "-25.00"),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(DEVIATIONS))
def test_each_deviation_reads_every_line(name: str) -> None:
    statement = OfxReader().read(DATA / name, ACCOUNT)
    assert [(line.date, line.amount.number) for line in statement.lines] == [
        (d(day), Decimal(amount)) for day, amount in DEVIATIONS[name]
    ]
    assert {line.amount.currency for line in statement.lines} == {"USD"}
    assert all(line.bank_id for line in statement.lines)
    assert (statement.start, statement.end) == (d("2025-10-01"), d("2025-10-31"))


def test_balances_where_the_bank_gives_them() -> None:
    def balances(name: str) -> tuple[Decimal | None, Decimal | None]:
        statement = OfxReader().read(DATA / name, ACCOUNT)
        return statement.opening_balance, statement.closing_balance

    assert balances("unclosed-tranlist.ofx") == (Decimal("10000.00"), Decimal("10700.00"))
    assert balances("no-closing-tags.ofx") == (Decimal("2000.00"), Decimal("2653.90"))
    assert balances("trailing-nul.qfx") == (Decimal("-384.15"), Decimal("-102.45"))
    # No balance said, none made up: reconciliation asks for one.
    assert balances("card-no-ledgerbal.qfx") == (None, None)
    # A broker's available cash is not the balance its cash lines run to.
    assert balances("investment.ofx") == (None, None)


def test_text_reads_as_the_bank_wrote_it() -> None:
    def lines(name: str) -> list[tuple[str, str, str | None]]:
        statement = OfxReader().read(DATA / name, ACCOUNT)
        return [(line.payee, line.memo, line.reference) for line in statement.lines]

    assert lines("trailing-nul.qfx")[0] == ("CAFÉ LUMIÈRE", "", None)
    assert lines("no-xml-line.ofx")[1] == ("TRANSFER TO CHECKING", "Online & mobile", None)
    assert lines("unclosed-tranlist.ofx")[0] == ("CHECK 2044", "", "2044")
    assert lines("card-no-ledgerbal.qfx")[0][0] == (
        "HARDWARE STORE A VERY LONG MERCHANT NAME OVER THIRTY TWO"
    )
    assert lines("investment.ofx") == [
        ("DEPOSIT FROM CHECKING", "", None),
        ("Buy ACME", "BUY 10 ACME", None),
        ("Dividend ACME", "", None),
        ("Sell Total Market Index Fund", "", None),
        ("ACCOUNT FEE", "", None),
    ]


def test_lines_point_at_their_transaction() -> None:
    statement = OfxReader().read(DATA / "no-closing-tags.ofx", ACCOUNT)
    assert [line.source.lineno for line in statement.lines] == [24, 31, 37]


# --- refused, saying what is wrong --------------------------------------------------------


def refused(tmp_path: Path, text: str | bytes) -> StatementError:
    path = tmp_path / "statement.ofx"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    with pytest.raises(StatementError) as caught:
        OfxReader().read(path, ACCOUNT)
    return caught.value


def test_a_file_cut_short_is_refused(tmp_path: Path) -> None:
    text = (DATA / "no-xml-line.ofx").read_text()
    error = refused(tmp_path, text[: text.index("<STMTTRN>", 600)])
    assert str(error).endswith(
        "the file ends before </OFX>: it was cut short; download the statement again"
    )


def test_a_transaction_without_an_amount_names_its_line(tmp_path: Path) -> None:
    text = (DATA / "no-header.ofx").read_text().replace("<TRNAMT>95.5\n", "")
    error = refused(tmp_path, text)
    assert (error.source.lineno, error.message) == (21, "<STMTTRN> has no <TRNAMT>, its amount")


def test_a_statement_without_a_currency(tmp_path: Path) -> None:
    error = refused(tmp_path, (DATA / "long-bankid.ofx").read_text().replace("<CURDEF>USD", ""))
    assert (error.source.lineno, error.message) == (
        14,
        "<STMTRS> has no <CURDEF>, the currency of the statement",
    )


def test_a_file_with_no_statement(tmp_path: Path) -> None:
    error = refused(tmp_path, "OFXHEADER:100\n\n<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>\n")
    assert error.message == (
        "the file holds no bank, credit card or investment statement "
        "(no <STMTRS>, <CCSTMTRS> or <INVSTMTRS>)"
    )


def test_a_bank_error_instead_of_a_statement(tmp_path: Path) -> None:
    error = refused(
        tmp_path,
        "OFXHEADER:100\n\n<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>15500<SEVERITY>ERROR"
        "<MESSAGE>Signon invalid</STATUS></SONRS></SIGNONMSGSRSV1></OFX>\n",
    )
    assert error.message.endswith(
        "(no <STMTRS>, <CCSTMTRS> or <INVSTMTRS>): the bank answered with error 15500 "
        "(Signon invalid)"
    )


def test_an_investment_statement_without_cash_movements(tmp_path: Path) -> None:
    text = (DATA / "investment.ofx").read_text()
    start, end = text.index("<INVBANKTRAN>"), text.index("<REINVEST>")
    only_reinvested = text[:start] + text[end : text.index("</REINVEST>") + 11]
    only_reinvested += text[text.index("</INVTRANLIST>") :]
    error = refused(tmp_path, only_reinvested)
    assert (error.source.lineno, error.message) == (
        7,
        "the investment statement holds no transactions that move cash",
    )


def test_a_bad_date_names_its_line(tmp_path: Path) -> None:
    text = (DATA / "no-header.ofx").read_text().replace("<DTPOSTED>20251021", "<DTPOSTED>2025-10")
    error = refused(tmp_path, text)
    assert (error.source.lineno, error.message) == (
        23,
        "<DTPOSTED> `2025-10` is not a date (OFX writes YYYYMMDD, like 20250930)",
    )


def test_tags_nested_without_end_are_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, "<OFX>" + "".join(f"<A{i}>" for i in range(100)))
    assert "its tags nest more than 64 deep" in error.message


# --- through the CLI --------------------------------------------------------------------------


@pytest.fixture
def ofx_books(small: Path) -> Path:  # noqa: F811 (small is a fixture)
    """The small books of test_import, their checking account fed by OFX."""
    settings = small / "bo.yaml"
    settings.write_text(settings.read_text().replace("format: bank,", "format: ofx,"))
    return small


def booked(books: Path) -> list[tuple[date, Decimal]]:
    entries, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    assert not errors, errors[:3]
    return sorted(
        (entry.date, posting.units.number)
        for entry in entries
        if "import-id" in getattr(entry, "meta", {})
        for posting in entry.postings
        if posting.account == ACCOUNT
    )


@pytest.mark.parametrize("name", sorted(DEVIATIONS))
def test_bo_import_books_every_line_once(ofx_books: Path, bo, name: str) -> None:
    target = ofx_books / "statements/checking" / f"2025-10{Path(name).suffix}"
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / name, target)
    result = bo("import", str(target), "--json", cwd=ofx_books)
    assert result.exit_code == 1, result.stderr  # booked, uncategorized: to look at
    assert booked(ofx_books) == sorted((d(day), Decimal(n)) for day, n in DEVIATIONS[name])
    again = bo("import", str(target), "--json", cwd=ofx_books)
    assert json.loads(again.stdout)["added"] == []


def test_bo_import_of_an_unreadable_file_writes_nothing(ofx_books: Path, bo) -> None:
    target = ofx_books / "statements/checking/2025-10.ofx"
    target.parent.mkdir(parents=True)
    text = (DATA / "no-header.ofx").read_text()
    target.write_text(text.replace("<DTPOSTED>20251006\n", ""))
    before = sorted(p for p in ofx_books.rglob("*") if p.is_file())
    result = bo("import", str(target), cwd=ofx_books)
    assert result.exit_code == 2
    assert "2025-10.ofx:14: <STMTTRN> has no <DTPOSTED>, the date it was posted" in result.stderr
    assert "Traceback" not in result.stderr and "Can't set" not in result.stderr
    assert sorted(p for p in ofx_books.rglob("*") if p.is_file()) == before


# --- property: however a bank writes a statement, its lines read back ------------------------

transactions = st.lists(
    st.tuples(
        st.dates(date(2025, 1, 1), date(2025, 12, 31)),
        st.decimals(-99999, 99999, places=2, allow_nan=False, allow_infinity=False),
        st.text(st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), max_size=40),
    ),
    min_size=1,
    max_size=8,
)
# How banks differ: the header, XML or SGML, which tags they close, line ends.
styles = st.fixed_dictionaries(
    {
        "header": st.sampled_from(["sgml", "xml", "xml-no-decl", "comment", "none"]),
        "close_elements": st.booleans(),
        "close_transactions": st.booleans(),
        "close_list": st.booleans(),
        "newline": st.sampled_from(["\n", "\r\n", ""]),
        "nul": st.booleans(),
    }
)

HEADERS = {
    "sgml": "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nCHARSET:1252\n\n",
    "xml": '<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n',
    "xml-no-decl": '<?OFX OFXHEADER="200" VERSION="220"?>\n',
    "comment": "<!-- OFXHEADER:100\nDATA:OFXSGML -->\n",
    "none": "",
}


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_statement(rows: list[tuple[date, Decimal, str]], style: dict) -> bytes:
    end = style["newline"]

    def element(tag: str, value: str) -> str:
        return f"<{tag}>{value}" + (f"</{tag}>" if style["close_elements"] else "") + end

    parts = [HEADERS[style["header"]], "<OFX>", end, "<BANKMSGSRSV1><STMTTRNRS><STMTRS>", end]
    parts += [element("CURDEF", "USD"), "<BANKACCTFROM>", element("ACCTID", "1234567890123")]
    parts += ["</BANKACCTFROM><BANKTRANLIST>", end]
    for number, (day, amount, name) in enumerate(rows):
        parts += ["<STMTTRN>", end, element("DTPOSTED", day.strftime("%Y%m%d"))]
        parts += [element("TRNAMT", str(amount)), element("FITID", f"T{number}")]
        parts += [element("NAME", escape(name))]
        parts += ["</STMTTRN>" if style["close_transactions"] else "", end]
    parts += ["</BANKTRANLIST>" if style["close_list"] else "", end]
    parts += ["</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>", end]
    # The SGML header declares Windows-1252; the others declare nothing: UTF-8.
    data = "".join(parts).encode("cp1252" if style["header"] == "sgml" else "utf-8")
    return data + (b"\x00" if style["nul"] else b"")


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=transactions, style=styles)
@example(  # 1252 bytes that are also UTF-8: the header's CHARSET decides
    rows=[(date(2025, 1, 1), Decimal("0.00"), "Â\xa0")],
    style={"header": "sgml", "close_elements": False, "close_transactions": False,
           "close_list": False, "newline": "\n", "nul": False},
)  # fmt: skip
def test_any_way_of_writing_a_statement_reads_back(
    tmp_path: Path, rows: list[tuple[date, Decimal, str]], style: dict
) -> None:
    path = tmp_path / "statement.ofx"
    path.write_bytes(write_statement(rows, style))
    statement = OfxReader().read(path, ACCOUNT)
    assert [(line.date, line.amount.number, line.payee) for line in statement.lines] == [
        (day, amount, clean_line(name.strip())) for day, amount, name in rows
    ]
    assert [line.bank_id for line in statement.lines] == [f"T{i}" for i in range(len(rows))]
