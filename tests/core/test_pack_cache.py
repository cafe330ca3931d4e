"""The cache of validated packs: a hit equals a fresh load, and any change to the files is a miss."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wizard.content import ContentError, _PackCache, bundled_content_dir, check_pack, load_pack

BUNDLED = bundled_content_dir() / "telemedicine-clinical-workflows"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack."""
    root = tmp_path / "pack"
    shutil.copytree(BUNDLED, root)
    return root


def _first_item_file(root: Path) -> Path:
    return sorted((root / "items").glob("*.toml"))[0]


def test_a_cache_hit_equals_the_pack_loaded_from_its_files(pack_dir: Path) -> None:
    first = load_pack(pack_dir)
    assert _PackCache(pack_dir).read() is not None  # stored
    second = load_pack(pack_dir)
    fresh, _ = check_pack(pack_dir)
    assert first == second == fresh


def test_an_edited_item_file_is_read_again(pack_dir: Path) -> None:
    load_pack(pack_dir)
    item_file = _first_item_file(pack_dir)
    text = item_file.read_text(encoding="utf-8")
    item_file.write_text(text.replace('title = "', 'title = "Edited: ', 1), encoding="utf-8")
    slug = item_file.stem
    assert load_pack(pack_dir).items_by_id[slug].title.startswith("Edited: ")


def test_a_same_size_edit_with_a_new_time_is_read_again(pack_dir: Path) -> None:
    load_pack(pack_dir)
    item_file = _first_item_file(pack_dir)
    info = item_file.stat()
    text = item_file.read_text(encoding="utf-8")
    start = text.index('title = "') + len('title = "')
    item_file.write_text(text[:start] + "Q" + text[start + 1 :], encoding="utf-8")
    os.utime(item_file, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert item_file.stat().st_size == info.st_size
    assert load_pack(pack_dir).items_by_id[item_file.stem].title.startswith("Q")


def test_a_pack_broken_after_caching_is_reported(pack_dir: Path) -> None:
    load_pack(pack_dir)
    _first_item_file(pack_dir).write_text("title = [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_pack(pack_dir)


def test_a_new_item_file_is_a_miss(pack_dir: Path) -> None:
    cache = _PackCache(pack_dir)
    load_pack(pack_dir)
    (pack_dir / "items" / "unlisted.toml").write_text('title = "Unlisted"\n', encoding="utf-8")
    assert _PackCache(pack_dir).stamp != cache.stamp


def test_a_damaged_entry_is_ignored(pack_dir: Path) -> None:
    expected = load_pack(pack_dir)
    entry = _PackCache(pack_dir).file
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])
    assert _PackCache(pack_dir).read() is None
    assert load_pack(pack_dir) == expected


def test_an_unwritable_cache_folder_is_not_an_error(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TELEWIZARD_DATA_DIR", str(blocker))
    assert load_pack(pack_dir).id == "telemedicine-clinical-workflows"
    assert _PackCache(pack_dir).read() is None
