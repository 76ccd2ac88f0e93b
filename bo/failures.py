"""What a command's failure prints and its exit code (PRODUCT.md)."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from bo import __version__
from bo.errors import BoError, ExitCode
from bo.output import show_source, stderr


def report_error(exc: BoError) -> None:
    """Print a BoError as `file:line: message` lines on stderr."""
    # Settings, ledger and statement errors carry every problem found, not just the first.
    problems = getattr(exc, "problems", None) or [exc]
    console = stderr()
    for problem in problems:
        where = show_source(problem.source)
        console.print(f"{where}: {problem.message}" if where else problem.message, markup=False)
    if getattr(exc, "more", 0):
        where = show_source(exc.source)
        console.print(f"{where}: and {exc.more} more problems like these", markup=False)


def report_crash() -> ExitCode:
    """Log the exception being handled (a bug in bo, never the user's input) and say where."""
    import traceback

    log = write_crash_log(traceback.format_exc())
    stderr().print(
        f"bo: internal error (a bug in bo, not in your books); details in {log}", markup=False
    )
    return ExitCode.BUG


def stdout_gone() -> bool:
    """Whether nobody reads bo's output any more (`bo close | head`): not a bug in bo."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no poll, no descriptor (a test's capture)
        return False


def leave_quietly() -> ExitCode:
    """Exit as click does when the reader of the output went away: 1, and nothing printed."""
    # Python flushes stdout once more on the way out; give that flush somewhere to go.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
    return ExitCode.ATTENTION


def write_crash_log(text: str) -> Path:
    """Write a traceback to a log file and return its path."""
    import tempfile

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"bo-crash-{stamp}-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(f"bo {__version__}\n{' '.join(sys.argv)}\n\n{text}")
    return Path(name)
