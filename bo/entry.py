"""The `bo` script: starts parsing the ledger (bo.preload) before importing the CLI.

Everything else bo imports (typer, pydantic, beancount, jinja2) comes after the fork, so the
child parses while this process imports.
"""

import gc
import os
import re
import sys
import types

# The one name pydantic imports from its plugin loader (pydantic/plugin/_schema_validator.py;
# tests/test_entry.py checks the installed pydantic still does only that).
PLUGIN_LOADER = "pydantic.plugin._loader"


def main() -> None:
    # bo builds hundreds of thousands of small acyclic objects (entries, statement lines,
    # match candidates). At the default threshold the cyclic collector runs every 700
    # allocations and, on a large ledger, spends a third of an import walking them.
    gc.set_threshold(100_000, 50, 100)
    from bo.preload import guess

    args = sys.argv[1:]
    try:
        os.getcwd()
    except FileNotFoundError:  # the books are found from there, and relative paths read
        if not {"--help", "--version"} & set(args):
            print("bo: the folder bo was started in is gone; cd into the books", file=sys.stderr)
            leave(2)
    guess(args)
    without_pydantic_plugins()
    period = plain_close(args)
    try:
        if period is not None:
            from bo.commands.close import run_close_command
            from bo.failures import guarded

            code = guarded(lambda: run_close_command(period, None, dry_run=False, explain=[]))
        else:
            from bo.cli import command

            command()()  # typer exits with the command's code (SystemExit) ...
            code = 0  # ... or returns, having printed its help
    except SystemExit as done:
        code = done.code
    leave(code)


def leave(code: object) -> None:
    """End the process with `code` (as SystemExit takes it) without tearing Python down.

    Every file bo writes is closed when its command returns; what a normal exit adds is
    freeing, one by one, every object the command made (the ledger's entries, the modules),
    which the operating system does at once: 20 ms of a close of the demo books, a tenth of
    all bean-check takes over them. Exit handlers still run and the output is flushed.
    """
    import atexit

    if isinstance(code, str):  # sys.exit("message"): printed, exit 1
        print(code, file=sys.stderr)
    status = 0 if code is None else code if isinstance(code, int) else 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away; a closed stream
            status = status or 1
    os._exit(status)


def plain_close(args: list[str]) -> str | None:
    """The period of a command line that is `close YYYY-MM` and nothing more, else None.

    That close, the one a person types at every month-end, skips building the typer app:
    importing typer (with the subprocess, inspect and difflib it imports) and the pydantic
    type adapters it makes for each parameter cost a close of the demo books 30 ms, a
    sixth of all bean-check takes over the same books. It calls what `bo close` calls, and
    any other command line (an option, --help, a mistyped period) goes through typer.
    """
    if len(args) == 2 and args[0] == "close" and re.fullmatch(r"\d{4}-\d{2}", args[1]):
        return args[1]
    return None


def without_pydantic_plugins() -> None:
    """Tell pydantic there are no plugins, without its looking.

    bo validates its files with pydantic and uses no pydantic plugin. To look for one,
    pydantic imports importlib.metadata (and the email package under it) and reads the entry
    points of every installed package, on the first model bo defines: 20 ms of a close of the
    demo books, a tenth of all bean-check takes over them. Setting PYDANTIC_DISABLE_PLUGINS
    (pydantic's own switch, which this respects) skips only the reading.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") is not None or PLUGIN_LOADER in sys.modules:
        return
    loader = types.ModuleType(PLUGIN_LOADER, "bo's stand-in: no pydantic plugins")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : none
    sys.modules[PLUGIN_LOADER] = loader
