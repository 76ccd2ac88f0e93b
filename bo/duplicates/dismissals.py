"""Dismissals: findings a person said are not duplicates, kept in `dupes/dismissed.yaml`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bo.duplicates.model import DISMISSED_FILE
from bo.yamlfile import read_text, validate_yaml


class Dismissal(BaseModel):
    """One finding a person said is not a duplicate."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^d-[0-9a-f]{12}$")
    reason: str = Field(min_length=1)
    by: str | None = None
    at: datetime | date | str | None = None


class DismissedFile(BaseModel):
    """dupes/dismissed.yaml: written by `bo dupes --dismiss`, committed with the books."""

    model_config = ConfigDict(extra="forbid")

    dismissed: list[Dismissal] = []


def load_dismissals(root: Path) -> DismissedFile:
    """The dismissals on file; a file that cannot be trusted is bad input naming its line."""
    path = root / DISMISSED_FILE
    if not path.is_file():
        return DismissedFile()
    return validate_yaml(DismissedFile, read_text(path, DISMISSED_FILE), DISMISSED_FILE)


def load_dismissed(root: Path) -> frozenset[str]:
    """The ids of dismissed findings."""
    return frozenset(d.id for d in load_dismissals(root).dismissed)
