"""Regular expressions from a books' files, compiled so that none can hang bo."""

from __future__ import annotations

from typing import Any


def compile_pattern(pattern: str) -> Any:
    """A rule's regular expression, compiled by RE2, or ValueError saying why it cannot be.

    RE2 matches in time linear in the text whatever the pattern: a `payee_regex` such as
    `^(a+)+$`, which sends a backtracking engine (Python's `re`) into hours on one long
    payee, cannot hang an import. The price is no back-references and no lookaround, which
    categorizing a payee never needs; RE2 refuses them at once, and bo says so.
    """
    import re2

    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not printed by RE2 itself
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(
            f"`{pattern}` is not a regular expression bo can use ({reason}); bo matches with "
            "RE2, which has no back-references (\\1) or lookaround ((?=...), (?<=...))"
        ) from None
