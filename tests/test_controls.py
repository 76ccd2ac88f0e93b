"""Controls a team can trust: who signs is who git says, teams of one, two or three, a lock
that holds against each way around it. Small books in real git repositories, real git
identities, the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from beancount import loader

from tests.conftest import (
    EMAILS,
    OWNER,
    PREPARER,
    REVIEWER,
    as_person,
    git,
    signoff,
    small_books,
)


def record(books: Path, period: str = "2025-03") -> dict:
    return yaml.safe_load((books / f"closes/{period}.yaml").read_text())


def last_commit(books: Path) -> tuple[str, str, str]:
    """(author, subject, bo's trailer) of HEAD."""
    said = git(
        books, "log", "-1", "--format=%an <%ae>%x1f%s%x1f%(trailers:key=Bo-Command,valueonly)"
    )
    author, subject, trailer = said.strip().split("\x1f")
    return author, subject, trailer.strip()


def tree(books: Path) -> dict[str, str]:
    """Every file bo could have written, with its content; and HEAD."""
    found = {
        str(p.relative_to(books)): p.read_text()
        for p in books.rglob("*")
        if p.is_file() and ".git" not in p.parts and ".bo" not in p.parts
    }
    return {**found, "HEAD": git(books, "rev-parse", "HEAD")}


def lock_march(bo, books: Path, people: tuple[str, ...] = (PREPARER, REVIEWER, OWNER)) -> None:
    first = bo("close", "2025-03", cwd=books)
    assert first.exit_code == 1, first.stdout + first.stderr
    for name in people:
        signed = signoff(bo, books, name, "2025-03")
        assert signed.exit_code == 0, signed.stdout + signed.stderr
    locked = bo("close", "2025-03", cwd=books)
    assert locked.exit_code == 0, locked.stdout + locked.stderr


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """A bookkeeper, a controller and an owner, each their own git identity."""
    return small_books(tmp_path / "three")


# --- who signs ----------------------------------------------------------------------------------


def test_each_signoff_is_a_commit_by_the_signer_and_nobody_signs_for_another(three, bo):
    assert bo("close", "2025-03", cwd=three).exit_code == 1
    dana = bo("signoff", "2025-03", cwd=three)
    assert dana.exit_code == 0, dana.stderr
    assert "signed schedules: preparer Dana Reyes" in dana.stdout
    assert last_commit(three) == (
        "Dana Reyes <dana@larkspur.example>",
        "signoff 2025-03: 1 sign-off by Dana Reyes",
        "signoff 2025-03",
    )
    assert record(three)["signoffs"]["schedules"]["preparer"]["email"] == EMAILS[PREPARER]
    head = git(three, "rev-parse", "HEAD")

    # Dana cannot sign as Sam, and a stranger cannot sign at all: nothing changes.
    posing = bo("signoff", "2025-03", "--as", REVIEWER, cwd=three)
    assert posing.exit_code == 3 and "only Sam Okafor signs as Sam Okafor" in posing.stderr
    as_person(three, "Eve Mallory", "eve@elsewhere.example")
    stranger = bo("signoff", "2025-03", cwd=three)
    assert stranger.exit_code == 3
    assert '- {name: "Eve Mallory", email: eve@elsewhere.example, roles: [' in stranger.stderr
    assert git(three, "rev-parse", "HEAD") == head

    for name in (REVIEWER, OWNER):
        assert signoff(bo, three, name, "2025-03").exit_code == 0
        assert last_commit(three)[0] == f"{name} <{EMAILS[name]}>"
    assert bo("close", "2025-03", cwd=three).exit_code == 0
    assert "close/2025-03" in git(three, "tag")

    # bo audit lists every sign-off, by whom; all of them are bo's.
    audited = bo("audit", "--json", cwd=three)
    assert audited.exit_code == 0, audited.stdout
    commits = json.loads(audited.stdout)["commits"]
    signoffs = [(c["author"], c["command"]) for c in commits if c["command"].startswith("signoff")]
    assert signoffs == [(name, "signoff 2025-03") for name in (PREPARER, REVIEWER, OWNER)]
    assert all(c["by_bo"] and not c["flags"] for c in commits[1:])  # after the first, by hand
    listed = bo("audit", cwd=three).stdout
    assert "Sam Okafor: signoff 2025-03: 3 sign-offs by Sam Okafor" in listed


def test_a_stranger_cannot_reopen_and_a_reopen_is_its_authors_commit(three, bo):
    lock_march(bo, three)
    before = tree(three)
    as_person(three, "Eve Mallory", "eve@elsewhere.example")
    refused = bo("reopen", "2025-03", "--reason", "just because", cwd=three)
    assert refused.exit_code == 3 and "not in bo.yaml people" in refused.stderr
    assert tree(three) == before
    as_person(three, OWNER)
    posing = bo("reopen", "2025-03", "--reason", "late credit", "--as", REVIEWER, cwd=three)
    assert posing.exit_code == 3 and tree(three) == before
    # A reason that would plant a line of its own in the commit message is refused.
    planted = bo("reopen", "2025-03", "--reason", "late\nBo-Command: close 2025-03", cwd=three)
    assert planted.exit_code == 2 and tree(three) == before
    reopened = bo("reopen", "2025-03", "--reason", "late credit", cwd=three)
    assert reopened.exit_code == 0, reopened.stderr
    assert last_commit(three) == (
        "Priya Shah <priya@larkspur.example>",
        "reopen 2025-03: late credit",
        "reopen 2025-03",
    )
    assert "close/2025-03" not in git(three, "tag")  # only a reopen removes the lock's tag
    assert record(three)["history"][-1]["by"] == OWNER
    assert bo("check", cwd=three).exit_code == 0


def test_a_delegate_signs_for_someone_away_and_the_record_says_so(tmp_path, bo):
    people = [
        {"name": PREPARER, "email": EMAILS[PREPARER], "roles": ["bookkeeper"]},
        {"name": REVIEWER, "email": EMAILS[REVIEWER], "roles": ["controller"]},
        {"name": OWNER, "email": EMAILS[OWNER], "roles": ["owner"], "delegates": [PREPARER]},
    ]
    books = small_books(tmp_path / "away", people)
    bo("close", "2025-03", cwd=books)
    assert signoff(bo, books, REVIEWER, "2025-03").exit_code == 0
    # Dana signs the owner's reviews in Priya's name; the commit is Dana's.
    done = bo("signoff", "2025-03", "calendar", "review", "--as", OWNER, cwd=books)
    assert done.exit_code == 0, done.stderr
    assert "review: reviewer Priya Shah (signed by Dana Reyes, their delegate)" in done.stdout
    signed = record(books)["signoffs"]["review"]["reviewer"]
    assert (signed["name"], signed["by"], signed["email"]) == (OWNER, PREPARER, EMAILS[PREPARER])
    assert last_commit(books)[0] == "Dana Reyes <dana@larkspur.example>"
    # A delegate still never reviews what they prepared.
    assert signoff(bo, books, PREPARER, "2025-03", "schedules").exit_code == 0
    own = bo("signoff", "2025-03", "schedules", "--as", OWNER, "--role", "reviewer", cwd=books)
    assert own.exit_code == 3


# --- teams of one and two -----------------------------------------------------------------------

ALONE = [
    {
        "name": "Alex Doe",
        "email": "alex@acme.example",
        "roles": ["bookkeeper", "controller", "owner"],
    }
]


def test_a_business_of_one_locks_under_self_review_and_every_report_says_so(tmp_path, bo):
    alone = small_books(tmp_path / "alone", ALONE, who="Alex Doe")
    # Without a policy for it, the calendar step says why one person cannot close.
    first = bo("close", "2025-03", cwd=alone)
    assert first.exit_code == 1
    assert "FAIL  calendar: the review policy cannot be met" in first.stdout
    assert "only Alex Doe can prepare and review it" in first.stdout
    assert "review.policy: self" in first.stdout

    settings = alone / "bo.yaml"
    settings.write_text(
        settings.read_text()
        + "review:\n  policy: self\n  note: the outside accountant reviews the year-end\n"
    )
    git(alone, "commit", "-qam", "a business of one")
    assert bo("close", "2025-03", cwd=alone).exit_code == 1
    signed = bo("signoff", "2025-03", cwd=alone)
    assert signed.exit_code == 0, signed.stderr
    assert "signed review: reviewer Alex Doe (self-review)" in signed.stdout
    locked = bo("close", "2025-03", cwd=alone)
    assert locked.exit_code == 0, locked.stdout
    report = (alone / "reports/2025-03/close.md").read_text()
    assert "Reviewed: self-review (a business of one): the outside accountant reviews" in report
    assert "- review: preparer Alex Doe, reviewer Alex Doe (self-review)" in report

    status = json.loads(bo("status", "--as-of", "2025-04-15", "--json", cwd=alone).stdout)
    (march,) = [c for c in status["closes"] if c["checklist"] == "month-end"]
    assert (march["period"], march["state"], march["review"]) == (
        "2025-03",
        "locked",
        "self-review",
    )
    (kpi,) = json.loads(bo("kpi", "--json", cwd=alone).stdout)
    assert kpi["review"] == "self-review"

    # Self-review is for a business of one: a second person makes the calendar fail.
    data = yaml.safe_load(settings.read_text())
    data["people"].append({"name": "Kim Lee", "email": "kim@acme.example", "roles": ["owner"]})
    settings.write_text(yaml.safe_dump(data, sort_keys=False))
    git(alone, "commit", "-qam", "Kim joins")
    april = bo("close", "2025-04", cwd=alone)
    assert "review.policy is self, for a business of one, but bo.yaml lists 2 people" in (
        april.stdout
    )


def test_an_outside_reviewer_signs_from_a_clone_of_their_own(tmp_path, bo):
    people = [
        {"name": "Alex Doe", "email": "alex@acme.example", "roles": ["bookkeeper", "controller"]},
        {"name": "Kim Lee", "email": "kim@cpa.example", "roles": ["accountant"]},
    ]
    review = {"policy": "outside", "reviewer": "Kim Lee"}
    books = small_books(tmp_path / "acme", people, review, who="Alex Doe")
    first = bo("close", "2025-03", cwd=books)
    assert "ok  calendar: every step can be signed; outside review by Kim Lee" in first.stdout
    alex = bo("signoff", "2025-03", cwd=books)
    assert alex.exit_code == 0 and alex.stdout.count("preparer Alex Doe") == 3, alex.stdout
    assert "its review is Kim Lee's" not in alex.stdout
    refused = bo("signoff", "2025-03", "review", "--role", "reviewer", cwd=books)
    assert refused.exit_code == 3 and "its review is Kim Lee's" in refused.stderr

    # Kim signs later, in her own clone, and Alex pulls her commit.
    clone = tmp_path / "kim"
    git(tmp_path, "clone", "-q", str(books), str(clone))
    as_person(clone, "Kim Lee", "kim@cpa.example")
    kim = bo("signoff", "2025-03", cwd=clone)
    assert kim.exit_code == 0, kim.stderr
    assert kim.stdout.count("reviewer Kim Lee") == 3
    git(books, "pull", "-q", "--ff-only", str(clone), "HEAD")
    assert last_commit(books)[0] == "Kim Lee <kim@cpa.example>"
    locked = bo("close", "2025-03", cwd=books)
    assert locked.exit_code == 0, locked.stdout
    assert "Reviewed: outside review by Kim Lee" in (books / "reports/2025-03/close.md").read_text()


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_where_git_signs_commits_bos_are_signed_and_audit_says_so(three, bo, tmp_path):
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    allowed = tmp_path / "allowed"
    allowed.write_text(f"{EMAILS[PREPARER]} {(tmp_path / 'key.pub').read_text()}")
    for name, value in (
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("commit.gpgsign", "true"),
        ("gpg.ssh.allowedSignersFile", str(allowed)),
    ):
        git(three, "config", name, value)
    assert bo("close", "2025-03", cwd=three).exit_code == 1
    assert bo("signoff", "2025-03", cwd=three).exit_code == 0
    assert git(three, "log", "-2", "--format=%G?").split() == ["G", "G"]
    commits = json.loads(bo("audit", "--json", cwd=three).stdout)["commits"]
    assert [c["signature"] for c in commits[-2:]] == ["good", "good"]
    assert commits[0]["signature"] == "unsigned"  # the books as committed by hand
    assert "[signed: good]" in bo("audit", cwd=three).stdout


# --- a lock that holds ---------------------------------------------------------------------------


@pytest.fixture
def locked(three, bo) -> Path:
    lock_march(bo, three)
    assert bo("check", cwd=three).exit_code == 0
    return three


def check_and_bean_check(bo, books: Path) -> tuple[str, list[str]]:
    checked = bo("check", "--no-cache", cwd=books)
    assert checked.exit_code == 1, checked.stdout + checked.stderr
    _, errors, _ = loader.load_file(str(books / "ledgers/main.beancount"))
    return checked.stdout, [e.message for e in errors]


def edit(books: Path, old: str, new: str, file: str = "ledgers/main.beancount") -> None:
    path = books / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_an_edit_with_the_record_rewritten_to_match_is_caught(locked, bo):
    from bo.books import Books
    from bo.close.record import lock_data
    from bo.periods import Period
    from bo.settings import load_settings

    edit(locked, "March rent", "March rent (adjusted)")
    # The tamperer recomputes the lock over the edited entries and writes it into the record.
    entries = Books(locked, load_settings(locked), use_cache=False).ledger.entries
    path = locked / "closes/2025-03.yaml"
    data = yaml.safe_load(path.read_text())
    data["locked"].update(lock_data(entries, Period(2025, 3)))
    data["digest"] = data["locked"]["digest"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    shown, errors = check_and_bean_check(bo, locked)
    assert "its lock differs from the one in tag close/2025-03" in shown
    assert "March rent (adjusted)" in shown and "was added or changed after the close" in shown
    assert any("March rent (adjusted)" in e for e in errors)
    assert any("differs from the one in tag close/2025-03" in e for e in errors)


def test_a_record_stripped_of_its_lock_is_caught(locked, bo):
    path = locked / "closes/2025-03.yaml"
    data = yaml.safe_load(path.read_text())
    data["locked"] = None
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    edit(locked, "1000.00 USD", "1100.00 USD")
    edit(locked, "-1000.00 USD", "-1100.00 USD")
    shown, errors = check_and_bean_check(bo, locked)
    assert "2025-03 is locked by tag close/2025-03, but closes/2025-03.yaml does not say so" in (
        shown
    )
    assert "March rent 1100.00 USD" in shown
    assert any("March rent" in e for e in errors)
    # Deleting the record altogether is the same.
    path.unlink()
    shown, _ = check_and_bean_check(bo, locked)
    assert "does not say so" in shown


def test_posting_metadata_is_locked_but_a_reconciliation_mark_is_not(locked, bo):
    edit(locked, "  Expenses:Rent          1000.00 USD\n", (
        '  Expenses:Rent          1000.00 USD\n    reconciled: 2025-04-02\n'
    ))  # fmt: skip
    assert bo("check", "--no-cache", cwd=locked).exit_code == 0  # LOCK_IGNORED_META
    edit(locked, "    reconciled: 2025-04-02\n", '    receipt: "rent-march.pdf"\n')
    shown, errors = check_and_bean_check(bo, locked)
    assert "2025-03-05 Landlord March rent" in shown
    assert any("locked period 2025-03" in e for e in errors)


def test_a_typed_trailer_does_not_make_a_hand_edit_bos(locked, bo):
    edit(locked, "100.00 USD", "150.00 USD", "ledgers/closing/2025-03.beancount")
    edit(locked, "-100.00 USD", "-150.00 USD", "ledgers/closing/2025-03.beancount")
    git(
        locked,
        "commit",
        "-qam",
        "close 2025-03: 3/3 steps, open",
        "-m",
        "Bo-Command: close 2025-03",
    )
    audited = bo("audit", cwd=locked)
    assert audited.exit_code == 1
    assert (
        "FLAG says `Bo-Command: close 2025-03`, but ledgers/closing/2025-03.beancount:4: "
        "Depreciation: equipment is not what schedule `equipment` posts"
    ) in audited.stdout
    assert "ledgers/closing/2025-03.beancount: bo's file, edited outside bo" in audited.stdout
    assert "entry in locked period 2025-03" in bo("check", cwd=locked).stdout

    # A sign-off typed into the record by someone else, with bo's trailer, is not bo's either.
    path = locked / "closes/2025-03.yaml"
    assert bo("reopen", "2025-03", "--reason", "redo the depreciation", cwd=locked).exit_code == 0
    edit(locked, "150.00 USD", "100.00 USD", "ledgers/closing/2025-03.beancount")
    edit(locked, "-150.00 USD", "-100.00 USD", "ledgers/closing/2025-03.beancount")
    git(locked, "commit", "-qam", "depreciation back")
    assert bo("close", "2025-03", cwd=locked).exit_code == 1
    data = yaml.safe_load(path.read_text())
    forged = {"name": OWNER, "at": "2025-04-03T10:00:00+00:00", "digest": data["digest"],
              "email": EMAILS[OWNER]}  # fmt: skip
    data["signoffs"] = {"review": {"reviewer": forged}}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    git(locked, "commit", "-qam", "signoff", "-m", "Bo-Command: signoff 2025-03")
    flags = [c["flags"] for c in json.loads(bo("audit", "--json", cwd=locked).stdout)["commits"]]
    assert any(
        "review (reviewer) is signed for Priya Shah, but dana@larkspur.example committed it" in f
        for f in flags[-1]
    )


@pytest.mark.parametrize(
    "args",
    [
        ("close", "2025-03", "--explain", "Expenses:Rent=new lease\x1b[2J"),
        ("reopen", "2025-03", "--reason", "late\tcredit"),
    ],
)
def test_control_characters_in_a_reason_are_refused_with_nothing_written(three, bo, args):
    before = tree(three)
    result = bo(*args, cwd=three)
    assert result.exit_code == 2 and "one line of text" in result.stderr
    assert tree(three) == before


def test_a_schedule_posting_to_an_account_never_opened_stops_the_close(three, bo):
    edit(three, "credit: Assets:AccumulatedDepreciation", "credit: Assets:AccumDepreciation",
         "schedules/equipment.yaml")  # fmt: skip
    git(three, "commit", "-qam", "a typo in the schedule")
    before = tree(three)
    result = bo("close", "2025-03", cwd=three)
    assert result.exit_code == 2, result.stdout
    assert "schedules/equipment.yaml:2: schedule `equipment` posts to" in result.stderr
    assert "`Assets:AccumDepreciation` is not opened in the ledger" in result.stderr
    assert tree(three) == before


def test_bean_check_runs_the_plugin_on_the_tag_too(locked):
    """The plugin reads the lock from git as bean-check runs it, in its own process."""
    edit(locked, "March rent", "March rent!")
    bean_check = Path(sys.executable).with_name("bean-check")
    done = subprocess.run([bean_check, locked / "ledgers/main.beancount"], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 1
    assert "locked period 2025-03" in done.stderr + done.stdout


# --- every cadence ------------------------------------------------------------------------------

WEEKLY = """\
name: Weekly invoices
cadence: weekly
steps:
  - id: invoices
    title: Invoices sent for the week's work
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    manual: Invoices sent
"""

QUARTERLY = """\
name: Quarterly review
cadence: quarterly
steps:
  - id: months-closed
    title: Every month of the quarter is closed and locked
    owner: controller
    reviewer: owner
    due: BD+10
    check: months-closed
  - id: review
    title: Owner reads the quarter's reports with the controller
    owner: controller
    reviewer: owner
    due: BD+15
    depends_on: [months-closed]
    manual: Quarterly review held
"""

YEARLY = """\
name: Year-end
cadence: yearly
steps:
  - id: accountant
    title: Year-end package sent to the accountant
    owner: controller
    reviewer: owner
    due: BD+20
    manual: Package sent
"""


def test_weekly_quarterly_and_yearly_checklists_sign_off_and_show_done(tmp_path, bo):
    books = small_books(
        tmp_path / "cadences",
        sops={"weekly-invoices": WEEKLY, "quarterly": QUARTERLY, "year-end": YEARLY},
    )
    lock_march(bo, books)
    runs = [
        ("2025-W11", "weekly-invoices", (PREPARER, REVIEWER), "done"),
        ("2025-Q1", "quarterly", (REVIEWER, OWNER), "locked"),
        ("2025", "year-end", (REVIEWER, OWNER), "locked"),
    ]
    for period, name, signers, _ in runs:
        first = bo("close", period, "--checklist", name, cwd=books)
        assert first.exit_code == 1, first.stdout + first.stderr  # the manual steps wait
        for person in signers:
            signed = signoff(bo, books, person, period, "--checklist", name)
            assert signed.exit_code == 0, signed.stdout + signed.stderr
            assert last_commit(books)[0] == f"{person} <{EMAILS[person]}>"
        last = bo("close", period, "--checklist", name, cwd=books)
        assert last.exit_code == 0, last.stdout + last.stderr
        assert (books / f"closes/{name}/{period}.yaml").is_file()
    status = bo("status", "--as-of", "2026-02-27", "--json", cwd=books)
    assert status.exit_code in (0, 1), status.stderr
    shown = {(c["checklist"], c["period"]): c for c in json.loads(status.stdout)["closes"]}
    for period, name, _, state in runs:
        assert shown[name, period]["state"] == state, shown
        assert shown[name, period]["signed_off"] == shown[name, period]["steps"]
    assert shown["month-end", "2025-03"]["state"] == "locked"
    tags = git(books, "tag").split()
    assert {"close/2025-03", "close/quarterly/2025-Q1", "close/year-end/2025"} <= set(tags)
    plain = bo("status", "--as-of", "2026-02-27", cwd=books).stdout
    assert "quarterly 2025-Q1" in plain or "2025-Q1" in plain


def test_new_books_from_bo_init_are_quiet_on_their_first_day(tmp_path, bo, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    config = tmp_path / "gitconfig"  # the owner's own git settings, for this test alone
    config.write_text(f"[user]\n\tname = {OWNER}\n\temail = {EMAILS[OWNER]}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert bo("init", "fresh", "--name", "Fresh Start LLC", cwd=tmp_path).exit_code == 0
    books = tmp_path / "fresh"
    author = git(books, "log", "-1", "--format=%an <%ae>").strip()
    assert author == f"{OWNER} <{EMAILS[OWNER]}>"  # the first commit, as its one person
    for command in (["status"], ["cash", "check"], ["forecast"]):
        said = bo(*command, cwd=books)
        assert said.exit_code == 0, (command, said.stdout, said.stderr)
        assert "overdue" not in said.stdout.lower() and "ESCALATED" not in said.stdout
    assert "no transactions yet" in bo("status", cwd=books).stdout
