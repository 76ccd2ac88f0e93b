"""Where bo's shipped defaults live: checklists, report templates, the `bo init` skeleton."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def defaults_dir(name: str) -> Path:
    """The default `sops` or `templates` folder.

    In a wheel they are packed into `bo/_defaults/` (see pyproject.toml); in a checkout or an
    editable install they are the demo books' own folders at the project root.
    """
    packed = _PACKAGE / "_defaults" / name
    return packed if packed.is_dir() else _PACKAGE.parent / name


def skeleton_dir() -> Path:
    """The files `bo init` copies into a new books repo."""
    return _PACKAGE / "skeleton"
