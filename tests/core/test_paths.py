"""Where telewizard keeps its files: the user's folders (platformdirs), or TELEWIZARD_DATA_DIR when set."""

from __future__ import annotations

from pathlib import Path

import pytest
from platformdirs import user_cache_dir, user_data_dir

from wizard import paths


def test_without_the_variable_the_folders_are_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert paths.cache_dir() == Path(user_cache_dir("telewizard", appauthor=False))
    assert paths.data_dir() == Path(user_data_dir("telewizard", appauthor=False))
    assert paths.recent_file().parent == paths.data_dir()


def test_the_variable_puts_everything_in_one_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    assert paths.data_dir() == tmp_path
    assert paths.cache_dir() == tmp_path / "cache"
    assert paths.examples_dir() == tmp_path / "examples"
