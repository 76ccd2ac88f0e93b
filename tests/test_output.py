"""Output off a terminal: bo's plain console writes exactly what rich's console would."""

from __future__ import annotations

import io
import sys

from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console

from bo.output import PlainConsole, stderr, stdout
from bo.text import printable

TEXT = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from("\t\r\n\x07\x08\x0b\x0c\x1b[]/")),
    max_size=60,
)


def _pair() -> tuple[io.StringIO, Console, io.StringIO, PlainConsole]:
    def make(file: io.StringIO) -> Console:
        return Console(file=file, highlight=False, emoji=False, soft_wrap=True, no_color=True)

    theirs, ours = io.StringIO(), io.StringIO()
    return theirs, make(theirs), ours, PlainConsole(ours, lambda: make(ours))


@given(TEXT, TEXT, st.sampled_from(["\n", ""]), st.sampled_from([False, None]))
@example("\r\n", "", "\n", False)
def test_print_writes_what_rich_writes(first, second, end, markup):
    # What rich would write of the text with its control characters escaped (bo.text).
    theirs, rich, ours, plain = _pair()
    rich.print(printable(first), printable(second), markup=markup, end=end)
    plain.print(first, second, markup=markup, end=end)
    assert ours.getvalue() == theirs.getvalue()


@given(TEXT, st.sampled_from(["\n", ""]))
@example("a\r\nb", "")
def test_out_writes_what_rich_writes(text, end):
    theirs, rich, ours, plain = _pair()
    rich.out(printable(text), end=end, highlight=False)
    plain.out(text, end=end, highlight=False)
    assert ours.getvalue() == theirs.getvalue()


def test_markup_and_tables_still_go_through_rich():
    from rich.table import Table

    theirs, rich, ours, plain = _pair()
    table = Table("account", "balance")
    table.add_row("Assets:Bank:Checking", "1,250.10")
    for console in (rich, plain):
        console.print("[bold]closed[/bold] 2025-09")
        console.print(table)
    assert ours.getvalue() == theirs.getvalue()
    assert "[bold]" not in ours.getvalue()


def test_the_plain_console_is_used_off_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert isinstance(stdout(), PlainConsole) and isinstance(stderr(), PlainConsole)
    stdout().print("ok\tdone", markup=False)
    assert sys.stdout.getvalue() == "ok      done\n"
