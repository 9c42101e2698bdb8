"""Check JSON against the object types of Telegram's Bot API spec.

The sandbox must only send what Telegram could: every required field present, no field
the type lacks, the right JSON kind for each value. Abstract types (ChatMember,
MaybeInaccessibleMessage, ...) match when any of their subtypes does, telling subtypes
apart by the constant fields the spec documents (`status` is always "kicked", ...).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from bot.sandbox.spec import shared_spec_path

# The object types are only in the full spec beside the checkout, not in the package's table.
SHARED_SPEC = shared_spec_path()

# Subtypes of a union are told apart by a field the spec documents as 'always "kicked"'.
_CONSTANT = re.compile(r'always ["“]([a-z_]+)["”]')

_PRIMITIVES: dict[str, Any] = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "Boolean": lambda v: isinstance(v, bool),
    "True": lambda v: v is True,
}


@cache
def _spec_types() -> dict[str, Any]:
    types: dict[str, Any] = json.loads(SHARED_SPEC.read_text(encoding="utf-8"))["types"]
    return types


def shape_errors(value: Any, type_name: str, path: str = "") -> list[str]:
    """Why `value` is not a valid `type_name` ("Update", "Message", ...); [] when it is."""
    return _any_of(value, [type_name], path or type_name)


def _any_of(value: Any, type_names: list[str], path: str) -> list[str]:
    attempts = [_check(value, name, path) for name in type_names]
    if any(not errors for errors in attempts):
        return []
    return min(attempts, key=len)  # the closest candidate explains best


def _check(value: Any, type_name: str, path: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: expected {type_name}, got {value!r}"]
        item_type = type_name.removeprefix("Array of ")
        return [
            error
            for index, item in enumerate(value)
            for error in _any_of(item, [item_type], f"{path}[{index}]")
        ]
    if type_name in _PRIMITIVES:
        return [] if _PRIMITIVES[type_name](value) else [f"{path}: {value!r} is no {type_name}"]
    spec = _spec_types()[type_name]
    if "subtypes" in spec:
        return _any_of(value, spec["subtypes"], path)
    if not isinstance(value, dict):
        return [f"{path}: expected a {type_name} object, got {value!r}"]
    fields = {field["name"]: field for field in spec.get("fields", ())}
    errors = [f"{path}: {type_name} has no field {key!r}" for key in value if key not in fields]
    for name, field in fields.items():
        if name not in value:
            if field["required"]:
                errors.append(f"{path}: {type_name} lacks required {name!r}")
            continue
        errors.extend(_any_of(value[name], field["types"], f"{path}.{name}"))
        constant = _CONSTANT.search(field.get("description", ""))
        if constant and value[name] != constant.group(1):
            errors.append(f"{path}.{name}: {type_name} needs {constant.group(1)!r}")
    return errors
