"""Checklists and business days: validation with file:line, order, BD due dates."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from bo.calendar import BusinessCalendar, Due
from bo.close.checklist import load_checklists

STEPS = """\
name: Month-end close
cadence: monthly
steps:
  - id: bank-rec
    title: Reconcile
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    check: reconciled
  - id: review
    title: Review
    owner: controller
    reviewer: bookkeeper
    due: BD+3
    depends_on: [bank-rec]
    manual: Close report read
"""


def _sop(books, text):
    (books / "sops").mkdir(exist_ok=True)
    (books / "sops/month-end.yaml").write_text(text)


def test_valid_checklist_passes_bo_check(books, bo):
    _sop(books, STEPS)
    assert bo("check", cwd=books).exit_code == 0


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("due: BD+1", "due: 3 days"), 8, "`due: BD+3`, `BD-1` or `D+10` expected, got `3 days`"),
        (("due: BD+1", "due: BD+0"), 8, "there is no BD0"),
        (("owner: bookkeeper", "owner: clerk"), 6, "role `clerk` is held by nobody"),
        (
            ("    check: reconciled\n", ""),
            4,
            "needs exactly one of check, action, command or manual",
        ),
        (("reviewer: controller", "reviewer: bookkeeper"), 4, "nobody reviews their own work"),
        (("cadence: monthly", "cadence: fortnightly"), 2, "cadence"),
        (
            ("    title: Reconcile\n", "    title: Reconcile\n    notes: x\n"),
            6,
            "unknown key `notes`",
        ),
    ],
)
def test_checklist_errors_name_file_and_line(books, bo, change, line, message):
    _sop(books, STEPS.replace(*change))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert f"sops/month-end.yaml:{line}:" in result.stderr
    assert message in result.stderr


def test_dependency_cycle_is_named(books, bo):
    _sop(
        books,
        STEPS.replace(
            "    check: reconciled\n", "    check: reconciled\n    depends_on: [review]\n"
        ),
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "cycle: bank-rec -> review -> bank-rec" in result.stderr


def test_steps_run_in_dependency_order(books):
    from bo.settings import load_settings

    review, bank_rec = STEPS.split("  - id: review")[1], STEPS.split("  - id: review")[0]
    header, bank_rec = bank_rec.split("steps:\n")
    # The dependent step comes first in the file; the order must still follow depends_on.
    _sop(books, header + "steps:\n  - id: review" + review + bank_rec)
    lists = load_checklists(books, load_settings(books))
    assert [s.id for s in lists["month-end"].steps] == ["review", "bank-rec"]
    assert [s.id for s in lists["month-end"].ordered()] == ["bank-rec", "review"]


US = BusinessCalendar("US")


@pytest.mark.parametrize(
    ("period_end", "due", "expected"),
    [
        (date(2025, 8, 31), "BD+1", date(2025, 9, 2)),  # Sunday, then Labor Day
        (date(2025, 8, 31), "BD+3", date(2025, 9, 4)),
        (date(2025, 8, 31), "BD-1", date(2025, 8, 29)),  # the last business day is a Friday
        (date(2025, 9, 30), "BD-1", date(2025, 9, 30)),  # period end itself is a business day
        (date(2025, 9, 30), "BD-3", date(2025, 9, 26)),
        (date(2025, 12, 31), "BD+1", date(2026, 1, 2)),  # New Year's Day
        (date(2025, 11, 30), "BD+5", date(2025, 12, 5)),
        (date(2025, 8, 31), "D+10", date(2025, 9, 10)),  # calendar days are not shifted
    ],
)
def test_business_day_due_dates(period_end, due, expected):
    assert US.due_date(period_end, Due.parse(due)) == expected


def test_holidays_follow_the_country():
    # 2025-12-26 is a holiday in the UK, not in the US.
    assert US.due_date(date(2025, 12, 25), Due.parse("BD+1")) == date(2025, 12, 26)
    assert BusinessCalendar("GB").due_date(date(2025, 12, 25), Due.parse("BD+1")) == date(
        2025, 12, 29
    )


def test_business_days_between():
    assert US.business_days_between(date(2025, 8, 31), date(2025, 9, 5)) == 4
    assert US.business_days_between(date(2025, 9, 5), date(2025, 8, 31)) == -4


AGING_STEP = """\
  - id: ar-aging
    title: Aging
    owner: bookkeeper
    reviewer: controller
    due: BD+2
    check: aging-reviewed
    with: {side: receivable}
