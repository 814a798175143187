"""Parse and check a model's JSON output against the schema it was constrained to.

The grammar built from the schema keeps the output well-formed token by token, but a generation
can still end early (max_tokens, the loop guard, a cancel) or a backend may not support every
keyword, so the text is parsed and checked again here. Only the schema keywords the runtime's
callers use are checked: type, properties, required, additionalProperties, items, enum, const,
minItems/maxItems, minLength/maxLength, minimum/maximum.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from copilot.llm.types import LlmOutputError, LlmResult

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def parse_json_result(result: LlmResult, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The parsed object, or LlmOutputError saying clearly why there is none."""
    text = result.text.strip()
    why = {"length": " (cut at max_tokens)", "loop": " (stopped: the output looped)"}.get(
        result.finish_reason, "")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise LlmOutputError(
            f"the model's output is not valid JSON{why}: {e.msg} at character {e.pos}; "
            f"output: {_excerpt(text)}") from e
    problems = schema_errors(value, schema)
    if problems:
        raise LlmOutputError(
            f"the model's JSON does not match the schema{why}: {'; '.join(problems[:5])}")
    if not isinstance(value, dict):
        raise LlmOutputError(f"the model's JSON is a {type(value).__name__}, not an object")
    return value


def schema_errors(value: Any, schema: Mapping[str, Any], path: str = "$") -> list[str]:
    errors: list[str] = []
    expected = schema.get("type")
    if expected is not None:
        names = [expected] if isinstance(expected, str) else list(expected)
        ok = any(isinstance(value, _TYPES.get(n, (object,))) and not (
            n in ("integer", "number") and isinstance(value, bool)) for n in names)
        if not ok:
            return [f"{path}: expected {' or '.join(names)}, got {_json_type(value)}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']!r}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{path}: longer than {schema['maxLength']} characters")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: less than {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: more than {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{path}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{path}: more than {schema['maxItems']} items")
        if isinstance(schema.get("items"), Mapping):
            for i, item in enumerate(value):
                errors.extend(schema_errors(item, schema["items"], f"{path}[{i}]"))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{path}: missing {name!r}")
        for name, item in value.items():
            if name in props:
                errors.extend(schema_errors(item, props[name], f"{path}.{name}"))
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected {name!r}")
    return errors


def _json_type(value: Any) -> str:
    for name, types in _TYPES.items():
        if isinstance(value, types) and not (name == "integer" and isinstance(value, bool)):
            return name
    return type(value).__name__


def _excerpt(text: str, limit: int = 160) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
