"""The close in git: refuse uncommitted books, see what git would ignore before writing, name
the person running bo. Every git process goes through bo.io."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from bo.errors import RefusedError
from bo.io import SETTINGS_FILE, git, git_config, git_ok, has_git, login_name

if TYPE_CHECKING:
    from bo.close.run import CloseOutcome
    from bo.settings import Settings

TRAILER = "Bo-Command"
TAG_PREFIX = "close/"  # a locked close's tag: `close/2025-09` (bo.close.locks)
# What bo writes that git may ignore: reports are rendered again by every close, so books
# that keep them out of git still close (they are written, not committed). Anything else
# bo writes is the record itself, and a close that could not commit it is refused.
MAY_BE_IGNORED = ("reports",)


def runner(root: Path, settings: Settings | None = None) -> str:
    """Who is running bo: the bo.yaml person git's `user.email` names, else git's user name,
    else the operating-system user."""
    if in_git(root):
        if settings is not None:
            from bo.identity import find_person

            person = find_person(settings, git_config(root, "user.email"))
            if person is not None:
                return person.name
        name = git_config(root, "user.name")
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


def identity_args(root: Path) -> list[str]:
    """`-c` options naming the OS user when git has no identity (a fresh CI machine): bo
    still commits its close there."""
    if git_config(root, "user.email"):
        return []
    user = login_name()
    return ["-c", f"user.name={user}", "-c", f"user.email={user}@localhost"]


def ignored_writes(root: Path, paths: list[Path]) -> tuple[set[Path], list[str]]:
    """Which of `paths` git ignores: reports may be (written, not committed; the notes say so
    once per rule); anything else is refused (exit 3) before a single write, naming the
    rule that ignores it."""
    if not paths or not in_git(root):
        return set(), []
    names = {p.relative_to(root).as_posix(): p for p in paths}
    listed = "".join(f"{name}\0" for name in names)
    said = git(root, "check-ignore", "-v", "-z", "--stdin", input=listed, check=False).split("\0")
    skipped, notes, refused = set(), {}, []
    fields = said[: len(said) // 4 * 4]  # the output ends with a NUL: a last empty field
    for source, line, pattern, name in zip(*[iter(fields)] * 4, strict=True):
        rule = f"{source}:{line}: `{pattern}`"
        if name.split("/", 1)[0] in MAY_BE_IGNORED:
            skipped.add(names[name])
            folder = name.split("/", 1)[0]
            notes.setdefault(rule, f"{folder}/ is ignored by git ({rule}): written, not committed")
        else:
            refused.append(f"{name} (ignored by {rule})")
    if refused:
        raise RefusedError(
            "git ignores files the close must commit, so nothing was written: "
            + "; ".join(refused)
            + ". Take them out of .gitignore (or un-ignore them with a `!` line) and run again"
        )
    return skipped, list(notes.values())


def close_subject(outcome: CloseOutcome) -> str:
    state = "locked" if outcome.locked else "done" if outcome.done else "open"
    na = f", {outcome.not_applicable} n/a" if outcome.not_applicable else ""
    return f"close {outcome.label}: {outcome.passed}/{len(outcome.steps)} steps{na}, {state}"


def lock_state(root: Path) -> str:
    """What the locks depend on besides the files: the close tags, as one string for a
    cache key (empty outside git)."""
    if not in_git(root):
        return ""
    return git(
        root, "for-each-ref", "--format=%(refname) %(objectname)", f"refs/tags/{TAG_PREFIX}",
        check=False,
    )  # fmt: skip
