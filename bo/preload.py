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

For a close, the child sends the ledger twice, the second copy through a spare pipe: the
close forks its statement checks before the ledger is in (they import the matcher and read
the statements meanwhile), and the process it forks takes the spare copy (`hand_over`).
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
# The second copy's pipes, by books root, for a process the command forks before the ledger is
# in (`hand_over`); and the roots whose ledger this process took through one.
spares: dict[Path, int] = {}
borrowed: set[Path] = set()


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
    start(books, Path.cwd(), spare=args[0] == "close")


def enabled() -> bool:
    """Whether bo may work in child processes beside the command (BO_PRELOAD=0: not)."""
    return hasattr(os, "fork") and os.environ.get("BO_PRELOAD") != "0"


def start(books: Path | None, cwd: Path, *, spare: bool = False) -> None:
    """Start parsing the ledger of the books at `books` (or at or above `cwd`) in a child;
    with `spare`, it sends a second copy for a process the command forks (`hand_over`)."""
    if not enabled():
        return
    try:
        root = books.resolve() if books is not None else books_root(cwd)
    except (OSError, RuntimeError):  # a symlink loop, a folder that went away
        return
    if root is None or root in pipes:
        return
    ends = [_pipe() for _ in range(2 if spare else 1)]

    def parse_and_send() -> None:
        # Imported here, in the child, while the parent goes on with its own imports.
        import threading

        from bo.books import preload_message

        message = preload_message(root, PRELOAD_BYTES)
        if message is None:
            return
        # Both copies at once: either reader may need the ledger before the other reads
        # (a message larger than the pipe waits for its reader). A copy whose reader is
        # gone fails its write, and ends only that write.
        others = [threading.Thread(target=send, args=(message, w)) for _, w in ends[1:]]
        for thread in others:
            thread.start()
        send(message, ends[0][1])
        for thread in others:
            thread.join()

    detached(parse_and_send, keep={write for _, write in ends})
    for _, write in ends:
        os.close(write)
    pipes[root] = ends[0][0]
    if spare:
        spares[root] = ends[1][0]


def _pipe() -> tuple[int, int]:
    read, write = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # F_SETPIPE_SZ is Linux's
        # Room for the whole of a small ledger: the child writes it at once and is done.
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 2 * PRELOAD_BYTES)
    return read, write


def send(message: bytes, write: int) -> None:
    """Write `message` down the pipe `write` and close it; a reader that is gone is no
    error (the command, or the process it forked, went on without it)."""
    with contextlib.suppress(OSError), open(write, "wb") as pipe:
        pipe.write(message)


def take(root: Path) -> bytes | None:
    """What the child for `root` sent (waiting for it to finish), or None when none was
    started or it sent nothing."""
    drop_spare(root)  # whoever would have read it needed the ledger before this
    read = pipes.pop(root, None)
    if read is None:
        return None
    with open(read, "rb") as pipe:
        return pipe.read() or None


def has_spare(root: Path) -> bool:
    """Whether a process forked now could take the ledger of `root` from the child
    (`hand_over`) instead of loading it itself."""
    return root in spares


def hand_over(root: Path) -> None:
    """In a process the command forked: take the ledger of `root` through the spare pipe,
    where there is one; never through the command's own, which is the command's to read.

    The ledger it loads is borrowed: bo.books writes no cache files for it (the command
    keeps its own copy's)."""
    mine = pipes.pop(root, None)
    if mine is not None:
        os.close(mine)
    spare = spares.pop(root, None)
    if spare is not None:
        pipes[root] = spare
    borrowed.add(root)


def drop_spare(root: Path) -> None:
    """Let the spare copy for `root` go (no process will take it, or one already has its
    own end): the child's write to it then fails rather than waits."""
    spare = spares.pop(root, None)
    if spare is not None:
        os.close(spare)


def detached(work: Callable[[], None], keep: set[int]) -> None:
    """Run `work` in a detached grandchild process that keeps only the descriptors `keep`
    of this process's; return as soon as it has started."""
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
        low = 3
        for fd in sorted(keep):
            os.closerange(low, fd)
            low = fd + 1
        os.closerange(low, 65536)
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
