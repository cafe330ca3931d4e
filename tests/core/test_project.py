"""The project file's basic contract: SPEC.md's format loads and saves, errors name their place.

The bad-file corpus, crash and kill tests, property round trips, locks and migrations live in
tests/safety/; this file keeps to the everyday contract.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wizard.content import ContentPack
from wizard.project import (
    SCHEMA_VERSION,
    Decision,
    DesignError,
    NewerSchemaError,
    load_design,
    new_design,
)

# The example from SPEC.md ("The project file"), every field filled, plus an unknown key of the
# user's own and a few comments that must survive saving.
SPEC_FILE = '''\
# Telemedicine clinical workflow design
schema_version = 2

[project]
title = "Riverbend Health Virtual Urgent Care"
organization = "Riverbend Health"
lead = "Dana Ortiz, Director of Virtual Care Operations"
content = "telemedicine-clinical-workflows@1"   # content pack id @ major version
created = 2026-11-26T09:14:00Z
updated = 2026-11-26T11:02:31Z
resume_at = "same-day-urgent-access"            # item slug shown on reopen

[context]
care_model = "dtc-virtual-urgent-care"          # ids from the content pack's vocabularies
care_model_note = ""
roles = ["physician", "nurse-practitioner", "registered-nurse"]
visit_types = ["video", "audio-only", "asynchronous"]

[decisions.provider-scheduling]
status = "decided"          # open | drafting | decided | not-applicable
option = "on-demand-queue"  # an option id of this item, or "custom"
summary = "Per-diem clinicians log in to one shared on-demand queue in 4-hour blocks."
rationale = """
Markdown allowed here.
"""
owner = "Medical Director"
due = 2027-01-15
kpis = ["Median queue wait under 15 minutes", "On-time start at least 90%"]
notes = ""
updated = 2026-11-26T10:01:00Z
board_meeting = "March"     # a key of the lead's own

[decisions.provider-scheduling.review]
state = "approved"          # approved | changes-requested
by = "Dr. Sam Lee, Medical Director"
on = 2026-12-01
comment = ""

# Drafting: waiting for the nursing lead.
[decisions.same-day-urgent-access]
status = "drafting"
option = "custom"
summary = "Walk-in queue for existing patients."
'''


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    """SPEC.md's example design, written by hand."""
    path = tmp_path / "riverbend.toml"
    path.write_text(SPEC_FILE, encoding="utf-8")
    return path


def test_spec_example_loads_every_field(spec_file: Path, pack: ContentPack) -> None:
    design = load_design(spec_file, pack).design
    assert design.schema_version == SCHEMA_VERSION == 2
    project = design.project
    assert project.title == "Riverbend Health Virtual Urgent Care"
    assert project.organization == "Riverbend Health"
    assert project.lead == "Dana Ortiz, Director of Virtual Care Operations"
    assert project.content == "telemedicine-clinical-workflows@1"
    assert project.created == dt.datetime(2026, 11, 26, 9, 14, tzinfo=dt.UTC)
    assert project.updated == dt.datetime(2026, 11, 26, 11, 2, 31, tzinfo=dt.UTC)
    assert project.resume_at == "same-day-urgent-access"
    context = design.context
    assert context.care_model == "dtc-virtual-urgent-care"
    assert context.care_model_note == ""
    assert context.roles == ["physician", "nurse-practitioner", "registered-nurse"]
    assert context.visit_types == ["video", "audio-only", "asynchronous"]
    decision = design.decision("provider-scheduling")
    assert decision.status == "decided"
    assert decision.option == "on-demand-queue"
    assert decision.summary.startswith("Per-diem clinicians")
    assert decision.rationale == "Markdown allowed here.\n"
    assert decision.owner == "Medical Director"
    assert decision.due == dt.date(2027, 1, 15)
    assert decision.kpis == ["Median queue wait under 15 minutes", "On-time start at least 90%"]
    assert decision.notes == ""
    assert decision.updated == dt.datetime(2026, 11, 26, 10, 1, tzinfo=dt.UTC)
    assert decision.review is not None
    assert decision.review.state == "approved"
    assert decision.review.by == "Dr. Sam Lee, Medical Director"
    assert decision.review.on == dt.date(2026, 12, 1)
    assert decision.review.comment == ""
    assert design.status_of("same-day-urgent-access") == "drafting"
    assert design.decision("same-day-urgent-access").option == "custom"


