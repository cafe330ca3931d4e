"""Full disks and read-only folders: the save fails with a message, the design stays in memory,
nothing half-written is left, and the next save works once the disk or folder is back.

Tests run as root in CI, and root ignores folder permissions, so the failures are simulated where
the operating system would raise them (``os.open``, ``os.fsync``, ``os.replace``, ``os.link``); the
real read-only folder runs when the tests do not run as root.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main
from wizard.content import ContentPack
from wizard.project import TEMP_PREFIX, DesignFile, SaveError, load_design, write_export


def _refusing(real: Callable[..., Any], code: int, when: Callable[..., bool]) -> Callable[..., Any]:
    def fake(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fake


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _edit(loaded: DesignFile) -> None:
    loaded.design.project.title = "Edited while the disk was unwell"
    loaded.design.decisions["provider-scheduling"].summary = "New summary\nover two lines"


FAILURES: dict[str, tuple[str, int, Callable[..., bool], str]] = {
    "read-only folder (creating the temporary file)": (
        "open",
        errno.EROFS,
        lambda path, *a: TEMP_PREFIX in str(path),
        "the folder is on a read-only file system",
    ),
    "permission denied (creating the temporary file)": (
        "open",
        errno.EACCES,
        lambda path, *a: TEMP_PREFIX in str(path),
        "permission denied",
    ),
    "disk full while writing": ("fsync", errno.ENOSPC, lambda fd: True, "the disk is full"),
    "quota exceeded while writing": ("fsync", errno.EDQUOT, lambda fd: True, "the disk quota is used up"),
    "read-only at the rename": ("replace", errno.EROFS, lambda src, dst: True, "read-only file system"),
    "disk full while keeping the backup": (
        "link",
        errno.ENOSPC,
        lambda src, dst: True,
        "the disk is full",
    ),
}


@pytest.mark.parametrize("failure", FAILURES, ids=list(FAILURES))
def test_a_failed_save_keeps_everything(
    failure: str, design_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    function, code, when, words = FAILURES[failure]
    loaded = load_design(design_path, pack)
    _edit(loaded)
    in_memory = loaded.design.model_copy(deep=True)
    before = _folder_state(design_path.parent)
    real = getattr(os, function)
    monkeypatch.setattr(os, function, _refusing(real, code, when))
    if function == "link":  # no hard link: the backup is copied instead, and that fails too
        monkeypatch.setattr(Path, "write_bytes", _refusing(Path.write_bytes, code, lambda *a: True))

    with pytest.raises(SaveError) as caught:
        loaded.save()

    message = str(caught.value)
    assert message.startswith(f"{design_path}: could not be saved: ") and words in message
    assert "the file on disk was not changed" in message and "\n" not in message
    assert loaded.design == in_memory, "the edits stay in memory"
    assert _folder_state(design_path.parent) == before, "nothing half-written, no temporary file left"

    monkeypatch.undo()
    loaded.save()  # the disk is back: the same edits save, with no false conflict
    assert load_design(design_path, pack).design == in_memory


def test_a_new_design_in_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard.project import new_design

    created = new_design(tmp_path / "new.toml", title="New")
    monkeypatch.setattr(os, "open", _refusing(os.open, errno.EROFS, lambda path, *a: TEMP_PREFIX in str(path)))
    with pytest.raises(SaveError, match="read-only file system"):
        created.save()
    assert list(tmp_path.iterdir()) == []
    assert not created.exists
    monkeypatch.undo()
    created.save()
    assert created.exists


def test_an_export_to_a_full_disk_says_so_and_writes_nothing(
    design_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(os, "fsync", _refusing(os.fsync, errno.ENOSPC, lambda fd: True))
    assert main(["export", str(design_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not be saved: the disk is full" in err
    exports = design_path.parent / "exports"
    assert not exports.exists() or list(exports.iterdir()) == []


def test_write_export_into_a_folder_name(tmp_path: Path) -> None:
    (tmp_path / "out.md").mkdir()
    with pytest.raises(SaveError, match="is a folder"):
        write_export(tmp_path / "out.md", "# Playbook\n")


def _permissions_apply() -> bool:
    """False when this process writes into a read-only folder anyway (root, or CAP_DAC_OVERRIDE)."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o555)
        try:
            (Path(folder) / "probe").write_bytes(b"")
        except PermissionError:
            return True
        finally:
            Path(folder).chmod(0o755)
        return False


@pytest.mark.skipif(
    not _permissions_apply(),
    reason="running as root (folder permissions do not stop it); the failure is simulated above instead",
)
def test_a_real_read_only_folder(design_path: Path, pack: ContentPack) -> None:
    folder = design_path.parent
    loaded = load_design(design_path, pack)
    _edit(loaded)
    in_memory = loaded.design.model_copy(deep=True)
    before = _folder_state(folder)
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="permission denied"):
            loaded.save()
        assert _folder_state(folder) == before
        assert loaded.design == in_memory
    finally:
        folder.chmod(0o755)
    loaded.save()
    assert load_design(design_path, pack).design == in_memory
