"""Shared fixtures. Tests never touch the user's real home or ../shared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.content import ContentPack, load_pack_by_ref

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the recent list and settings at a temporary folder; fix the export date."""
    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("TELEWIZARD_DATA_DIR", str(data))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    monkeypatch.delenv("TELEWIZARD_CONTENT_PATH", raising=False)
    yield


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    """The bundled content pack."""
    return load_pack_by_ref()
