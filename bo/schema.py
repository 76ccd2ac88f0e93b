"""The files people write for bo, described by the models that read them.

Each kind of file (bo.yaml, checklists, schedules, budgets, scenarios) is read by one pydantic
model, so its JSON Schema and its reference page come from that model and cannot drift from
what bo accepts: `bo schema KIND` prints the schema (an editor completes and checks the file
with it), and `make docs` writes docs/settings/KIND.md with every key, its type, its default
and its description, and the example the demo books ship. A test keeps the pages current.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class Kind:
    """One kind of file: where it lives in the books and the model that reads it."""

    name: str
    title: str
    where: str
    example: str  # the demo books' file, relative to the project
    model_path: str  # module:Class, imported on use (the models import half of bo)

    def model(self) -> type[BaseModel]:
        module, _, name = self.model_path.partition(":")
        return getattr(importlib.import_module(module), name)

    @property
    def page(self) -> str:
        return f"{self.name}.md"


# fmt: off
KINDS = {
    kind.name: kind
    for kind in (
        Kind("bo.yaml", "bo.yaml: the books' settings", "bo.yaml", "bo.yaml",
             "bo.settings:Settings"),
        Kind("checklist", "Checklists", "sops/NAME.yaml", "sops/month-end.yaml",
             "bo.close.checklist:Checklist"),
        Kind("schedules", "Schedules", "schedules/NAME.yaml", "schedules/depreciation.yaml",
             "bo.close.schedules:ScheduleFile"),
        Kind("budget", "Budgets", "budgets/NAME.yaml", "budgets/2025.yaml",
             "bo.reports.variance:BudgetFile"),
        Kind("scenario", "Forecast scenarios", "scenarios/NAME.yaml",
             "scenarios/big-client-late.yaml", "bo.forecast:Scenario"),
        Kind("party", "Vendors and customers", "parties/vendors/NAME.yaml",
             "parties/vendors/pixel-print-co.yaml", "bo.payables.parties:Party"),
    )
}
# fmt: on


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file, as its model validates it."""
    found = KINDS[kind]
    schema = found.model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = found.title
    return schema


# --- reference pages ------------------------------------------------------------------------


def reference(kind: str, project: Path) -> str:
    """The Markdown page for one kind of file: a table of keys per object, then the example."""
    found = KINDS[kind]
    schema = json_schema(kind)
    defs = schema.get("$defs", {})
    lines = [f"# {found.title}", "", f"Where: `{found.where}`. {_doc(schema)}".rstrip(), ""]
    lines += _table(schema, defs)
    for name in _reachable(schema, defs):
        lines += ["", f"## {name}", ""]
        intro = _doc(defs[name])
        if intro:
            lines += [intro, ""]
        lines += _table(defs[name], defs)
    example = project / found.example
    if not example.is_file():  # an installed bo, without the demo books: no example
        return "\n".join([*lines, ""])
    lines += ["", "## Example", "", f"From the demo books, `{found.example}`:", "", "```yaml"]
    lines += [example.read_text(encoding="utf-8").rstrip(), "```", ""]
    return "\n".join(lines)


def index() -> str:
    """docs/settings/README.md: the pages, and how an editor gets the schema."""
    lines = [
        "# Settings reference",
        "",
        "Every file bo reads that a person writes, generated from the models that read it",
        "(`make docs`; a test fails when a page is out of date).",
        "",
        "| File | Where | Reference |",
        "| --- | --- | --- |",
    ]
    for kind in KINDS.values():
        lines.append(f"| {kind.title} | `{kind.where}` | [{kind.page}]({kind.page}) |")
    lines += [
        "",
        "## Completion in an editor",
        "",
        "`bo schema KIND` prints the JSON Schema of a kind of file. Editors that read",
        "`yaml-language-server` comments (VS Code's YAML extension, Neovim, Helix) complete and",
        "check a file against it:",
        "",
        "```sh",
        "bo schema bo.yaml > .bo-schema.json",
        "```",
        "",
        "and as the first line of `bo.yaml`:",
        "",
        "```yaml",
        "# yaml-language-server: $schema=.bo-schema.json",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_docs(folder: Path, project: Path) -> list[Path]:
    """Write every reference page into `folder`; the paths written."""
    from bo.io import atomic_write

    folder.mkdir(parents=True, exist_ok=True)
    pages = {"README.md": index()}
    pages.update({kind.page: reference(name, project) for name, kind in KINDS.items()})
    written = []
    for page, text in pages.items():
        atomic_write(folder / page, text)
        written.append(folder / page)
    return written


def _doc(schema: dict[str, Any]) -> str:
    return " ".join(schema.get("description", "").split())


def _reachable(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    """The definitions a schema refers to, in the order a reader meets them."""
    seen: list[str] = []
    queue = [schema]
    while queue:
        for name in _refs(queue.pop(0)):
            if name not in seen:
                seen.append(name)
                queue.append(defs[name])
    return seen


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value.rsplit("/", 1)[-1])
            elif key != "$defs":
                found.extend(_refs(value))
        return found
    if isinstance(node, list):
        return [name for item in node for name in _refs(item)]
    return []


def _table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    if not properties:
        example = schema.get("examples", [None])[0]
        return [f"Written as {_type(schema)}" + (f", like `{example}`." if example else ".")]
    required = set(schema.get("required", ()))
    rows = ["| Key | Type | Default | Description |", "| --- | --- | --- | --- |"]
    for key, prop in properties.items():
        default = "required" if key in required else _default(prop)
        rows.append(f"| `{key}` | {_type(prop)} | {default} | {_cell(_doc(prop))} |")
    return rows


def _type(node: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in node["enum"])
    for union in ("anyOf", "oneOf"):
        if union in node:
            # null is what an omitted key reads as (the default column says none), and a
            # number may be quoted: pydantic reads Decimal from a string too.
            parts = [_type(part) for part in node[union] if part.get("type") != "null"]
            if set(parts) == {"number", "text"}:
                return "number"
            return " or ".join(dict.fromkeys(parts))
    kind = node.get("type")
    if kind == "array":
        return f"list of {_type(node.get('items', {}))}"
    if kind == "object":
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return f"map of name to {_type(values)}"
        return "mapping"
    if kind == "string" and node.get("format") in ("date", "date-time"):
        return node["format"]
    names = {"string": "text", "number": "number", "integer": "integer", "boolean": "true/false"}
    return names.get(kind or "", "any")


def _default(prop: dict[str, Any]) -> str:
    if "default" not in prop:
        return ""
    value = prop["default"]
    if value is None:
        return "none"
    if isinstance(value, dict) and value:
        return "see below"
    return f"`{json.dumps(value)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


if __name__ == "__main__":  # make docs: python -m bo.schema docs/settings
    import sys

    for written in write_docs(Path(sys.argv[1]), Path.cwd()):
        print(f"wrote {written}")
