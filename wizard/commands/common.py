"""What the headless commands share: exit codes, the error they raise for bad input, loading a design."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.content import ContentPack
    from wizard.project import DesignFile

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """Bad input: printed as one line on stderr (``telewizard: <message>``), exit 1."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or (message,)
        """Every problem, one line each, when the input has several (``check`` prints them all)."""


def load(path: str | Path) -> tuple[DesignFile, ContentPack]:
    """A design and the content pack it names, read for a command (never written); UserError otherwise."""
    from wizard.content import ContentError, load_pack_by_ref
    from wizard.project import DesignError, load_design

    try:
        loaded = load_design(path, pack_loader=load_pack_by_ref, read_only=True)
    except DesignError as exc:
        raise UserError(str(exc), tuple(str(problem) for problem in exc.problems)) from None
    except ContentError as exc:
        raise UserError(f"{path}: project.content: {exc}") from None
    return loaded, load_pack_by_ref(loaded.design.project.content)


def review_date() -> dt.date:
    """The date due dates and temporary rules are judged against (SOURCE_DATE_EPOCH when set); UserError
    when that variable is not a whole number of seconds."""
    from wizard.attention import export_date

    try:
        return export_date()
    except ValueError as exc:
        raise UserError(str(exc)) from None


def split_ids(text: str) -> list[str]:
    """Comma-separated ids as a list (blanks dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]
