"""Who is running bo, as a person of bo.yaml: the one lookup to swap for bo.identity."""

from __future__ import annotations

from pathlib import Path

from bo.close.git import in_git
from bo.errors import BadInputError
from bo.io import git
from bo.settings import Person, Settings


def current_person(settings: Settings, root: Path, name: str | None = None) -> Person:
    """`--as NAME` (a name or email of bo.yaml people), else git's user.email, else user.name."""
    people = settings.people
    if name is not None:
        wanted = name.casefold()
        for person in people:
            if wanted in (person.name.casefold(), (person.email or "").casefold()):
                return person
        known = ", ".join(p.name for p in people) or "none"
        raise BadInputError(f"--as {name}: not in bo.yaml `people` (known: {known})")
    if in_git(root):
        email = git(root, "config", "user.email", check=False).strip().casefold()
        user = git(root, "config", "user.name", check=False).strip().casefold()
        for person in people:
            if email and (person.email or "").casefold() == email:
                return person
        for person in people:
            if user and person.name.casefold() == user:
                return person
    raise BadInputError(
        "who is running bo? give --as NAME, or set git's user.email to a person's `email` "
        "in bo.yaml `people`",
        settings.source("people"),
    )
