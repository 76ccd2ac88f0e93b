"""Output formats: the one `--format` choice every command shares, `--json` its alias, and
which formats each command renders."""

from __future__ import annotations

from enum import StrEnum

from bo.errors import BadInputError


class Format(StrEnum):
    term = "term"
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


# What each command renders, as `bo COMMAND` names it. A command's --format takes every
# choice above; one it does not render is refused (exit 2) saying which it has.
RENDERS: dict[str, tuple[str, ...]] = {
    "check": ("term", "json"),
    "import": ("term", "json"),
    "reconcile": ("term", "md", "html", "json"),
    "close": ("term", "json"),
    "signoff": ("term", "json"),
    "dupes": ("term", "json"),
    "audit": ("term", "json"),
    "cash check": ("term", "json"),
    "forecast": ("term", "md", "html", "json"),
    "status": ("term", "json"),
    "kpi": ("term", "md", "html", "json"),
    "report": ("term", "md", "html", "csv", "json", "xlsx"),
    "pay": ("term", "md", "json"),
    "remind": ("term", "json"),
}


def chosen_format(command: str, fmt: Format | str, as_json: bool = False) -> str:
    """The format `bo COMMAND` prints: `--format`, or json for `--json`; exit 2 for a format
    the command does not render, or for `--json` beside another format."""
    name = Format(fmt).value
    if as_json:
        if name not in ("term", "json"):
            raise BadInputError(f"--json is --format json: give one, not --format {name} too")
        name = "json"
    renders = RENDERS[command]
    if name not in renders:
        raise BadInputError(
            f"{name} is not available for `bo {command}` (it has {', '.join(renders)})"
        )
    return name


def format_help(command: str) -> str:
    """The `--format` help of `bo COMMAND`: the formats it renders."""
    return f"Output format: {', '.join(RENDERS[command])} (--json: json)."
