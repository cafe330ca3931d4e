"""Safety-net topics no decision covers (SPEC "The content pack", "Safety net"): one concern of
wizard.attention, so the playbook's brief, `check` and `status` all name each uncovered topic and
the items the pack expects to cover it. These tests give a copy of the bundled pack two topics of
their own in place of its six, so what they expect does not move when the pack's topics do."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from wizard.attention import KINDS, TITLES, needs_attention
from wizard.checks import check_design
from wizard.content import ContentPack, bundled_content_dir, load_pack_by_ref
from wizard.playbook import render_playbook
from wizard.project import ClinicalContext, Decision, Design, Review, new_design

TODAY = dt.date(2026, 6, 1)  # every temporary rule of the pack is confirmed for more than 90 days after it
TOPICS = [
    {
        "id": "deterioration",
        "title": "A patient who deteriorates during a visit",
        "description": "Emergency services sent to where the patient is.",
        "items": ["same-day-urgent-access", "after-hours-coverage"],
    },
    {
        "id": "crisis",
        "title": "A behavioral-health crisis",
        "description": "988 and a warm hand-off.",
        "items": ["follow-up-monitoring"],
    },
]


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    bundled = load_pack_by_ref()
    return ContentPack.model_validate({**bundled.model_dump(), "safety_net": TOPICS})


def design_of(pack: ContentPack, covers: dict[str, tuple[str, list[str]]]) -> Design:
    """Every item decided (with an owner, not reviewed); ``covers`` gives some items a status and topics."""
    decisions = {
        item.id: Decision(status="decided", option="custom", summary="S.", owner="Nursing Lead") for item in pack.items
    }
    for slug, (status, topics) in covers.items():
        decisions[slug] = decisions[slug].model_copy(update={"status": status, "covers": topics})
    context = ClinicalContext(care_model="dtc-virtual-urgent-care", roles=["physician"], visit_types=["video"])
    return Design(context=context, decisions=decisions)


def test_a_topic_no_decided_item_covers_needs_the_reviewer(pack: ContentPack) -> None:
    design = design_of(pack, {"after-hours-coverage": ("drafting", ["deterioration"])})  # drafting: not yet
    concerns = [c for c in needs_attention(design, pack, TODAY) if c.kind == "safety-net"]
    assert [c.topic.id for c in concerns if c.topic] == ["deterioration", "crisis"]
    assert [item.number for item in concerns[0].expected] == ["3.3.2", "3.3.8"]
    assert "'A patient who deteriorates during a visit'" in concerns[0].message
    assert "expected from 3.3.2, 3.3.8" in concerns[0].message


def test_a_decided_item_listing_the_topic_covers_it(pack: ContentPack) -> None:
    design = design_of(
        pack,
        {
            "after-hours-coverage": ("decided", ["deterioration"]),
            "care-team-communication": ("decided", ["crisis"]),  # any decided item may cover a topic
        },
    )
    assert [c for c in needs_attention(design, pack, TODAY) if c.kind == "safety-net"] == []


def test_safety_net_comes_right_after_changes_requested(pack: ContentPack) -> None:
    assert KINDS[:3] == ("changes-requested", "safety-net", "open")
    design = design_of(pack, {"provider-scheduling": ("drafting", [])})
    design.decisions["coverage-staffing"].review = Review(state="changes-requested", by="Dr. Lee")
    kinds = [c.kind for c in needs_attention(design, pack, TODAY)]
    assert kinds[:4] == ["changes-requested", "safety-net", "safety-net", "open"]


def test_check_warns_about_each_uncovered_topic(pack: ContentPack) -> None:
    design = design_of(pack, {"after-hours-coverage": ("decided", ["deterioration"])})
    found = [f for f in check_design(design, pack, TODAY) if f.place.startswith("safety net")]
    assert [(f.severity, f.place) for f in found] == [("warning", "safety net: crisis")]
    assert "'A behavioral-health crisis' is covered by no decision; expected from 3.2.8" in found[0].message


def test_the_brief_names_each_topic_and_the_items_expected_to_cover_it(pack: ContentPack) -> None:
    design = design_of(pack, {"after-hours-coverage": ("decided", ["deterioration"])})
    markdown = render_playbook(design, pack, TODAY)
    brief = markdown.split("## Decision brief")[1].split("\n## ")[0]
    follow_up = pack.items_by_id["follow-up-monitoring"]
    assert (
        f"1. **{TITLES['safety-net']} (1):** A behavioral-health crisis (expected from "
        f"[{follow_up.number}](#328-follow-up-scheduling-and-monitoring))." in brief
    )
    block = markdown.split("### 3.3.8 ")[1].split("\n### ")[0]
    assert "**Safety net:** A patient who deteriorates during a visit.\\\n" in block


def write_pack_with_topics(root: Path) -> Path:
    """A copy of the bundled pack with the topics above in place of its own, in a folder
    TELEWIZARD_CONTENT_PATH can name."""
    folder = root / "packs" / "telemedicine-clinical-workflows"
    shutil.copytree(bundled_content_dir() / "telemedicine-clinical-workflows", folder)
    pack_file = folder / "pack.toml"
    document = tomlkit.parse(pack_file.read_text(encoding="utf-8"))
    topics = tomlkit.aot()
    for topic in TOPICS:
        topics.append(tomlkit.item(topic))
    document["safety_net"] = topics
    pack_file.write_text(tomlkit.dumps(document), encoding="utf-8")
    return root / "packs"


def test_status_and_check_name_the_uncovered_topics(tmp_path: Path, pack: ContentPack) -> None:
    packs = write_pack_with_topics(tmp_path)
    design = new_design(
        tmp_path / "d.toml",
        title="T",
        care_model="dtc-virtual-urgent-care",
        roles=["physician"],
        visit_types=["video"],
        content=pack.ref,
    )
    design.design.decisions["after-hours-coverage"] = Decision(
        status="decided", option="custom", summary="S.", owner="Nursing Lead", covers=["deterioration"]
    )
    design.save()
    env = {**os.environ, "TELEWIZARD_CONTENT_PATH": str(packs), "SOURCE_DATE_EPOCH": "1780272000"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "wizard", *args]
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)

    status = run("status", "d.toml")
    assert status.returncode == 0, status.stderr
    needs = status.stdout.split("Needs the reviewer")[1]
    assert f"  {TITLES['safety-net']} (1):" in needs
    assert "safety-net topic 'A behavioral-health crisis' is covered by no decision; expected from 3.2.8" in needs
    check = run("check", "d.toml")
    assert "warning: safety net: crisis: safety-net topic 'A behavioral-health crisis'" in check.stdout
    assert "deterioration" not in check.stdout
    assert run("check", "d.toml", "--strict").returncode == 1
    export = run("export", "d.toml", "--strict", "-o", "out.md")  # refuses what check --strict fails
    assert export.returncode == 1 and "not exported (--strict)" in export.stderr
    assert not (tmp_path / "out.md").exists()
