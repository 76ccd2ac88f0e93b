"""YAML as bo reads it: a key given twice is refused on its line, and no text whatever gets
past the reader as anything but data or a SettingsError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bo.errors import SettingsError
from bo.settings import Settings
from bo.yamlfile import parse_yaml, validate_yaml

pairs = st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 9)), min_size=1, max_size=6)


@given(pairs=pairs, flow=st.booleans())
def test_a_key_given_twice_is_refused_on_its_line(pairs: list[tuple[str, int]], flow: bool):
    if flow:
        text = "m: {" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}\n"
    else:
        text = "m:\n" + "".join(f"  {key}: {value}\n" for key, value in pairs)
    keys = [key for key, _ in pairs]
    again = next((i for i, key in enumerate(keys) if key in keys[:i]), None)
    try:
        data, _ = parse_yaml(text, "f.yaml")
    except SettingsError as exc:
        assert again is not None, str(exc)
        line = 1 if flow else again + 2
        assert exc.source.lineno == line and f"key `{keys[again]}` appears twice" in str(exc)
    else:
        assert again is None
        assert data == {"m": dict(pairs)}


yaml_tokens = st.sampled_from(
    ["entity:", " name: x", "&a", "*a", "<<:", "[", "]", "{", "}", ",", ":", "- ", "\n", "  ",
     "'", '"', "!!python/object:os.system", "1.5", "~", "#", "\t", "accounts:", "?", "|"]
)  # fmt: skip


@given(st.lists(yaml_tokens, max_size=30).map("".join))
def test_any_text_is_settings_or_a_settings_error(text: str):
    try:
        validate_yaml(Settings, text, "bo.yaml")
    except SettingsError as exc:
        assert all(str(problem).startswith("bo.yaml") for problem in exc.problems)
