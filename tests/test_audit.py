"""`bo audit` over a real git books repo: entries per commit, authors, a backdated edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import OWNER, PREPARER, REVIEWER, SHORT_CLOSE, git
from tests.test_close import sign_all


def commit_as(books, name: str, email: str, message: str, *flags: str) -> None:
    git(books, "add", "-A")
    git(
        books,
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email}",
        "commit",
        *flags,
        "-qm",
        message,
    )


def test_audit_reports_entries_by_author_and_flags_a_backdated_edit(short, bo):
    # Dana imports September's missing fee; Sam corrects a narration.
    assert bo("import", "statements/checking/2025-09.csv", cwd=short).exit_code in (0, 1)
    commit_as(short, PREPARER, "dana@larkspur.example", "Import September checking")
    ledger = short / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text().replace("Rent September 2025", "Rent Sept 2025", 1))
    commit_as(short, REVIEWER, "sam@larkspur.example", "Fix rent narration")

    # August closes and locks; then someone edits an August entry.
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")
    assert bo("close", "2025-08", cwd=short).exit_code == 0
    ledger.write_text(ledger.read_text().replace("Rent August 2025", "Rent Aug 2025", 1))
    commit_as(short, OWNER, "priya@larkspur.example", "Tidy August")

    result = bo("audit", "--json", cwd=short)
    assert result.exit_code == 1  # the backdated edit is flagged
    commits = {c["subject"]: c for c in json.loads(result.stdout)["commits"]}

    imported = commits["Import September checking"]
    assert imported["author"] == PREPARER
    added = [c for c in imported["changes"] if c["change"] == "added"]
    assert any("INCOMING WIRE FEE" in c["what"] for c in added)
    assert all(c["where"].startswith("ledgers/imports/") for c in added)

    fixed = commits["Fix rent narration"]
    assert fixed["author"] == REVIEWER
    (change,) = fixed["changes"]
    assert change["change"] == "changed" and change["fields"] == ["narration"]
    assert change["where"].startswith("ledgers/2025.beancount:")
    assert not fixed["flags"]

    tidy = commits["Tidy August"]
    assert tidy["author"] == OWNER
    assert any("locked period 2025-08" in flag for flag in tidy["flags"])
    # bo's own commit of the close is not flagged for touching bo's files.
    assert not commits["close 2025-08: 3/3 steps, locked"]["flags"]

    # The terminal form names the commit, the author and the flag.
    text = bo("audit", "--period", "2025-08", cwd=short).stdout
    assert "Priya Shah: Tidy August" in text and "FLAG changed an entry in locked period" in text


def test_audit_reads_its_cache_on_the_second_run(short, bo, monkeypatch):
    from bo.cache import books_folder

    first = bo("audit", "--json", cwd=short)
    assert list((books_folder(short) / "audit-2").glob("*.cache"))
    assert not (short / ".bo/cache").exists()

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached commit was diffed again")

    monkeypatch.setattr("bo.audit.diff_file", no_parsing)
    again = bo("audit", "--json", cwd=short)
    assert again.exit_code == first.exit_code == 0
    assert again.stdout == first.stdout


AUGUST_CSV = """\
Date,Description,Amount,Balance
08/01/2025,OPENING DEPOSIT,12000.00,12000.00
08/05/2025,FIGMA INC,-45.00,11955.00
08/14/2025,CLIENT PAYMENT BELLWEATHER,3200.00,15155.00
08/28/2025,GITHUB,-21.00,15134.00
"""

RENT = """\
2025-08-01 * "Keystone Properties" "Rent August 2025"
  Expenses:Rent                 2400.00 USD
  Liabilities:AccountsPayable  -2400.00 USD
