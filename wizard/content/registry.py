"""Finding packs: the bundled one, and folders named in TELEWIZARD_CONTENT_PATH."""

from __future__ import annotations

import os
import re
from pathlib import Path

from wizard.content.loading import load_pack
from wizard.content.models import DEFAULT_PACK_ID, SLUG_PATTERN, ContentPack
from wizard.content.problems import ContentError, ContentProblem

PACK_ENV = "TELEWIZARD_CONTENT_PATH"
"""Environment variable: extra folders (os.pathsep-separated) searched for content packs."""
PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``wizard`` package folder."""


def bundled_content_dir() -> Path:
    """The folder holding the bundled packs: inside the installed wheel, else the repo's content/."""
    packaged = PACKAGE_DIR / "_content"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "content"


def content_dirs() -> list[Path]:
    """Folders searched for packs: those in TELEWIZARD_CONTENT_PATH first, then the bundled one."""
    extra = [Path(p) for p in os.environ.get(PACK_ENV, "").split(os.pathsep) if p]
    return [*extra, bundled_content_dir()]


def find_pack_dir(ref: str) -> Path | None:
    """The folder of the pack named ``id`` or ``id@major``; None when not found."""
    pack_id = ref.split("@", 1)[0]
    if not re.match(SLUG_PATTERN, pack_id):
        return None  # never a path: a project file must not point outside the content folders
    for folder in content_dirs():
        candidate = folder / pack_id
        if (candidate / "pack.toml").is_file():
            return candidate
        if (folder / "pack.toml").is_file() and folder.name == pack_id:
            return folder
    return None


_cache: dict[Path, ContentPack] = {}


def load_pack_by_ref(ref: str = DEFAULT_PACK_ID) -> ContentPack:
    """Load (once per process) the pack a project file names; ContentError when missing or bad."""
    folder = find_pack_dir(ref)
    if folder is None:
        raise ContentError([ContentProblem(ref, "", "no content pack with this id was found")])
    key = folder.resolve()
    if key not in _cache:
        _cache[key] = load_pack(folder)
    pack = _cache[key]
    if "@" in ref:
        wanted = ref.split("@", 1)[1]
        if wanted != str(pack.major):
            raise ContentError(
                [ContentProblem(ref, "", f"needs major version {wanted}, but the pack found is {pack.version}")]
            )
    return pack
