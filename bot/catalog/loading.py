"""Reading content files into validated models, with errors that name the file and field."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class ContentError(Exception):
    """A content file is missing, unreadable or invalid; the message names file and field."""


def load_yaml_model(path: Path, model: type[ModelT]) -> ModelT:
    """Parse one YAML file into ``model``, or raise ``ContentError`` naming the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path}: cannot read YAML: {error}") from error
    return validate_model(data, model, path)


def validate_model(data: object, model: type[ModelT], path: Path) -> ModelT:
    """``data`` read from ``path`` as ``model``, or ``ContentError`` naming file and field."""
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ContentError(f"{path}: field '{field}': {first['msg']}") from error
