"""`bo import FILE --detect`: the proposed bo.yaml lines read the file right when pasted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bo.settings import Settings
from bo.statements import read_statement

LAYOUTS = Path(__file__).parent / "data" / "layouts"
ACCOUNT = "Assets:Bank:Checking"

# file -> (lines, their total, first date, last date, opening balance), as the bank meant them
EXPECTED = {
    "plain.csv": (3, "1175.26", "2025-11-03", "2025-11-07", None),
    "trailer.csv": (3, "773.40", "2025-10-01", "2025-10-06", None),
    "balance-rows.csv": (4, "1369.25", "2025-08-04", "2025-08-29", "5000.00"),
    "bofa-checking.csv": (4, "1887.65", "2025-09-02", "2025-09-29", "2000.00"),
    "direction-dc.csv": (4, "1158.85", "2025-09-02", "2025-09-09", None),
    "short-years.csv": (3, "1246.17", "2009-11-10", "2009-12-31", None),
    "mixed-dates.csv": (3, "280.00", "2025-01-02", "2025-01-31", None),
    "tabbed.tsv": (2, "991.50", "2025-09-01", "2025-09-04", None),
    "card-owed-negative.csv": (4, "-28.00", "2025-09-01", "2025-09-20", "0.00"),
}


def proposed_settings(stdout: str) -> Settings:
    """bo.yaml made of the snippet --detect printed, as a new user pastes it."""
    snippet = yaml.safe_load(stdout)
    account = next(iter(snippet["accounts"]))
    return Settings.model_validate(
        {
            "entity": {"name": "Pasted Ltd"},
            "accounts": {ACCOUNT: {"role": "bank", **snippet["accounts"][account]}},
            "statement_formats": snippet.get("statement_formats", {}),
        }
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_proposal_reads_every_line_right(name: str, bo: Any, tmp_path: Path) -> None:
    result = bo("import", str(LAYOUTS / name), "--detect", cwd=tmp_path)
    assert result.exit_code in (0, 1), result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
    statement = read_statement(LAYOUTS / name, ACCOUNT, proposed_settings(result.stdout))
    count, total, first, last, opening = EXPECTED[name]
    assert len(statement.lines) == count
    assert sum(line.amount.number for line in statement.lines) == Decimal(total)
    assert (statement.start, statement.end) == (date.fromisoformat(first), date.fromisoformat(last))
    assert statement.opening_balance == (None if opening is None else Decimal(opening))


def test_a_plain_file_is_the_plain_preset(bo: Any, tmp_path: Path) -> None:
    result = bo("import", str(LAYOUTS / "plain.csv"), "--detect", cwd=tmp_path)
    assert result.exit_code == 0
    assert "statement: {format: plain}" in result.stdout
    assert "statement_formats" not in result.stdout


def test_a_balance_row_is_never_proposed_as_a_deposit(bo: Any, tmp_path: Path) -> None:
    # `plain` reads the file, but would book "Opening Balance" as 5,000.00 coming in.
    result = bo("import", str(LAYOUTS / "balance-rows.csv"), "--detect", cwd=tmp_path)
    assert "format: plain}" not in result.stdout
    assert "then: opening_balance" in result.stdout


def test_what_the_file_cannot_tell_is_a_note_and_exit_1(bo: Any, tmp_path: Path) -> None:
    result = bo("import", str(LAYOUTS / "direction-words.csv"), "--detect", cwd=tmp_path)
    assert result.exit_code == 1
    assert "# check: every date reads month first and day first alike" in result.stdout


def test_json(bo: Any, tmp_path: Path) -> None:
    import json

    result = bo("import", str(LAYOUTS / "trailer.csv"), "--detect", "--json", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert found["format"]["footer_rows"] == 3 and found["lines"] == 3


def test_not_a_statement_exits_2(bo: Any, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("dear diary\nnothing here is a date\n")
    result = bo("import", str(path), "--detect", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("notes.txt: no column of dates")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_in_books_the_snippet_names_the_folders_account(bo: Any, tmp_path: Path) -> None:
    books = tmp_path / "books"
    assert bo("init", str(books), "--no-git", cwd=tmp_path).exit_code == 0
    folder = books / "statements/checking"
    folder.mkdir(parents=True)
    (folder / "sep.csv").write_text((LAYOUTS / "trailer.csv").read_text())
    before = sorted(p.relative_to(books) for p in books.rglob("*"))
    result = bo("import", "statements/checking/sep.csv", "--detect", cwd=books)
    assert result.exit_code == 0, result.stderr
    assert "Assets:Bank:Checking:" in result.stdout
    assert sorted(p.relative_to(books) for p in books.rglob("*")) == before
