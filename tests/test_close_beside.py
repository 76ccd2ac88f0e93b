"""Close checks run beside the close in a child process (bo.close.run.BESIDE): the same
record, output and files as when the close runs them itself, in the checklist's order, and
the close's own run of the check when the child sends nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bo.close import run as close_run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the checks beside fork")

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _close(books: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bo", "close", "2025-09"],
        cwd=books,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def _written(books: Path) -> dict[str, str]:
    files = {}
    for folder in ("closes", "reports", "reconciliations", "ledgers"):
        for path in sorted((books / folder).rglob("*")):
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                files[str(path.relative_to(books))] = STAMP.sub("T", text)
    return files


def test_beside_or_not_the_close_is_the_same(demo, tmp_path):
    alone = tmp_path / "alone"
    shutil.copytree(demo, alone)
    beside = _close(demo)
    serial = _close(alone, BO_PRELOAD="0")
    assert beside.returncode == serial.returncode == 1, beside.stderr + serial.stderr
    assert beside.stdout == serial.stdout
    assert beside.stderr == serial.stderr
    # The reconciliation the bank-rec step ran beside the close, and its failures, are there.
    assert "bank-rec" in beside.stdout and "duplicates" in beside.stdout
    assert _written(demo) == _written(alone)


def test_steps_show_in_checklist_order(demo, bo, monkeypatch):
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: True)
    lines = bo("close", "2025-09", cwd=demo).stdout.splitlines()
    shown = [
        m.group(1) for line in lines if (m := re.match(r"^ +[A-Z?!a-z-]+ +([a-z0-9-]+):", line))
    ]
    listed = [step.id for step in close_run.checklist(_books(demo)).ordered()]
    assert shown[: len(listed)] == listed
    # bank-rec finished in a child, after steps the close ran meanwhile: still in its place.
    assert shown.index("bank-rec") < shown.index("uncategorized")


def _books(root: Path):
    from bo.books import open_books

    return open_books(root, root)


class _NoSending:
    """pickle as the child sees it, failing to send: the parent reads nothing."""

    loads = staticmethod(close_run.pickle.loads)
    HIGHEST_PROTOCOL = close_run.pickle.HIGHEST_PROTOCOL

    @staticmethod
    def dumps(*args, **kwargs):
        raise RuntimeError("the child fails")


def _run_here(monkeypatch) -> list[str]:
    """The BESIDE checks this process runs itself (a child's runs are in the child's list)."""
    ran, real = [], close_run._run_step

    def counted(step, ctx, dry_run):
        if step.check in close_run.BESIDE:
            ran.append(step.id)
        return real(step, ctx, dry_run)

    monkeypatch.setattr(close_run, "_run_step", counted)
    return ran


def test_a_child_that_sends_nothing_leaves_the_check_to_the_close(demo, bo, monkeypatch):
    ran_here = _run_here(monkeypatch)
    monkeypatch.setattr(close_run, "pickle", _NoSending)
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: True)
    result = bo("close", "2025-09", cwd=demo)
    assert result.exit_code == 1, result.stdout + str(result.exception)
    assert sorted(ran_here) == ["bank-rec", "duplicates"]
    record = (demo / "closes/2025-09.yaml").read_text()
    assert "bank-rec:" in record and "duplicates:" in record


def test_with_a_core_to_spare_the_checks_run_in_children(demo, bo, monkeypatch):
    ran_here = _run_here(monkeypatch)
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: True)
    assert bo("close", "2025-09", cwd=demo).exit_code == 1
    assert ran_here == []


def test_one_core_runs_every_check_here(demo, bo, monkeypatch):
    ran_here = _run_here(monkeypatch)
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: False)
    assert bo("close", "2025-09", cwd=demo).exit_code == 1
    assert sorted(ran_here) == ["bank-rec", "duplicates"]


def _steps(*specs: tuple[str, str, list[str]]) -> list:
    from bo.close.checklist import Step

    kinds = {"check": "check", "action": "action"}
    return [
        Step.model_validate(
            {
                "id": step_id,
                "title": step_id,
                "owner": "bookkeeper",
                "reviewer": "controller",
                "due": "BD+1",
                "depends_on": depends,
                kinds[kind.split(":")[0]]: kind.split(":")[1],
            }
        )
        for step_id, kind, depends in specs
    ]


def test_checks_beside_share_a_child_until_an_action_could_change_the_books():
    steps = _steps(
        ("imports", "check:imports-current", []),
        ("bank-rec", "check:reconciled", ["imports"]),
        ("payroll", "check:payroll-tieout", ["imports"]),
        ("duplicates", "check:no-duplicates", ["imports"]),
        ("after-rec", "check:no-duplicates", ["bank-rec"]),  # bank-rec's result not known yet
        ("schedules", "action:post-schedules", []),
        ("late", "check:no-duplicates", ["imports"]),
    )
    done = {"imports": {"status": "passed"}}
    ids = [s.id for s in close_run._alongside(steps[1], steps, done)]
    assert ids == ["duplicates"]
    assert close_run._alongside(steps[1], steps, {"imports": {"status": "failed"}}) == []
    assert [s.id for s in close_run._alongside(steps[3], steps, done)] == []


def test_checks_started_early_are_blocked_like_any_other(demo, bo, monkeypatch):
    # bank-rec and duplicates start in their child before the imports step they wait for
    # has run; when it fails, what the child found is not used and the child is stopped.
    (demo / "statements/savings/2025-09.csv").unlink()
    ran_here = _run_here(monkeypatch)
    started = []
    start = close_run._Beside.start.__func__

    def starting(cls, steps, ctx, dry_run):
        started.append([s.id for s in steps])
        return start(cls, steps, ctx, dry_run)

    monkeypatch.setattr(close_run._Beside, "start", classmethod(starting))
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: True)
    result = bo("close", "2025-09", cwd=demo)
    assert result.exit_code == 1, result.stdout + str(result.exception)
    assert started == [["bank-rec", "duplicates"]]
    assert "bank-rec" not in ran_here and "duplicates" not in ran_here
    assert "  FAIL  imports:" in result.stdout
    assert "  wait  bank-rec: waits for imports" in result.stdout
    assert "  wait  duplicates: waits for imports" in result.stdout


@pytest.mark.parametrize("small", [True, False])
def test_with_the_ledger_on_its_way_the_checks_beside_start_before_it_is_in(
    demo, bo, monkeypatch, small
):
    # The preload child sends a spare copy of the ledger for them: they import the matcher
    # and read the statements while it is parsed, and the close runs none of them itself.
    # A ledger too large for the preload is loaded here first, and shared with the child.
    from bo import preload

    if not small:
        monkeypatch.setattr(preload, "PRELOAD_BYTES", 100)
    ran_here = _run_here(monkeypatch)
    before_the_ledger = []
    start = close_run._Beside.start.__func__

    def starting(cls, steps, ctx, dry_run):
        before_the_ledger.append(ctx.books._ledger is None)
        return start(cls, steps, ctx, dry_run)

    monkeypatch.setattr(close_run._Beside, "start", classmethod(starting))
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: True)
    preload.start(demo, demo, spare=True)
    result = bo("close", "2025-09", cwd=demo)
    assert result.exit_code == 1, result.stdout + str(result.exception)
    assert before_the_ledger == [small]
    assert ran_here == []
    assert "  FAIL  bank-rec:" in result.stdout and "  FAIL  duplicates:" in result.stdout
    assert not preload.pipes and not preload.spares, "every copy taken or let go"


def test_a_statement_is_read_once_for_every_check_that_reads_it(demo):
    from datetime import date

    from bo.close.checks import CloseContext
    from bo.commands.duplicates import bank_lines
    from bo.errors import BoError
    from bo.periods import Period

    books, period = _books(demo), Period.parse("2025-09")
    ctx = CloseContext(books, period, date(2025, 10, 3), {})
    path = demo / "statements/checking/2025-09.csv"
    first = ctx.statement(path, "Assets:Bank:Checking")
    assert ctx.statement(path, "Assets:Bank:Checking") is first
    assert first.lines, "a real statement, read"
    missing = demo / "statements/checking/2031-01.csv"
    for _ in range(2):  # a file that cannot be read says so each time it is asked for
        with pytest.raises(BoError, match="no such statement file"):
            ctx.statement(missing, "Assets:Bank:Checking")
    # The duplicate scan reading through the close's reads sees what it sees alone.
    assert bank_lines(books, period, read=ctx.statement) == bank_lines(books, period)
    assert ctx.statement(path, "Assets:Bank:Checking") is first


@pytest.mark.parametrize("cores", [False, True])
def test_a_head_start_that_goes_wrong_is_left_to_the_step(demo, bo, monkeypatch, cores):
    from bo.close import checks

    def broken(ctx, params):
        raise ValueError("a warm-up bug")

    for name in ("reconciled", "no-duplicates", "aging-reviewed"):
        monkeypatch.setitem(checks.WARM, name, broken)
    monkeypatch.setattr(close_run, "_cores_to_spare", lambda: cores)
    result = bo("close", "2025-09", cwd=demo)
    assert result.exit_code == 1, result.stdout + str(result.exception)
    assert "  FAIL  bank-rec:" in result.stdout and "  FAIL  duplicates:" in result.stdout
    assert "    ok  ar-aging:" in result.stdout
