"""Text from outside bo made safe: for the ledger (control characters dropped) and for a
terminal (control characters shown as escapes, never sent raw).

A statement's description can carry ESC sequences (which recolour, retitle or write the
clipboard of the terminal that prints them), NUL bytes, or right-to-left overrides that make
one payee read as another. None of them belongs in a payee.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline (and a carriage return ending a line, as CSV writes),
# DEL, C1 controls, and the bidirectional overrides and isolates (Trojan Source) that
# reorder what a reader sees.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")
# In one-line text (a payee, a memo) tab and newline are controls too.
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_CONTROL_RUNS = re.compile(_LINE_CONTROLS.pattern + "+")


# What may stand in a file of lines besides text: tab, line feed, carriage return.
_FILE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_controls(text: str) -> bool:
    """Whether a file's text holds control characters beyond its line breaks and tabs (a
    clean file, nearly every one, then skips `clean_line` for each of its cells)."""
    return _FILE_CONTROLS.search(text) is not None


def clean_line(text: str) -> str:
    """One-line text for the ledger: each run of control characters becomes one space.

    Only those: other whitespace (a no-break space) is the text's own, kept as written."""
    if not _LINE_CONTROLS.search(text):
        return text
    return _LINE_CONTROL_RUNS.sub(" ", text).strip()


def printable(text: str) -> str:
    """Text for a terminal or a report: control characters shown as `\\x1b`, `\\u202e`."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)
