"""A report's text over unchanged books, from bo's cache: no entry loaded, no template run.

Rendering costs a report over unchanged books more than its numbers do (importing Jinja,
drawing the terminal's tables), so the text itself is kept, keyed on what it is made of:
the report's inputs (the ledger, bo.yaml, budgets, the close record), bo's templates, the
report's parameters, the format, and for the terminal its width and colour.

Kept only when the text is a function of those alone. HTML prints when it was generated, so
it is rendered on every run; so is a report drawn with the books' own templates, which run
only while the books are trusted (bo.trust), a question asked anew each time.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bo.cache import file_digest
from bo.reports.build import build_cached, read_besides_ledger
from bo.resources import defaults_dir

if TYPE_CHECKING:
    from bo.books import Books
    from bo.periods import Period

TEMPLATES_DIR = "templates"


def report_text(
    kind: str,
    books: Books,
    period: Period,
    compare: str | None,
    as_of: date | None,
    fmt: str,
    *,
    color: bool,
    width: int | None,
) -> tuple[str, list[str]]:
    """The report `kind` rendered as `fmt`, and the problems it shows (exit 1 when any)."""

    def render_now() -> tuple[str, list[str]]:
        from bo.reports.render import render

        built = build_cached(kind, books, period, compare, as_of)
        text = render(
            kind,
            built.report,
            fmt,
            books.root,
            entity=books.settings.entity.name,
            generated=datetime.now(),
            rows=built.rows,
            columns=built.columns,
            color=color,
            width=width,
        )
        return text, built.problems

    templates = template_inputs(books.root, fmt)
    if templates is None:
        return render_now()
    return books.result(
        "report-text",
        render_now,
        files=[*read_besides_ledger(books, period), *templates],
        params=[kind, str(period), compare, str(as_of), fmt, color, width],
    )


def template_inputs(root: Path, fmt: str) -> list[Path] | None:
    """The template files a `fmt` report of the books at `root` may read (bo's own), or
    None when its text may not be kept: HTML (it is dated), or the books' own templates."""
    if fmt == "html":
        return None
    if fmt in ("csv", "json"):
        return []  # written from the numbers, no template
    return bos_templates(root)


def bos_templates(root: Path) -> list[Path] | None:
    """bo's own template files, which the books at `root` render with; None when the books
    have templates of their own (they run only while the books are trusted)."""
    defaults = defaults_dir(TEMPLATES_DIR)
    own = root / TEMPLATES_DIR
    if own.is_dir() and own.resolve() != defaults.resolve():
        for path in own.rglob("*"):
            default = defaults / path.relative_to(own)
            if path.is_file() and file_digest(path) != file_digest(default):
                return None
    return sorted(defaults.rglob("*.j2"))