"""


def test_audit_of_books_started_with_bo_init(tmp_path, bo, monkeypatch):
    """From `bo init` to a flagged backdated edit, every step through the CLI."""
    # The pre-commit hook `bo init` installs runs `bo check` on every commit below.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert bo("init", "acme", "--name", "Acme Studio LLC", cwd=tmp_path).exit_code == 0
    books = tmp_path / "acme"
    settings = (books / "bo.yaml").read_text()
    start, end = settings.index("people:\n"), settings.index("# Who reviews the close.")
    people = "".join(
        f"  - {{name: {name}, email: {email}, roles: [{role}]}}\n"
        for name, email, role in (
            (PREPARER, "dana@larkspur.example", "bookkeeper"),
            (REVIEWER, "sam@larkspur.example", "controller"),
            (OWNER, "priya@larkspur.example", "owner"),
        )
    )
    settings = settings[:start] + "people:\n" + people + "\n" + settings[end:]
    settings = settings.replace("  policy: self\n", "  policy: separate\n").replace(
        '  note: "one person keeps these books; an outside accountant sees the year-end"\n', ""
    )
    settings = settings.replace(
        "    statement: {format: plain, dir: statements/checking}",
        "    statement: {format: plain-balance, dir: statements/checking}",
    )
    (books / "bo.yaml").write_text(settings)
    (books / "sops/month-end.yaml").write_text(SHORT_CLOSE)
    main = books / "ledgers/main.beancount"
    main.write_text(
        main.read_text().replace('; include "2025.beancount"', 'include "2025.beancount"')
    )
    assert "Expenses:Rent" in (books / "ledgers/accounts.beancount").read_text()
    (books / "ledgers/2025.beancount").write_text("; 2025, by hand\n")
    commit_as(books, PREPARER, "dana@acme.example", "Set up the books")

    # Dana imports August's bank statement; Sam books the rent by hand.
    (books / "statements/checking").mkdir(parents=True)
    (books / "statements/checking/2025-08.csv").write_text(AUGUST_CSV)
    imported = bo("import", "statements/checking/2025-08.csv", cwd=books)
    assert imported.exit_code in (0, 1), imported.stderr
    commit_as(books, PREPARER, "dana@acme.example", "Import August checking")
    ledger = books / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text() + "\n" + RENT)
    commit_as(books, REVIEWER, "sam@acme.example", "Book August rent")

    # August closes and locks; then Priya changes the rent after the lock.
    first = bo("close", "2025-08", cwd=books)
    assert first.exit_code == 1, first.stdout + first.stderr  # passed, awaiting sign-off
    sign_all(bo, books, "2025-08")
    assert bo("close", "2025-08", cwd=books).exit_code == 0
    ledger.write_text(ledger.read_text().replace("2400.00 USD", "2600.00 USD"))
    with pytest.raises(subprocess.CalledProcessError) as refused:
        commit_as(books, OWNER, "priya@acme.example", "Rent was higher")
    assert "2025-08" in refused.value.stdout + refused.value.stderr  # the hook names the lock
    commit_as(books, OWNER, "priya@acme.example", "Rent was higher", "--no-verify")

    result = bo("audit", "--json", cwd=books)
    assert result.exit_code == 1, result.stderr
    commits = {c["subject"]: c for c in json.loads(result.stdout)["commits"]}

    imports = commits["Import August checking"]
    assert imports["author"] == PREPARER
    added = [c for c in imports["changes"] if c["change"] == "added"]
    assert len(added) == 4 and any("FIGMA" in c["what"] for c in added)
    assert not imports["flags"]

    rent = commits["Book August rent"]
    assert rent["author"] == REVIEWER
    (change,) = rent["changes"]
    assert change["change"] == "added" and "Rent August 2025" in change["what"]

    later = commits["Rent was higher"]
    assert later["author"] == OWNER
    (change,) = later["changes"]
    assert change["change"] == "changed" and change["where"].startswith("ledgers/2025.beancount:")
    assert any("locked period 2025-08" in flag for flag in later["flags"])
    # bo init's books have no schedules yet: that step is n/a.
    assert not commits["close 2025-08: 2/3 steps, 1 n/a, locked"]["flags"]


# --- a locked August on the demo books, and what happens after -------------------------------


def lock_august(books: Path, bo) -> None:
    bo("close", "2025-08", cwd=books)
    sign_all(bo, books, "2025-08")
    assert bo("close", "2025-08", cwd=books).exit_code == 0


def edit(books: Path, old: str, new: str, file: str = "ledgers/2025.beancount") -> None:
    path = books / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def audited(bo, books: Path, *args: str) -> tuple[int, dict]:
    result = bo("audit", "--json", *args, cwd=books)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, {c["subject"]: c for c in json.loads(result.stdout)["commits"]}


def test_a_commit_subject_starting_close_does_not_hide_a_locked_edit(short, bo):
    lock_august(short, bo)
    edit(short, "Rent August 2025", "Rent for August 2025")
    (short / "closes/2025-08.yaml").write_text(
        (short / "closes/2025-08.yaml").read_text() + "# tidied\n"
    )
    commit_as(short, OWNER, "priya@larkspur.example", "close the loop on rent wording")
    code, commits = audited(bo, short)
    assert code == 1
    flags = commits["close the loop on rent wording"]["flags"]
    assert any("changed an entry in locked period 2025-08" in f for f in flags)
    assert "closes/2025-08.yaml: bo's file, edited outside bo" in flags
    assert not commits["close the loop on rent wording"]["by_bo"]


def test_a_backdated_author_date_does_not_hide_a_locked_edit_from_since(short, bo):
    lock_august(short, bo)
    rent = '"Rent August 2025"\n  Expenses:Rent                                  42'
    edit(short, rent, rent.replace("42", "43"))
    commit_as(short, OWNER, "priya@larkspur.example", "Rent", "--date=2025-08-15T09:00:00")
    code, commits = audited(bo, short, "--since", "close/2025-08")
    assert code == 1
    assert list(commits) == ["Rent"]  # only what came after the tag
    (change,) = commits["Rent"]["changes"]
    assert change["fields"] == ["postings"]
    assert any("locked period 2025-08" in f for f in commits["Rent"]["flags"])


def commit_reopen(books: Path, period: str) -> None:
    """Commit what `bo reopen` wrote, as bo does (with its trailer) when it commits itself."""
    if git(books, "status", "--porcelain", "--", "closes"):
        git(books, "add", "--", "closes")
        git(books, "commit", "-qm", f"reopen {period}", "-m", f"Bo-Command: reopen {period}")


def test_an_edit_after_a_reopen_is_not_flagged_and_the_reopen_is_bos(short, bo):
    lock_august(short, bo)
    assert bo("reopen", "2025-08", "--reason", "late credit note", cwd=short).exit_code == 0
    commit_reopen(short, "2025-08")
    edit(short, "Rent August 2025", "Rent August 2025, credit note applied")
    commit_as(short, REVIEWER, "sam@larkspur.example", "Credit note on August rent")
    code, commits = audited(bo, short)
    assert not commits["Credit note on August rent"]["flags"]
    reopen = next(c for s, c in commits.items() if s.startswith("reopen"))
    assert reopen["by_bo"] and not reopen["flags"]
    # Closed again, the lock holds from that commit on.
    lock_august(short, bo)
    edit(short, "credit note applied", "credit note applied twice")
    commit_as(short, OWNER, "priya@larkspur.example", "Again")
    code, commits = audited(bo, short)
    assert code == 1
    assert any("locked period 2025-08" in f for f in commits["Again"]["flags"])
    assert not commits["Credit note on August rent"]["flags"]


def test_a_verbatim_duplicate_and_every_kind_of_directive_are_entries(short, bo):
    ledger = short / "ledgers/2025.beancount"
    text = ledger.read_text()
    rent = '2025-08-01 * "Harbor Properties" "Rent August 2025"\n'
    block = text[text.index(rent) :].split("\n\n", 1)[0] + "\n"
    ledger.write_text(text.replace(block, block + "\n" + block, 1))
    commit_as(short, PREPARER, "dana@larkspur.example", "Rent twice")
    edit(
        short,
        "2025-08-01 balance Assets:Bank:Savings                       35461.39 USD",
        "2025-08-01 balance Assets:Bank:Savings                       35461.40 USD",
    )
    commit_as(short, PREPARER, "dana@larkspur.example", "Savings balance")
    edit(short, '2025-08-01 * "Harbor Properties" "Rent August 2025"',
         '2025-08-04 * "Harbor Properties" "Rent August 2025"')  # fmt: skip
    commit_as(short, PREPARER, "dana@larkspur.example", "Rent moved")
    edit(
        short, '"Harbor Properties" "Rent August 2025"', '"Harbor Property Mgmt" "Rent August 2025"'
    )
    commit_as(short, PREPARER, "dana@larkspur.example", "Landlord renamed")
    _, commits = audited(bo, short)

    (dupe,) = commits["Rent twice"]["changes"]
    assert dupe["change"] == "added" and "Rent August 2025" in dupe["what"]
    (balance,) = commits["Savings balance"]["changes"]
    assert balance["change"] == "changed" and balance["fields"] == ["amount"]
    assert "balance Assets:Bank:Savings" in balance["what"]
    (moved,) = commits["Rent moved"]["changes"]
    assert (moved["change"], moved["fields"], moved["was"]) == ("changed", ["date"], "2025-08-01")
    (renamed,) = commits["Landlord renamed"]["changes"]
    assert (renamed["change"], renamed["fields"]) == ("changed", ["payee"])


def test_cost_and_price_changes_are_fields(tmp_path):
    from bo.audit import diff_file

    before = '2025-01-02 * "Buy"\n  Assets:Broker  10 VTI {200.00 USD}\n  Assets:Cash\n'
    after = '2025-01-02 * "Buy"\n  Assets:Broker  10 VTI {201.00 USD}\n  Assets:Cash\n'
    (change,) = diff_file("a.beancount", before, after)
    assert change.fields == ["postings"]
    priced = '2025-01-02 * "FX"\n  Assets:EUR  10 EUR @ 1.10 USD\n  Assets:Cash\n'
    repriced = '2025-01-02 * "FX"\n  Assets:EUR  10 EUR @ 1.12 USD\n  Assets:Cash\n'
    (change,) = diff_file("a.beancount", priced, repriced)
    assert change.change == "changed" and change.fields == ["postings"]


def test_stale_signoff_and_hand_edit_of_closing_entries_are_flagged(short, bo):
    bo("close", "2025-08", cwd=short)
    sign_all(bo, short, "2025-08")  # each sign-off its own commit
    edit(short, "Rent August 2025", "Rent Aug 2025")
    closing = short / "ledgers/closing/2025-08.beancount"
    closing.write_text(closing.read_text() + "\n; checked\n")
    commit_as(short, REVIEWER, "sam@larkspur.example", "Tweak")
    result = bo("audit", cwd=short)
    assert result.exit_code == 1
    assert "ledgers/closing/2025-08.beancount: bo's file, edited outside bo" in result.stdout
    assert "2025-08 review: reviewer sign-off by Priya Shah was made over entries" in result.stdout


def test_an_unreadable_close_record_is_flagged_and_its_lock_still_holds(short, bo):
    lock_august(short, bo)
    record = short / "closes/2025-08.yaml"
    record.write_text(record.read_text() + "\n  : [unclosed\n")
    edit(short, "Rent August 2025", "Rent Aug 2025")
    commit_as(short, OWNER, "priya@larkspur.example", "Break it")
    code, commits = audited(bo, short)
    flags = commits["Break it"]["flags"]
    assert code == 1
    assert any("closes/2025-08.yaml is not valid YAML" in f for f in flags)
    assert any("locked period 2025-08" in f for f in flags)


def test_audit_reads_history_when_the_ledger_does_not_parse_today(short, bo):
    lock_august(short, bo)
    edit(short, "Rent August 2025", "Rent Aug 2025")
    ledger = short / "ledgers/2025.beancount"
    ledger.write_text(ledger.read_text() + "\n2025-13-45 * oops\n")
    commit_as(short, OWNER, "priya@larkspur.example", "Broken")
    result = bo("audit", cwd=short)
    assert result.exit_code == 1
    assert "FLAG changed an entry in locked period 2025-08" in result.stdout
    assert "sign-offs not checked" in result.stderr


def test_bad_since_and_an_empty_repo_are_clear(short, bo, tmp_path):
    bad = bo("audit", "--since", "nosuchrev", cwd=short)
    assert bad.exit_code == 2
    assert "--since nosuchrev: no such commit" in bad.stderr and "\x1f" not in bad.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "bo.yaml").write_text((short / "bo.yaml").read_text())
    git(empty, "init", "-q")
    none = bo("audit", cwd=empty)
    assert none.exit_code == 0 and "no commits yet" in none.stderr
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain/bo.yaml").write_text("")
    assert bo("audit", "--books", str(tmp_path / "plain")).exit_code == 2


def test_a_lock_time_that_is_not_a_date_does_not_crash_audit(short, bo):
    lock_august(short, bo)
    record = short / "closes/2025-08.yaml"
    text = record.read_text()
    record.write_text(text.replace("  at: ", "  at: yesterday #", 1))
    commit_as(short, OWNER, "priya@larkspur.example", "Record touched")
    result = bo("audit", cwd=short)
    assert result.exit_code == 1, result.stderr  # a hand edit of bo's file, not a crash


# --- diffing only the changed span agrees with diffing whole files ---------------------------

ENTRY = st.tuples(
    st.integers(1, 28),
    st.sampled_from(["Figma", "Rent", "Coffee", "Payroll"]),
    st.integers(1, 9),
    st.booleans(),
).map(
    lambda t: (
        f'2025-03-{t[0]:02d} * "{t[1]}" "n{t[2]}"\n'
        + ('  ref: "x"\n' if t[3] else "")
        + f"  Expenses:Office  {t[2]}.00 USD\n  Assets:Bank:Checking\n"
    )
)
EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "copy"]), st.integers(0, 40), ENTRY
)


def _text(entries: list[str]) -> str:
    return "; ledger\n\n" + "\n".join(entries)


@settings(max_examples=150, deadline=None)
@given(st.lists(ENTRY, max_size=12), st.lists(EDIT, min_size=1, max_size=4))
def test_changed_span_diff_matches_a_full_diff(entries, edits):
    from beancount.parser import parser

    from bo.audit import _parse, diff_entries, diff_file

    after = list(entries)
    for kind, at, entry in edits:
        at = at % (len(after) + 1)
        if kind == "insert":
            after.insert(at, entry)
        elif after and kind == "delete":
            del after[at % len(after)]
        elif after and kind == "replace":
            after[at % len(after)] = entry
        elif after:
            after.insert(at, after[at % len(after)])
    old, new = _text(entries), _text(after)
    assert not parser.parse_string(new)[1]

    def shape(changes):
        return sorted((c.change, c.date, c.what, tuple(c.fields), c.was) for c in changes)

    fast = diff_file("x.beancount", old, new)
    full = diff_entries("x.beancount", _parse(old), _parse(new))
    assert shape(fast) == shape(full)
    # Every line a change names holds the start of that entry in its version.
    for change in fast:
        line = int(change.where.rsplit(":", 1)[1])
        lines = (old if change.change == "removed" else new).splitlines()
        assert lines[line - 1].startswith(change.date)
