"""`bo reconcile` on the demo books through the real CLI: the planted September, clean months."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

CHECKING = "Assets:Bank:Checking"
ACCOUNTS = (CHECKING, "Assets:Bank:Savings", "Liabilities:CreditCard")
EARLIER = [f"2024-{m:02d}" for m in (10, 11, 12)] + [f"2025-{m:02d}" for m in range(1, 9)]


def reconcile(bo, demo: Path, account: str, period: str, *args: str):
    return bo("reconcile", account, "--period", period, *args, cwd=demo)


def record(demo: Path, account: str, period: str) -> dict:
    slug = account.replace(":", "-").lower()
    return yaml.safe_load((demo / f"recs/{period}/{slug}.yaml").read_text())


def test_september_shows_exactly_the_planted_items_and_explains_the_difference(demo, bo):
    result = reconcile(bo, demo, CHECKING, "2025-09", "--format", "json")
    assert result.exit_code == 1, result.stderr  # entries are needed: not reconciled yet
    rec = json.loads(result.stdout)
    balances = rec["balances"]
    assert balances["difference"] == "0.00"
    assert balances["bank"] == "120156.21" and balances["books"] == "120930.21"
    in_transit = {(i["kind"], i["amount"]) for i in rec["open"]["in_transit"]}
    assert in_transit == {("outstanding check", "-2400.00"), ("deposit in transit", "3150.00")}
    (missing,) = rec["open"]["missing"]
    assert (missing["amount"], missing["text"]) == ("-15.00", "INCOMING WIRE FEE FEE_TRANSACTION")
    (differs,) = rec["open"]["amount_differs"]
    assert differs["amount"] == "-9.00"
    assert "transposed" in " ".join(differs["reasons"])
    assert differs["where"].startswith("ledgers/2025.beancount:")


def test_the_report_matches_its_golden_file(demo, bo, golden):
    result = reconcile(bo, demo, CHECKING, "2025-09", "--format", "md")
    golden("reconciliation.md", result.stdout)
    html = reconcile(bo, demo, CHECKING, "2025-09", "--format", "html").stdout
    golden("reconciliation.html", html)
    assert '<td class="num">120,156.21</td>' in html and "INCOMING WIRE FEE" in html


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_earlier_month_reconciles_with_nothing_open(demo, bo, account):
    for period in EARLIER:
        result = reconcile(bo, demo, account, period)
        assert result.exit_code == 0, f"{account} {period}:\n{result.stdout}{result.stderr}"
        rec = record(demo, account, period)
        assert rec["reconciled"] is True
        assert rec["open"] == {"in_transit": [], "missing": [], "amount_differs": []}


def test_october_clears_what_september_left_open(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-08")
    reconcile(bo, demo, CHECKING, "2025-09")
    september = {i["entry"] for i in record(demo, CHECKING, "2025-09")["open"]["in_transit"]}
    assert len(september) == 2
    result = reconcile(bo, demo, CHECKING, "2025-10", "--format", "json")
    rec = json.loads(result.stdout)
    # The check and the deposit open at September's end clear in October's statement.
    assert rec["open"]["in_transit"] == []
    cleared = {key for m in rec["matches"] for key in m["entries"]}
    assert september <= cleared


def fix_september(demo: Path) -> None:
    """What the September reconciliation asks for: the wire fee booked, Fernwood corrected."""
    ledger = demo / "ledgers/2025.beancount"
    text = ledger.read_text()
    fernwood = '2025-09-24 * "Fernwood Photography" "ACH payment for FP-0036"'
    at = text.index(fernwood)
    end = text.index("\n\n", at)
    entry = text[at:end].replace("1245.00 USD", "1254.00 USD")
    text = text[:at] + entry + text[end:]
    text += (
        '\n2025-09-16 * "First Coastal Bank" "Incoming wire fee"\n'
        "  Expenses:BankFees  15.00 USD\n  Assets:Bank:Checking\n"
    )
    ledger.write_text(text)


def test_what_september_leaves_unresolved_stays_open_and_explained_until_fixed(demo, bo):
    for period in ("2025-08", "2025-09"):
        reconcile(bo, demo, CHECKING, period)
    for period in ("2025-10", "2025-11"):
        result = reconcile(bo, demo, CHECKING, period, "--json")
        assert result.exit_code == 1, result.stderr
        rec = json.loads(result.stdout)
        assert rec["balances"]["difference"] == "0.00"
        (fee,) = rec["open"]["missing"]
        assert (fee["amount"], fee["since"], fee["date"]) == ("-15.00", "2025-09", "2025-09-16")
        assert fee["reasons"][0] == "on the statement of 2025-09, still open"
        (fernwood,) = rec["open"]["amount_differs"]
        assert (fernwood["amount"], fernwood["since"]) == ("-9.00", "2025-09")

    fix_september(demo)
    result = reconcile(bo, demo, CHECKING, "2025-10", "--json")
    rec = json.loads(result.stdout)
    assert result.exit_code == 0, rec
    assert rec["open"] == {"in_transit": [], "missing": [], "amount_differs": []}
    assert rec["balances"]["difference"] == "0.00"
    again = json.loads(reconcile(bo, demo, CHECKING, "2025-09", "--json").stdout)
    assert again["open"]["missing"] == [] and again["open"]["amount_differs"] == []


def test_an_entry_added_to_a_reconciled_month_says_to_reconcile_it_again(demo, bo):
    for period in ("2025-08", "2025-09"):
        reconcile(bo, demo, CHECKING, period)
    ledger = demo / "ledgers/2025.beancount"
    ledger.write_text(
        ledger.read_text() + '\n2025-09-20 * "Corner Deli" "Team lunch"\n'
        "  Expenses:Meals  42.00 USD\n  Assets:Bank:Checking\n"
    )
    rec = json.loads(reconcile(bo, demo, CHECKING, "2025-10", "--json").stdout)
    assert any(
        "dated 2025-09-20, entered after 2025-09 was reconciled" in note for note in rec["notes"]
    )


def test_a_deposit_in_transit_too_long_is_stale_and_not_reconciled(demo, bo):
    ledger = demo / "ledgers/2025.beancount"
    ledger.write_text(
        ledger.read_text() + '\n2025-09-18 * "Juniper Health" "Check received, not deposited"\n'
        "  Assets:Bank:Checking  700.00 USD\n  Assets:AccountsReceivable\n"
    )
    result = reconcile(bo, demo, CHECKING, "2025-09", "--json")
    rec = json.loads(result.stdout)
    (stale,) = [i for i in rec["open"]["in_transit"] if i["stale"]]
    assert (stale["amount"], stale["age_days"]) == ("700.00", 12)
    assert stale["reasons"][0] == "open 12 days, more than 5 (thresholds)"
    assert rec["balances"]["difference"] == "0.00" and rec["reconciled"] is False
    text = reconcile(bo, demo, CHECKING, "2025-09").stdout
    assert "deposit in transit STALE" in text


def test_matching_settings_come_from_bo_yaml(demo, bo):
    # A tolerance of 10.00 matches the transposed Fernwood payment (9.00 apart): still the
    # books' error to correct, so it stays an amount that differs and the difference holds.
    settings = demo / "bo.yaml"
    settings.write_text(settings.read_text() + "\nmatching:\n  amount_tolerance: 10.00\n")
    rec = json.loads(reconcile(bo, demo, CHECKING, "2025-09", "--json").stdout)
    (differs,) = rec["open"]["amount_differs"]
    assert differs["amount"] == "-9.00"
    assert differs["reasons"][0] == "amounts differ by 9.00 USD (tolerance 10.00)"
    assert rec["balances"]["difference"] == "0.00"

    settings.write_text(settings.read_text().replace("amount_tolerance: 10.00", "date_window: -1"))
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2
    assert "bo.yaml:" in result.stderr and "matching.date_window" in result.stderr


def test_running_twice_leaves_the_record_alone(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-08")
    path = demo / "recs/2025-08/assets-bank-checking.yaml"
    first = path.read_text()
    mtime = path.stat().st_mtime_ns
    reconcile(bo, demo, CHECKING, "2025-08")
    assert path.read_text() == first and path.stat().st_mtime_ns == mtime


REC_09 = "recs/2025-09/assets-bank-checking.yaml"


def set_pins(demo: Path, pins_text: str, relative: str = REC_09) -> None:
    path = demo / relative
    path.write_text(path.read_text().replace("pins: []", pins_text))


def test_a_second_run_over_unchanged_books_answers_from_the_cache(demo, bo, ledger_untouched):
    args = ("reconcile", "Assets:Bank:Checking", "--period", "2025-09", "--format", "json")
    first = bo(*args, cwd=demo)
    with ledger_untouched():
        again = bo(*args, cwd=demo)
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)
    # A changed statement is read again: the kept answer is not.
    statement = demo / "statements/checking/2025-09.csv"
    statement.write_text(statement.read_text() + "\n")
    with ledger_untouched():
        assert bo(*args, cwd=demo).exit_code == 70  # it went for the ledger


def test_a_pin_by_hand_survives_reruns(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-09")
    first = record(demo, CHECKING, "2025-09")["matches"][0]
    line_id, entry = first["lines"][0], first["entries"][0]
    set_pins(demo, f"pins:\n- line: {line_id}\n  entry: '{entry}'")
    reconcile(bo, demo, CHECKING, "2025-09")
    again = record(demo, CHECKING, "2025-09")
    assert again["pins"] == [{"line": line_id, "entry": entry}]
    (pinned,) = [m for m in again["matches"] if m["how"] == "pinned"]
    assert (pinned["lines"], pinned["entries"]) == ([line_id], [entry])
    shown = json.loads(reconcile(bo, demo, CHECKING, "2025-09", "--json").stdout)
    assert shown["pins"] == [{"line": line_id, "entry": entry}]


def test_pinning_a_pair_whose_amounts_differ_keeps_the_correction(demo, bo):
    # The transposed Fernwood payment pinned by hand: still the books' error of -9.00 to fix.
    reconcile(bo, demo, CHECKING, "2025-09")
    differs = record(demo, CHECKING, "2025-09")["open"]["amount_differs"][0]
    set_pins(demo, f"pins:\n- line: {differs['line']}\n  entry: '{differs['entry']}'")
    result = reconcile(bo, demo, CHECKING, "2025-09", "--json")
    rec = json.loads(result.stdout)
    assert rec["balances"]["difference"] == "0.00"
    assert rec["balances"]["amount_corrections"] == "-9.00"
    (again,) = rec["open"]["amount_differs"]
    assert (again["line"], again["entry"], again["amount"]) == (
        differs["line"],
        differs["entry"],
        "-9.00",
    )
    assert again["reasons"][0] == "pinned by hand"


def test_a_pin_across_the_matcher_moves_the_difference_into_corrections(demo, bo):
    # The person says the wire fee line is the outstanding check (it is not, but bo must
    # keep the arithmetic): the 2,385.00 between them becomes a correction, nothing is lost.
    reconcile(bo, demo, CHECKING, "2025-09")
    rec = record(demo, CHECKING, "2025-09")
    fee, check = rec["open"]["missing"][0], rec["open"]["in_transit"][0]
    assert check["kind"] == "outstanding check"
    set_pins(demo, f"pins:\n- line: {fee['line']}\n  entry: '{check['entry']}'")
    again = json.loads(reconcile(bo, demo, CHECKING, "2025-09", "--json").stdout)
    assert again["balances"]["difference"] == "0.00"
    assert again["balances"]["outstanding"] == "0.00"
    assert again["balances"]["amount_corrections"] == "2376.00"  # 2,385.00 and the -9.00


@pytest.mark.parametrize(
    "pins",
    [
        'pins: "hello"',
        "pins: [hello]",
        "pins: {line: a}",
        "pins:\n- line: a",
        "pins:\n- line: a\n  entry: b\n  note: c",
    ],
)
def test_a_malformed_pin_is_bad_input_naming_the_record(demo, bo, pins):
    reconcile(bo, demo, CHECKING, "2025-09")
    path = demo / REC_09
    set_pins(demo, pins)
    before = path.read_text()
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{REC_09}:" in result.stderr and "pins" in result.stderr
    assert path.read_text() == before


def test_a_line_or_an_entry_pinned_twice_is_refused(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-09")
    rec = record(demo, CHECKING, "2025-09")
    (a, b) = rec["matches"][:2]
    pins = (
        f"pins:\n- line: {a['lines'][0]}\n  entry: '{a['entries'][0]}'"
        f"\n- line: {a['lines'][0]}\n  entry: '{b['entries'][0]}'"
    )
    set_pins(demo, pins)
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2
    assert f"{REC_09}:" in result.stderr
    assert f"line {a['lines'][0]} is pinned twice" in result.stderr

    set_pins(demo, "pins: []")
    path = demo / REC_09
    path.write_text(
        path.read_text().replace(
            pins,
            f"pins:\n- line: {a['lines'][0]}\n  entry: '{a['entries'][0]}'"
            f"\n- line: {b['lines'][0]}\n  entry: '{a['entries'][0]}'",
        )
    )
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2 and f"entry {a['entries'][0]} is pinned twice" in result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("open:\n  in_transit:", "open: []\nold_open:\n  in_transit:"),
        ("  - kind: outstanding check\n", "  - kind: x\n    dropped: true\n"),
        ("  bank: '120156.21'", "  bank: abc"),
    ],
)
def test_a_broken_previous_record_is_bad_input_naming_its_file(demo, bo, old, new):
    reconcile(bo, demo, CHECKING, "2025-09")
    path = demo / REC_09
    text = path.read_text()
    assert old in text
    if "dropped" in new:  # an in-transit item without its entry key
        text = text.replace("    entry: entry:cb319e27af7d3ad0:1\n", "", 1)
    path.write_text(text.replace(old, new, 1))
    result = reconcile(bo, demo, CHECKING, "2025-10")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{REC_09}:" in result.stderr
    assert not (demo / "recs/2025-10").exists()


def test_out_writes_the_report_in_the_format_its_name_says(demo, bo, golden):
    result = reconcile(bo, demo, CHECKING, "2025-09", "--out", "rec.md")
    assert result.exit_code == 1 and "wrote rec.md" in result.stderr
    golden("reconciliation.md", (demo / "rec.md").read_text())
    refused = reconcile(bo, demo, CHECKING, "2025-09", "--out", "rec.txt")
    assert refused.exit_code == 2 and "--format md, html or json" in refused.stderr
    assert not (demo / "rec.txt").exists()


@pytest.mark.parametrize("target", ["/proc/x.md", "recs", "missing-folder/sub/x.md"])
def test_an_unwritable_out_is_bad_input_and_writes_no_record(demo, bo, target):
    if target == "missing-folder/sub/x.md":
        (demo / "missing-folder").write_text("a file where a folder should be")
    else:
        (demo / "recs").mkdir(exist_ok=True)
    result = reconcile(bo, demo, CHECKING, "2025-09", "--format", "md", "--out", target)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "--out" in result.stderr and target.split("/")[-1] in result.stderr
    assert not (demo / REC_09).exists()


def test_a_statement_of_another_period_is_refused(demo, bo):
    reconcile(bo, demo, CHECKING, "2025-09")
    before = (demo / REC_09).read_text()
    result = reconcile(
        bo, demo, CHECKING, "2025-09", "--statement", "statements/checking/2025-08.csv"
    )
    assert result.exit_code == 2
    assert "statements/checking/2025-08.csv: no line dated in 2025-09" in result.stderr
    assert (demo / REC_09).read_text() == before


def test_the_same_statement_twice_is_refused(demo, bo):
    statement = "statements/checking/2025-09.csv"
    copy = demo / "statements/checking/copy-of-2025-09.csv"
    copy.write_bytes((demo / statement).read_bytes())
    for second in (statement, str(copy)):
        result = reconcile(bo, demo, CHECKING, "2025-09", "--statement", statement,
                           "--statement", second)  # fmt: skip
        assert result.exit_code == 2
        assert "the same statement twice" in result.stderr
    assert not (demo / "recs").exists()


def test_the_outside_lines_note_names_the_statement_from_the_books(demo, bo):
    # A statement file that runs a few days past the period end.
    path = demo / "statements/checking/2025-09.csv"
    lines = path.read_text().splitlines(keepends=True)
    october = (demo / "statements/checking/2025-10.csv").read_text().splitlines(keepends=True)
    path.write_text(lines[0] + october[-1] + "".join(lines[1:]))
    rec = json.loads(reconcile(bo, demo, CHECKING, "2025-09", "--json").stdout)
    assert "statements/checking/2025-09.csv: 1 line outside 2025-09 left out" in rec["notes"]


def test_accept_writes_a_balance_assertion_only_when_reconciled(demo, bo):
    refused = reconcile(bo, demo, CHECKING, "2025-09", "--accept")
    assert refused.exit_code == 1 and "nothing accepted" in refused.stderr
    assert not (demo / "ledgers/recs").exists()

    accepted = reconcile(bo, demo, CHECKING, "2025-08", "--accept")
    assert accepted.exit_code == 0, accepted.stderr
    cleared = (demo / "ledgers/recs/assets-bank-checking.beancount").read_text()
    assert "2025-09-01 balance Assets:Bank:Checking 82148.33 USD" in cleared
    again = reconcile(bo, demo, CHECKING, "2025-08", "--accept")
    assert again.exit_code == 0 and "accepted already" in again.stderr
    assert (demo / "ledgers/recs/assets-bank-checking.beancount").read_text() == cleared
    _, errors, _ = loader.load_file(str(demo / "ledgers/main.beancount"))
    assert not errors  # fava and bean-check see the assertion, and it holds


def test_no_statement_for_the_period_is_a_clear_error(demo, bo):
    result = reconcile(bo, demo, CHECKING, "2026-03")
    assert result.exit_code == 2
    assert "no statement for 2026-03 in statements/checking/" in result.stderr


def test_a_broken_statement_is_refused_and_no_record_is_written(demo, bo):
    path = demo / "statements/checking/2025-09.csv"
    path.write_text(path.read_text().replace("09/16/2025", "09/31/2025", 1))
    result = reconcile(bo, demo, CHECKING, "2025-09")
    assert result.exit_code == 2 and "2025-09.csv:" in result.stderr
    assert not (demo / "recs").exists()


# --- The core, on small books built from text ---------------------------------------------------


def test_a_reference_in_the_entry_metadata_picks_its_own_statement_line(tmp_path):
    from datetime import date
    from decimal import Decimal

    from beancount.core.amount import Amount

    from bo.errors import Source
    from bo.periods import Period
    from bo.reconcile import reconcile as reconcile_core
    from bo.settings import load_settings
    from bo.statements import Statement, StatementLine
    from tests.conftest import PROJECT

    # Two wires of one amount on one day, told apart only by the bank's reference.
    entries, errors, _ = loader.load_string(
        """
        2025-01-01 open Assets:Bank:Checking USD
        2025-01-01 open Expenses:Supplies USD
        2025-03-10 * "Wire to supplier"
          reference: "B2210"
          Assets:Bank:Checking  -500.00 USD
          Expenses:Supplies
        2025-03-10 * "Wire to supplier"
          reference: "A7781"
          Assets:Bank:Checking  -500.00 USD
          Expenses:Supplies
        """,
        dedent=True,
    )
    assert not errors
    path = tmp_path / "2025-03.csv"
    lines = [
        StatementLine(
            CHECKING,
            date(2025, 3, 10),
            Amount(Decimal("-500.00"), "USD"),
            "WIRE OUT",
            "",
            ref,
            None,
            None,
            Source(str(path), row + 2),
            row,
        )
        for row, ref in enumerate(["A7781", "B2210"])
    ]
    statement = Statement.from_lines(CHECKING, path, "USD", lines)
    rec = reconcile_core(
        tmp_path, load_settings(PROJECT), entries, CHECKING, Period(2025, 3), [statement]
    )
    assert len(rec.matches) == 2
    reference_at = {f"2025-03.csv:{line.source.lineno}": line.reference for line in lines}
    for match in rec.matches:
        (where,) = match.lines_at
        assert match.entries[0].refs == (reference_at[where],)
        assert f"same reference {reference_at[where]}" in match.reasons


@pytest.mark.parametrize("given", ["missing.csv", "statements"], ids=["missing", "a-folder"])
def test_a_statement_that_is_not_a_file_is_bad_input_and_nothing_is_written(demo, bo, given):
    path = demo / given
    (demo / "statements").mkdir(exist_ok=True)
    result = reconcile(bo, demo, CHECKING, "2025-09", "--statement", str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"{given}: ") and "Traceback" not in result.stderr
    assert not (demo / "recs/2025-09").exists()
    assert not (demo / ".bo/lock").exists()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.sampled_from(["Cafe", "Rent"]), st.sampled_from([5, 7])),
        max_size=25,
    ),
    st.integers(1, 21),
    st.sets(st.integers(1, 20), max_size=3),
)
def test_keys_of_the_days_a_reconciliation_reads_are_the_keys_of_every_day(rows, cut, extra):
    """Reconciliation keys only the days it reads (bo.reconcile.book_items): an entry's key,
    its occurrence among identical ones included, must be the one keying every day gives."""
    from datetime import date

    from bo.reconcile import entry_keys

    text = "2025-03-01 open Assets:Bank:Checking USD\n2025-03-01 open Expenses:Any USD\n"
    for day, payee, amount in rows:
        text += (
            f'2025-03-{day:02d} * "{payee}" ""\n  Assets:Bank:Checking  -{amount}.00 USD\n'
            "  Expenses:Any\n"
        )
    entries, errors, _ = loader.load_string(text)
    assert not errors

    def wanted(day: date) -> bool:
        return day.day >= cut or day.day in extra

    every = entry_keys(entries, "Assets:Bank:Checking")
    some = entry_keys(entries, "Assets:Bank:Checking", wanted)
    assert [(k, e.meta["lineno"]) for k, e, _ in some] == [
        (k, e.meta["lineno"]) for k, e, _ in every if wanted(e.date)
    ]
