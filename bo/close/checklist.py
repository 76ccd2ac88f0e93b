"""Checklists (`sops/*.yaml`): steps with owners, reviewers, due dates and dependencies."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    InstanceOf,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from bo.calendar import Due
from bo.close.params import ACTION_PARAMS, CHECK_PARAMS, MONTHLY_ONLY, PARAMS, WHOLE_MONTHS
from bo.errors import Finding, SettingsError
from bo.io import SETTINGS_FILE
from bo.paths import SOPS_DIR
from bo.settings import Settings, Strict
from bo.yamlfile import parse_yaml, read_text, validate_data

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# How a due date is written, for editors (Due.parse is the reader).
DUE_SCHEMA = {
    "type": "string",
    "pattern": r"^B?D[+-][0-9]+$",
    "description": "business days (`BD+3`, `BD-1`) or calendar days (`D+10`) from period end",
    "examples": ["BD+3"],
}


class Step(Strict):
    """One step: exactly one of a built-in `check`, an `action`, a `command` or `manual`."""

    id: str
    title: str
    owner: str
    reviewer: str
    # An instance check: `_due` makes the Due, and a schema of the dataclass's own fields
    # would cost every command that reads a checklist 3 ms to build.
    due: Annotated[InstanceOf[Due], WithJsonSchema(DUE_SCHEMA)]
    # Defaults, not `default_factory=list` (pydantic copies a default for each model): for a
    # factory pydantic reads its signature, and reading a builtin's compiles the tokenizer's
    # patterns, 3 ms of every command that reads a checklist, the close's included.
    depends_on: list[str] = Field([])
    check: str | None = None
    action: str | None = None
    command: str | None = None
    manual: str | None = Field(None, description="the evidence the step asks for")
    # After `check` and `action`: its validator looks them up.
    with_: dict[str, Any] = Field({}, alias="with")
    escalate_after: int | None = Field(None, ge=0)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError(f"`{value}`: ids are lower-case words joined by dashes, like bank-rec")
        return value

    @field_validator("due", mode="before")
    @classmethod
    def _due(cls, value: Any) -> Due:
        return value if isinstance(value, Due) else Due.parse(value)

    @field_validator("owner", "reviewer")
    @classmethod
    def _role(cls, value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        roles = context.get("roles")
        if info.field_name == "reviewer" and context.get("outside_review"):
            return value  # the outside reviewer reviews every step, whatever its role
        if roles is not None and value not in roles:
            known = ", ".join(sorted(roles)) or "none"
            raise ValueError(f"role `{value}` is held by nobody in bo.yaml people (roles: {known})")
        return value

    @field_validator("check", "action")
    @classmethod
    def _built_in(cls, value: str | None, info: ValidationInfo) -> str | None:
        # Context carries the registries of built-in checks and actions ("checks", "actions").
        known = (info.context or {}).get(f"{info.field_name}s")
        if value is not None and known is not None and value not in known:
            listed = ", ".join(sorted(known))
            raise ValueError(f"unknown {info.field_name} `{value}` (built-in: {listed})")
        return value

    @field_validator("command")
    @classmethod
    def _command(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            words = shlex.split(value.format(period="2025-09"))
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"`{value}`: a command line with `{{period}}` as its only placeholder ({exc})"
            ) from None
        if not words:
            raise ValueError("an empty command")
        return value

    @field_validator("with_")
    @classmethod
    def _params(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        # Context carries each built-in's parameter model ("params"); `check` and `action`
        # come before `with` in the model, so they are known here unless they failed.
        params = (info.context or {}).get("params")
        if params is None or "check" not in info.data or "action" not in info.data:
            return value
        name = info.data["check"] or info.data["action"]
        if name is None:
            if value:
                raise ValueError("`with:` gives parameters to a check or an action")
            return value
        model = params.get(name)
        if model is None:
            return value
        try:
            model.model_validate(value, context=info.context)
        except ValidationError as exc:
            raise ValueError(params_problem(name, model, exc)) from None
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Step:
        kinds = [k for k in ("check", "action", "command", "manual") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                f"step `{self.id}` needs exactly one of check, action, command or manual"
                + (f" (has {', '.join(kinds)})" if kinds else "")
            )
        if self.owner == self.reviewer:
            raise ValueError(
                f"step `{self.id}`: owner and reviewer are both `{self.owner}`; "
                "nobody reviews their own work"
            )
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ("check", "action", "command", "manual") if getattr(self, k))


class Checklist(Strict):
    """A checklist file: a name, a cadence and its steps.

    Signed off, a monthly, quarterly or yearly checklist locks its period (every entry in
    it is fingerprinted); a daily or weekly routine is done and locks nothing, since its
    days belong to a month still open. `lock:` says otherwise."""

    name: str
    cadence: Literal["daily", "weekly", "monthly", "quarterly", "yearly"]
    escalate_after: int | None = Field(None, ge=0, description="business days overdue")
    lock: bool | None = Field(None, description="lock the period once signed off")
    steps: list[Step] = Field(min_length=1)

    @property
    def locks(self) -> bool:
        """Whether signing it off locks its period."""
        if self.lock is not None:
            return self.lock
        return self.cadence in ("monthly", "quarterly", "yearly")

    @model_validator(mode="after")
    def _graph(self) -> Checklist:
        ids = [s.id for s in self.steps]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"step ids used twice: {', '.join(duplicates)}")
        for step in self.steps:
            unknown = [d for d in step.depends_on if d not in ids]
            if unknown:
                raise ValueError(f"step `{step.id}` depends on unknown step {', '.join(unknown)}")
        cycle = find_cycle(self.steps)
        if cycle:
            raise ValueError(f"steps depend on each other in a cycle: {' -> '.join(cycle)}")
        for step in self.steps:
            name = step.check or step.action
            if self.cadence != "monthly" and name in MONTHLY_ONLY:
                raise ValueError(
                    f"step `{step.id}`: `{name}` works on a month; a {self.cadence} "
                    "checklist cannot run it"
                )
            if self.cadence in ("daily", "weekly") and name in WHOLE_MONTHS:
                raise ValueError(
                    f"step `{step.id}`: `{name}` needs whole months; a {self.cadence} "
                    "checklist cannot run it"
                )
        return self

    def ordered(self) -> list[Step]:
        """Steps in dependency order; among ready steps, file order."""
        done: set[str] = set()
        order: list[Step] = []
        pending = list(self.steps)
        while pending:
            ready = next(s for s in pending if all(d in done for d in s.depends_on))
            order.append(ready)
            done.add(ready.id)
            pending.remove(ready)
        return order


def params_problem(name: str, model: type, exc: ValidationError) -> str:
    """One line per wrong parameter: which, what is wrong, what the check takes."""
    known = ", ".join(model.model_fields) or "none"
    problems = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            problems.append(f"unknown parameter `{key}` for `{name}` (it takes: {known})")
        else:
            given = error.get("input")
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"`with.{key}`: {message}; got `{given}`" if key else message)
    return "; ".join(problems)


def find_cycle(steps: list[Step]) -> list[str]:
    """A dependency cycle among `steps` as a list of ids (first repeated at the end), or []."""
    graph = {s.id: s.depends_on for s in steps}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for dep in graph.get(node, []):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        path.pop()
        state[node] = 2
        return []

    for node in graph:
        if node not in state and (found := visit(node)):
            return found
    return []


def load_checklist(
    path: Path,
    settings: Settings,
    checks: set[str] | None = None,
    actions: set[str] | None = None,
) -> Checklist:
    """Read and validate one checklist; roles must be held by someone in bo.yaml, checks
    and actions must be built in (or in `checks`/`actions` when given), with valid `with:`.

    Kept in bo's cache while the file and the settings are what they were: `bo status` and
    a close over unchanged books then parse no YAML and build no checklist validator."""
    import hashlib
    import pickle

    from bo import cache

    if checks is not None or actions is not None:
        return _read_checklist(path, settings, checks, actions)
    # The settings as the bytes of the bo.yaml they were read from (they are a function of
    # them and bo's code): a pickle of them differs between runs, as a set's order does.
    held = cache.file_digest(settings.root / SETTINGS_FILE) if settings.root else None
    if held is None:
        held = hashlib.sha256(pickle.dumps(settings, pickle.HIGHEST_PROTOCOL)).hexdigest()
    return cache.file_result(
        cache.books_folder(path.parent.parent),
        f"checklist-{path.stem}",
        path,
        lambda: _read_checklist(path, settings, checks, actions),
        cache.code_version(),
        held,
    )


def _read_checklist(
    path: Path, settings: Settings, checks: set[str] | None, actions: set[str] | None
) -> Checklist:
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise SettingsError([Finding(None, f"{path}: checklist not found")]) from None
    data, lines = parse_yaml(text, str(path))
    context = {
        "roles": settings.roles,
        "outside_review": settings.review.policy == "outside",
        "checks": set(CHECK_PARAMS) if checks is None else checks,
        "actions": set(ACTION_PARAMS) if actions is None else actions,
        "params": PARAMS,
        "settings": settings,
    }
    return validate_data(Checklist, data, lines, str(path), context)


def load_checklists(
    root: Path, settings: Settings, **known: set[str] | None
) -> dict[str, Checklist]:
    """Every `sops/*.yaml`, by file stem; all problems in all files reported together."""
    checklists, problems = {}, []
    for path in sorted((root / SOPS_DIR).glob("*.yaml")):
        try:
            checklists[path.stem] = load_checklist(path, settings, **known)
        except SettingsError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SettingsError(problems)
    return checklists
