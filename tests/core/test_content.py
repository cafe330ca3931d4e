"""The content pack: the bundled pack's fixed identifiers, and bad packs caught with file and field.

Bad packs are copies of the bundled pack with one thing broken. The tests add their own options,
KPIs and notes before breaking them, so they do not depend on what the content authors wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from wizard.content import (
    DEFAULT_PACK_ID,
    PACK_ENV,
    ContentError,
    ContentPack,
    ContentProblem,
    bundled_content_dir,
    check_pack,
    find_pack_dir,
    load_pack,
    load_pack_by_ref,
)

SECTION_TITLES = [
    ("3.1", "Provider Operations Model"),
    ("3.2", "Visit Workflow Design"),
    ("3.3", "Scheduling and Access Management"),
    ("3.4", "Clinical Documentation"),
    ("3.5", "Care Coordination"),
]
ITEM_SLUGS = [
    # 3.1
    "provider-scheduling",
    "coverage-staffing",
    "credentialing-privileging",
    "training-competency",
    "performance-feedback",
    "compensation-productivity",
    "burnout-prevention",
    "professional-development",
    # 3.2
    "pre-visit-intake",
    "identity-verification",
    "documentation-requirements",
    "physical-examination",
    "diagnostic-testing",
    "treatment-prescribing",
    "coordination-referrals",
    "follow-up-monitoring",
    # 3.3
    "scheduling-systems",
    "same-day-urgent-access",
    "panel-capacity",
    "wait-time-monitoring",
    "reminders-confirmation",
    "no-show-reduction",
    "cancellation-rescheduling",
    "after-hours-coverage",
    # 3.4
    "note-templates",
    "time-vs-comprehensive",
    "recording-policies",
    "e-signature-authentication",
    "documentation-timeliness",
    "quality-review-audit",
    "billing-coding-accuracy",
    "legal-regulatory-compliance",
    # 3.5
    "referral-tracking",
    "specialist-consultation",
    "lab-imaging-orders",
    "medication-pharmacy",
    "care-team-communication",
    "transitions-of-care",
    "community-resources",
    "patient-navigation",
]
CARE_MODELS = {
    "dtc-virtual-urgent-care",
    "hybrid-primary-care",
    "hub-and-spoke-specialty",
    "tele-icu",
    "telebehavioral-health",
    "remote-patient-monitoring",
    "school-based",
    "correctional",
    "rural-fqhc",
    "other",
}
ROLES = {
    "physician",
    "nurse-practitioner",
    "physician-assistant",
    "registered-nurse",
    "medical-assistant",
    "psychologist",
    "licensed-clinical-social-worker",
    "pharmacist",
    "care-coordinator",
    "community-health-worker",
}
VISIT_TYPES = {
    "video",
    "audio-only",
    "asynchronous",
    "e-visit",
    "e-consult",
    "remote-monitoring",
    "group-visit",
}

BUNDLED = bundled_content_dir() / DEFAULT_PACK_ID


# ---------------------------------------------------------------------------
# The bundled pack
# ---------------------------------------------------------------------------


def test_bundled_pack_has_the_seed_sections_in_order(pack: ContentPack) -> None:
    assert [(s.number, s.title) for s in pack.sections] == SECTION_TITLES
    assert all(len(section.items) == 8 for section in pack.sections)


def test_bundled_pack_has_the_fixed_item_slugs_and_numbers(pack: ContentPack) -> None:
    assert [item.id for item in pack.items] == ITEM_SLUGS
    expected_numbers = [f"3.{s}.{i}" for s in range(1, 6) for i in range(1, 9)]
    assert [item.number for item in pack.items] == expected_numbers
    assert all(item.title.strip() and item.summary.strip() for item in pack.items)


def test_bundled_pack_vocabularies_and_principles(pack: ContentPack) -> None:
    assert pack.id == DEFAULT_PACK_ID
    assert pack.ref == f"{DEFAULT_PACK_ID}@1"
    assert {e.id for e in pack.care_models} == CARE_MODELS
    assert {e.id for e in pack.roles} == ROLES
    assert {e.id for e in pack.visit_types} == VISIT_TYPES
    assert len(pack.principles) == 5
    for entry in [*pack.care_models, *pack.roles, *pack.visit_types]:
        assert entry.label.strip() and entry.description.strip()


def test_bundled_pack_has_no_errors() -> None:
    pack, problems = check_pack(BUNDLED)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert pack is not None and len(pack.items) == 40


# ---------------------------------------------------------------------------
# Bad packs: a copy of the bundled pack with one thing broken
# ---------------------------------------------------------------------------

FIRST_ITEM = ITEM_SLUGS[0]
KEPT_PER_SECTION = 3
LAST_KEPT_ITEM = ITEM_SLUGS[32 + KEPT_PER_SECTION - 1]
VALID_OPTION = {
    "id": "test-approach",
    "label": "Test approach",
    "description": "An approach added by the test.",
    "tradeoffs": "What it costs and what it buys.",
    "recommended_for": {"care_models": ["tele-icu"], "visit_types": ["video"]},
}


def _read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text(tomlkit.dumps(data), encoding="utf-8")


def _edit_item(root: Path, change: Callable[[dict[str, Any]], None], slug: str = FIRST_ITEM) -> None:
    path = root / "items" / f"{slug}.toml"
    data = _read(path)
    change(data)
    _write(path, data)


def _edit_pack(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = _read(root / "pack.toml")
    change(data)
    _write(root / "pack.toml", data)


def _append(data: dict[str, Any], key: str, *values: Any) -> int:
    """Append values to a list field; returns the index of the first one appended."""
    entries = data.setdefault(key, [])
    start = len(entries)
    entries.extend(values)
    return start


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled pack, trimmed to its first items per section.

    Parsing all 40 item files costs a quarter of a second; the bad-pack cases load their copy twice
    each, so they use this smaller copy. The full bundled pack is checked above.
    """
    root = tmp_path / "copied-pack"
    shutil.copytree(BUNDLED, root)

    def trim(data: dict[str, Any]) -> None:
        for section in data["sections"]:
            section["items"] = section["items"][:KEPT_PER_SECTION]
        kept = {slug for section in data["sections"] for slug in section["items"]}
        for topic in data.get("safety_net", []):
            topic["items"] = [slug for slug in topic["items"] if slug in kept]
        data["safety_net"] = [topic for topic in data.get("safety_net", []) if topic["items"]]
        for rule in data["rules"]:  # a decision of an item no longer in the pack cannot set a rule aside
            if rule.get("set_aside_by", {}).get("item", "") not in kept:
                rule.pop("set_aside_by", None)

    _edit_pack(root, trim)
    return root