def test_saving_unchanged_keeps_the_file_byte_for_byte(spec_file: Path, pack: ContentPack) -> None:
    loaded = load_design(spec_file, pack)
    loaded.save()
    assert spec_file.read_text(encoding="utf-8") == SPEC_FILE


def test_comments_unknown_keys_and_order_survive_a_change(spec_file: Path, pack: ContentPack) -> None:
    loaded = load_design(spec_file, pack)
    loaded.design.decisions["provider-scheduling"].owner = "Nursing Lead"
    loaded.design.decisions["no-show-reduction"] = Decision(status="drafting", summary="Text reminders.")
    loaded.save()
    text = spec_file.read_text(encoding="utf-8")
    changed = [line for line in text.splitlines() if line not in SPEC_FILE.splitlines()]
    assert 'owner = "Nursing Lead"' in changed
    assert "[decisions.no-show-reduction]" in changed
    assert "# Drafting: waiting for the nursing lead." in text
    assert "# content pack id @ major version" in text
    assert 'board_meeting = "March"     # a key of the lead\'s own' in text
    assert text.index("[project]") < text.index("[context]") < text.index("[decisions.provider-scheduling]")
    reloaded = load_design(spec_file, pack).design
    assert reloaded.decision("provider-scheduling").owner == "Nursing Lead"
    assert reloaded.decision("no-show-reduction").summary == "Text reminders."
    assert reloaded.decision("provider-scheduling").model_extra == {"board_meeting": "March"}


def test_round_trip_of_every_field(tmp_path: Path, pack: ContentPack) -> None:
    path = tmp_path / "new.toml"
    created = new_design(
        path,
        title="Round trip",
        care_model="other",
        care_model_note="Mobile clinic vans",
        roles=["physician", "pharmacist"],
        visit_types=["e-consult"],
        organization="Org",
        lead="Lead",
    )
    created.design.project.resume_at = "note-templates"
    created.design.decisions["note-templates"] = Decision.model_validate(
        {
            "status": "decided",
            "option": "custom",
            "summary": 'One "template" | per visit type',
            "rationale": "Line one\n\n# Not a heading\n",
            "owner": "CMIO",
            "due": dt.date(2027, 3, 1),
            "kpis": ["Notes signed within 24 h"],
            "notes": "Ünïcode ✓",
            "updated": dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC),
            "review": {
                "state": "changes-requested",
                "by": "Compliance",
                "on": dt.date(2026, 12, 2),
                "comment": "x",
            },
        }
    )
    created.save()
    reloaded = load_design(path, pack).design
    assert reloaded == created.design


def test_an_open_item_has_no_table(tmp_path: Path, pack: ContentPack) -> None:
    path = tmp_path / "open.toml"
    created = new_design(path, title="Open items", care_model="tele-icu", roles=["physician"], visit_types=["video"])
    created.design.decisions["provider-scheduling"] = Decision()  # touched, nothing entered
    created.save()
    text = path.read_text(encoding="utf-8")
    assert "\n[decisions" not in text
    design = load_design(path, pack).design
    assert all(design.status_of(item.id) == "open" for item in pack.items)


