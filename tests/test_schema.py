"""The settings reference: every key of every model is on its page, the pages are current, and
the JSON Schema accepts the files bo ships and refuses what bo refuses."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import PROJECT
from pydantic import BaseModel
from typer.testing import CliRunner

from bo.cli import app
from bo.schema import KINDS, json_schema, reference

DOCS = PROJECT / "docs" / "settings"


def models_in(annotation: object) -> list[type[BaseModel]]:
    """The models a field's annotation holds, through lists, maps, unions and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in models_in(arg)]


def every_model(root: type[BaseModel]) -> dict[type[BaseModel], None]:
    found: dict[type[BaseModel], None] = {root: None}
    queue = [root]
    while queue:
        for field in queue.pop().model_fields.values():
            for model in models_in(field.annotation):
                if model not in found:
                    found[model] = None
                    queue.append(model)
    return found


def section(page: str, model: type[BaseModel], root: type[BaseModel]) -> str:
    """The part of a page that describes one model: the top for the file's own."""
    if model is root:
        return page.split("\n## ", 1)[0]
    start = page.index(f"\n## {model.__name__}\n")
    end = page.find("\n## ", start + 1)
    return page[start : end if end >= 0 else None]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_key_of_every_model_is_on_its_page(kind: str) -> None:
    root = KINDS[kind].model()
    page = (DOCS / KINDS[kind].page).read_text(encoding="utf-8")
    missing = []
    for model in every_model(root):
        if model.__name__ == "Money":
            continue  # written as one string, `1500.00 USD`: no keys of its own
        text = section(page, model, root)
        for name, field in model.model_fields.items():
            key = field.alias or name
            if f"| `{key}` |" not in text:
                missing.append(f"{model.__name__}.{key}")
    assert not missing, f"docs/settings/{KINDS[kind].page} lacks {missing}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_pages_are_current(kind: str) -> None:
    page = KINDS[kind].page
    written = (DOCS / page).read_text(encoding="utf-8")
    assert written == reference(kind, PROJECT), f"docs/settings/{page} is stale: run make docs"


def test_the_index_links_every_page_and_the_readme_links_the_index() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"]({kind.page})" in index
    assert "docs/settings/README.md" in (PROJECT / "README.md").read_text(encoding="utf-8")


def shipped(pattern: str) -> list[Path]:
    return sorted(PROJECT.glob(pattern))


def as_json(path: Path) -> object:
    # YAML reads `2025-10-01` as a date; in JSON, as in the schema, it is a string.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("bo.yaml", "bo.yaml"),
        ("checklist", "sops/*.yaml"),
        ("schedules", "schedules/*.yaml"),
        ("budget", "budgets/*.yaml"),
        ("scenario", "scenarios/*.yaml"),
    ],
)
def test_the_schema_accepts_every_file_bo_ships(kind: str, pattern: str) -> None:
    files = shipped(pattern)
    assert files
    validator = jsonschema.Draft202012Validator(json_schema(kind))
    for path in files:
        errors = [e.message for e in validator.iter_errors(as_json(path))]
        assert not errors, f"{path.relative_to(PROJECT)}: {errors}"


def test_the_schema_refuses_what_bo_refuses() -> None:
    settings = as_json(PROJECT / "bo.yaml")
    validator = jsonschema.Draft202012Validator(json_schema("bo.yaml"))
    settings["entity"]["fiscal_year_start"] = 13
    settings["thresholds"] = {"stale_dayz": 3}
    settings["accounts"]["Assets:Bank:Checking"]["minimum"] = "5000"
    messages = " ".join(e.message for e in validator.iter_errors(settings))
    assert "13 is greater than the maximum of 12" in messages
    assert "'stale_dayz' was unexpected" in messages
    assert "'5000' is not valid" in messages
    step = as_json(PROJECT / "sops/month-end.yaml")
    step["steps"][0]["due"] = "3 days after"
    checklist = jsonschema.Draft202012Validator(json_schema("checklist"))
    assert any("does not match" in e.message for e in checklist.iter_errors(step))


def test_bo_schema_prints_the_schema() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["schema", "checklist"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "Checklists"
    assert runner.invoke(app, ["schema", "ledger"]).exit_code == 2


def test_the_walk_sees_through_unions_lists_and_maps() -> None:
    # Or the key test above would check only the top of each file and prove little.
    from bo.settings import Settings

    names = {m.__name__ for m in every_model(Settings)}
    assert {"CsvFormat", "OfxFormat", "RuleMatch", "Money", "FluxOverride", "Person"} <= names
