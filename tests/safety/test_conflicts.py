"""Someone else changed the file: never overwrite it silently; reload theirs or keep mine."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from wizard.content import ContentPack
from wizard.project import DesignError, SaveConflictError, SaveError, load_design, new_design


def _their_edit(path: Path, old: str, new: str) -> bytes:
    """Another editor rewrites the file (same size edits included: the mtime and inode may not move)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    data = text.replace(old, new).encode("utf-8")
    path.write_bytes(data)
    return data


def test_a_change_on_disk_stops_the_save(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.project.title = "Mine"
    theirs = _their_edit(design_path, "Medical Director", "Nursing Director")

    assert mine.changed_on_disk()
    with pytest.raises(SaveConflictError) as caught:
        mine.save()

    assert design_path.read_bytes() == theirs
    assert "changed on disk" in str(caught.value) and str(design_path) in str(caught.value)
    assert mine.design.project.title == "Mine", "my edit is kept in memory"


def test_a_same_size_same_time_edit_is_still_a_conflict(design_path: Path, pack: ContentPack) -> None:
    """An in-place edit that keeps size and mtime (coarse clocks, `touch -r`) is caught by the digest."""
    mine = load_design(design_path, pack)
    before = design_path.stat()
    _their_edit(design_path, "Medical Director", "Medical Dxrector")
    os.utime(design_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert design_path.stat().st_size == before.st_size

    with pytest.raises(SaveConflictError):
        mine.save()


def test_touching_the_file_without_changing_it_is_not_a_conflict(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    os.utime(design_path, ns=(0, 12345))
    mine.design.project.title = "Mine"
    mine.save()
    assert load_design(design_path, pack).design.project.title == "Mine"


def test_a_deleted_file_is_a_conflict_that_says_so(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    design_path.unlink()
    with pytest.raises(SaveConflictError, match="deleted or moved"):
        mine.save()
    assert not design_path.exists()


def test_a_new_design_never_overwrites_a_file_that_appeared(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    created = new_design(path, title="Mine")
    path.write_text("# someone else's\n", encoding="utf-8")
    with pytest.raises(SaveConflictError, match="created by someone else"):
        created.save()
    assert path.read_text(encoding="utf-8") == "# someone else's\n"


def test_force_overwrites_theirs_and_keeps_it_as_backup(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.project.title = "Mine"
    theirs = _their_edit(design_path, "Medical Director", "Nursing Director")

    mine.save(force=True)

    assert load_design(design_path, pack).design.project.title == "Mine"
    assert design_path.with_name(design_path.name + ".bak").read_bytes() == theirs
    mine.design.project.lead = "Next edit"
    mine.save()  # no conflict with my own forced save


def test_save_as_keeps_mine_under_a_new_name(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.project.title = "Mine"
    theirs = _their_edit(design_path, "Medical Director", "Nursing Director")
    copy_path = design_path.with_name("mine.toml")

    copy = mine.save_as(copy_path)

    assert design_path.read_bytes() == theirs
    assert load_design(copy_path, pack).design.project.title == "Mine"
    assert "# Riverbend's design, kept in git." in copy_path.read_text(encoding="utf-8"), "comments kept"
    with pytest.raises(SaveError, match="already exists"):
        mine.save_as(copy_path)
    copy.design.project.lead = "Later"
    copy.save()  # the copy is a normal design file from now on


def test_save_mine_as_copy_writes_beside_theirs_with_a_time_stamp(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.decisions["provider-scheduling"].owner = "Mine"
    theirs = _their_edit(design_path, "Medical Director", "Nursing Director")
    when = dt.datetime(2026, 11, 29, 14, 3, 9)

    first = mine.save_mine_as_copy(when)
    second = mine.save_mine_as_copy(when)

    assert first == design_path.with_name("riverbend.mine-20261129-140309.toml")
    assert second == design_path.with_name("riverbend.mine-20261129-140309-2.toml")
    assert design_path.read_bytes() == theirs, "theirs untouched"
    for path in (first, second):
        assert load_design(path, pack).design.decision("provider-scheduling").owner == "Mine"
    assert mine.path == design_path and mine.changed_on_disk(), "still bound to theirs, still in conflict"


def test_save_mine_as_copy_defaults_to_now(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    before = dt.datetime.now().replace(microsecond=0)
    copy = mine.save_mine_as_copy()
    stamp = dt.datetime.strptime(copy.name.removeprefix("riverbend.mine-").removesuffix(".toml"), "%Y%m%d-%H%M%S")
    assert before <= stamp <= dt.datetime.now()


def test_reload_takes_theirs(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.project.title = "Mine, not saved"
    _their_edit(design_path, "Medical Director", "Nursing Director")

    mine.reload(pack)

    assert mine.design.decision("provider-scheduling").owner == "Nursing Director"
    assert mine.design.project.title == "Riverbend Health Virtual Urgent Care"
    assert not mine.changed_on_disk()
    mine.design.project.title = "After reload"
    mine.save()
    text = design_path.read_text(encoding="utf-8")
    assert 'owner = "Nursing Director"' in text and 'title = "After reload"' in text


def test_reload_of_a_broken_file_leaves_mine_in_memory(design_path: Path, pack: ContentPack) -> None:
    mine = load_design(design_path, pack)
    mine.design.project.title = "Mine"
    design_path.write_text("schema_version = \n", encoding="utf-8")

    with pytest.raises(DesignError, match="line 1"):
        mine.reload(pack)

    assert mine.design.project.title == "Mine"
    with pytest.raises(SaveConflictError):
        mine.save()
