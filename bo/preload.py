"""Parse a small ledger in a child process while the command imports the rest of bo.

A command spends longer importing typer, pydantic, beancount, jinja2 and bo's own modules than
beancount takes to parse a small ledger; with a second core both go on at once. This module
imports nothing but the standard library, so the `bo` script starts the child before it
imports anything else (`bo.entry`), and the child imports beancount while the command
imports the rest.

The child writes nothing: it sends the parsed ledger through a pipe, and
`bo.books.load_ledger` takes it when every file still has the digest the child read, else (the
child failed or sent nothing, a file changed) loads as it would have. Only a head start: the
child reads bo.yaml for `ledger` alone, unvalidated (open_books validates it). BO_PRELOAD=0
turns it off, and with it the close's checks beside (bo.close.run.BESIDE): bo in one process.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Callable
from pathlib import Path

# bo.io's name for it, not imported from there: bo.io imports subprocess and socket, which
# would delay the child's start.
SETTINGS_FILE = "bo.yaml"
# Ledger text up to this size parses in less time than a command spends importing the rest of
# bo; beyond it, handing the parsed ledger over (pickle, unpickle) costs more than it saves.
PRELOAD_BYTES = 512 * 1024
# Commands that read one books repo's ledger: worth parsing it while the rest of bo imports.
LEDGER_COMMANDS = frozenset(
    {
        "audit",
        "cash",
        "check",
        "close",
        "dupes",
        "forecast",
        "import",
        "reconcile",
        "report",
        "signoff",
    }
)
# Pipes from the children `start` forked, by books root: what `take` hands to load_ledger.
pipes: dict[Path, int] = {}


def guess(args: list[str]) -> None:
    """Start the preload for the books a command line names, guessed from its words before
    typer parses them: a wrong guess costs the child's work, never a result."""
    if not args or args[0] not in LEDGER_COMMANDS or "--help" in args:
        return
    books = None
    for arg, value in zip(args, [*args[1:], None], strict=True):
        if arg == "--books" and value is not None:
            books = Path(value)
        elif arg.startswith("--books="):
            books = Path(arg.removeprefix("--books="))
    start(books, Path.cwd())


def enabled() -> bool:
    """Whether bo may work in child processes beside the command (BO_PRELOAD=0: not)."""
    return hasattr(os, "fork") and os.environ.get("BO_PRELOAD") != "0"


def start(books: Path | None, cwd: Path) -> None:
    """Start parsing the ledger of the books at `books` (or at or above `cwd`) in a child."""
    if not enabled():
        return
    try:
        root = books.resolve() if books is not None else books_root(cwd)
    except (OSError, RuntimeError):  # a symlink loop, a folder that went away
        return
    if root is None or root in pipes:
        return
    read, write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # F_SETPIPE_SZ is Linux's
        # Room for the whole of a small ledger: the child writes it at once and is done.
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 2 * PRELOAD_BYTES)

    def parse_and_send() -> None:
        # Imported here, in the child, while the parent goes on with its own imports.
        from bo.books import preload_message

        message = preload_message(root, PRELOAD_BYTES)
        if message is not None:
            with open(write, "wb") as pipe:
                pipe.write(message)

    detached(parse_and_send, keep=write)
    os.close(write)
    pipes[root] = read


def take(root: Path) -> bytes | None:
    """What the child for `root` sent (waiting for it to finish), or None when none was
    started or it sent nothing."""
    read = pipes.pop(root, None)
    if read is None:
        return None
    with open(read, "rb") as pipe:
        return pipe.read() or None


def detached(work: Callable[[], None], keep: int) -> None:
    """Run `work` in a detached grandchild process that keeps only descriptor `keep` of
    this process's; return as soon as it has started."""
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    # First child: let go of every inherited descriptor (they would keep the books lock and
    # the command's pipes open after the command has finished), then fork the worker and
    # leave at once, so the worker is nobody's zombie. The parent waits for this child, so
    # once the command moves on, nothing but `keep` is held on its behalf.
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(3, keep)
        os.closerange(keep + 1, 65536)
        if os.fork() == 0:
            with contextlib.suppress(BaseException):
                work()
    finally:
        os._exit(0)


def books_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds bo.yaml, None when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return folder
    return None
