"""Migrations: older file formats are upgraded on load, and saved in the new form only after a
byte-exact backup of the original (see ``DesignFile.save``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.project.errors import DesignError
from wizard.project.models import SCHEMA_VERSION

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

Migration = Callable[["TOMLDocument"], None]


def _version_1_to_2(doc: TOMLDocument) -> None:
    """1 -> 2: version 2 only adds what version 1 did not have (a decision's ``covers`` list and the
    ``[[sign_offs]]`` records), so a version-1 file is already a version-2 file but for its number. The
    number changes so that an older telewizard refuses the file instead of editing decisions without
    knowing the sign-offs they are compared with."""


MIGRATIONS: dict[int, Migration] = {1: _version_1_to_2}
"""Migrations by the version they upgrade from: MIGRATIONS[n] turns version n into n + 1 in place."""


def migrate(doc: TOMLDocument, path: Path | str) -> int:
    """Upgrade a document to SCHEMA_VERSION in place; returns the version it started at."""
    start = doc.get("schema_version")
    version = start
    while isinstance(version, int) and version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DesignError(path, f"is {version}, an old format this telewizard cannot upgrade", "schema_version")
        try:
            step(doc)
        except Exception as exc:
            raise DesignError(
                path, f"could not be upgraded from {version} to {version + 1}: {exc}", "schema_version"
            ) from None
        version += 1
        doc["schema_version"] = version
    return int(start) if isinstance(start, int) else SCHEMA_VERSION
