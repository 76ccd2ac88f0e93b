"""Render report contexts through Jinja templates; the books' templates/ override bo's."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

import bo
from bo.io import CACHE_DIR, machine_cache_dir
from bo.output import dumps_json
from bo.reports.filters import FILTERS
from bo.resources import defaults_dir

FORMATS = ("term", "md", "html", "csv", "json")


def template_env(books_root: Path) -> Environment:
    """A Jinja environment that looks in the books' templates/ first, then bo's defaults."""
    env = Environment(
        bytecode_cache=_bytecode_cache(books_root),
        loader=FileSystemLoader([str(books_root / "templates"), str(defaults_dir("templates"))]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _bytecode_cache(books_root: Path) -> FileSystemBytecodeCache | None:
    """Compiled templates kept between runs: compiling costs more than rendering a report.

    Jinja keys each on the template's path and source; bo's version names the folder because
    the environment's options shape the compiled code too. Kept per machine when it can be
    (bo's default templates are the same file for every books repo), else in the books.
    """
    shared = machine_cache_dir()
    base = shared if shared is not None else books_root / CACHE_DIR
    folder = base / f"templates-{bo.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def render(
    kind: str,
    report: Any,
    fmt: str,
    books_root: Path,
    *,
    entity: str,
    generated: datetime,
    rows: list[dict[str, Any]] | None = None,
) -> str:
    """Render `report` (a frozen dataclass) as `fmt`; `rows` feed the CSV format."""
    if fmt == "json":
        return dumps_json({"kind": kind, "report": dataclasses.asdict(report)}) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        rows = rows or []
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows({k: _safe_cell(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()
    suffix = "html" if fmt == "html" else "md"
    template = template_env(books_root).get_template(f"{kind}.{suffix}.j2")
    return template.render(
        report=report, entity=entity, generated=generated, bo_version=bo.__version__
    )


def _safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (`=HYPERLINK(...)` as a payee) is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
