"""Who runs bo: git's `user.email`, matched to a person in bo.yaml.

Sign-offs, reopens and dismissals are acts of a person, so bo asks git who is at the
keyboard rather than taking a name on the command line: the email git commits with must be
a person's `email` in bo.yaml. `--as NAME` signs for someone else only where NAME's entry
lists the runner among its `delegates`, and the record says so. Every git call goes
through bo.io.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bo.errors import BadInputError, RefusedError
from bo.io import git_config, login_name
from bo.settings import Person, Settings


@dataclass(frozen=True)
class Signer:
    """Whose name goes on the record (`person`), and who actually ran bo (`by`)."""

    person: Person
    by: Person

    @property
    def delegated(self) -> bool:
        return self.person.name != self.by.name

    @property
    def author(self) -> str:
        """`Name <email>` for git's --author: the person at the keyboard."""
        return f"{self.by.name} <{self.by.email}>"


def find_person(settings: Settings, email: str | None) -> Person | None:
    """The person whose bo.yaml email is `email` (case does not matter in an address)."""
    if not email:
        return None
    wanted = email.strip().casefold()
    return next((p for p in settings.people if (p.email or "").casefold() == wanted), None)


def whoami(settings: Settings, root: Path, doing: str) -> Person:
    """The person running bo, by git's `user.email`; refused (exit 3) when git does not say
    who that is or bo.yaml does not know them, with the line to add."""
    email = git_config(root, "user.email")
    if not email:
        raise RefusedError(
            f"{doing}: git does not say who you are; set your address with "
            "`git config user.email you@example.com` (the one in bo.yaml people)"
        )
    person = find_person(settings, email)
    if person is not None:
        return person
    name = git_config(root, "user.name") or login_name()
    known = next((i for i, p in enumerate(settings.people) if p.name == name), None)
    if known is not None:
        there = settings.people[known]
        where = settings.source("people", known, "name")
        if there.email:
            hint = f"{where}: {name} is listed there with {there.email}, not {email}"
        else:
            hint = f"{where}: add `email: {email}` to {name}'s entry"
        raise RefusedError(f"{doing}: you are {email}, whom bo.yaml does not know; {hint}")
    roles = sorted(settings.roles) or ["ROLE"]
    raise RefusedError(
        f"{doing}: you are {name} <{email}>, who is not in bo.yaml people; if you do this "
        f"work, add yourself under `people:` in {settings.source('people')}:\n"
        f'  - {{name: "{name}", email: {email}, roles: [{roles[0]}]}}'
    )


def named(settings: Settings, name: str) -> Person:
    """The person `--as NAME` names; bad input when bo.yaml has nobody of that name (checked
    before who runs bo, as any other argument)."""
    person = next((p for p in settings.people if p.name == name), None)
    if person is None:
        known = ", ".join(p.name for p in settings.people)
        raise BadInputError(f"--as {name}: not in bo.yaml people ({known})")
    return person


def acting_as(settings: Settings, me: Person, name: str | None) -> Signer:
    """Who signs: the runner, or (with `--as NAME`) the person whose delegate they are."""
    if name is None or name == me.name:
        return Signer(me, me)
    person = named(settings, name)
    if me.name not in person.delegates:
        raise RefusedError(
            f"--as {name}: you are {me.name} ({me.email}); only {name} signs as {name}, "
            f"unless their entry in bo.yaml lists you under `delegates:`"
        )
    return Signer(person, me)