def test_copied_pack_rewritten_unchanged_is_valid(pack_copy: Path) -> None:
    """The control for every bad-pack case: rewriting files (and adding valid entries) is fine."""

    def add_valid_entries(item: dict[str, Any]) -> None:
        _append(item, "options", VALID_OPTION)
        _append(item, "kpis", {"name": "Measure", "definition": "A / B.", "target": "90%", "source": "A study"})
        _append(item, "compliance", {"rule": "licensure-where-the-patient-is", "text": "For this item."})

    _edit_item(pack_copy, add_valid_entries)
    _edit_pack(pack_copy, lambda data: None)
    pack, problems = check_pack(pack_copy)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert pack is not None
    assert load_pack(pack_copy).items_by_id[FIRST_ITEM].option("test-approach") is not None


def _break_missing_pack_toml(root: Path) -> tuple[str, str | None]:
    (root / "pack.toml").unlink()
    return "pack.toml", None


def _break_invalid_toml(root: Path) -> tuple[str, str | None]:
    path = root / "items" / f"{FIRST_ITEM}.toml"
    path.write_text('title = "Provider scheduling"\nsummary = \n', encoding="utf-8")
    return f"items/{FIRST_ITEM}.toml", "line 2"


def _break_unknown_field(root: Path) -> tuple[str, str | None]:
    def change(item: dict[str, Any]) -> None:
        item["sumary"] = "A typo of summary."

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", "sumary"


def _break_missing_required_field(root: Path) -> tuple[str, str | None]:
    _edit_item(root, lambda item: item.pop("title"))
    return f"items/{FIRST_ITEM}.toml", "title"


def _break_item_file_missing(root: Path) -> tuple[str, str | None]:
    (root / "items" / f"{ITEM_SLUGS[10]}.toml").unlink()
    return "pack.toml", "sections[1].items[2]"


