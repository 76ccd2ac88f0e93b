"""bo's caches cannot be planted: they live outside the books and carry a machine's HMAC."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bo import cache
from bo.books import load_ledger
from bo.errors import SettingsError


class Planted:
    """A pickle that, when loaded, creates the file named: proof that it ran."""

    def __init__(self, proof: Path) -> None:
        self.proof = proof

    def __reduce__(self):
        return (Path.touch, (self.proof,))


def test_a_crafted_cache_committed_to_the_books_never_runs(books, tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    proof = tmp_path_factory.mktemp("proof") / "ran"
    blob = pickle.dumps(Planted(proof))
    # Where bo kept its caches before, and where a clone could put them.
    for name in (".bo/cache/ledger.pickle", ".bo/cache/ledger.cache", ".bo/cache/check.json"):
        (books / name).parent.mkdir(parents=True, exist_ok=True)
        (books / name).write_bytes(blob)
    subprocess.run(["git", "init", "-q"], cwd=books, check=True)
    subprocess.run(["git", "add", "-f", "."], cwd=books, check=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "x",
        "GIT_AUTHOR_EMAIL": "x@x",
        "GIT_COMMITTER_NAME": "x",
        "GIT_COMMITTER_EMAIL": "x@x",
    }
    subprocess.run(["git", "commit", "-qm", "planted"], cwd=books, check=True, env=env)
    clone = tmp_path_factory.mktemp("clone") / "books"
    subprocess.run(["git", "clone", "-q", str(books), str(clone)], check=True)
    for _ in range(2):  # the first run fills bo's cache, the second reads it
        run = subprocess.run(
            [sys.executable, "-m", "bo", "check"], cwd=clone, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
    assert not proof.exists()


def test_a_cache_file_without_this_machines_hmac_is_never_unpickled(books, tmp_path):
    main = books / "ledgers/main.beancount"
    load_ledger(main, books)
    path = cache.books_folder(books) / "ledger.cache"
    # The file's own key line, with its payload swapped for a planted pickle: only the HMAC,
    # which needs this machine's secret, is wrong.
    key_line = path.read_bytes()[len(cache.MAGIC) + 32 :].split(b"\n", 1)[0]
    proof = tmp_path / "ran"
    forged = cache.MAGIC + bytes(32) + key_line + b"\n" + pickle.dumps(Planted(proof))
    path.write_bytes(forged)
    assert not load_ledger(main, books).from_cache
    assert not proof.exists()


def test_another_machines_cache_is_not_read(books, tmp_path, monkeypatch):
    main = books / "ledgers/main.beancount"
    load_ledger(main, books)
    assert load_ledger(main, books).from_cache
    # Same files, another secret: as if the cache folder were copied from elsewhere.
    (cache.cache_home() / cache.SECRET_FILE).write_bytes(os.urandom(32))
    monkeypatch.setattr(cache, "_secrets", {})
    assert not load_ledger(main, books).from_cache
    assert load_ledger(main, books).from_cache


def test_an_interrupted_cache_write_leaves_no_cache_that_is_read(books, monkeypatch):
    main = books / "ledgers/main.beancount"
    real_replace = os.replace

    def killed(src, dst):  # the process dies between writing the temp file and the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        load_ledger(main, books)
    monkeypatch.setattr(os, "replace", real_replace)
    folder = cache.books_folder(books)
    assert not list(folder.glob("*.cache"))  # the temp file was removed, nothing renamed
    assert not load_ledger(main, books).from_cache
    # A cache cut short (a full disk, a torn copy) fails its HMAC and is parsed again.
    stored = folder / "ledger.cache"
    stored.write_bytes(stored.read_bytes()[:-100])
    assert not load_ledger(main, books).from_cache


def test_the_cache_secret_is_private(books):
    load_ledger(books / "ledgers/main.beancount", books)
    mode = (cache.cache_home() / cache.SECRET_FILE).stat().st_mode
    assert mode & 0o077 == 0


def test_settings_are_read_again_when_bo_yaml_changes(books, monkeypatch):
    from bo import settings as settings_module
    from bo.books import read_settings

    first = read_settings(books)
    assert first.entity.name == "Small Books LLC"

    def refuse(root):
        raise AssertionError("bo.yaml was validated again though it did not change")

    with monkeypatch.context() as patch:
        patch.setattr(settings_module, "load_settings", refuse)
        kept = read_settings(books)
    assert kept == first and kept.source("entity", "name") == first.source("entity", "name")
    path = books / "bo.yaml"
    path.write_text(path.read_text().replace("Small Books LLC", "Small Books Inc"))
    assert read_settings(books).entity.name == "Small Books Inc"


def test_checklists_are_read_again_when_a_file_or_the_settings_change(books, monkeypatch):
    from bo.books import read_settings
    from bo.close import checklist as checklist_module
    from bo.close.checklist import load_checklists

    steps = """\
        name: Month-end close
        cadence: monthly
        steps:
          - id: rec
            title: Bank reconciled
            owner: bookkeeper
            reviewer: controller
            due: BD+3
            manual: Statement and books agree
        """
    path = books / "sops/month-end.yaml"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(steps))
    settings = read_settings(books)
    first = load_checklists(books, settings)
    with monkeypatch.context() as patch:
        patch.setattr(checklist_module, "_read_checklist", None)  # a read would fail
        assert load_checklists(books, settings) == first
    path.write_text(path.read_text().replace("Bank reconciled", "Bank and card reconciled"))
    assert (
        load_checklists(books, settings)["month-end"].steps[0].title == "Bank and card reconciled"
    )
    # Nobody holds the controller's role any more: the checklist is refused, not served.
    yaml_path = books / "bo.yaml"
    yaml_path.write_text(yaml_path.read_text().replace("roles: [controller]", "roles: [owner]"))
    with pytest.raises(SettingsError):
        load_checklists(books, read_settings(books))


def test_a_change_to_bos_own_code_changes_the_key_of_its_results(tmp_path):
    package = tmp_path / "bo"
    (package / "close").mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "0.1.0"\n')
    source = package / "close" / "run.py"
    source.write_text("ANSWER = 41\n")
    (package / "close" / "notes.txt").write_text("not code")
    before = cache.source_digest(package)
    (package / "close" / "notes.txt").write_text("still not code")
    assert cache.source_digest(package) == before
    source.write_text("ANSWER = 42\n")  # same size: the modification time tells it
    os.utime(source, ns=(1, 1))
    assert cache.source_digest(package) != before


def test_results_computed_by_other_code_are_computed_again(books, monkeypatch):
    from bo.books import open_books

    opened = open_books(books, books)
    assert opened.result("answer", lambda: 41) == 41
    assert opened.result("answer", lambda: 42) == 41  # kept for the same inputs
    monkeypatch.setattr(cache, "code_version", lambda: "0.1.0+edited")
    assert opened.result("answer", lambda: 42) == 42


def test_what_an_answer_reads_of_bo_yaml_is_read_again_when_bo_yaml_changes(books, bo):
    # An answer from the caches reads bo.yaml's `ledger` (and what else it needs of it) as
    # kept when bo.yaml was validated: a changed bo.yaml is validated again, and wrong.
    (books / "ledgers/other.beancount").write_text(
        (books / "ledgers/main.beancount").read_text().replace('include "2025.beancount"\n', "")
    )
    for _ in range(2):
        first = bo("check", cwd=books)
        assert first.exit_code == 0 and "from 3 files" in first.stderr, first.stderr
    path = books / "bo.yaml"
    text = path.read_text()
    path.write_text(text + "ledger: ledgers/other.beancount\n")
    moved = bo("check", cwd=books)
    assert moved.exit_code == 0 and "from 2 files" in moved.stderr, moved.stderr
    path.write_text(text + "ledger: ledgers/other.beancount\nledgr: typo\n")
    broken = bo("check", cwd=books)
    assert broken.exit_code == 2 and "ledgr" in broken.stderr
    assert bo("report", "trial", "--period", "2025-09", cwd=books).exit_code == 2
    path.write_text(text)
    assert bo("check", cwd=books).stderr == first.stderr
