"""Every OS path telewizard uses, in one place."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "TELEWIZARD_DATA_DIR"
"""Environment variable: where the recent list and the example copy live (tests point it at a temp folder)."""


def data_dir() -> Path:
    """The user data folder (platformdirs), or TELEWIZARD_DATA_DIR when set."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("telewizard", appauthor=False))


def cache_dir() -> Path:
    """Where derived data is cached (validated content packs): rebuilt whenever it is missing or stale.

    Inside TELEWIZARD_DATA_DIR when that is set (tests), else the user cache folder (platformdirs).
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("telewizard", appauthor=False))


def recent_file() -> Path:
    """The recent-designs list."""
    return data_dir() / "recent.json"


def examples_dir() -> Path:
    """Where the bundled example is copied before it is opened (never edited in place)."""
    return data_dir() / "examples"


def bundled_example() -> Path:
    """The example design shipped inside the package."""
    return Path(__file__).resolve().parent / "examples" / "riverbend-virtual-urgent-care.toml"


def default_export_path(design_path: Path, fmt: str) -> Path:
    """exports/<name>-playbook.md (or .html) beside the design file."""
    suffix = ".html" if fmt == "html" else ".md"
    return design_path.parent / "exports" / f"{design_path.stem}-playbook{suffix}"
