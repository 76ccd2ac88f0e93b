"""Fixtures: small books built from text in tmp_path, and the real CLI through CliRunner."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bo.cli import app

PROJECT = Path(__file__).resolve().parents[1]

BO_YAML = """\
entity:
  name: Small Books LLC
  currency: USD
people:
  - name: Dana
    roles: [bookkeeper]
  - name: Sam
    roles: [controller]
accounts:
  Assets:Bank:Checking:
    role: bank
    minimum: 1000.00 USD
  Expenses:Uncategorized:
    role: uncategorized
"""

MAIN = """\
option "operating_currency" "USD"
include "accounts.beancount"
include "2025.beancount"
"""

ACCOUNTS = """\
2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Equity:Opening-Balances USD
2025-01-01 open Expenses:Rent USD
2025-01-01 open Expenses:Uncategorized USD
"""

TXNS = """\
2025-01-01 * "Opening balance"
  Assets:Bank:Checking  10000.00 USD
  Equity:Opening-Balances

2025-01-05 * "Landlord" "January rent"
  Expenses:Rent  2000.00 USD
  Assets:Bank:Checking
"""


@pytest.fixture(autouse=True, scope="session")
def _machine_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """bo's caches (ledgers, results, holiday tables) in a folder of the test session's,
    never the user's: shared by the tests as a machine's are by its books. No cache of
    beancount's is written by the tests. And git's settings of the session's own, never the
    user's: who runs bo is what each test's repository says (`as_person`), and nobody's
    global identity or signing key leaks in."""
    import os

    from beancount import loader

    os.environ["BO_CACHE_DIR"] = str(tmp_path_factory.mktemp("bo-cache"))
    config = tmp_path_factory.mktemp("git") / "config"
    config.write_text("")
    os.environ["GIT_CONFIG_GLOBAL"] = str(config)
    os.environ["GIT_CONFIG_NOSYSTEM"] = "1"
    # Nor beancount's: its pickle cache would land beside the project's own demo ledger.
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"  # for the bean-check processes
    loader.initialize(use_cache=False)


@pytest.fixture(autouse=True, scope="session")
def _no_user_trust_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Never the user's record of trusted books, even in module-scoped fixtures."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BO_CONFIG_DIR", str(tmp_path_factory.mktemp("session-config")))
        yield


@pytest.fixture(autouse=True)
def trust_record(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own record of trusted books (`bo trust`)."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("BO_CONFIG_DIR", str(folder))
    return folder


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented text to a file under tmp_path."""

    def _write(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def books(tmp_path: Path, write: Callable[[str, str], Path]) -> Path:
    """A small valid books repo."""
    write("bo.yaml", BO_YAML)
    write("ledgers/main.beancount", MAIN)
    write("ledgers/accounts.beancount", ACCOUNTS)
    write("ledgers/2025.beancount", TXNS)
    return tmp_path


@pytest.fixture
def bo(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the real `bo` CLI in a folder and return exit code, stdout and stderr."""

    def _run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, list(args))
        return Result(result.exit_code, result.stdout, result.stderr, result.exception)

    return _run


@pytest.fixture
def ledger_untouched(monkeypatch: pytest.MonkeyPatch) -> Callable[[], Any]:
    """A context in which loading any ledger's entries fails the test: a command inside
    answers from bo's result caches alone."""
    import contextlib

    from bo import books as books_module

    @contextlib.contextmanager
    def untouched() -> Iterator[None]:
        def refuse(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("the ledger was loaded; a cached result was expected")

        with monkeypatch.context() as patch:
            patch.setattr(books_module, "load_ledger", refuse)
            yield

    return untouched


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files from the current output (review the diff before committing)",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare text to tests/golden/NAME; `pytest --update-golden` rewrites it instead."""

    def _compare(name: str, actual: str) -> None:
        path = PROJECT / "tests" / "golden" / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run `make golden` and review it"
        assert actual == path.read_text(encoding="utf-8"), f"differs from golden {name}"

    return _compare


DEMO_PARTS = ("bo.yaml", "ledgers", "statements", "schedules", "budgets", "sops", "parties")


def bench_module(name: str):
    """A script of bench/ (a books generator) imported as a module."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, PROJECT / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A private copy of the demo books at the project root, free to change."""
    return copy_demo(tmp_path / "demo")


def copy_demo(target: Path) -> Path:
    """The demo books at the project root copied into `target` (a new folder)."""
    target.mkdir()
    for part in DEMO_PARTS:
        source = PROJECT / part
        if source.is_dir():
            # Not beancount's pickle cache of the project's ledger (a test that loads it slowly
            # leaves one): its key names the project's files, so the copy would read as those.
            ignore = shutil.ignore_patterns("*.picklecache")
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy2(source, target / part)
    return target


# --- git books: the demo as a repo of its own, and a short close to reach the lock -------------

PREPARER, REVIEWER, OWNER = "Dana Reyes", "Sam Okafor", "Priya Shah"
EMAILS = {
    PREPARER: "dana@larkspur.example",
    REVIEWER: "sam@larkspur.example",
    OWNER: "priya@larkspur.example",
}


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def as_person(root: Path, name: str, email: str | None = None) -> None:
    """From now on, git (and so bo) in `root` is `name`: who sits at the keyboard."""
    git(root, "config", "user.name", name)
    git(root, "config", "user.email", email or EMAILS[name])


def signoff(bo: Callable[..., Result], root: Path, name: str, *args: str) -> Result:
    """`bo signoff ARGS` run by `name` (their git identity), then back to Dana's."""
    as_person(root, name)
    try:
        return bo("signoff", *args, cwd=root)
    finally:
        as_person(root, PREPARER)


@pytest.fixture
def git_books(demo: Path) -> Path:
    """The demo books as their own git repo, committed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (demo / ".gitignore").write_text(".bo/\n")
    git(demo, "init", "-q")
    git(demo, "config", "user.name", PREPARER)
    git(demo, "config", "user.email", "dana@larkspur.example")
    git(demo, "add", "-A")
    git(demo, "commit", "-qm", "Demo books")
    return demo


SHORT_CLOSE = """\
name: Month-end close
cadence: monthly
steps:
  - id: ledger-valid
    title: Ledger parses and balances
    owner: bookkeeper
    reviewer: controller
    due: BD+1
    check: ledger-valid
  - id: schedules
    title: Schedules posted
    owner: bookkeeper
    reviewer: controller
    due: BD+2
    depends_on: [ledger-valid]
    action: post-schedules
  - id: review
    title: Reviewer reads the close report
    owner: controller
    reviewer: owner
    due: BD+5
    depends_on: [schedules]
    manual: Close report read
"""


@pytest.fixture
def short(git_books: Path) -> Path:
    """The demo books with a three-step checklist, to exercise sign-off and the lock."""
    (git_books / "sops/month-end.yaml").write_text(SHORT_CLOSE)
    git(git_books, "commit", "-qam", "a short close")
    return git_books


# --- small books in git: a business of one, two or three, for the controls -----------------------

SMALL_LEDGER = """\
option "operating_currency" "USD"
2025-01-01 open Assets:Bank:Checking USD
2025-01-01 open Assets:Equipment USD
2025-01-01 open Assets:AccumulatedDepreciation USD
2025-01-01 open Equity:Opening USD
2025-01-01 open Expenses:Rent USD
2025-01-01 open Expenses:Depreciation USD

2025-03-01 * "Opening balance"
  Assets:Bank:Checking  10000.00 USD
  Equity:Opening

2025-03-05 * "Landlord" "March rent"
  Expenses:Rent          1000.00 USD
  Assets:Bank:Checking  -1000.00 USD
"""

SMALL_SCHEDULE = """\
schedules:
  - id: equipment
    title: "Depreciation: equipment"
    debit: Expenses:Depreciation
    credit: Assets:AccumulatedDepreciation
    amount: 100.00 USD
    from: 2025-03
    to: 2025-12
"""

SMALL_CLOSE = """\
name: Month-end close
cadence: monthly
steps:
  - id: calendar
    title: Close calendar; the review policy can be met
    owner: controller
    reviewer: owner
    due: BD-3
    check: calendar
  - id: schedules
    title: Schedules posted
    owner: bookkeeper
    reviewer: controller
    due: BD+2
    action: post-schedules
  - id: review
    title: Reviewer reads the close report
    owner: controller
    reviewer: owner
    due: BD+5
    depends_on: [schedules]
    manual: Close report read
"""

THREE = [
    {"name": PREPARER, "email": EMAILS[PREPARER], "roles": ["bookkeeper"]},
    {"name": REVIEWER, "email": EMAILS[REVIEWER], "roles": ["controller"]},
    {"name": OWNER, "email": EMAILS[OWNER], "roles": ["owner"]},
]


def small_books(
    root: Path,
    people: list[dict[str, Any]] | None = None,
    review: dict[str, str] | None = None,
    sops: dict[str, str] | None = None,
    who: str = PREPARER,
) -> Path:
    """Small books in their own git repository (March 2025 to close), committed by `who`:
    three people by default, each with the git identity `as_person` gives them."""
    import yaml

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    settings = {
        "entity": {"name": "Small Books LLC", "currency": "USD"},
        "people": people or THREE,
        "accounts": {"Assets:Bank:Checking": {"role": "bank"}},
    }
    if review:
        settings["review"] = review
    files = {
        "bo.yaml": yaml.safe_dump(settings, sort_keys=False),
        "ledgers/main.beancount": SMALL_LEDGER,
        "schedules/equipment.yaml": SMALL_SCHEDULE,
        "sops/month-end.yaml": SMALL_CLOSE,
        ".gitignore": ".bo/\n",
        **{f"sops/{name}.yaml": text for name, text in (sops or {}).items()},
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q")
    email = next((p["email"] for p in people or THREE if p["name"] == who), EMAILS.get(who))
    as_person(root, who, email)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Small books")
    return root


# --- books bo did not write ----------------------------------------------------------------


@pytest.fixture(scope="session")
def examples(tmp_path_factory):
    """Each span's example ledger in a folder of its own, adopted by bo: made once."""
    from bo.adopt import adopt
    from tests.foreign import EXAMPLE_SPANS, bean_example

    made = {}
    for begin, end, seed, birth in EXAMPLE_SPANS:
        folder = tmp_path_factory.mktemp(f"example-{begin}")
        bean_example(folder / "ledger.beancount", begin, end, seed, birth)
        adopt(folder, folder / "ledger.beancount", None)
        made[begin] = folder
    return made


@pytest.fixture(scope="session")
def closed_september(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo books in git after `bo close 2025-09` (as `make demo` leaves them): the close
    open with its failing steps, and the month's reconciliation records. Read only: copy it
    to change it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = copy_demo(tmp_path_factory.mktemp("closed") / "books")
    (root / ".gitignore").write_text(".bo/\n")
    git(root, "init", "-q")
    as_person(root, PREPARER)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Demo books")
    result = CliRunner().invoke(app, ["close", "2025-09", "--books", str(root)])
    assert result.exit_code == 1, result.output  # September's planted problems
    return root
