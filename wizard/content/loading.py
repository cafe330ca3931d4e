"""Reading a content pack from its folder: pack.toml and items/<slug>.toml, every problem collected."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wizard.content.cache import PackCache
from wizard.content.lint import cross_check, display
from wizard.content.models import SLUG_PATTERN, ContentPack, Item
from wizard.content.problems import TOML_ERROR_AT, ContentError, ContentProblem, pydantic_problems


def load_pack(directory: Path | str) -> ContentPack:
    """Load and validate a pack folder; raise ContentError listing every problem found.

    A pack that loaded without errors is cached (see ``PackCache``): parsing and checking its TOML
    files is most of the cost of starting the wizard or an export, and the files rarely change.
    """
    cache = PackCache(Path(directory))
    pack = cache.read()
    if pack is not None:
        return pack
    pack, problems = check_pack(directory)
    errors = [p for p in problems if p.severity == "error"]
    if pack is None or errors:
        raise ContentError(errors or problems)
    cache.write(pack)
    return pack


def _read_toml(path: Path, shown: str) -> tuple[dict[str, Any] | None, list[ContentProblem]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [ContentProblem(shown, "", "file is missing")]
    except OSError as exc:
        return None, [ContentProblem(shown, "", f"cannot be read ({exc.strerror})")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [ContentProblem(shown, "", "is not UTF-8 text")]
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        if match := re.match(TOML_ERROR_AT, message):
            place = f"line {match['line']}, column {match['col']}"
            return None, [ContentProblem(shown, place, f"invalid TOML: {match['msg'].lower()}")]
        return None, [ContentProblem(shown, "", f"invalid TOML: {message}")]


def check_pack(directory: Path | str) -> tuple[ContentPack | None, list[ContentProblem]]:
    """Load a pack and collect every problem (errors, then authoring warnings)."""
    root = Path(directory)
    pack_file = root / "pack.toml"
    shown = display(pack_file)
    if not root.is_dir():
        return None, [ContentProblem(display(root), "", "is not a content pack folder")]
    raw, problems = _read_toml(pack_file, shown)
    if raw is None:
        return None, problems

    sections_raw = raw.get("sections")
    built_sections: list[dict[str, Any]] = []
    if isinstance(sections_raw, list):
        listed: dict[str, str] = {}
        for s_index, section in enumerate(sections_raw):
            if not isinstance(section, dict):
                built_sections.append(section)  # pydantic names the field and the wrong type
                continue
            slugs = section.get("items")
            if not isinstance(slugs, list):
                problems.append(ContentProblem(shown, f"sections[{s_index}].items", "must be a list of item ids"))
                slugs = []
            items = []
            for position, slug in enumerate(slugs, start=1):
                place = f"sections[{s_index}].items[{position - 1}]"
                if isinstance(slug, str) and slug in listed:
                    problems.append(
                        ContentProblem(shown, place, f"item {slug!r} is listed twice (first at {listed[slug]})")
                    )
                    continue
                if isinstance(slug, str):
                    listed[slug] = place
                item = _load_item(root, section, s_index, position, slug, problems)
                if item is not None:
                    items.append(item)
            built_sections.append({**section, "items": items})
    pack_data = {**raw, "sections": built_sections if isinstance(sections_raw, list) else sections_raw}
    try:
        pack = ContentPack.model_validate(pack_data)
    except ValidationError as exc:
        problems.extend(p for p in pydantic_problems(shown, exc) if ".items[" not in p.field)
        return None, problems
    # Cross-file checks run on the items that did validate, so one run reports every problem.
    problems.extend(cross_check(pack, root))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return pack, problems


def _load_item(
    root: Path,
    section: dict[str, Any],
    s_index: int,
    position: int,
    slug: object,
    problems: list[ContentProblem],
) -> Item | None:
    pack_file = display(root / "pack.toml")
    if not isinstance(slug, str) or not re.match(SLUG_PATTERN, slug):
        problems.append(ContentProblem(pack_file, f"sections[{s_index}].items[{position - 1}]", "not a slug"))
        return None
    path = root / "items" / f"{slug}.toml"
    shown = display(path)
    if not path.exists() and not path.is_symlink():
        place = f"sections[{s_index}].items[{position - 1}]"
        problems.append(ContentProblem(pack_file, place, f"names item {slug!r}, but {shown} is missing"))
        return None
    raw, found = _read_toml(path, shown)
    problems.extend(found)
    if raw is None:
        return None
    expected = f"{section.get('number', '?')}.{position}"
    if raw.setdefault("number", expected) != expected:
        problems.append(ContentProblem(shown, "number", f"is {raw['number']!r} but its place makes it {expected!r}"))
    if raw.get("id", slug) != slug:
        problems.append(ContentProblem(shown, "id", f"is {raw.get('id')!r}; the file name says {slug!r}"))
        return None
    raw["id"] = slug
    try:
        return Item.model_validate(raw)
    except ValidationError as exc:
        problems.extend(pydantic_problems(shown, exc))
        return None
