"""What a close step's result is kept on between closes: the files and record fields it reads.

A step's cached result is reused only while the ledger, bo.yaml and everything the step
reads are as they were: for a built-in step, the kinds of input listed in `READS` (a step not
listed reads all of them). The period's own records are left out as files: the close writes
them, and a second close over unchanged books must find its answers; the fields of them a
step reads (explanations, when the close started, reconciliation pins) count instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bo.paths import CLOSES_DIR, files_under, statement_files

if TYPE_CHECKING:
    from bo.close.context import CloseContext

# Steps not worth keeping: they read a few small files (or keep their own result: bo check).
UNCACHED = frozenset({"calendar", "imports-current", "ledger-valid"})
RECS_DIR = "recs"
KINDS = ("statements", "recs", "pins", "dupes", "budgets", "templates", "schedules", "closes")
KINDS += ("explanations", "started")
# What each built-in step reads besides the ledger and bo.yaml.
READS: dict[str, frozenset[str]] = {
    "reconciled": frozenset({"statements", "recs", "pins"}),
    "no-duplicates": frozenset({"statements", "dupes"}),
    "flux": frozenset({"budgets", "explanations"}),
    "render-reports": frozenset({"budgets", "templates", "explanations"}),
    "aging-reviewed": frozenset({"templates"}),
    "schedules-posted": frozenset({"schedules"}),
    "post-schedules": frozenset({"schedules"}),
    "cutoff": frozenset({"closes", "started"}),
    "months-closed": frozenset({"closes"}),
    "payroll-tieout": frozenset(),  # and its register, named by its parameters
    "no-uncategorized": frozenset(),
    "suspense-zero": frozenset(),
    "trial-balance": frozenset(),
    "documents": frozenset(),
    "loan-interest": frozenset(),
}


def step_inputs(
    ctx: CloseContext, name: str, given: dict[str, Any]
) -> tuple[list[Path], dict[str, Any]]:
    """The files step `name` reads (besides the ledger and bo.yaml), and the record fields;
    `given` is its parameters as the checklist writes them (`with:`)."""
    reads = READS.get(name, frozenset(KINDS))
    files = sorted({path for kind in reads for path in _files(ctx, kind)})
    register = given.get("register")  # the payroll tie-out's register file
    if register:
        files.append(ctx.books.root / register)
    fields = {kind: _field(ctx, kind) for kind in sorted(reads & {"explanations", "started"})}
    if "pins" in reads:
        fields["pins"] = _pins(ctx)
    if "closes" in reads:  # a lock's evidence is its close tag (bo.close.locks)
        from bo.close.git import lock_state

        if ("tags",) not in ctx.cache:  # asked by every step that reads the closes
            ctx.cache[("tags",)] = lock_state(ctx.books.root)
        fields["tags"] = ctx.cache[("tags",)]
    return files, fields


def _files(ctx: CloseContext, kind: str) -> list[Path]:
    key = ("step-files", kind)
    if key not in ctx.cache:
        ctx.cache[key] = _find(ctx, kind)
    return ctx.cache[key]


def _find(ctx: CloseContext, kind: str) -> list[Path]:
    root, period = ctx.books.root, str(ctx.period)
    if kind == "statements":
        return statement_files(ctx.books)
    if kind == "recs":
        folders = [f for f in (root / RECS_DIR).glob("*") if f.name != period]
        return [path for folder in sorted(folders) for path in files_under(folder)]
    if kind == "closes":
        found = [*(root / CLOSES_DIR).glob("*.yaml"), *(root / CLOSES_DIR).glob("*/*.yaml")]
        return sorted(p for p in found if p.stem != period)
    if kind in ("dupes", "budgets", "templates", "schedules"):
        return files_under(root / kind)
    return []


def _field(ctx: CloseContext, kind: str) -> Any:
    return ctx.record.get(kind) or {}


def _pins(ctx: CloseContext) -> dict[str, Any]:
    """The pins of this period's reconciliation records (which the close itself rewrites),
    each kept in bo's cache on its record's digest: a record of a large account is long."""
    from bo import cache

    folder = cache.books_folder(ctx.books.root)
    pins: dict[str, Any] = {}
    for path in sorted((ctx.books.root / RECS_DIR / str(ctx.period)).glob("*.yaml")):
        slot = f"pins-{cache.key_of(str(path))[:24]}"
        pins[path.name] = cache.file_result(
            folder, slot, path, lambda path=path: _pins_of(path), cache.code_version()
        )
    return pins


def _pins_of(path: Path) -> Any:
    from bo.cache import file_digest
    from bo.errors import SettingsError
    from bo.yamlfile import load_fast, read_text

    try:
        own = load_fast(read_text(path), str(path))  # aliases within budget, as any record
    except (SettingsError, OSError):
        return file_digest(path)  # the step says what is wrong with it
    return own.get("pins") if isinstance(own, dict) else own
