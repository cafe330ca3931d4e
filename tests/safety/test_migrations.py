"""Migrations: an older format (schema_version 0, defined here) is upgraded on load and saved in the
new form only after a backup of the original bytes; a newer format is refused and never rewritten."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from tomlkit.toml_document import TOMLDocument

from wizard import project
from wizard.content import ContentPack
from wizard.project import (
    DesignError,
    NewerSchemaError,
    SaveConflictError,
    SaveError,
    load_design,
)

# Version 0, as an imaginary first telewizard wrote it: [meta] with `name`, items under [items.*]
# with `state` for the status.
V0 = """\
# Written by telewizard 0.1
schema_version = 0

[meta]
name = "Riverbend Virtual Urgent Care"  # the title
content = "telemedicine-clinical-workflows@1"

[context]
care_model = "dtc-virtual-urgent-care"
roles = ["physician"]
visit_types = ["video"]

# The first item we settled.
[items.provider-scheduling]
state = "decided"
option = "on-demand-queue"
summary = "One shared queue."
owner = "Medical Director"
"""


def migrate_v0(doc: TOMLDocument) -> None:
    """0 -> 1: [meta] becomes [project] (name -> title); [items.*] become [decisions.*] (state -> status)."""
    meta = doc.pop("meta")
    info = tomlkit.table()
    info["title"] = meta["name"]
    info["content"] = meta["content"]
    doc["project"] = info
    items = doc.pop("items", {})
    decisions = tomlkit.table(is_super_table=True)
    for slug, item in items.items():
        table = tomlkit.table()
        for key, value in item.items():
            table["status" if key == "state" else key] = value
        decisions[slug] = table
    doc["decisions"] = decisions


@pytest.fixture
def v0_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(project.MIGRATIONS, 0, migrate_v0)
    path = tmp_path / "riverbend.toml"
    path.write_text(V0, encoding="utf-8")
    return path


def _backup(path: Path) -> Path:
    return path.with_name(path.name + ".v0.bak")


def test_an_old_file_loads_migrated_and_is_not_written_by_loading(v0_file: Path, pack: ContentPack) -> None:
    loaded = load_design(v0_file, pack)

    assert loaded.migrated_from == 0
    assert loaded.design.schema_version == project.SCHEMA_VERSION
    assert loaded.design.project.title == "Riverbend Virtual Urgent Care"
    decision = loaded.design.decision("provider-scheduling")
    assert (decision.status, decision.option, decision.owner) == ("decided", "on-demand-queue", "Medical Director")
    assert v0_file.read_text(encoding="utf-8") == V0
    assert sorted(p.name for p in v0_file.parent.iterdir()) == [v0_file.name]


def test_the_first_save_backs_up_the_original_bytes_then_writes_the_new_form(v0_file: Path, pack: ContentPack) -> None:
    original = b"\xef\xbb\xbf" + V0.replace("\n", "\r\n").encode("utf-8")  # BOM and CRLF: bytes, not text
    v0_file.write_bytes(original)
    loaded = load_design(v0_file, pack)
    loaded.design.decisions["provider-scheduling"].summary = "One shared queue, 4-hour blocks."

    loaded.save()

    assert _backup(v0_file).read_bytes() == original
    text = v0_file.read_text(encoding="utf-8")
    assert "schema_version = 2" in text and "[meta]" not in text and "[items" not in text
    assert "# Written by telewizard 0.1" in text, "comments outside the migrated tables survive"
    again = load_design(v0_file, pack)
    assert again.migrated_from is None
    assert again.design.decision("provider-scheduling").summary == "One shared queue, 4-hour blocks."
    assert again.design.project.title == "Riverbend Virtual Urgent Care"


def test_later_saves_leave_the_backup_alone(v0_file: Path, pack: ContentPack) -> None:
    loaded = load_design(v0_file, pack)
    loaded.save()
    backup_stat = _backup(v0_file).stat()
    loaded.design.project.lead = "Dana Ortiz"
    loaded.save()
    load_design(v0_file, pack).save()

    assert _backup(v0_file).read_text(encoding="utf-8") == V0
    assert _backup(v0_file).stat().st_mtime_ns == backup_stat.st_mtime_ns
    assert not v0_file.with_name(v0_file.name + ".v0.2.bak").exists()


def test_an_older_different_backup_is_never_overwritten(v0_file: Path, pack: ContentPack) -> None:
    _backup(v0_file).write_text("# an earlier migration's backup\n", encoding="utf-8")
    load_design(v0_file, pack).save()
    assert _backup(v0_file).read_text(encoding="utf-8") == "# an earlier migration's backup\n"
    assert v0_file.with_name(v0_file.name + ".v0.2.bak").read_text(encoding="utf-8") == V0


def test_the_backup_is_written_before_the_file_is_replaced(
    v0_file: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the new form cannot be written, the backup is already whole and the original untouched."""
    loaded = load_design(v0_file, pack)
    real_replace = os.replace

    def refuse_the_design(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst) == v0_file:
            raise OSError(28, "No space left on device")
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse_the_design)
    with pytest.raises(SaveError, match="the disk is full"):
        loaded.save()
    assert _backup(v0_file).read_text(encoding="utf-8") == V0
    assert v0_file.read_text(encoding="utf-8") == V0

    monkeypatch.setattr(os, "replace", real_replace)
    loaded.save()
    assert load_design(v0_file, pack).migrated_from is None
    assert _backup(v0_file).read_text(encoding="utf-8") == V0


