"""`bo init`: a new books repo from bo's skeleton and default checklists."""

from __future__ import annotations

import json
import os
import shutil
import string
import tempfile
from pathlib import Path

from bo.close.git import TRAILER, identity_args
from bo.errors import BadInputError, RefusedError
from bo.io import git, git_config, has_git, umask
from bo.resources import defaults_dir, skeleton_dir
from bo.settings import CURRENCY_RE

# Skeleton files that are templates ($name, $currency); everything else is copied as is.
_TEMPLATED = {"bo.yaml", "ledgers/main.beancount", "ledgers/accounts.beancount"}
# Names that cannot be shipped under their real name inside a Python package.
_RENAMED = {"gitignore": ".gitignore", "githooks": ".githooks"}


def _target_name(relative: Path) -> Path:
    return Path(*(_RENAMED.get(part, part) for part in relative.parts))


def init_books(target: Path, *, name: str, currency: str, use_git: bool = True) -> list[Path]:
    """Create a books repo at `target` and return the files written, relative to it.

    The repo is built in a temporary folder beside `target` and renamed into place, so a
    failure part-way leaves nothing behind.
    """
    if not CURRENCY_RE.match(currency):
        raise BadInputError(f"--currency: `{currency}` is not a currency code like USD")
    if not name.strip():
        raise BadInputError("--name: the business needs a name")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RefusedError(
            f"{target} exists, is not empty and holds no one ledger to adopt; bo init "
            "creates books in an empty folder, or adopts the ledger you name with "
            "bo init --adopt LEDGER"
        )
    target.parent.mkdir(parents=True, exist_ok=True)

    person, email = _who(target.parent)
    values = {
        "name": json.dumps(name.strip()),
        "currency": currency,
        "person": json.dumps(person),
        "email": json.dumps(email),
    }
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        written = _write_skeleton(staging, values)
        # Checklists are copied so the books own and can edit them; report templates are
        # not: the package defaults apply until a file in the books' templates/ overrides one.
        (staging / "sops").mkdir()
        for path in sorted(defaults_dir("sops").glob("*.yaml")):
            shutil.copy2(path, staging / "sops" / path.name)
            written.append(Path("sops") / path.name)
        if use_git and has_git():
            git(staging, "init", "--quiet")
            # The first commit, so the first close has a HEAD to start from; made before
            # the hook is on (it runs `bo check`, which these books pass by construction).
            git(staging, "add", "-A")
            git(staging, *identity_args(staging), "commit", "-q", "-m",
                f"New books: {name.strip()}\n\n{TRAILER}: init")  # fmt: skip
            # A versioned hooks folder travels with the repo, unlike .git/hooks.
            git(staging, "config", "core.hooksPath", ".githooks")
        os.chmod(staging, 0o777 & ~umask())  # mkdtemp made it private
        if target.exists():
            target.rmdir()
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(written)


def _who(folder: Path) -> tuple[str, str]:
    """The person starting the books, as git knows them (placeholders when it does not)."""
    name = git_config(folder, "user.name") or "Owner"
    email = git_config(folder, "user.email") or "owner@example.com"
    return name, email


def _write_skeleton(staging: Path, values: dict[str, str]) -> list[Path]:
    written = []
    root = skeleton_dir()
    for source in sorted(root.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(root)
        destination = staging / _target_name(relative)
        destination.parent.mkdir(parents=True, exist_ok=True)
        if relative.as_posix() in _TEMPLATED:
            text = string.Template(source.read_text(encoding="utf-8")).substitute(values)
            destination.write_text(text, encoding="utf-8")
        else:
            shutil.copy2(source, destination)
        written.append(_target_name(relative))
    return written
