"""A close never half-finishes: killed at any write or commit point (`kill -9`, through the
BO_FAULT test hook), the next run finishes or undoes it; files git ignores are found before
any write; a commit git refuses leaves nothing written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import OWNER, PREPARER, REVIEWER, as_person, git, signoff, small_books


@pytest.fixture(scope="module")
def ready(tmp_path_factory) -> Path:
    """Small books whose March is closed and signed off by all three: the next close locks."""
    from typer.testing import CliRunner

    from bo.cli import app
    from tests.conftest import Result

    books = small_books(tmp_path_factory.mktemp("ready") / "books")
    runner = CliRunner()

    def bo(*args: str, cwd: Path | None = None) -> Result:
        before = Path.cwd()
        os.chdir(cwd or books)
        try:
            done = runner.invoke(app, list(args))
        finally:
            os.chdir(before)
        return Result(done.exit_code, done.stdout, done.stderr, done.exception)

    assert bo("close", "2025-03").exit_code == 1
    for name in (PREPARER, REVIEWER, OWNER):
        assert signoff(bo, books, name, "2025-03").exit_code == 0
    return books


@pytest.fixture
def books(ready: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "books"
    shutil.copytree(ready, copy)
    return copy


def killed(books: Path, point: str, *args: str) -> None:
    """Run `bo ARGS` in its own process, killed with SIGKILL at `point`."""
    env = {**os.environ, "BO_FAULT": point}
    done = subprocess.run(
        [sys.executable, "-m", "bo", *args], cwd=books, env=env, capture_output=True, text=True
    )
    assert done.returncode == -9, f"not killed at {point}: {done.stdout}{done.stderr}"


def assert_locked_and_clean(bo, books: Path) -> None:
    record = yaml.safe_load((books / "closes/2025-03.yaml").read_text())
    assert record["locked"]
    # The tag is on the commit that locked the period, and holds its lock.
    locking = git(books, "log", "-1", "--format=%H", "--", "closes/2025-03.yaml").strip()
    assert git(books, "rev-parse", "close/2025-03^{commit}").strip() == locking
    assert "Bo-Lock:" in git(books, "tag", "-l", "--format=%(contents)", "close/2025-03")
    assert record["locked"]["digest"] in git(books, "show", "close/2025-03")
    assert not [n for n in git(books, "ls-files").split() if n.endswith(".tmp")]
    left = [p for p in books.rglob("*.tmp") if ".git" not in p.parts]
    assert not left, left
    assert git(books, "status", "--porcelain").strip() == ""
    assert not (books / ".bo/journal.json").exists()
    assert bo("check", cwd=books).exit_code == 0


# journal.json is written atomically too, between the close's own files (the record, the
# main ledger's plugin line, the close report): a temp-file point lands in either kind.
POINTS = [
    "journal",
    "temp-file:3",
    "temp-file:5",
    "write:1",
    "write:3",
    "written",
    "committing",
    "commit",
    "tag",
]


@pytest.mark.parametrize("point", POINTS)
def test_a_close_killed_anywhere_is_recovered_by_the_next_run(books, bo, point):
    killed(books, point, "close", "2025-03")
    again = bo("close", "2025-03", cwd=books)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "an interrupted `bo close 2025-03` was" in again.stderr
    assert_locked_and_clean(bo, books)
    # And once recovered, the period is simply locked: a third run is refused.
    assert bo("close", "2025-03", cwd=books).exit_code == 3


def test_a_signoff_killed_before_its_commit_is_committed_as_the_signer(tmp_path, bo):
    books = small_books(tmp_path / "books")
    assert bo("close", "2025-03", cwd=books).exit_code == 1
    as_person(books, REVIEWER)
    killed(books, "committing", "signoff", "2025-03")
    as_person(books, OWNER)
    assert bo("signoff", "2025-03", cwd=books).exit_code == 0
    authors = git(books, "log", "-2", "--format=%an|%s").splitlines()
    assert authors == [
        "Priya Shah|signoff 2025-03: 2 sign-offs by Priya Shah",
        "Sam Okafor|signoff 2025-03: 3 sign-offs by Sam Okafor",
    ]


def test_a_missing_tag_is_made_by_the_next_run(books, bo):
    assert bo("close", "2025-03", cwd=books).exit_code == 0
    git(books, "tag", "-d", "close/2025-03")
    warned = bo("check", cwd=books)
    assert warned.exit_code == 0 and "its tag close/2025-03 is missing" in warned.stdout
    again = bo("close", "2025-03", cwd=books)
    assert again.exit_code == 0
    assert "tagged close/2025-03" in again.stdout and "(the tag was missing)" in again.stdout
    assert_locked_and_clean(bo, books)


def test_reports_git_ignores_are_written_not_committed_and_said_once(tmp_path, bo):
    books = small_books(tmp_path / "books")
    (books / ".gitignore").write_text(".bo/\nreports/\n")
    git(books, "commit", "-qam", "reports stay out of git")
    result = bo("close", "2025-03", cwd=books)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "ok  schedules: 1 schedule entries to post" in result.stdout
    note = "reports/ is ignored by git (.gitignore:2: `reports/`): written, not committed"
    assert result.stderr.count(note) == 1
    assert (books / "reports/2025-03/close.md").is_file()
    committed = git(books, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == [
        "closes/2025-03.yaml",
        "ledgers/closing/2025-03.beancount",
        "ledgers/main.beancount",
    ]
    for name in (PREPARER, REVIEWER, OWNER):
        assert signoff(bo, books, name, "2025-03").exit_code == 0
    assert bo("close", "2025-03", cwd=books).exit_code == 0
    assert_locked_and_clean(bo, books)
    assert "reports/" not in git(books, "ls-files")


def test_a_record_git_ignores_is_refused_before_a_single_write(tmp_path, bo):
    books = small_books(tmp_path / "books")
    (books / ".gitignore").write_text(".bo/\ncloses/2025-*.yaml\n")
    git(books, "commit", "-qam", "records stay out of git")
    head = git(books, "rev-parse", "HEAD")
    result = bo("close", "2025-03", cwd=books)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "closes/2025-03.yaml (ignored by .gitignore:2: `closes/2025-*.yaml`)" in result.stderr
    assert git(books, "rev-parse", "HEAD") == head
    assert git(books, "status", "--porcelain", "--ignored", "--", ".", ":!.bo") == ""
    assert not (books / "closes").exists() and not (books / "reports").exists()


def test_a_commit_a_hook_refuses_leaves_nothing_written(books, bo):
    hook = books / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho 'not today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = {p: p.read_text() for p in books.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = bo("close", "2025-03", cwd=books)
    assert result.exit_code == 3 and "not today" in result.stderr
    after = {p: p.read_text() for p in books.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert {p: t for p, t in after.items() if ".bo" not in p.parts} == {
        p: t for p, t in before.items() if ".bo" not in p.parts
    }
    assert "close/2025-03" not in git(books, "tag")
