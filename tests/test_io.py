"""Shared plumbing: atomic writes and the books lock."""

from __future__ import annotations

import os

import pytest

from bo.errors import ExitCode, LockHeldError
from bo.io import atomic_write, books_lock


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "sub/record.yaml"
    atomic_write(path, "first\n")
    os.chmod(path, 0o640)
    atomic_write(path, "second\n")
    assert path.read_text() == "second\n"
    assert path.stat().st_mode & 0o777 == 0o640, "keeps the file's mode"
    assert [p.name for p in path.parent.iterdir()] == ["record.yaml"], "no temp file left"


def test_atomic_write_failure_leaves_old_content(tmp_path, monkeypatch):
    path = tmp_path / "record.yaml"
    atomic_write(path, "old\n")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        atomic_write(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["record.yaml"]


def test_second_writer_is_refused_and_told_who(tmp_path):
    with (
        books_lock(tmp_path, "bo close 2025-09"),
        pytest.raises(LockHeldError) as caught,
        books_lock(tmp_path, "bo cash check"),
    ):
        pass
    assert caught.value.exit_code == ExitCode.REFUSED
    assert "`bo close 2025-09`" in str(caught.value)
    with books_lock(tmp_path, "bo cash check"):
        pass  # released when the first run ended
