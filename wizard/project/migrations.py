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
MIGRATIONS: dict[int, Migration] = {}
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
