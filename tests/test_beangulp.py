"""A beangulp importer as the statement reader of an account: a CSV importer written the
beangulp way (tests/data/importers/harbor_bank.py) drives `bo import`, `bo reconcile` and
`bo dupes` through the real CLI, on books trusted with `bo trust`, and is refused on books
that are not."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader

from tests.conftest import PROJECT
from tests.test_import import small  # noqa: F401 (a fixture: the small books with formats)

CHECKING = "Assets:Bank:Checking"
STATEMENT = "statements/checking/2025-02.csv"

HARBOR_FORMAT = """\
  harbor:
    kind: beangulp
    module: importers/harbor_bank.py
    class: Importer
    kwargs: {account: Assets:Bank:Checking, currency: USD}
"""

# The bank's February: two honest identical coffees the same day, and its running balance
# (8,000.00 after January's rent in the books).
EXPORT = """\
Posted,Details,Amount,Balance,Ref
01/02/2025,LANDLORD LLC RENT,"-2,000.00","6,000.00",HB-1001
03/02/2025,BLUE BOTTLE COFFEE,-6.50,"5,993.50",HB-1002
03/02/2025,BLUE BOTTLE COFFEE,-6.50,"5,987.00",HB-1003
10/02/2025,ACME CORP INVOICE 17,"1,500.00","7,487.00",HB-1004
"""

# Typed by hand before the statement came: the client's payment, booked the day after.
TYPED = """
2025-02-11 * "Acme Corp" "Invoice 17"
  Assets:Bank:Checking  1500.00 USD
  Income:Services
