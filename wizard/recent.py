"""The list of recently opened designs, kept as JSON in the user data folder."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from wizard import paths

MAX_RECENT = 20


@dataclass(frozen=True)
class RecentDesign:
    """One entry of the recent list."""

    path: str
    title: str
    done: int
    total: int
    last_change: str
    """ISO timestamp (UTC) of the last save seen."""

    @property
    def missing(self) -> bool:
        """True when the file is gone."""
        return not Path(self.path).is_file()

    @property
    def progress(self) -> str:
        """Progress as people read it."""
        return f"{self.done}/{self.total}"

    @property
    def last_change_display(self) -> str:
        """The last change as a short local date and time."""
        try:
            when = dt.datetime.fromisoformat(self.last_change)
        except ValueError:
            return self.last_change
        return when.astimezone().strftime("%Y-%m-%d %H:%M")


def load_recent() -> list[RecentDesign]:
    """The recent list, most recent first (empty when missing or unreadable)."""
    try:
        raw = json.loads(paths.recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = []
    for entry in raw if isinstance(raw, list) else []:
        with contextlib.suppress(TypeError, ValueError):
            entries.append(RecentDesign(**entry))
    entries.sort(key=lambda e: e.last_change, reverse=True)
    return entries


def _store(entries: list[RecentDesign]) -> None:
    target = paths.recent_file()
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps([asdict(e) for e in entries[:MAX_RECENT]], indent=2), encoding="utf-8")
        os.replace(tmp, target)


def remember(path: Path, title: str, done: int, total: int, when: dt.datetime | None = None) -> None:
    """Put a design at the top of the recent list."""
    resolved = str(path.resolve())
    stamp = (when or dt.datetime.now(dt.UTC)).isoformat()
    entries = [e for e in load_recent() if e.path != resolved]
    entries.insert(0, RecentDesign(resolved, title, done, total, stamp))
    _store(entries)


def forget(path: str) -> None:
    """Remove a design from the recent list (the file itself is not touched)."""
    _store([e for e in load_recent() if e.path != path])
