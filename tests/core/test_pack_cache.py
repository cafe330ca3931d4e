"""The cache of validated packs: a hit equals a fresh load, and any change to the files is a miss."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wizard.content import ContentError, bundled_content_dir, check_pack, load_pack
from wizard.content.cache import PackCache

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
    assert PackCache(pack_dir).read() is not None  # stored
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
    cache = PackCache(pack_dir)
    load_pack(pack_dir)
    (pack_dir / "items" / "unlisted.toml").write_text('title = "Unlisted"\n', encoding="utf-8")
    assert PackCache(pack_dir).stamp != cache.stamp


def test_a_damaged_entry_is_ignored(pack_dir: Path) -> None:
    expected = load_pack(pack_dir)
    entry = PackCache(pack_dir).file
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])
    assert PackCache(pack_dir).read() is None
    assert load_pack(pack_dir) == expected


def test_an_unwritable_cache_folder_is_not_an_error(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("TELEWIZARD_DATA_DIR", str(blocker))
    assert load_pack(pack_dir).id == "telemedicine-clinical-workflows"
    assert PackCache(pack_dir).read() is None


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"id": 5}', b"[1, 2, 3]", b"not json at all", b'{"id": "x", "unknown": 1}'],
    ids=["empty-object", "wrong-type", "not-an-object", "not-json", "unknown-field"],
)
def test_an_entry_that_is_not_a_valid_pack_is_a_miss_and_is_rebuilt(pack_dir: Path, body: bytes) -> None:
    expected = load_pack(pack_dir)
    cache = PackCache(pack_dir)
    assert cache.stamp is not None
    cache.file.write_bytes(cache.stamp + b"\n" + body)
    assert PackCache(pack_dir).read() is None
    assert load_pack(pack_dir) == expected
    assert PackCache(pack_dir).read() == expected  # stored again


def test_a_stale_entry_is_not_read_even_when_its_body_is_sound(pack_dir: Path) -> None:
    pack = load_pack(pack_dir)
    entry = PackCache(pack_dir).file
    renamed = pack.model_copy(update={"title": "From a stale entry"})
    entry.write_bytes(b"0" * 64 + b"\n" + renamed.model_dump_json().encode())
    assert PackCache(pack_dir).read() is None
    assert load_pack(pack_dir).title == pack.title


def test_storing_an_entry_removes_the_one_an_older_version_kept_for_the_folder(pack_dir: Path) -> None:
    entry = PackCache(pack_dir).file
    entry.parent.mkdir(parents=True, exist_ok=True)
    older = entry.with_suffix(".marshal")
    other = entry.with_name("another-pack.marshal")
    older.write_bytes(b"old")
    other.write_bytes(b"old")
    load_pack(pack_dir)
    assert entry.exists()
    assert not older.exists()
    assert other.exists()  # another folder's entry is left to it