"""


@pytest.fixture
def harbor(small: Path) -> Path:  # noqa: F811 (small is a fixture)
    """The small books of test_import, their checking account read by the importer."""
    books = small
    settings = books / "bo.yaml"
    text = settings.read_text().replace("format: bank,", "format: harbor,")
    settings.write_text(
        text.replace("statement_formats:\n", "statement_formats:\n" + HARBOR_FORMAT)
    )
    (books / "importers").mkdir()
    shutil.copy(PROJECT / "tests/data/importers/harbor_bank.py", books / "importers")
    with open(books / "ledgers/accounts.beancount", "a") as handle:
        handle.write("2025-01-01 open Income:Services USD\n")
    with open(books / "ledgers/2025.beancount", "a") as handle:
        handle.write(TYPED)
    (books / STATEMENT).parent.mkdir(parents=True)
    (books / STATEMENT).write_text(EXPORT)
    return books


def files_of(books: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(books.rglob("*")) if p.is_file()}


def checking_entries(books: Path) -> list[tuple[date, Decimal, str]]:
    entries, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    assert not errors, errors[:3]
    return sorted(
        (entry.date, posting.units.number, entry.meta.get("import-id", "typed"))
        for entry in entries
        if type(entry).__name__ == "Transaction" and entry.date.month == 2
        for posting in entry.postings
        if posting.account == CHECKING
    )


@pytest.mark.parametrize(
    "command",
    [
        ["import", STATEMENT],
        ["reconcile", CHECKING, "--period", "2025-02"],
        ["dupes", "--period", "2025-02"],
    ],
)
def test_untrusted_books_run_no_importer(harbor: Path, bo, command: list[str]) -> None:
    before = files_of(harbor)
    result = bo(*command, cwd=harbor)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "beangulp importer of statement format `harbor`" in result.stderr
    assert "importers/harbor_bank.py" in result.stderr and "bo trust --books" in result.stderr
    assert "Traceback" not in result.stderr
    assert files_of(harbor) == before


def test_beangulp_importer_drives_import_reconcile_and_dupes(harbor: Path, bo) -> None:
    assert bo("trust", cwd=harbor).exit_code == 0

    # import: every line once; the typed payment recognised, the two coffees kept two.
    report = json.loads(bo("import", STATEMENT, "--json", cwd=harbor).stdout)
    assert sorted(line["id"] for line in report["added"]) == [
        "bank:HB-1001",
        "bank:HB-1002",
        "bank:HB-1003",
    ]
    assert checking_entries(harbor) == [
        (date(2025, 2, 1), Decimal("-2000.00"), "bank:HB-1001"),
        (date(2025, 2, 3), Decimal("-6.50"), "bank:HB-1002"),
        (date(2025, 2, 3), Decimal("-6.50"), "bank:HB-1003"),
        (date(2025, 2, 11), Decimal("1500.00"), "typed"),
    ]
    rent = harbor / "ledgers/imports/assets-bank-checking/2025-02.beancount"
    assert "Expenses:Rent" in rent.read_text()  # bo's rules categorize the importer's lines
    again = json.loads(bo("import", STATEMENT, "--json", cwd=harbor).stdout)
    assert again["added"] == []

    # reconcile: the importer's balance assertion is the bank's balance; every line matched.
    result = bo("reconcile", CHECKING, "--period", "2025-02", "--json", cwd=harbor)
    assert result.exit_code == 0, result.stdout + result.stderr
    rec = json.loads(result.stdout)
    assert rec["balances"]["bank"] == rec["balances"]["books"] == "7487.00"
    assert rec["open"] == {"in_transit": [], "missing": [], "amount_differs": []}
    assert rec["reconciled"] is True

    # dupes: the bank printed two coffees, so two entries are not a duplicate; a third,
    # typed again by hand, is.
    assert bo("dupes", "--period", "2025-02", cwd=harbor).exit_code == 0
    with open(harbor / "ledgers/2025.beancount", "a") as handle:
        handle.write('\n2025-02-03 * "Blue Bottle Coffee"\n  Expenses:Uncategorized  6.50 USD\n'
                     "  Assets:Bank:Checking\n")  # fmt: skip
    result = bo("dupes", "--period", "2025-02", "--json", cwd=harbor)
    assert result.exit_code == 1, result.stdout + result.stderr
    (finding,) = json.loads(result.stdout)
    assert finding["kind"] == "same transaction entered twice"
    assert "ledgers/2025.beancount:13" in finding["entries"]
    assert (
        "one typed by hand, one imported from the Assets:Bank:Checking statement"
        in (finding["reasons"])
    )


def test_a_changed_importer_needs_trust_again(harbor: Path, bo) -> None:
    assert bo("trust", cwd=harbor).exit_code == 0
    code = harbor / "importers/harbor_bank.py"
    code.write_text(code.read_text() + "\nprint('hello')\n")
    result = bo("import", STATEMENT, cwd=harbor)
    assert result.exit_code == 3
    assert "changed since they were trusted" in result.stderr


def test_an_importer_that_fails_is_bad_input(harbor: Path, bo) -> None:
    assert bo("trust", cwd=harbor).exit_code == 0
    (harbor / STATEMENT).write_text(EXPORT.replace("10/02/2025", "31/02/2025"))
    before = files_of(harbor)
    result = bo("import", STATEMENT, cwd=harbor)
    assert result.exit_code == 2
    assert "the beangulp importer (importers/harbor_bank.py:Importer) failed on this file" in (
        result.stderr
    )
    assert "ValueError: day is out of range for month" in result.stderr
    assert files_of(harbor) == before


def test_a_file_the_importer_does_not_take(harbor: Path, bo) -> None:
    assert bo("trust", cwd=harbor).exit_code == 0
    (harbor / STATEMENT).write_text("Date,Amount\n2025-02-01,1.00\n")
    result = bo("import", STATEMENT, cwd=harbor)
    assert result.exit_code == 2
    assert "does not take this file" in result.stderr


def test_an_installed_importer_module_by_its_dotted_name(harbor: Path, bo) -> None:
    settings = harbor / "bo.yaml"
    settings.write_text(
        settings.read_text().replace(
            "module: importers/harbor_bank.py", "module: tests.data.importers.harbor_bank"
        )
    )
    (harbor / "importers/harbor_bank.py").unlink()
    # Still code the books name, with arguments they choose: trusted first.
    assert bo("import", STATEMENT, cwd=harbor).exit_code == 3
    assert bo("trust", cwd=harbor).exit_code == 0
    result = bo("import", STATEMENT, "--json", cwd=harbor)
    assert result.exit_code == 1, result.stderr  # two coffees to categorize
    assert len(json.loads(result.stdout)["added"]) == 3


@pytest.mark.parametrize(
    ("setting", "changed", "message"),
    [
        (
            "class: Importer",
            "class: HarborImporter",
            "bo.yaml:17: `statement_formats.harbor.class`: importers/harbor_bank.py has no "
            "class `HarborImporter`",
        ),
        (
            "currency: USD}",
            "currency: USD, x: 1}",
            "`statement_formats.harbor`: Importer with these args and kwargs fails: TypeError",
        ),
    ],
)
def test_an_importer_bo_cannot_make_names_the_setting(
    harbor: Path, bo, setting: str, changed: str, message: str
) -> None:
    settings = harbor / "bo.yaml"
    settings.write_text(settings.read_text().replace(setting, changed))
    assert bo("trust", cwd=harbor).exit_code == 0
    result = bo("import", STATEMENT, cwd=harbor)
    assert result.exit_code == 2
    assert message in result.stderr
