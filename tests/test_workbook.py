"""Reports as workbooks: the close packet an outside accountant files, and `--format xlsx`.

The workbook is read back with openpyxl (the accountant's side) and held to the JSON
reports of the same books: a sheet's totals are the report's, to the cent.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from bo.cli import app
from bo.reports.workbook import Money, Sheet, Table, money_format, sheet_name, workbook_bytes

openpyxl = pytest.importorskip("openpyxl")

PACKET_SHEETS = [
    "Close checklist",
    "Income statement",
    "Balance sheet",
    "Cash flow",
    "Trial balance",
    "Flux",
    "Budget",
    "AR aging",
    "AP aging",
    "Rec Bank Checking",
    "Rec Bank Savings",
    "Rec CreditCard",
]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def json_report(books: Path, kind: str, period: str = "2025-09") -> dict:
    """`bo report KIND --format json`'s report."""
    result = run("report", kind, "--period", period, "--format", "json", "--books", str(books))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["report"]


def labelled(ws) -> dict[str, object]:
    """Column A's text to column B's value: the totals tables and the balances."""
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if isinstance(row[0], str)}


def table(ws, first: str) -> list[dict[str, object]]:
    """The rows under the header row whose first cell is `first`, as dicts."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == first)
    header = rows[start]
    out = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        out.append(dict(zip(header, row, strict=False)))
    return out


def cents(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def packet(closed_september: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("packet") / "september.xlsx"
    result = run(
        "report", "packet", "--period", "2025-09", "--format", "xlsx", "--out", str(out),
        "--books", str(closed_september),
    )  # fmt: skip
    # The close is open and the reconciliation of checking is not done: attention, not failure.
    assert result.exit_code == 1, result.output
    assert "close: 2025-09 is not locked" in result.stderr
    assert "reconciliation: Assets:Bank:Checking is not reconciled" in result.stderr
    return openpyxl.load_workbook(out)


def test_the_packet_has_a_sheet_per_statement_reconciliation_and_the_checklist(packet):
    assert packet.sheetnames == PACKET_SHEETS


def test_packet_totals_equal_the_json_reports(packet, closed_september):
    pnl = json_report(closed_september, "pnl")
    sheet = labelled(packet["Income statement"])
    assert cents(sheet["Net income"]) == Decimal(pnl["net_income"])
    assert cents(sheet["Total Income"]) == Decimal(pnl["income"]["total"])
    assert cents(sheet["Total Expenses"]) == Decimal(pnl["expenses"]["total"])

    balance = json_report(closed_september, "balance")
    sheet = labelled(packet["Balance sheet"])
    for section in ("assets", "liabilities", "equity"):
        title = balance[section]["title"]
        assert cents(sheet[f"Total {title}"]) == Decimal(balance[section]["total"])

    flow = json_report(closed_september, "cashflow")
    sheet = labelled(packet["Cash flow"])
    assert cents(sheet["Net change in cash"]) == Decimal(flow["net_change"])
    assert cents(sheet["Cash at end"]) == Decimal(flow["cash_end"])
    assert cents(sheet["Total Operating activities"]) == Decimal(flow["operating"]["total"])

    trial = json_report(closed_september, "trial")
    sheet = labelled(packet["Trial balance"])
    assert cents(sheet["Total debit USD"]) == Decimal(trial["total_debit"]["USD"])
    assert cents(sheet["Total credit USD"]) == Decimal(trial["total_credit"]["USD"])

    for kind, name in (("aging-ar", "AR aging"), ("aging-ap", "AP aging")):
        aging = json_report(closed_september, kind)
        sheet = labelled(packet[name])
        assert cents(sheet["Total open USD"]) == Decimal(aging["total"])
        assert cents(sheet["Account balance USD"]) == Decimal(aging["balance"])


def test_packet_lines_equal_the_json_reports_line_by_line(packet, closed_september):
    budget = json_report(closed_september, "budget")
    rows = table(packet["Budget"], "Account")
    assert [r["Account"] for r in rows] == [line["account"] for line in budget["lines"]]
    for row, line in zip(rows, budget["lines"], strict=True):
        assert cents(row["Actual"]) == Decimal(line["actual"])
        assert cents(row["Variance"]) == Decimal(line["variance"])
    aging = json_report(closed_september, "aging-ar")
    rows = table(packet["AR aging"], "Party")
    assert sum(cents(r["Amount"]) for r in rows) == Decimal(aging["total"])


def test_money_is_a_number_in_its_currency_format(packet):
    ws = packet["Income statement"]
    cells = [row[2] for row in ws.iter_rows(min_row=5) if row[1].value == "Income:Services"]
    assert cells and cells[0].data_type == "n"
    assert cells[0].number_format == '#,##0.00 "USD";-#,##0.00 "USD"'


def test_the_checklist_sheet_has_each_step_and_its_signoffs(packet):
    ws = packet["Close checklist"]
    assert labelled(ws)["Open: not locked"] is None
    steps = {row["Step"]: row for row in table(ws, "Step")}
    assert steps["bank-rec"]["Status"] == "failed"
    assert steps["duplicates"]["Status"] == "failed"
    assert steps["ledger-valid"]["Status"] == "passed"
    assert {"Prepared by", "Reviewed by"} <= set(steps["bank-rec"])
    assert "ledgers/2025.beancount:3575" in steps["duplicates"]["Details"]


def test_the_flux_sheet_carries_the_close_explanations(closed_september, tmp_path):
    import shutil

    books = tmp_path / "books"
    shutil.copytree(closed_september, books)
    explained = run(
        "close", "2025-09", "--books", str(books),
        "--explain", "Income:Services=Two large projects were invoiced in August",
    )  # fmt: skip
    assert explained.exit_code == 1, explained.output
    out = tmp_path / "packet.xlsx"
    run("report", "packet", "--period", "2025-09", "--format", "xlsx", "--out", str(out),
        "--books", str(books))  # fmt: skip
    rows = {r["Account"]: r for r in table(openpyxl.load_workbook(out)["Flux"], "Account")}
    assert rows["Income:Services"]["Explanation"] == "Two large projects were invoiced in August"


def test_each_reconciliation_lists_its_open_items(packet):
    ws = packet["Rec Bank Checking"]
    balances = labelled(ws)
    assert cents(balances["Deposits in transit"]) == Decimal("3150.00")
    assert cents(balances["Outstanding checks and payments"]) == Decimal("2400.00")
    items = table(ws, "Open item")
    kinds = sorted((r["Kind"], cents(r["Amount"])) for r in items)
    assert kinds == [
        ("amount differs", Decimal("-9.00")),
        ("deposit in transit", Decimal("3150.00")),
        ("missing from the books", Decimal("-15.00")),
        ("outstanding check", Decimal("-2400.00")),
    ]


@pytest.mark.parametrize(
    "kind", ["trial", "pnl", "balance", "cashflow", "aging-ar", "aging-ap", "budget", "flux"]
)
def test_every_tabular_report_writes_a_workbook(closed_september, tmp_path, kind):
    out = tmp_path / "nested" / f"{kind}.xlsx"
    result = run("report", kind, "--period", "2025-09", "--format", "xlsx", "--out", str(out),
                 "--books", str(closed_september))  # fmt: skip
    assert result.exit_code in (0, 1), result.output
    book = openpyxl.load_workbook(out)
    assert len(book.sheetnames) == 1
    assert not list(out.parent.glob(".*.tmp")), "the atomic write left its temp file"


def test_without_out_the_workbook_goes_to_the_reports_folder(demo):
    result = run("report", "pnl", "--period", "2025-09", "--format", "xlsx", "--books", str(demo))
    assert result.exit_code == 0, result.output
    assert "wrote reports/2025-09/pnl.xlsx" in result.stderr
    assert openpyxl.load_workbook(demo / "reports/2025-09/pnl.xlsx").sheetnames == [
        "Income statement"
    ]


def test_a_packet_in_another_format_is_refused_and_writes_nothing(demo):
    result = run("report", "packet", "--period", "2025-09", "--format", "md", "--books", str(demo))
    assert result.exit_code == 2
    assert "--format xlsx" in result.stderr
    assert not (demo / "reports").exists()


def test_a_packet_before_the_close_says_there_is_no_record(demo, tmp_path):
    out = tmp_path / "p.xlsx"
    result = run("report", "packet", "--period", "2025-09", "--format", "xlsx", "--out", str(out),
                 "--books", str(demo))  # fmt: skip
    assert result.exit_code == 1
    assert "no close record" in result.stderr
    assert "no reconciliation on record" in result.stderr
    book = openpyxl.load_workbook(out)
    assert "Rec Bank Checking" not in book.sheetnames
    assert "Income statement" in book.sheetnames


def test_text_stays_text_and_sheet_names_fit_excel(tmp_path):
    taken: set[str] = set()
    long = "Rec " + "Assets:Bank:A very long account name indeed"
    first, second = sheet_name(long, taken), sheet_name(long, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert ":" not in first
    sheet = Sheet(
        first,
        "Test",
        tables=[
            Table(
                ["Payee", "Amount"], [['=HYPERLINK("http://x")', Money(Decimal("-1234.5"), "JPY")]]
            )
        ],
    )
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes([sheet], None))
    ws = openpyxl.load_workbook(path)[first]
    payee, amount = ws["A4"], ws["B4"]
    assert payee.data_type == "s" and payee.value.startswith("=HYPERLINK")
    assert amount.value == -1234.5
    assert amount.number_format == money_format("JPY", 2)


def test_all_is_one_workbook_with_a_sheet_per_kind_in_the_folder_given(closed_september, tmp_path):
    result = run("report", "all", "--period", "2025-09", "--format", "xlsx", "--out",
                 str(tmp_path), "--books", str(closed_september))  # fmt: skip
    assert result.exit_code == 1, result.output  # the planted problems need attention
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert book.sheetnames == PACKET_SHEETS[1:9]


@pytest.mark.parametrize("renamed", [False, True], ids=["default-roots", "renamed-roots"])
def test_books_in_two_currencies_keep_each_currency_in_its_own_format(tmp_path, renamed):
    from tests.foreign import BUSINESS_LEDGER, BUSINESS_YAML, rename_roots, with_renamed_options

    (tmp_path / "bo.yaml").write_text(rename_roots(BUSINESS_YAML) if renamed else BUSINESS_YAML)
    ledger = tmp_path / "ledgers/main.beancount"
    ledger.parent.mkdir()
    ledger.write_text(with_renamed_options(BUSINESS_LEDGER) if renamed else BUSINESS_LEDGER)
    for kind, total in (("pnl", "net_income"), ("balance", None), ("trial", None)):
        out = tmp_path / f"{kind}.xlsx"
        result = run("report", kind, "--period", "2025-03", "--format", "xlsx", "--out", str(out),
                     "--books", str(tmp_path))  # fmt: skip
        assert result.exit_code in (0, 1), result.output
        report = json_report(tmp_path, kind, "2025-03")
        ws = openpyxl.load_workbook(out).active
        formats = {cell.number_format for row in ws.iter_rows() for cell in row}
        assert money_format("EUR", 2) in formats and money_format("USD", 2) in formats
        sheet = labelled(ws)
        if total:
            assert cents(sheet["Net income"]) == Decimal(report[total])
        if kind == "balance":
            section = report["assets"]
            assert cents(sheet[f"Total {section['title']}"]) == Decimal(section["total"])
        if kind == "trial":
            for currency in ("EUR", "USD"):
                debit = sheet[f"Total debit {currency}"]
                assert cents(debit) == Decimal(report["total_debit"][currency])


def test_an_amount_a_spreadsheet_cannot_hold_exactly_is_written_as_text(tmp_path):
    huge = Decimal("12345678901234567.89")  # 19 digits: a double would round the cents away
    sheet = Sheet("S", "Test", tables=[Table(["Amount"], [[Money(huge, "USD")]])])
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes([sheet], None))
    cell = openpyxl.load_workbook(path)["S"]["A4"]
    assert cell.data_type == "s" and cell.value == "12,345,678,901,234,567.89 USD"


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_two_names_become_two_sheet_names_excel_accepts(first, second):
    taken: set[str] = set()
    names = [sheet_name(first, taken), sheet_name(second, taken)]
    assert names[0].casefold() != names[1].casefold()
    for name in names:
        assert 1 <= len(name) <= 31
        assert not set(name) & set("[]:*?/\\\\")
        assert name == name.strip("'")


def test_control_characters_never_break_the_file(tmp_path):
    taken: set[str] = set()
    name = sheet_name("Rec\x01 Bank\x1b[31m", taken)
    sheet = Sheet(name, "T\x00est", tables=[Table(["Payee"], [["SQ *CAFE\x07\x1b[2J"]])])
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes([sheet], None))
    ws = openpyxl.load_workbook(path)[name]
    assert "SQ *CAFE" in ws["A4"].value
