"""The Bot API method table: the compact copy in this package, or the full spec.

`bot_api_methods.json` beside this module is generated from Telegram's machine-readable
spec by scripts/compact_bot_api_spec.py (facts only: parameters, types, required flags,
return types), so the sandbox validates wherever the package is installed. The full
`api.json` loads the same way, for an explicit `FakeBotApi(spec_path=...)`.

Each method's parameters are compiled once into coercion functions, so a
request only costs a dict lookup and one small call per parameter: the
sandbox has to keep up with benchmarks pushing 100k messages through it.

Coercion mirrors what Telegram accepts: form-encoded clients (PTB included)
send every value as a string, with objects JSON-serialized, so "123", "true"
and '{"inline_keyboard": []}' must all become their typed values.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bot
from bot.sandbox.errors import ApiError, bad_request
from bot.sandbox.models import UploadedFile

Coercer = Callable[[str, Any], Any]

_INTEGER = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?")
_TRUE = frozenset({"true", "True", "1"})
_FALSE = frozenset({"false", "False", "0"})

# Telegram's wording for the missing parameters bots most often forget.
_MISSING: dict[str, str] = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "message_id": "message identifier is not specified",
    "callback_query_id": "query_id is empty",
}


def missing_parameter(name: str) -> ApiError:
    return bad_request(_MISSING.get(name, f'parameter "{name}" is required'))


def _type_error(name: str, expected: str) -> ApiError:
    return bad_request(f'parameter "{name}" must be {expected}')


def coerce_string(name: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # Telegram stringifies numbers given for String fields
    raise _type_error(name, "a String")


def coerce_integer(name: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _type_error(name, "an Integer")


def coerce_boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in _TRUE or value == 1:
        return True
    if value in _FALSE or value == 0:
        return False
    raise _type_error(name, "a Boolean")


def coerce_float(name: str, value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and _FLOAT.fullmatch(value.strip()):
        return float(value)
    raise _type_error(name, "a Float")


def coerce_integer_or_string(name: str, value: Any) -> int | str:
    # chat_id: a numeric id (possibly sent as "123") or an "@username".
    if isinstance(value, str):
        return int(value) if _INTEGER.fullmatch(value.strip()) else value
    return coerce_integer(name, value)


def coerce_file_or_string(name: str, value: Any) -> UploadedFile | str:
    if isinstance(value, UploadedFile | str):
        return value
    raise _type_error(name, "an InputFile or a String")


def coerce_file(name: str, value: Any) -> UploadedFile:
    if isinstance(value, UploadedFile):
        return value
    raise _type_error(name, "an uploaded InputFile")


@functools.lru_cache(maxsize=4096)
def _decode_json(text: str) -> Any:
    # Bots resend the same keyboards over and over; sharing the decoded objects
    # keeps 100k stored messages from holding 100k copies. Treat them as read-only.
    return json.loads(text)


def _from_json(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return _decode_json(value)
    except ValueError:
        raise bad_request(f'can\'t parse JSON in parameter "{name}"') from None


def coerce_object(name: str, value: Any) -> dict[str, Any]:
    decoded = _from_json(name, value)
    if isinstance(decoded, dict):
        return decoded
    raise _type_error(name, "a JSON object")


def coerce_array(name: str, value: Any) -> list[Any]:
    decoded = _from_json(name, value)
    if isinstance(decoded, list):
        return decoded
    raise _type_error(name, "a JSON array")


def _passthrough(name: str, value: Any) -> Any:
    return value


_PRIMITIVES: dict[frozenset[str], Coercer] = {
    frozenset({"String"}): coerce_string,
    frozenset({"Integer"}): coerce_integer,
    frozenset({"Boolean"}): coerce_boolean,
    frozenset({"Float"}): coerce_float,
    frozenset({"Integer", "String"}): coerce_integer_or_string,
    frozenset({"InputFile", "String"}): coerce_file_or_string,
    frozenset({"InputFile"}): coerce_file,
}


def coercer_for(types: tuple[str, ...]) -> Coercer:
    """Pick the coercion for a spec type list like ("Integer", "String")."""
    known = _PRIMITIVES.get(frozenset(types))
    if known is not None:
        return known
    if all(t.startswith("Array of ") for t in types):
        return coerce_array
    if all(t[:1].isupper() and " " not in t for t in types):
        return coerce_object  # one or more object types, e.g. the four reply markups
    return _passthrough


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool
    coerce: Coercer


@dataclass(frozen=True, slots=True)
class MethodSpec:
    name: str
    fields: Mapping[str, FieldSpec]
    required: tuple[str, ...]
    returns: tuple[str, ...]

    @property
    def returns_boolean(self) -> bool:
        return self.returns in (("Boolean",), ("True",))

    def coerce(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Typed parameters, or ApiError for unknown/missing/mistyped ones.

        Real Telegram silently ignores unknown parameters; the sandbox rejects
        them because a misspelt parameter is always a bug in the bot.
        """
        fields = self.fields
        typed: dict[str, Any] = {}
        for name, value in params.items():
            spec = fields.get(name)
            if spec is None:
                raise bad_request(f'unknown parameter "{name}" for method {self.name}')
            typed[name] = spec.coerce(name, value)
        for name in self.required:
            if name not in typed:
                raise missing_parameter(name)
        return typed


class ApiSpec:
    """Methods by case-insensitive name (Telegram ignores the case of method names)."""

    def __init__(self, methods: Mapping[str, MethodSpec], version: str = "") -> None:
        self.version = version
        self._by_lower = {name.lower(): spec for name, spec in methods.items()}

    def method_names(self) -> list[str]:
        return [spec.name for spec in self._by_lower.values()]

    def get(self, name: str) -> MethodSpec | None:
        return self._by_lower.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_lower

    def __len__(self) -> int:
        return len(self._by_lower)

    @classmethod
    def empty(cls) -> ApiSpec:
        return cls({})

    @classmethod
    def load(cls, path: Path) -> ApiSpec:
        raw = json.loads(path.read_text(encoding="utf-8"))
        methods = {name: _method_spec(name, body) for name, body in raw["methods"].items()}
        return cls(methods, version=str(raw.get("version", "")))


def _method_spec(name: str, body: Mapping[str, Any]) -> MethodSpec:
    fields = {
        f["name"]: FieldSpec(
            name=f["name"],
            types=tuple(f["types"]),
            required=bool(f["required"]),
            coerce=coercer_for(tuple(f["types"])),
        )
        for f in body.get("fields", ())  # api.json omits "fields" for methods without any
    }
    return MethodSpec(
        name=name,
        fields=fields,
        required=tuple(field_name for field_name, f in fields.items() if f.required),
        returns=tuple(body.get("returns", ())),
    )


BUNDLED_TABLE = Path(__file__).with_name("bot_api_methods.json")


def default_spec_path() -> Path:
    """The method table shipped inside the package."""
    return BUNDLED_TABLE


def shared_spec_path() -> Path:
    """The full spec, `shared/telegram-bot-api/api.json` beside a repository checkout.

    Only the table generator and its freshness test need it.
    """
    return Path(bot.__file__).resolve().parents[2] / "shared" / "telegram-bot-api" / "api.json"
