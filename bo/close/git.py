"""The close in git: refuse uncommitted books, commit bo's own files with a trailer, name the
person running bo. Every git process goes through bo.io."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from bo.errors import RefusedError
from bo.io import SETTINGS_FILE, git, git_ok, has_git, login_name

if TYPE_CHECKING:
    from bo.close.run import CloseOutcome

TRAILER = "Bo-Command"


def runner(root: Path) -> str:
    """Who is running bo: the git identity of the books when there is one, else the user."""
    if in_git(root):
        name = git(root, "config", "user.name", check=False).strip()
        if name:
            return name
    return login_name()


@functools.cache
def in_git(root: Path) -> bool:
    """Whether the books are kept in git: inside a work tree, and not ignored by it (scratch
    books under an ignored folder of another repository are not). One git run says both:
    check-ignore exits 1 for a file it does not ignore, 0 for one it does, 128 outside a work
    tree."""
    if not has_git():
        return False
    return git_ok(root, "check-ignore", "-q", SETTINGS_FILE) == 1


def git_guard(root: Path) -> str | None:
    """In a git repo, refuse to close over uncommitted ledger changes; HEAD, or None
    outside git (or in a repository with no commit yet)."""
    if not in_git(root):
        return None
    dirty = git(root, "status", "--porcelain", "--", "ledgers", "bo.yaml", "schedules", "sops")
    if dirty.strip():
        raise RefusedError(
            "uncommitted changes in the books; commit them first so the close records what "
            "it closed:\n" + dirty.rstrip(),
        )
    return git(root, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() or ""


def git_commit(root: Path, paths: list[Path], subject: str, command: str) -> bool:
    """Commit exactly `paths` with `subject` and a `Bo-Command:` trailer; False when there
    was nothing to commit."""
    names = [str(p.relative_to(root)) for p in paths if p.exists()]
    if not names:
        return False
    git(root, "add", "--", *names)
    if not git(root, "diff", "--cached", "--name-only", "--", *names).strip():
        return False
    identity = []
    if not git(root, "config", "user.email", check=False).strip():
        # A fresh CI machine has no git identity; bo still commits, as the OS user.
        user = login_name()
        identity = ["-c", f"user.name={user}", "-c", f"user.email={user}@localhost"]
    message = f"{subject}\n\n{TRAILER}: {command}\n"
    git(root, *identity, "commit", "-q", "-m", message, "--", *names)
    return True


def close_subject(outcome: CloseOutcome) -> str:
    state = "locked" if outcome.locked else "open"
    return f"close {outcome.period}: {outcome.passed}/{len(outcome.steps)} steps, {state}"