def _break_option_without_tradeoffs(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        option = {k: v for k, v in VALID_OPTION.items() if k != "tradeoffs"}
        index = _append(item, "options", option)

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"options[{index}].tradeoffs"


def _break_unknown_vocabulary_id(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "options", {**VALID_OPTION, "caution_for": {"roles": ["astronaut"]}})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"options[{index}].caution_for.roles"


def _break_duplicate_option_id(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "options", VALID_OPTION, dict(VALID_OPTION))

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"options[{index + 1}].id"


def _break_custom_option_id(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "options", {**VALID_OPTION, "id": "custom"})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"options[{index}].id"


def _break_kpi_target_without_source(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "kpis", {"name": "Wait", "definition": "Median minutes.", "target": "15 minutes"})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"kpis[{index}].source"


def _break_kpi_for_an_unknown_option(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "kpis", {"name": "Wait", "definition": "Median minutes.", "options": ["teleport"]})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"kpis[{index}].options"


def _break_temporary_rule_without_date(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(data: dict[str, Any]) -> None:
        nonlocal index
        rule = {"id": "waiver", "title": "A waiver", "statement": "Allowed for now.", "citation": "A waiver"}
        index = _append(data, "rules", {**rule, "temporary": True})

    _edit_pack(root, change)
    return "pack.toml", f"rules[{index}].confirmed_through"


def _break_note_without_rule(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "compliance", {"text": "A rule stated only here."})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"compliance[{index}].rule"


def _break_unknown_rule(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "compliance", {"rule": "no-such-rule"})

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"compliance[{index}].rule"


def _break_unknown_principle(root: Path) -> tuple[str, str | None]:
    index = 0

    def change(item: dict[str, Any]) -> None:
        nonlocal index
        index = _append(item, "principles", "move-fast")

    _edit_item(root, change)
    return f"items/{FIRST_ITEM}.toml", f"principles[{index}]"


def _break_item_listed_twice(root: Path) -> tuple[str, str | None]:
    _edit_pack(root, lambda data: data["sections"][2]["items"].append(FIRST_ITEM))
    return "pack.toml", f"sections[2].items[{KEPT_PER_SECTION}]"


def _break_wrong_number(root: Path) -> tuple[str, str | None]:
    _edit_item(root, lambda item: item.update(number="3.1.7"))
    return f"items/{FIRST_ITEM}.toml", "number"


def _break_id_disagrees_with_file_name(root: Path) -> tuple[str, str | None]:
    _edit_item(root, lambda item: item.update(id="provider-rostering"))
    return f"items/{FIRST_ITEM}.toml", "id"


def _break_duplicate_vocabulary_id(root: Path) -> tuple[str, str | None]:
    _edit_pack(root, lambda data: data["roles"].append(dict(data["roles"][0])))
    return "pack.toml", f"roles[{len(ROLES)}].id"


BREAKS = [
    _break_missing_pack_toml,
    _break_invalid_toml,
    _break_unknown_field,
    _break_missing_required_field,
    _break_item_file_missing,
    _break_option_without_tradeoffs,
    _break_unknown_vocabulary_id,
    _break_duplicate_option_id,
    _break_custom_option_id,
    _break_kpi_target_without_source,
    _break_kpi_for_an_unknown_option,
    _break_temporary_rule_without_date,
    _break_note_without_rule,
    _break_unknown_rule,
    _break_unknown_principle,
    _break_item_listed_twice,
    _break_wrong_number,
    _break_id_disagrees_with_file_name,
    _break_duplicate_vocabulary_id,
]


def _located(problems: list[ContentProblem], file: str, field: str | None) -> list[ContentProblem]:
    return [
        p
        for p in problems
        if p.severity == "error"
        and Path(p.file).as_posix().endswith(file)
        and (field is None or p.field.startswith(field))
    ]


def test_suggested_kpis_fit_the_chosen_approach(pack_copy: Path) -> None:
    """A measure naming options fits those; one naming none fits every approach, and a custom approach
    (or none chosen) gets every measure."""

    def change(item: dict[str, Any]) -> None:
        item["kpis"][0]["options"] = [item["options"][0]["id"]]

    _edit_item(pack_copy, change)
    item = load_pack(pack_copy).items_by_id[FIRST_ITEM]
    first, second = item.options[0].id, item.options[1].id
    assert item.kpis_for(first) == item.kpis
    assert item.kpis_for(second) == item.kpis[1:]
    assert item.kpis_for("custom") == item.kpis_for("") == item.kpis


@pytest.mark.parametrize("breakage", BREAKS, ids=lambda f: f.__name__.removeprefix("_break_"))
def test_bad_pack_is_reported_with_file_and_field(
    pack_copy: Path, breakage: Callable[[Path], tuple[str, str | None]]
) -> None:
    file, field = breakage(pack_copy)
    pack, problems = check_pack(pack_copy)
    assert pack is None
    assert _located(problems, file, field), [str(p) for p in problems]
    with pytest.raises(ContentError) as raised:
        load_pack(pack_copy)
    assert _located(raised.value.problems, file, field)
    assert file in str(raised.value)


def test_missing_item_file_names_the_file_in_the_message(pack_copy: Path) -> None:
    _break_item_file_missing(pack_copy)
    _, problems = check_pack(pack_copy)
    assert any(f"items/{ITEM_SLUGS[10]}.toml" in p.message for p in problems)


def test_invalid_toml_gives_line_and_column(pack_copy: Path) -> None:
    _break_invalid_toml(pack_copy)
    _, problems = check_pack(pack_copy)
    (problem,) = [p for p in problems if p.severity == "error"]
    assert problem.field == "line 2, column 11"
    assert "invalid TOML" in problem.message


def test_past_confirmed_through_is_a_warning_not_an_error(pack_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["rules"].insert(
            0,
            {
                "id": "expired-waiver",
                "title": "An expired waiver",
                "statement": "A waiver that ran out.",
                "citation": "A waiver",
                "temporary": True,
                "confirmed_through": dt.date(2020, 6, 30),
                "status": "Extended once.",
                "reference": {"title": "A source", "url": "https://example.org/waiver"},
            },
        )

    _edit_pack(pack_copy, change)
    pack, problems = check_pack(pack_copy)
    assert pack is not None
    warnings = [p for p in problems if p.field == "rules[0].confirmed_through"]
    assert [p.severity for p in warnings] == ["warning"]
    assert "2020-06-30" in warnings[0].message
    assert not [p for p in problems if p.severity == "error"]
    assert load_pack(pack_copy).rule("expired-waiver") is not None


def test_not_a_folder(tmp_path: Path) -> None:
    pack, problems = check_pack(tmp_path / "nowhere")
    assert pack is None and problems
    with pytest.raises(ContentError):
        load_pack(tmp_path / "nowhere")


# ---------------------------------------------------------------------------
# `telewizard content check` as a subprocess
# ---------------------------------------------------------------------------


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_content_check_cli_on_a_bad_pack(pack_copy: Path, tmp_path: Path) -> None:
    """Every problem is printed, each naming its file and field: two broken items, two lines."""
    _break_option_without_tradeoffs(pack_copy)
    _edit_item(pack_copy, lambda item: _append(item, "principles", "move-fast"), slug=LAST_KEPT_ITEM)
    result = _run("content", "check", str(pack_copy), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert any(f"items/{FIRST_ITEM}.toml: options[" in line and "].tradeoffs" in line for line in errors), errors
    assert any(f"items/{LAST_KEPT_ITEM}.toml: principles[" in line for line in errors), errors
    assert "copied-pack" in result.stderr.splitlines()[-1] and "2 error(s)" in result.stderr


def test_content_check_cli_on_a_missing_folder(tmp_path: Path) -> None:
    result = _run("content", "check", "no-such-pack", cwd=tmp_path)
    assert result.returncode == 1
    assert "no-such-pack" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_check_cli_on_the_bundled_pack(tmp_path: Path) -> None:
    result = _run("content", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "40 items" in summary and "5 sections" in summary


def test_content_check_json_prints_the_validated_pack(tmp_path: Path) -> None:
    result = _run("content", "check", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("id", "version", "title", "care_models", "roles", "visit_types", "principles", "rules", "sections"):
        assert key in data
    assert {e["id"] for e in data["care_models"]} == CARE_MODELS
    assert set(data["roles"][0]) >= {"id", "label", "description"}
    items = [item for section in data["sections"] for item in section["items"]]
    assert [item["id"] for item in items] == ITEM_SLUGS
    item_keys = {"id", "number", "title", "summary", "why", "questions", "options", "kpis", "compliance"}
    item_keys |= {"context_notes", "references", "principles"}
    for item in items:
        assert set(item) >= item_keys, item["id"]
    sub_keys = {
        "options": {"id", "label", "description", "tradeoffs", "recommended_for", "caution_for"},
        "kpis": {"name", "definition", "target", "source"},
        "compliance": {"rule", "text", "when", "unless_options"},
        "context_notes": {"when", "text"},
        "references": {"title", "url"},
    }
    for field, keys in sub_keys.items():
        entries = [entry for item in items for entry in item[field]]
        for entry in entries:
            assert set(entry) >= keys, (field, entry)


def test_content_check_json_keys_of_every_sub_entry(pack_copy: Path, tmp_path: Path) -> None:
    """The bundled content may not yet have every kind of entry: give one item all of them."""

    def change(item: dict[str, Any]) -> None:
        item["options"] = [VALID_OPTION]
        item["kpis"] = [{"name": "Wait", "definition": "Median minutes.", "target": "15", "source": "A study"}]
        item["compliance"] = [{"rule": "licensure-where-the-patient-is", "text": "A rule."}]
        item["context_notes"] = [{"when": {"care_models": ["tele-icu"]}, "text": "For ICUs."}]
        item["references"] = [{"title": "A source", "url": "https://example.org/a"}]

    _edit_item(pack_copy, change)
    result = _run("content", "check", "--json", str(pack_copy), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)["sections"][0]["items"][0]
    assert item["number"] == "3.1.1"
    assert set(item["options"][0]) >= {"id", "label", "description", "tradeoffs", "recommended_for"}
    assert item["options"][0]["caution_for"] == {"care_models": [], "roles": [], "visit_types": []}
    assert item["kpis"][0] == {
        "name": "Wait",
        "definition": "Median minutes.",
        "target": "15",
        "source": "A study",
        "options": [],
    }
    assert set(item["compliance"][0]) >= {"rule", "text", "when", "unless_options"}
    assert item["context_notes"][0]["when"]["care_models"] == ["tele-icu"]
    assert item["references"] == [{"title": "A source", "url": "https://example.org/a"}]


# ---------------------------------------------------------------------------
# Another pack, found through TELEWIZARD_CONTENT_PATH
# ---------------------------------------------------------------------------


def _other_pack(tmp_path: Path) -> Path:
    """A second pack (another template) in its own folder: id field-guide, major version 2."""
    folder = tmp_path / "more-packs"
    root = folder / "field-guide"
    shutil.copytree(BUNDLED, root)

    def change(data: dict[str, Any]) -> None:
        data["id"] = "field-guide"
        data["version"] = "2.1.0"
        data["title"] = "Field guide"
        data["sections"][0]["title"] = "Field Operations"

    _edit_pack(root, change)
    return folder


DESIGN_NAMING_OTHER_PACK = """\
schema_version = 2

[project]
title = "Field clinic"
content = "field-guide@2"
created = 2026-11-26T09:14:00Z
updated = 2026-11-26T09:14:00Z

[context]
care_model = "rural-fqhc"
roles = ["physician"]
visit_types = ["video"]

[decisions.provider-scheduling]
status = "decided"
summary = "Dedicated blocks."
owner = "Medical Director"
"""


def test_pack_found_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _other_pack(tmp_path)
    assert find_pack_dir("field-guide@2") is None
    monkeypatch.setenv(PACK_ENV, str(folder))
    assert find_pack_dir("field-guide@2") == folder / "field-guide"
    other = load_pack_by_ref("field-guide@2")
    assert other.ref == "field-guide@2" and other.sections[0].title == "Field Operations"
    with pytest.raises(ContentError):
        load_pack_by_ref("field-guide@1")
    assert find_pack_dir("../more-packs/field-guide") is None


def test_design_naming_another_pack_is_served_by_the_commands(tmp_path: Path) -> None:
    folder = _other_pack(tmp_path)
    design = tmp_path / "field.toml"
    design.write_text(DESIGN_NAMING_OTHER_PACK, encoding="utf-8")
    found = _run("status", "field.toml", cwd=tmp_path, env={PACK_ENV: str(folder)})
    assert found.returncode == 0, found.stderr
    assert "3.1 Field Operations" in found.stdout and "1/8" in found.stdout
    missing = _run("status", "field.toml", cwd=tmp_path)
    assert missing.returncode == 1
    assert "field.toml" in missing.stderr and "project.content" in missing.stderr
    assert "Traceback" not in missing.stderr
