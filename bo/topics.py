"""`bo help TOPIC`: the reference pages bo can print without its repository at hand."""

from __future__ import annotations

from pathlib import Path

# Topics naming a kind of file: its reference page, generated from the model that reads it.
FILE_TOPICS = {
    "settings": "bo.yaml",
    "checklists": "checklist",
    "schedules": "schedules",
    "budgets": "budget",
    "scenarios": "scenario",
    "parties": "party",
}
TOPICS = ("exit-codes", "formats", "completion", *FILE_TOPICS)

EXIT_CODES = """# Exit codes

The same for every command:

| code | meaning |
|---|---|
| 0 | done, nothing needs attention |
| 1 | done, and something needs attention (a failed check, a difference, an alert) |
| 2 | bad input: a file, a setting or an argument is wrong; nothing was written |
| 3 | refused: another bo run holds the lock, the period is closed, the tree is dirty |
| 70 | a bug in bo: one line on stderr, the traceback in the log file it names |
"""

COMPLETION = """# Shell completion

`bo --install-completion` adds completion of commands, options and choices to your shell
(bash, zsh, fish or PowerShell, as it finds it); open a new shell after it.
`bo --show-completion` prints the script instead, to install it by hand.
"""


def formats_page() -> str:
    """Which formats each command renders (bo.formats), as a table."""
    from bo.formats import RENDERS

    lines = [
        "# Output formats",
        "",
        "Every command whose result is data takes `--format` (and `--json`, the same as",
        "`--format json`). JSON has stable keys, amounts as strings (never floats), dates as",
        "YYYY-MM-DD and paths relative to the books. A format a command does not render exits 2.",
        "",
        "| command | formats |",
        "|---|---|",
    ]
    lines += [f"| bo {name} | {', '.join(found)} |" for name, found in sorted(RENDERS.items())]
    return "\n".join(lines) + "\n"


def topic_text(topic: str) -> str | None:
    """The page of `topic`, or None when it is not one of `TOPICS`."""
    if topic == "exit-codes":
        return EXIT_CODES
    if topic == "formats":
        return formats_page()
    if topic == "completion":
        return COMPLETION
    if topic in FILE_TOPICS:
        from bo.schema import reference

        return reference(FILE_TOPICS[topic], Path(__file__).resolve().parent.parent)
    return None