def test_a_decision_table_is_labelled_with_its_item_once(tmp_path: Path, pack: ContentPack) -> None:
    """The comment naming the item is written on the table's header line, once; then it is the user's."""
    path = tmp_path / "labelled.toml"
    created = new_design(path, title="Labels", care_model="tele-icu", roles=["physician"], visit_types=["video"])
    created.item_titles = {item.id: f"{item.number} {item.title}" for item in pack.items}
    first, second = pack.items[0], pack.items[8]
    created.design.decisions[first.id] = Decision(status="drafting", summary="One queue.")
    created.save()
    label = f"[decisions.{first.id}] # {first.number} {first.title}\n"
    assert label in path.read_text(encoding="utf-8")
    created.design.decisions[first.id].summary = "One queue, two shifts."
    created.design.decisions[second.id] = Decision(status="decided", summary="Portal intake.")
    created.save()
    text = path.read_text(encoding="utf-8")
    assert text.count(f"# {first.number} {first.title}") == 1
    assert f"[decisions.{second.id}] # {second.number} {second.title}\n" in text
    # The user rewrites one label and deletes the other: both stay as they left them.
    text = text.replace(f"# {first.number} {first.title}", "# scheduling: ask Dana").replace(
        f" # {second.number} {second.title}\n", "\n"
    )
    path.write_text(text, encoding="utf-8")
    reopened = load_design(path, pack)
    reopened.item_titles = created.item_titles
    reopened.design.decisions[first.id].owner = "Medical Director"
    reopened.design.decisions[second.id].owner = "Nursing lead"
    reopened.save()
    after = path.read_text(encoding="utf-8")
    assert "[decisions.provider-scheduling] # scheduling: ask Dana\n" in after
    assert f"[decisions.{second.id}]\n" in after
    assert first.title not in after and second.title not in after
    assert load_design(path, pack).design.decisions[second.id].owner == "Nursing lead"


def test_backup_is_written_on_the_second_save(tmp_path: Path) -> None:
    path = tmp_path / "design.toml"
    created = new_design(path, title="First")
    created.save()
    backup = path.with_name("design.toml.bak")
    assert not backup.exists()
    first = path.read_text(encoding="utf-8")
    created.design.project.title = "Second"
    created.save()
    assert backup.read_text(encoding="utf-8") == first
    assert 'title = "Second"' in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Errors: one sentence naming the file and the place
# ---------------------------------------------------------------------------


def _replaced(old: str, new: str) -> str:
    assert old in SPEC_FILE
    return SPEC_FILE.replace(old, new, 1)


def _load_error(tmp_path: Path, text: str, pack: ContentPack) -> DesignError:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DesignError) as raised:
        load_design(path, pack)
    assert path.read_text(encoding="utf-8") == text, "a file that failed to load is never written"
    assert str(raised.value).startswith(str(path))
    assert "\n" not in str(raised.value)
    return raised.value


def test_toml_syntax_error_reports_line_and_column(tmp_path: Path, pack: ContentPack) -> None:
    error = _load_error(tmp_path, _replaced('owner = "Medical Director"', 'owner = "Medical Director'), pack)
    assert error.place == "line 26, column 26"  # the end of the line where the string is left open
    assert "invalid TOML" in str(error)


