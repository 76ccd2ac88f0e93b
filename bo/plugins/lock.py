"""`plugin "bo.plugins.lock"`: entries changed in a period `bo close` locked are errors.

bo adds this line to the main ledger when it first locks a period. The plugin finds the
books root (the folder holding bo.yaml above the ledger), reads the locks (from the close
tags in git, else `closes/*.yaml`: bo.close.locks), and reports every entry added, changed
or removed in a locked period, with its file and line, the same
way `bo check` does. A close record that does not read is one more error naming its file
and line, never an exception: a plugin that raises takes bean-check and fava down with it.
"""

from __future__ import annotations

import contextlib
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

__plugins__ = ["lock"]

LockError = namedtuple("LockError", "source message entry")

# Inside bo's own load the plugin steps aside: `bo check` verifies the locks itself, so the
# ledger bo caches depends on the ledger's files alone.
_deferred = False


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """While inside, the plugin reports nothing (bo's loader; bean-check and fava never)."""
    global _deferred
    before, _deferred = _deferred, True
    try:
        yield
    finally:
        _deferred = before


def _root(filename: str) -> Path | None:
    for folder in Path(filename).resolve().parents:
        if (folder / "bo.yaml").is_file():
            return folder
    return None


def lock(entries, options_map, config=None):
    if _deferred:
        return entries, []
    from bo.close.locks import lock_violations

    root = _root(options_map.get("filename", ""))
    if root is None:
        return entries, []
    errors = []
    for finding in lock_violations(entries, root, strict=False):
        if finding.severity != "error":
            continue  # a tag not fetched (a shallow checkout) is bo check's warning alone
        where = finding.source
        source = {
            "filename": where.filename if where else "",
            "lineno": (where.lineno if where else None) or 0,
        }
        errors.append(LockError(source, finding.message, finding.entry))
    return entries, errors
