"""Problems with a content pack, each located by file and field, and the error that carries them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One thing wrong with a content pack, located by file and field."""

    file: str
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The pack could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        first = problems[0] if problems else ContentProblem("", "", "unknown problem")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


def field_path(loc: Sequence[int | str]) -> str:
    """Turn a pydantic location into ``options[2].tradeoffs``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def pydantic_problems(file: str, error: ValidationError, prefix: str = "") -> list[ContentProblem]:
    problems = []
    for err in error.errors():
        field = field_path(err["loc"])
        if prefix:
            field = f"{prefix}.{field}" if field else prefix
        problems.append(ContentProblem(file, field, err["msg"].rstrip(".").lower()))
    return problems


TOML_ERROR_AT = r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$"
"""Where tomllib's error message puts the place (line and column)."""