KPI_LINE = 'kpis = ["Median queue wait under 15 minutes", "On-time start at least 90%"]'
ROLES_LINE = 'roles = ["physician", "nurse-practitioner", "registered-nurse"]'


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        ("due = 2027-01-15", 'due = "next spring"', "decisions.provider-scheduling.due"),
        ('status = "decided"', 'status = "done"', "decisions.provider-scheduling.status"),
        (KPI_LINE, "kpis = 3", "decisions.provider-scheduling.kpis"),
        ('state = "approved"', 'state = "fine"', "decisions.provider-scheduling.review.state"),
        ('title = "Riverbend Health Virtual Urgent Care"', "title = 7", "project.title"),
        (ROLES_LINE, 'roles = "physician"', "context.roles"),
    ],
)
def test_wrong_types_name_the_item_and_field(tmp_path: Path, pack: ContentPack, old: str, new: str, place: str) -> None:
    error = _load_error(tmp_path, _replaced(old, new), pack)
    assert error.place == place, str(error)


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        (
            "[decisions.provider-scheduling]\n",
            "[decisions.provider-rostering]\n",
            "decisions.provider-rostering",
        ),
        ('option = "on-demand-queue"', 'option = "first-come"', "decisions.provider-scheduling.option"),
        ('care_model = "dtc-virtual-urgent-care"', 'care_model = "space-clinic"', "context.care_model"),
        ('"nurse-practitioner"', '"nurse-wizard"', "context.roles[1]"),
        ('"audio-only"', '"hologram"', "context.visit_types[1]"),
    ],
)
def test_unknown_ids_are_errors(tmp_path: Path, pack: ContentPack, old: str, new: str, place: str) -> None:
    text = _replaced(old, new)
    if old.startswith("[decisions.provider-scheduling]"):
        text = text.replace("[decisions.provider-scheduling.review]", "[decisions.provider-rostering.review]")
    error = _load_error(tmp_path, text, pack)
    assert error.place == place, str(error)
    bad_id = new.split('"')[1] if '"' in new else "provider-rostering"
    assert repr(bad_id) in str(error), str(error)


def test_newer_schema_version_is_refused(tmp_path: Path, pack: ContentPack) -> None:
    error = _load_error(tmp_path, _replaced("schema_version = 2", "schema_version = 3"), pack)
    assert isinstance(error, NewerSchemaError)
    assert error.place == "schema_version"
    assert "newer" in str(error)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("due = 2027-01-15", "due = 2027-02-30"),
        ("on = 2026-12-01", "on = 2026-13-01"),
        ("created = 2026-11-26T09:14:00Z", "created = 2026-11-31T09:14:00Z"),
    ],
)
def test_impossible_dates_report_line_and_column(tmp_path: Path, pack: ContentPack, old: str, new: str) -> None:
    error = _load_error(tmp_path, _replaced(old, new), pack)
    line = SPEC_FILE[: SPEC_FILE.index(old)].count("\n") + 1
    assert error.place.startswith(f"line {line}, column"), str(error)


def test_impossible_date_in_a_string_names_the_field(tmp_path: Path, pack: ContentPack) -> None:
    error = _load_error(tmp_path, _replaced("due = 2027-01-15", 'due = "2027-02-30"'), pack)
    assert error.place == "decisions.provider-scheduling.due", str(error)


@pytest.mark.parametrize(
    "new",
    [
        # TOML 1.1, which tomli reads from 2.4 on: the files are TOML 1.0, as tomlkit writes them back.
        'summary = {text = "Walk-in",\n  more = "queue"}',
        'summary = "Walk-in \\e queue"',
        'summary = {text = "Walk-in",}',
    ],
)
def test_only_toml_1_0_is_read(tmp_path: Path, pack: ContentPack, new: str) -> None:
    error = _load_error(tmp_path, _replaced('summary = "Walk-in queue for existing patients."', new), pack)
    assert "invalid TOML" in str(error)
    assert error.place.startswith("line "), str(error)


def test_the_fast_parser_reads_what_tomllib_reads(tmp_path: Path) -> None:
    import tomllib

    from wizard.project import parse_toml

    text = SPEC_FILE + 'notes = """Multi-line \\u00e9 "quoted" \\\\ text\n  kept"""\nlit = \'C:\\path\'\n'
    assert parse_toml(text, tmp_path / "d.toml") == tomllib.loads(text)


def test_a_syntax_error_has_tomllibs_words_and_place(tmp_path: Path) -> None:
    import tomllib

    from wizard.project import parse_toml

    text = _replaced('owner = "Medical Director"', "owner = Medical Director")
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    words, _, place = str(expected.value).rpartition(" (at ")
    with pytest.raises(DesignError) as raised:
        parse_toml(text, tmp_path / "d.toml")
    assert raised.value.place == place.rstrip(")")
    assert words.lower() in str(raised.value).lower()
