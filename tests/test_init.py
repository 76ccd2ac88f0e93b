"""`bo init`: a new books repo that `bo check` and bean-check pass at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def test_init_then_check(tmp_path, bo):
    target = tmp_path / "acme"
    result = bo("init", str(target), "--name", 'Acme "Studio" LLC', cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    for name in (
        "bo.yaml",
        "ledgers/main.beancount",
        "Makefile",
        ".gitignore",
        ".githooks/pre-commit",
        "sops",
    ):
        assert (target / name).exists(), name
    assert 'name: "Acme \\"Studio\\" LLC"' in (target / "bo.yaml").read_text()
    assert bo("check", cwd=target).exit_code == 0
    bean_check = Path(sys.executable).with_name("bean-check")
    done = subprocess.run([bean_check, target / "ledgers/main.beancount"], capture_output=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_init_makes_a_git_repo_with_hook(tmp_path, bo):
    target = tmp_path / "acme"
    assert bo("init", str(target), cwd=tmp_path).exit_code == 0
    assert (target / ".git").is_dir()
    hooks = subprocess.run(
        ["git", "config", "core.hooksPath"], cwd=target, capture_output=True, text=True
    ).stdout.strip()
    assert hooks == ".githooks"
    assert (target / ".githooks/pre-commit").stat().st_mode & 0o111


def test_init_into_empty_existing_folder(tmp_path, bo):
    (tmp_path / "empty").mkdir()
    assert bo("init", str(tmp_path / "empty"), "--no-git", cwd=tmp_path).exit_code == 0
    assert not (tmp_path / "empty/.git").exists()


def test_init_refuses_non_empty_folder(tmp_path, bo):
    (tmp_path / "used").mkdir()
    (tmp_path / "used/notes.txt").write_text("mine")
    result = bo("init", str(tmp_path / "used"), cwd=tmp_path)
    assert result.exit_code == 3
    assert "not empty" in result.stderr and "--adopt LEDGER" in result.stderr
    assert sorted(p.name for p in (tmp_path / "used").iterdir()) == ["notes.txt"]


def test_init_bad_currency_writes_nothing(tmp_path, bo):
    result = bo("init", str(tmp_path / "x"), "--currency", "dollars", cwd=tmp_path)
    assert result.exit_code == 2
    assert "--currency" in result.stderr
    assert list(tmp_path.iterdir()) == []


PLAIN_CSV = (
    "Date,Description,Amount\n2025-11-03,Coffee Cart,-4.75\n2025-11-05,Invoice 1001 paid,1200.00\n"
)


@pytest.mark.parametrize("where", ["folder", "--account"])
def test_a_plain_csv_imports_on_the_first_command_after_init(tmp_path, bo, where):
    target = tmp_path / "acme"
    assert bo("init", str(target), "--no-git", cwd=tmp_path).exit_code == 0
    if where == "folder":  # the folder bo.yaml gives the bank account's statements
        statement = target / "statements/checking/2025-11.csv"
        statement.parent.mkdir(parents=True)
        args = ("import", str(statement))
    else:
        statement = tmp_path / "download.csv"
        args = ("import", str(statement), "--account", "Assets:Bank:Checking")
    statement.write_text(PLAIN_CSV)
    result = bo(*args, cwd=target)
    # Exit 1: imported, and the two lines wait to be categorized.
    assert result.exit_code == 1, result.stderr
    assert "added 2 entries: 0 categorized by rules, 2 uncategorized" in result.stdout
    written = (target / "ledgers/imports/assets-bank-checking/2025-11.beancount").read_text()
    assert "2025-11-03 ! " in written and "-4.75 USD" in written
    assert "2025-11-05 ! " in written and "1200.00 USD" in written
    assert bo("check", cwd=target).exit_code in (0, 1)
    bean_check = Path(sys.executable).with_name("bean-check")
    done = subprocess.run([bean_check, target / "ledgers/main.beancount"], capture_output=True)
    assert done.returncode == 0, done.stderr
