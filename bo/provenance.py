"""Whether a commit that says bo made it is one bo could have made, by its content.

bo's commits carry a `Bo-Command:` trailer, which anyone can type. So `bo audit` takes a
commit as bo's only when what it changed is what that command writes:

- `close P`: P's close record, P's closing entries (each one what the schedules of that
  commit post for P, to the cent), and the main ledger (only the include and plugin lines
  bo adds);
- `signoff P`: P's record, where only sign-offs were added, each made by the commit's
  author (the email on the sign-off is the author's);
- `reopen P`: P's record, unlocked, with one reopen event by the commit's author;
- `dupes --dismiss ID`: the dismissals file.

Anything else in such a commit (an entry typed into a ledger file, a changed amount in a
closing entry, someone else's sign-off) makes it a hand edit, and audit says what gave it
away.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

from bo.close.record import MONTH_END, record_path
from bo.errors import SettingsError
from bo.yamlfile import load_fast

_COMMAND = re.compile(
    r"(?P<verb>close|signoff|reopen) (?P<period>\S+)(?: --checklist (?P<checklist>\S+))?"
)
_DISMISS = re.compile(r"dupes --dismiss \S+")
DISMISSALS = "dupes/dismissed.yaml"
# The lines bo adds to the main ledger when it first closes and first locks.
_BO_LINES = ('include "closing/*.beancount"', 'plugin "bo.plugins.lock"')

Text = Callable[[str], str]  # a blob id -> its text


def not_bo_because(
    command: str,
    files: list[tuple[str, str, str]],
    author_email: str,
    text: Text,
    schedules: Callable[[], list[Any]],
) -> str | None:
    """Why a commit claiming `Bo-Command: command` is not bo's work (None: it is).

    `files` are (path, old blob, new blob) of the files it changed among ledgers, close
    records and dismissals; `schedules()` reads the schedules as the commit has them."""
    if _DISMISS.fullmatch(command):
        others = [path for path, _, _ in files if path != DISMISSALS]
        return f"`{command}` writes {DISMISSALS} only, not {', '.join(others)}" if others else None
    match = _COMMAND.fullmatch(command)
    if not match:
        return f"`{command}` is not a command bo commits"
    verb, period = match["verb"], match["period"]
    record = record_path(Path(), period, match["checklist"] or MONTH_END).as_posix()
    for path, old, new in files:
        if path == record:
            why = _record_change(verb, _yaml(text(old)), _yaml(text(new)), author_email)
        elif verb == "close" and path.endswith(f"closing/{period}.beancount"):
            why = _closing_entries(path, period, text(new), schedules)
        elif verb == "close" and path.endswith(".beancount"):
            why = _bo_lines_only(path, text(old), text(new))
        else:
            why = f"`{command}` never writes {path}"
        if why:
            return why
    return None


def _yaml(text: str) -> dict[str, Any]:
    try:
        loaded = load_fast(text, "close record") if text else {}
    except SettingsError:
        return {"__unreadable__": True}
    return loaded if isinstance(loaded, dict) else {"__unreadable__": True}


def _record_change(verb: str, old: dict[str, Any], new: dict[str, Any], author: str) -> str | None:
    if verb == "close":
        return None  # the close rewrites its record whole: its steps are what the books say
    same = {"signoffs"} if verb == "signoff" else {"locked", "signoffs", "history"}
    moved = sorted(k for k in {*old, *new} - same if old.get(k) != new.get(k))
    if moved:
        return f"`{verb}` changed the record's {', '.join(moved)}, which it never writes"
    if verb == "signoff":
        return _signoffs_by(old.get("signoffs") or {}, new.get("signoffs") or {}, author)
    history_old, history_new = old.get("history") or [], new.get("history") or []
    if not old.get("locked") or new.get("locked") or new.get("signoffs"):
        return "a reopen unlocks a locked record and clears its sign-offs; this one does not"
    if history_new[:-1] != history_old or len(history_new) != len(history_old) + 1:
        return "a reopen adds one event to the record's history"
    event = history_new[-1]
    if str(event.get("email") or "").casefold() != author.casefold():
        return f"the reopen is recorded for {event.get('by')}, but {author} committed it"
    return None


def _signoffs_by(old: dict[str, Any], new: dict[str, Any], author: str) -> str | None:
    for step in {*old, *new}:
        before, after = old.get(step) or {}, new.get(step) or {}
        for role in {*before, *after}:
            if before.get(role) == after.get(role):
                continue
            signed = after.get(role)
            if not isinstance(signed, dict):
                return f"a sign-off of {step} ({role}) was removed"
            if str(signed.get("email") or "").casefold() != author.casefold():
                return (
                    f"{step} ({role}) is signed for {signed.get('name')}, but {author} committed it"
                )
    return None


def _bo_lines_only(path: str, old: str, new: str) -> str | None:
    before = old.splitlines()
    added = list(new.splitlines())
    for line in before:
        if line in added:
            added.remove(line)
        else:
            return f"{path}: a line bo never removes was removed ({line.strip()[:60]})"
    wrong = [x for x in added if x.strip() and not x.startswith(";") and x not in _BO_LINES]
    if wrong:
        return f"{path}: bo adds only its include and plugin lines, not `{wrong[0].strip()[:60]}`"
    return None


def _closing_entries(
    path: str, period: str, text: str, schedules: Callable[[], list[Any]]
) -> str | None:
    """Every entry in P's closing file is what the schedules post for P, to the cent."""
    from bo.close.schedules import _entry
    from bo.periods import Period

    entries, errors, _ = parser.parse_string(text)
    if errors:
        return f"{path}: not a ledger file bo would write"
    known = {s.id: s for s in schedules()}
    for entry in entries:
        if type(entry) is not data.Transaction:
            return f"{path}:{entry.meta['lineno']}: bo posts transactions only"
        meta = entry.meta
        schedule = known.get(str(meta.get("schedule")))
        where = f"{path}:{meta['lineno']}"
        if schedule is None or str(meta.get("period")) != period:
            return f"{where}: {entry.narration} is not an entry of a schedule for {period}"
        month = Period.parse(period)
        expected, _ = _entry(schedule, month, bool(meta.get("reversal")))
        wanted = [(p.account, p.units) for p in expected.postings]
        if (entry.date, [(p.account, p.units) for p in entry.postings]) != (
            expected.date,
            wanted,
        ):
            return f"{where}: {entry.narration} is not what schedule `{schedule.id}` posts"
    return None
