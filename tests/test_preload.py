"""The ledger parsed ahead in a child process (`bo.preload`): the same ledger,
the same errors, nothing written for bad input, and a fallback whenever it cannot be trusted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bo import books as books_module
from bo import preload
from bo.books import load_ledger
from bo.preload import guess

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the preload forks")


@pytest.fixture(autouse=True)
def no_leftover_pipes():
    yield
    for read in [*preload.pipes.values(), *preload.spares.values()]:
        os.close(read)
    preload.pipes.clear()
    preload.spares.clear()
    preload.borrowed.clear()


def _no_parse_here(*args):
    raise AssertionError("the ledger was parsed in this process, not taken from the child")


def preload_ledger(books: Path, cwd: Path) -> None:
    preload.start(books, cwd)


def _key(books: Path) -> tuple[Path, Path]:
    return ((books / "ledgers/main.beancount").resolve(), books.resolve())


def test_the_childs_ledger_is_the_ledger(books, monkeypatch):
    main = books / "ledgers/main.beancount"
    direct = load_ledger(main, books, use_cache=False)
    preload_ledger(books, Path.cwd())
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    ledger = load_ledger(main, books)
    assert ledger.entries == direct.entries
    assert ledger.errors == direct.errors == []
    assert ledger.files == direct.files
    assert not ledger.from_cache, "a parse of this run, not bo's cache"
    # The child's cache files were kept: the next load reads them.
    assert load_ledger(main, books).from_cache


def test_errors_come_back_as_beancount_reported_them(books, write, monkeypatch):
    write(
        "ledgers/2025.beancount",
        (books / "ledgers/2025.beancount").read_text()
        + '\n2025-01-09 * "Typo"\n  Expenses:Rent  10.00 USD\n  Assets:Bank:Checking  -1.00 USD\n',
    )
    main = books / "ledgers/main.beancount"
    direct = load_ledger(main, books, use_cache=False)
    assert direct.errors, "the unbalanced entry is an error"
    preload_ledger(books, Path.cwd())
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    assert load_ledger(main, books).errors == direct.errors


def test_a_file_changed_after_the_childs_parse_is_read_again(books):
    main = books / "ledgers/main.beancount"
    preload_ledger(books, Path.cwd())
    path = books / "ledgers/2025.beancount"
    path.write_text(path.read_text().replace("2000.00 USD", "2100.00 USD"))
    ledger = load_ledger(main, books)
    rent = next(e for e in ledger.entries if getattr(e, "payee", None) == "Landlord")
    assert str(rent.postings[0].units) == "2100.00 USD"


def test_a_child_that_fails_leaves_the_parse_to_the_command(books, monkeypatch):
    def broken(*args):
        raise RuntimeError("the child dies")

    monkeypatch.setattr(books_module, "_parse_ledger", broken)
    preload_ledger(books, Path.cwd())  # the child inherits the broken parser
    monkeypatch.undo()
    ledger = load_ledger(books / "ledgers/main.beancount", books)
    assert len(ledger.entries) == 6 and not ledger.from_cache


def test_a_valid_cache_is_read_and_the_child_sends_nothing(books, monkeypatch):
    main = books / "ledgers/main.beancount"
    load_ledger(main, books)
    books_module.wait_for_cache_writer(books / ".bo/cache")
    preload_ledger(books, Path.cwd())
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    assert load_ledger(main, books).from_cache


def test_the_child_writes_nothing(books):
    (books / "bo.yaml").write_text((books / "bo.yaml").read_text() + "no_such_setting: 1\n")
    preload_ledger(books, Path.cwd())
    # Wait for the child: it has sent the ledger once the pipe is read to its end.
    assert books_module._preloaded(*_key(books), None) is not None
    assert not (books / ".bo").exists()


def _in_a_fork(work, meanwhile=None) -> bytes:
    """What `work()` returns (bytes) in a forked process, as a close's checks beside run;
    `meanwhile()` runs here once it has forked, as the close goes on. A child that has said
    nothing in two minutes is stopped: it waits for what never comes."""
    import select
    import signal

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.write(write, work())
        finally:
            os._exit(0)
    os.close(write)
    if meanwhile is not None:
        meanwhile()
    ready, _, _ = select.select([read], [], [], 120)
    if not ready:
        os.kill(pid, signal.SIGKILL)
    with open(read, "rb") as pipe:
        answer = pipe.read() if ready else b"waited forever"
    os.waitpid(pid, 0)
    return answer


def test_a_forked_process_takes_the_spare_copy_and_writes_nothing(books):
    main = books / "ledgers/main.beancount"
    direct = load_ledger(main, books, use_cache=False)
    preload.start(books, Path.cwd(), spare=True)
    assert preload.has_spare(books.resolve())

    def check_in_fork() -> bytes:
        preload.hand_over(books.resolve())
        books_module._parse_ledger = _no_parse_here
        ledger = load_ledger(main, books)
        same = ledger.entries == direct.entries and ledger.errors == direct.errors
        return b"same" if same and not (books / ".bo").exists() else b"differs"

    assert _in_a_fork(check_in_fork) == b"same"
    preload.drop_spare(books.resolve())  # as the close does once it has forked
    assert not preload.has_spare(books.resolve())
    # The command's own copy is its own: taken from the child, its cache files kept.
    ledger = load_ledger(main, books)
    assert ledger.entries == direct.entries and not ledger.from_cache
    assert (books / ".bo/cache/ledger.pickle").is_file()


def test_either_copy_arrives_whichever_is_read_first(demo, monkeypatch):
    # The demo books' ledger pickles to more than a pipe holds unenlarged (64 KiB): a copy
    # waits for its reader, and the forked process's must not wait for the command's.
    monkeypatch.setattr(preload, "_pipe", os.pipe)
    root = demo.resolve()
    main = root / "ledgers/main.beancount"
    preload.start(root, root, spare=True)

    def take_the_spare() -> bytes:
        preload.hand_over(root)
        books_module._parse_ledger = _no_parse_here
        return b"taken" if load_ledger(main, root).entries else b"empty"

    assert _in_a_fork(take_the_spare, meanwhile=lambda: preload.drop_spare(root)) == b"taken"
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    assert books_module._preloaded(main, root, None) is not None


def test_a_process_forked_later_never_reads_the_commands_copy(books, monkeypatch):
    preload.start(books, Path.cwd())  # no spare: the command's copy alone
    root = books.resolve()

    def in_fork() -> bytes:
        preload.hand_over(root)
        alone = root not in preload.pipes and root in preload.borrowed
        return b"left it" if alone else b"would read it"

    assert _in_a_fork(in_fork) == b"left it"
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    assert books_module._preloaded(*_key(books), None) is not None


def test_a_spare_nobody_takes_costs_the_command_nothing(books, monkeypatch):
    preload.start(books, Path.cwd(), spare=True)
    preload.drop_spare(books.resolve())  # the child's write to it fails: it has sent ours
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    assert books_module._preloaded(*_key(books), None) is not None


def test_taking_the_ledger_lets_the_spare_go(books):
    preload.start(books, Path.cwd(), spare=True)
    assert books_module._preloaded(*_key(books), None) is not None
    assert not preload.has_spare(books.resolve()) and not preload.spares


def test_only_a_close_gets_a_spare(books, monkeypatch):
    monkeypatch.chdir(books)
    guess(["check"])
    assert books.resolve() in preload.pipes and not preload.spares
    os.close(preload.pipes.pop(books.resolve()))
    guess(["close", "2025-01"])
    assert preload.has_spare(books.resolve())


def test_large_ledgers_are_parsed_by_the_command(books, write, monkeypatch):
    monkeypatch.setattr(preload, "PRELOAD_BYTES", 100)
    preload_ledger(books, Path.cwd())  # the child finds the ledger too large and sends nothing
    assert books_module._preloaded(*_key(books), None) is None
    monkeypatch.setattr(books_module, "_parse_ledger", _no_parse_here)
    with pytest.raises(AssertionError, match="parsed in this process"):
        load_ledger(books / "ledgers/main.beancount", books, use_cache=False)


def test_books_without_a_ledger_setting_are_left_alone(books):
    (books / "bo.yaml").write_text("entity: [not, a, mapping\n")
    preload_ledger(books, Path.cwd())
    assert books_module._preloaded(*_key(books), None) is None


def test_no_books_no_child(tmp_path):
    preload_ledger(None, tmp_path)
    assert not preload.pipes


def test_the_cli_guesses_the_books_from_its_arguments(books, tmp_path_factory, monkeypatch):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    guess(["close", "2025-09", "--books", str(books)])
    assert list(preload.pipes) == [books.resolve()]
    books_module._preloaded(*_key(books), None)
    guess(["init", str(books)])  # reads no ledger
    guess(["check", "--help"])
    assert not preload.pipes


def _run(books: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bo", *args],
        cwd=books,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def test_through_the_real_cli_the_result_is_the_same(books):
    (books / "ledgers/2025.beancount").write_text(
        (books / "ledgers/2025.beancount").read_text()
        + '\n2025-01-09 * "Coffee"\n  Expenses:Uncategorized  4.50 USD\n  Assets:Bank:Checking\n'
    )
    preloaded = _run(books, "check", "--no-cache")
    parsed = _run(books, "check", "--no-cache", BO_PRELOAD="0")
    assert preloaded.returncode == parsed.returncode == 0
    assert "categorize it" in preloaded.stdout
    assert (preloaded.stdout, preloaded.stderr) == (parsed.stdout, parsed.stderr)


def test_through_the_real_cli_bad_settings_write_nothing(books):
    (books / "bo.yaml").write_text((books / "bo.yaml").read_text() + "no_such_setting: 1\n")
    result = _run(books, "check")
    assert result.returncode == 2
    assert "unknown key `no_such_setting`" in result.stderr
    assert not (books / ".bo").exists()


# --- bo.yaml's `ledger:`, read by the preload without yaml where a line says it plainly -----

import yaml  # noqa: E402
from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PATHS = st.text(
    st.characters(whitelist_categories=["L", "N"], whitelist_characters=" ._-/'\"#:\\"),
    min_size=1,
    max_size=30,
)


@st.composite
def ledger_lines(draw: st.DrawFn) -> str:
    path = draw(PATHS)
    style = draw(st.sampled_from(["plain", "double", "single"]))
    value = {"plain": path, "double": f'"{path}"', "single": f"'{path}'"}[style]
    comment = draw(st.sampled_from(["", " # the entry point", "\t#x"]))
    before = draw(st.sampled_from(["", "entity:\n  name: X\n", "# ledger: other.beancount\n"]))
    after = draw(st.sampled_from(["", "\npeople: []", "\n  ledger: nested"]))
    return f"{before}ledger: {value}{comment}{after}\n"


@hypothesis_settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=ledger_lines())
def test_the_quick_read_of_ledger_agrees_with_yaml(tmp_path: Path, text: str):
    # Whenever the line is read without yaml, it says what yaml says; else yaml reads it.
    try:
        named = yaml.safe_load(text)["ledger"]
    except (yaml.YAMLError, TypeError, KeyError):
        return
    if not isinstance(named, str):
        return
    found = books_module._LEDGER_LINE.findall(text)
    if len(found) == 1:
        assert next(part for part in found[0] if part) == named
    (tmp_path / "bo.yaml").write_text(text, encoding="utf-8")
    target = tmp_path / named
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("", encoding="utf-8")
    except OSError:  # not a file name this system takes
        return
    assert books_module._ledger_setting(tmp_path) == target.resolve()


def test_a_ledger_named_in_flow_style_is_read_by_yaml(tmp_path: Path):
    (tmp_path / "bo.yaml").write_text('{ledger: "books/main.beancount"}\n', encoding="utf-8")
    (tmp_path / "books").mkdir()
    (tmp_path / "books/main.beancount").write_text("", encoding="utf-8")
    assert books_module._ledger_setting(tmp_path) == (tmp_path / "books/main.beancount")