def test_an_old_file_changed_before_the_first_save_is_a_conflict(v0_file: Path, pack: ContentPack) -> None:
    loaded = load_design(v0_file, pack)
    v0_file.write_text(V0.replace("One shared queue.", "Their queue."), encoding="utf-8")
    with pytest.raises(SaveConflictError):
        loaded.save()
    assert not _backup(v0_file).exists()


def test_without_a_migration_an_old_file_is_refused(tmp_path: Path, pack: ContentPack) -> None:
    assert 0 not in project.MIGRATIONS, "the product defines no version 0"
    path = tmp_path / "old.toml"
    path.write_text(V0, encoding="utf-8")
    with pytest.raises(DesignError, match="schema_version: is 0, an old format"):
        load_design(path, pack)
    assert path.read_text(encoding="utf-8") == V0


def test_a_failing_migration_is_a_clear_error(
    tmp_path: Path, pack: ContentPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(doc: TOMLDocument) -> None:
        raise KeyError("meta")

    monkeypatch.setitem(project.MIGRATIONS, 0, broken)
    path = tmp_path / "old.toml"
    path.write_text(V0, encoding="utf-8")
    with pytest.raises(DesignError, match="could not be upgraded from 0 to 1"):
        load_design(path, pack)


def test_a_newer_file_is_refused_and_never_rewritten(tmp_path: Path, pack: ContentPack) -> None:
    path = tmp_path / "future.toml"
    text = V0.replace("schema_version = 0", "schema_version = 3")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NewerSchemaError, match="newer telewizard") as caught:
        load_design(path, pack)
    assert caught.value.place == "schema_version"
    assert path.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.toml"]


def test_a_version_1_file_is_saved_as_version_2_after_a_byte_exact_backup(tmp_path: Path, pack: ContentPack) -> None:
    """Version 2 added ``covers``, ``capacity`` and ``[[sign_offs]]``: a version-1 file loads unchanged
    in meaning, and its first save keeps the original bytes as ``.v1.bak``."""
    repo = Path(__file__).resolve().parents[2]
    original = (repo / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml").read_bytes()
    original = original.replace(b"schema_version = 2", b"schema_version = 1", 1)
    path = tmp_path / "old.toml"
    path.write_bytes(original)
    loaded = load_design(path, pack)
    assert loaded.migrated_from == 1 and path.read_bytes() == original  # loading writes nothing
    loaded.design.project.title = "Renamed"
    loaded.save()
    assert path.with_name("old.toml.v1.bak").read_bytes() == original
    saved = path.read_text(encoding="utf-8")
    assert "schema_version = 2" in saved and 'title = "Renamed"' in saved
    assert load_design(path, pack).design.decisions == loaded.design.decisions
