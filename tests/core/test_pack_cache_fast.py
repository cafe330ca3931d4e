"""The pack cache builds models without validating them again: what it builds must be exactly what
validation builds, and anything wrong with an entry must make it a miss (the pack is then loaded,
validated and cached from its files again)."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from wizard import content
from wizard.content import (
    ComplianceNote,
    Condition,
    ContentPack,
    Item,
    _converter,
    _PackCache,
    _reader,
    bundled_content_dir,
    check_pack,
    load_pack,
)

BUNDLED = bundled_content_dir() / "telemedicine-clinical-workflows"
MODELS = [
    value
    for value in vars(content).values()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == content.__name__
]


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack, with one compliance note dated (the bundled items have none)."""
    root = tmp_path / "pack"
    shutil.copytree(BUNDLED, root)
    item_file = sorted((root / "items").glob("*.toml"))[0]
    with item_file.open("a", encoding="utf-8") as stream:
        stream.write(
            "\n[[compliance]]\n"
            'text = "A dated temporary rule."\n'
            'citation = "Somewhere"\n'
            "temporary = true\n"
            "confirmed_through = 2027-03-31\n"
        )
    return root


def _models(value: Any) -> Iterator[BaseModel]:
    """Every model in a tree of models and lists, depth first."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, list):
        for entry in value:
            yield from _models(entry)


def _state(model: BaseModel) -> tuple[Any, ...]:
    """Everything pydantic keeps on an instance (fields, fields set, extra, private), by type."""
    fields = {name: model.__dict__[name] for name in type(model).model_fields}
    return type(model), fields, model.model_fields_set, model.__pydantic_extra__, model.__pydantic_private__


def _entry(root: Path) -> tuple[bytes, dict[str, Any]]:
    stamp, _, data = _PackCache(root).file.read_bytes().partition(b"\n")
    parsed: dict[str, Any] = marshal.loads(data)
    return stamp, parsed


def _store(root: Path, stamp: bytes, data: object) -> None:
    _PackCache(root).file.write_bytes(stamp + b"\n" + marshal.dumps(data))


def test_a_cached_pack_is_the_validated_pack_object_for_object(pack_dir: Path) -> None:
    from_files = load_pack(pack_dir)  # a miss: loaded from the files, validated, stored
    cached = _PackCache(pack_dir).read()
    assert cached is not None
    assert cached == from_files == check_pack(pack_dir)[0]
    assert cached.model_dump_json() == from_files.model_dump_json()
    # Validating the entry (what a hit did before) gives the same objects, down to the fields set
    # (all of them: the entry holds every field, defaults included).
    validated = ContentPack.model_validate(_entry(pack_dir)[1])
    pairs = list(zip(_models(cached), _models(validated), strict=True))
    assert len(pairs) > 2000
    for built, checked in pairs:
        assert _state(built) == _state(checked)
    dated = [note for item in cached.items for note in item.compliance if note.confirmed_through is not None]
    assert len(dated) == 1 and type(dated[0].confirmed_through) is dt.date
    assert all(type(rule.confirmed_through) is dt.date for rule in cached.temporary_rules)
    assert cached.items_by_id[cached.items[3].id] is cached.items[3]  # cached properties work on it


def test_the_reader_does_what_model_construct_does(pack_dir: Path) -> None:
    load_pack(pack_dir)
    _, data = _entry(pack_dir)
    items = [item for section in data["sections"] for item in section["items"]]
    item, note = next((i, n) for i in items for n in i["compliance"] if n["confirmed_through"])
    expected = ComplianceNote.model_construct(
        **{**note, "confirmed_through": dt.date(2027, 3, 31), "when": Condition.model_construct(**note["when"])}
    )
    assert _state(_reader(ComplianceNote)(dict(note))) == _state(expected)
    built = _reader(Item)(json.loads(json.dumps(item)))
    validated = Item.model_validate(item)
    assert _state(built) == _state(validated)


def test_every_content_model_has_a_reader() -> None:
    assert {model.__name__ for model in MODELS} >= {"ContentPack", "Item", "Condition", "TemporaryRule"}
    for model in MODELS:
        assert callable(_reader(model))


def test_a_field_type_the_reader_does_not_know_is_an_error_not_a_silent_dict() -> None:
    with pytest.raises(TypeError, match="cannot read"):
        _converter(dict[str, Item], "Example.field")
    with pytest.raises(TypeError, match="cannot read"):
        _converter(str | None, "Example.field")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: [], id="not an object"),
        pytest.param(lambda data: {**data, "surprise": 1}, id="an unknown field"),
        pytest.param(lambda data: {k: v for k, v in data.items() if k != "roles"}, id="a missing field"),
        pytest.param(lambda data: {**data, "sections": {"0": data["sections"][0]}}, id="an object for a list"),
        pytest.param(lambda data: {**data, "sections": ["3.1"]}, id="a string for a model"),
        pytest.param(
            lambda data: {**data, "temporary_rules": [{**data["temporary_rules"][0], "confirmed_through": 20260101}]},
            id="a number for a date",
        ),
        pytest.param(
            lambda data: {**data, "temporary_rules": [{**data["temporary_rules"][0], "confirmed_through": "soon"}]},
            id="a string that is no date",
        ),
    ],
)
def test_an_entry_of_the_wrong_shape_is_a_miss_and_is_rebuilt(pack_dir: Path, damage: Any) -> None:
    expected = load_pack(pack_dir)
    stamp, data = _entry(pack_dir)
    _store(pack_dir, stamp, damage(data))
    assert _PackCache(pack_dir).read() is None
    assert load_pack(pack_dir) == expected
    assert _PackCache(pack_dir).read() == expected  # stored again, whole


def test_an_entry_that_is_not_marshal_data_is_a_miss_and_is_rebuilt(pack_dir: Path) -> None:
    expected = load_pack(pack_dir)
    entry = _PackCache(pack_dir).file
    stamp, _, body = entry.read_bytes().partition(b"\n")
    damaged = (b"", b"\xff\xfe not marshal", b'{"id": "x"}', marshal.dumps(None), body[: len(body) // 3])
    for body in damaged:
        entry.write_bytes(stamp + b"\n" + body)
        assert _PackCache(pack_dir).read() is None
    assert load_pack(pack_dir) == expected
    assert _PackCache(pack_dir).read() == expected


def test_a_stale_entry_is_not_read_even_when_its_body_is_sound(pack_dir: Path) -> None:
    load_pack(pack_dir)
    stamp, data = _entry(pack_dir)
    data["title"] = "Not what the files say"
    _store(pack_dir, b"0" * len(stamp), data)
    assert _PackCache(pack_dir).read() is None
    assert load_pack(pack_dir).title != "Not what the files say"


def test_a_load_from_the_cache_builds_no_validator(tmp_path: Path, pack_dir: Path) -> None:
    """The point of the cache: a command that finds the pack there never builds the pack's validators
    (pydantic builds them on first use; see ``defer_build`` on the content models)."""
    script = (
        "import sys\n"
        "from wizard.content import ContentPack, Item, Condition, Option, Section, load_pack\n"
        "load_pack(sys.argv[1])\n"
        "models = (ContentPack, Item, Condition, Option, Section)\n"
        "print(sorted(m.__name__ for m in models if m.__pydantic_complete__))\n"
    )
    env = {"TELEWIZARD_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-c", script, str(pack_dir)]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert first.stdout.strip() != "[]"  # the miss validated the files
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    assert second.stdout.strip() == "[]"


def test_loading_from_the_files_still_validates_every_item(pack_dir: Path) -> None:
    item_file = sorted((pack_dir / "items").glob("*.toml"))[1]
    item_file.write_text(item_file.read_text(encoding="utf-8").replace('title = "', 'title = 5 #"', 1))
    pack, problems = check_pack(pack_dir)
    assert pack is None
    shown = [str(problem) for problem in problems if problem.severity == "error"]
    assert any(line.endswith(f"{item_file.name}: title: input should be a valid string") for line in shown), shown


def test_instances_of_a_model_share_one_fields_set_and_a_copy_gets_its_own(pack_dir: Path) -> None:
    load_pack(pack_dir)
    cached = _PackCache(pack_dir).read()
    assert cached is not None
    first, second = cached.items[0], cached.items[1]
    assert first.model_fields_set is second.model_fields_set == set(Item.model_fields)
    changed = first.model_copy(update={"title": "Another title"})
    assert changed.model_fields_set is not first.model_fields_set
    assert first.title != "Another title" and second.model_fields_set == set(Item.model_fields)


def test_storing_an_entry_removes_the_json_entries_older_versions_left(pack_dir: Path) -> None:
    entry = _PackCache(pack_dir).file
    entry.parent.mkdir(parents=True, exist_ok=True)
    old = entry.with_suffix(".json")
    old.write_bytes(b"stamp\n{}")
    other = entry.with_name("another-pack.json")  # a pack that has moved or gone: never stored again
    other.write_bytes(b"stamp\n{}")
    kept = entry.with_name("another-pack.marshal")
    kept.write_bytes(b"stamp\n")
    load_pack(pack_dir)  # a miss: loaded from the files and stored
    assert entry.exists() and not old.exists()
    assert not other.exists()
    assert kept.exists()  # another pack's current entry is its own
