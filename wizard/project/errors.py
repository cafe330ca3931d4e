"""The errors a design file can raise, each one line naming the file and the place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

_CONTROL = r"[\x00-\x1f\x7f\u2028\u2029]"


def one_line(text: str, limit: int = 300) -> str:
    """Text made safe for a one-line message: control characters escaped, cut short when long."""
    text = re.sub(_CONTROL, lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class DesignError(Exception):
    """A design file that cannot be used. ``str()`` is one line naming the file and place.

    The UI shows ``str(error)`` as it is; ``path``, ``place`` (line and column, or a field path such as
    ``decisions.provider-scheduling.due``) and ``detail`` (the sentence) are there for layouts
    that show them apart.
    """

    def __init__(
        self, path: Path | str, message: str, place: str = "", *, problems: Sequence[DesignError] = ()
    ) -> None:
        self.path = one_line(str(path), 500)
        self.place = one_line(place, 120)
        self.detail = one_line(message)
        self.problems: tuple[DesignError, ...] = tuple(problems) or (self,)
        """Every problem found, each a DesignError of its own, this one's first: a file can hold several
        wrong values, and ``check`` lists them all where a one-line message counts the rest."""
        super().__init__(f"{self.path}: {self.place + ': ' if self.place else ''}{self.detail}")


class NewerSchemaError(DesignError):
    """The file was written by a newer telewizard; it is never rewritten."""


class SaveConflictError(DesignError):
    """The file changed on disk since it was loaded; saving would overwrite someone's edit."""


class SaveError(DesignError):
    """The file could not be written (read-only folder, full disk...). Edits stay in memory."""


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message shows it: TOML-like, and cut short so a message stays one short line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 3] + "..." + (text[-1] if isinstance(value, str) else "")


_PYDANTIC_WORDS = {
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "dict_type": "must be a table",
    "string_type": "must be text in quotes",
    "list_type": "must be a list in square brackets",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "date_type": "must be a date like 2027-01-15",
    "date_parsing": "must be a real date like 2027-01-15",
    "date_from_datetime_parsing": "must be a real date like 2027-01-15",
    "date_from_datetime_inexact": "must be a date like 2027-01-15, without a time",
    "datetime_type": "must be a date and time like 2026-11-26T09:14:00Z",
    "datetime_parsing": "must be a real date and time like 2026-11-26T09:14:00Z",
    "datetime_from_date_parsing": "must be a real date and time like 2026-11-26T09:14:00Z",
    "datetime_object_invalid": "must be a real date and time like 2026-11-26T09:14:00Z",
    "missing": "is required",
}


def pydantic_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as words a person reads ("must be text in quotes (found 5)")."""
    kind = str(err.get("type", ""))
    if kind == "literal_error":
        expected = str((err.get("ctx") or {}).get("expected", ""))
        message = f"must be one of {expected}" if expected else "is not one of the allowed values"
    elif kind in _PYDANTIC_WORDS:
        message = _PYDANTIC_WORDS[kind]
    else:
        message = str(err["msg"]).rstrip(".")
        message = message[0].lower() + message[1:] if message else "invalid value"
    if kind != "missing" and "input" in err:
        message += f" (found {shown(err['input'])})"
    return message
