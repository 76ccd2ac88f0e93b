"""The `bo` script: starts parsing the ledger (bo.preload) before importing the CLI.

Everything else bo imports (typer, pydantic, beancount, jinja2) comes after the fork, so the
child parses while this process imports.
"""

import gc
import sys


def main() -> None:
    # bo builds hundreds of thousands of small acyclic objects (entries, statement lines,
    # match candidates). At the default threshold the cyclic collector runs every 700
    # allocations and, on a large ledger, spends a third of an import walking them.
    gc.set_threshold(100_000, 50, 100)
    from bo.preload import guess

    guess(sys.argv[1:])
    from bo.cli import command

    command()()
