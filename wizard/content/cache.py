"""A checked copy of each content pack in the user cache folder, so a pack is read from its TOML files
and checked across files only when one of them changes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import ValidationError

if TYPE_CHECKING:
    from wizard.content.models import ContentPack

CODE_DIR = Path(__file__).resolve().parent
"""The code that reads and checks packs (this package): a change to it makes every entry stale."""


class PackCache:
    """A pack that loaded without errors, stored as JSON.

    The entry is keyed by the pack folder and stamped with the size and modification time of
    ``pack.toml`` and of every file in ``items/`` (taken before the files are read, so a change made
    while loading only makes the next load a miss), and with the code that reads packs (this package,
    pydantic, Python). Any change makes it a miss, and the pack is loaded and checked from its files
    again. A hit is validated by the models like any input, so a damaged entry is a miss too. Problems
    with the cache itself (a read-only or full disk) are never errors: the pack is loaded from its files.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stamp = self._stamp()

    def _stamp(self) -> bytes | None:
        try:
            lines = [f"pydantic:{PYDANTIC_VERSION}", sys.version]
            lines += sorted(f"code/{path.name}:{_file_stamp(path)}" for path in CODE_DIR.glob("*.py"))
            lines.append(f"pack.toml:{_file_stamp(self.root / 'pack.toml')}")
            lines += sorted(f"items/{path.name}:{_file_stamp(path)}" for path in (self.root / "items").iterdir())
        except OSError:
            return None
        return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest().encode()

    @property
    def file(self) -> Path:
        """Where the entry of this pack folder lives."""
        from wizard.paths import cache_dir

        key = hashlib.sha256(str(self.root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]
        return cache_dir() / "packs" / f"{key}.json"

    def read(self) -> ContentPack | None:
        """The cached pack, or None (no entry, a stale one, or anything wrong with it)."""
        from wizard.content.models import ContentPack

        if self.stamp is None:
            return None
        try:
            head, _, body = self.file.read_bytes().partition(b"\n")
            if head != self.stamp:
                return None
            return ContentPack.model_validate_json(body)
        except (OSError, ValidationError, ValueError):
            return None

    def write(self, pack: ContentPack) -> None:
        """Store a pack that loaded without errors (best effort)."""
        if self.stamp is None:
            return
        target = self.file
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(self.stamp + b"\n" + pack.model_dump_json().encode("utf-8"))
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return
        with contextlib.suppress(OSError):  # the entry an older telewizard kept for this folder
            target.with_suffix(".marshal").unlink()


def _file_stamp(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"
