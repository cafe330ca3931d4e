"""The bundled example design and the example playbook committed beside it.

The welcome screen opens a copy of the example, so it must load cleanly, look like a real design in
progress (most items decided, a few drafting, open or not applicable, a review under way) and hold no
patient data. The committed playbook must be exactly what exporting the example gives today: when
the example, the content pack or wizard/playbook/ changes, run `make examples` and commit the result.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from wizard import paths
from wizard.attention import needs_attention
from wizard.checks import check_design, find_phi
from wizard.content import ContentPack, load_pack_by_ref
from wizard.project import CUSTOM_OPTION, Design, load_design

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"
PLAYBOOK = REPO / "exports" / "riverbend-virtual-urgent-care-playbook.md"
EXPORT_EPOCH = "1796083200"  # 2026-12-01, the same SOURCE_DATE_EPOCH as the Makefile's `examples` target
EXPORT_DAY = dt.date(2026, 12, 1)
REGENERATE = "run `make examples` and commit exports/riverbend-virtual-urgent-care-playbook.md"


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    """The bundled content pack (loaded here so this file stands on its own)."""
    return load_pack_by_ref()


@pytest.fixture(scope="module")
def example(pack: ContentPack) -> Design:
    return load_design(EXAMPLE, pack).design


def test_the_welcome_screen_opens_this_file() -> None:
    assert paths.bundled_example() == EXAMPLE.resolve()
    assert EXAMPLE.is_file()


def test_example_warns_only_about_what_its_brief_lists(example: Design, pack: ContentPack) -> None:
    """A design under review: no errors, and no warning but the concerns the playbook's brief lists
    (no patient data, no unknown key, no approach cautioned for its context)."""
    findings = check_design(example, pack, today=EXPORT_DAY)
    assert [f for f in findings if f.severity == "error"] == []
    concerns = {c.message for c in needs_attention(example, pack, EXPORT_DAY) if c.kind != "open"}
    others = [str(f) for f in findings if f.message not in concerns and "still open or drafting" not in f.message]
    assert others == []


def test_example_is_a_design_in_progress(example: Design, pack: ContentPack) -> None:
    statuses = Counter(example.status_of(item.id) for item in pack.items)
    assert 30 <= statuses["decided"] <= 35, statuses
    assert 3 <= statuses["drafting"] <= 5, statuses
    assert 1 <= statuses["not-applicable"] <= 3, statuses
    assert 1 <= statuses["open"] <= 3, statuses
    open_without_table = [item.id for item in pack.items if item.id not in example.decisions]
    assert open_without_table, "at least one item should have no table at all (open)"

    reviews = {slug: d.review for slug, d in example.decisions.items() if d.review is not None}
    approved = [slug for slug, review in reviews.items() if review.state == "approved"]
    changes = [slug for slug, review in reviews.items() if review.state == "changes-requested"]
    assert 8 <= len(approved) <= 12, approved
    assert 1 <= len(changes) <= 3, changes
    for slug in changes:
        assert example.decisions[slug].status == "drafting", slug
        assert reviews[slug].comment.strip(), slug
    for review in reviews.values():
        assert review.by.strip() and review.on is not None


def test_every_decision_is_complete_and_uses_real_option_ids(example: Design, pack: ContentPack) -> None:
    items = pack.items_by_id
    custom = 0
    for slug, decision in example.decisions.items():
        item = items[slug]
        if decision.option == CUSTOM_OPTION:
            custom += 1
        elif decision.option:
            assert item.option(decision.option) is not None, f"{slug}: unknown option {decision.option!r}"
        assert decision.summary.strip() and decision.rationale.strip(), slug
        if decision.status == "decided":
            assert decision.option, slug
            assert decision.owner.strip() and decision.due is not None, slug
            assert 1 <= len(decision.kpis) <= 3, slug
    assert custom >= 1, "the example should show a custom approach"


def test_example_holds_no_patient_data() -> None:
    for path in (EXAMPLE, PLAYBOOK):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert find_phi(line) is None, f"{path.name}:{number} looks like patient data: {line}"


def test_comments_survive_opening_and_saving_a_copy(tmp_path: Path, pack: ContentPack) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copyfile(EXAMPLE, copy)
    loaded = load_design(copy, pack)
    slug = loaded.design.project.resume_at
    decision = loaded.design.decisions[slug]
    loaded.design.decisions[slug] = decision.model_copy(update={"notes": "Edited in a copy."})
    loaded.save()
    before = [line for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    after = [line for line in copy.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]
    assert before and after == before


def test_committed_playbook_is_current(tmp_path: Path) -> None:
    out = tmp_path / "playbook.md"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EXPORT_EPOCH)
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "export", str(EXAMPLE), "-o", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert PLAYBOOK.is_file(), f"{PLAYBOOK.name} is missing: {REGENERATE}"
    fresh, committed = out.read_bytes(), PLAYBOOK.read_bytes()
    if fresh != committed:
        new_lines, old_lines = fresh.splitlines(), committed.splitlines()
        line = next(
            (n for n, (a, b) in enumerate(zip(new_lines, old_lines, strict=False), start=1) if a != b),
            min(len(new_lines), len(old_lines)) + 1,
        )
        pytest.fail(f"the example playbook is stale (first difference at line {line}): {REGENERATE}", pytrace=False)