"""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("{side: recievable}", "`with.side`: Input should be 'receivable' or 'payable'"),
        ("{sides: payable}", "unknown parameter `sides` for `aging-reviewed` (it takes: side"),
        ("{over_days: 0}", "`with.over_days`: Input should be greater than or equal to 1"),
    ],
)
def test_step_parameters_are_checked_where_they_are_written(books, bo, params, message):
    _sop(books, STEPS + AGING_STEP.replace("{side: receivable}", params))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert f"sops/month-end.yaml:{STEPS.count(chr(10)) + 7}:" in result.stderr
    assert message in result.stderr


def test_reconciled_accounts_must_be_cash_accounts(books, bo):
    step = "    check: reconciled\n    with: {accounts: [Expenses:Rent]}\n"
    _sop(books, STEPS.replace("    check: reconciled\n", step))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "sops/month-end.yaml:10:" in result.stderr
    assert "Expenses:Rent: not a bank, card or processor account" in result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "    manual: Close report read\n",
                "    manual: Close report read\n    with: {x: 1}\n",
            ),
            "`with:` gives parameters to a check or an action",
        ),
        (
            ("    manual: Close report read\n", "    command: bo report {kind}\n"),
            "a command line with `{period}` as its only placeholder",
        ),
        (
            ("    manual: Close report read\n", "    command: bo 'unbalanced\n"),
            "a command line with `{period}` as its only placeholder",
        ),
    ],
)
def test_commands_and_manual_steps_are_checked(books, bo, change, message):
    _sop(books, STEPS.replace(*change))
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "sops/month-end.yaml:" in result.stderr and message in result.stderr


def test_bo_check_validates_schedules(books, bo):
    (books / "schedules").mkdir()
    (books / "schedules/rent.yaml").write_text(
        "schedules:\n"
        "  - id: prepaid-rent\n"
        "    title: Prepaid rent\n"
        "    debit: Expenses:Rent\n"
        "    credit: Assets:Bank:Checking\n"
        "    amount: a lot\n"
        "    from: 2025-01\n"
        "    to: 2025-12\n"
    )
    result = bo("check", cwd=books)
    assert result.exit_code == 2
    assert "schedules/rent.yaml:6:" in result.stderr and "amount" in result.stderr


@pytest.mark.parametrize(
    ("due", "period_end", "expected"),
    [
        ("BD+1", date(2025, 11, 26), date(2025, 11, 28)),  # Thanksgiving Thursday skipped
        ("BD+2", date(2025, 5, 23), date(2025, 5, 28)),  # a weekend, then Memorial Day
        ("BD-1", date(2025, 1, 1), date(2024, 12, 31)),  # New Year's Day is not a business day
        ("BD-1", date(2025, 7, 5), date(2025, 7, 3)),  # Saturday, then the Fourth of July
        ("D-3", date(2025, 9, 30), date(2025, 9, 27)),  # calendar days land on a Saturday
    ],
)
def test_business_days_around_holidays_and_weekends(due, period_end, expected):
    assert US.due_date(period_end, Due.parse(due)) == expected


def test_a_subdivision_adds_its_own_holidays():
    # Cesar Chavez Day and the day after Thanksgiving are California's, not federal.
    california = BusinessCalendar("US", "CA")
    assert US.is_business_day(date(2025, 3, 31))
    assert not california.is_business_day(date(2025, 3, 31))
    assert california.due_date(date(2025, 11, 26), Due.parse("BD+1")) == date(2025, 12, 1)


def test_holiday_tables_are_kept_in_the_machines_cache(tmp_path, monkeypatch):
    from bo import calendar

    monkeypatch.setenv("BO_CACHE_DIR", str(tmp_path / "cache"))
    first = BusinessCalendar("US", "CA")
    assert not first.is_business_day(date(2025, 3, 31))
    assert "US/CA/2025" in (tmp_path / "cache/holidays.json").read_text()
    # A later run reads the table instead of building it with the holidays library.
    monkeypatch.setattr(calendar, "_TABLES", {})
    assert calendar._tables().data["days"]["US/CA/2025"]
    monkeypatch.setitem(sys.modules, "holidays", None)  # importing it now fails
    assert not BusinessCalendar("US", "CA").is_business_day(date(2025, 3, 31))
