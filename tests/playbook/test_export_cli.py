"""`telewizard export`: where it writes, and `--strict` refusing without writing (issue 5, 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.playbook.helpers import example_design, write_design
from wizard.checks import Finding
from wizard.cli import main
from wizard.content import ContentPack
from wizard.project import Design, Review


def _finished(pack: ContentPack) -> Design:
    """The example with every item decided or not applicable."""
    design = example_design(pack)
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "drafting"):
            design.decisions[item.id] = decision.model_copy(update={"status": "decided", "option": "custom"})
    return design


def test_default_path_is_exports_beside_the_design(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    design_file = write_design(tmp_path / "riverbend.toml", example_design(bundled_pack))
    assert main(["export", str(design_file)]) == 0
    written = tmp_path / "exports" / "riverbend-playbook.md"
    assert capsys.readouterr().out == f"{written}\n"
    assert written.read_text(encoding="utf-8").startswith("# Riverbend Health Virtual Urgent Care: ")
    assert main(["export", str(design_file), "--format", "html"]) == 0
    page = tmp_path / "exports" / "riverbend-playbook.html"
    assert capsys.readouterr().out == f"{page}\n"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


EARLY = "1780272000"  # 2026-06-01: every temporary rule of the pack is confirmed for more than 90 days


def _clean(pack: ContentPack) -> Design:
    """Every item decided, owned, due well ahead, approved by someone who does not own it, and every
    safety-net topic covered by a decision of an item the pack expects to cover it."""
    design = _finished(pack)
    for item in pack.items:
        design.decisions[item.id] = design.decision(item.id).model_copy(
            update={
                "status": "decided",
                "option": "custom",
                "summary": "Adopt the approach described in the rationale.",
                "owner": "Nursing Lead",
                "due": dt.date(2027, 6, 1),
                "review": Review(state="approved", by="Dr. Sam Lee, Medical Director", on=dt.date(2026, 5, 1)),
                "covers": [topic.id for topic in pack.safety_topics_of(item.id)],
            }
        )
    return design


def test_strict_refuses_open_items_and_writes_nothing(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    design = example_design(bundled_pack)  # one open item, one in drafting
    design_file = write_design(tmp_path / "design.toml", design)
    out = tmp_path / "out" / "playbook.md"
    open_numbers = f"{bundled_pack.items[2].number}, {bundled_pack.items[7].number}"
    for args in (["-o", str(out)], [], ["--format", "html"]):
        assert main(["export", str(design_file), "--strict", *args]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"telewizard: {design_file}: not exported (--strict): ")
        assert f"the first: design: 2 items are still open or drafting: {open_numbers}; see `telewizard check`" in (
            captured.err
        )
        assert captured.err.count("\n") == 1
    assert not out.parent.exists() and not (tmp_path / "exports").exists()


def test_strict_refuses_errors_and_names_them(
    tmp_path: Path,
    bundled_pack: ContentPack,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Errors found by the checks (none exist for a design that loads today) also refuse."""
    design_file = write_design(tmp_path / "design.toml", _finished(bundled_pack))
    found = [
        Finding("error", "3.1.1 Provider scheduling", "something is\nwrong"),
        Finding("warning", "project.title", "only a warning"),
        Finding("error", "3.1.2 Coverage", "also wrong"),
    ]
    monkeypatch.setattr("wizard.checks.check_design", lambda design, pack, today=None: found)
    assert main(["export", str(design_file), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"telewizard: {design_file}: not exported (--strict): `telewizard check --strict` finds 2 errors and "
        "1 warning, the first: 3.1.1 Provider scheduling: something is wrong; see `telewizard check`\n"
    )
    assert not (tmp_path / "exports").exists()


def test_strict_exports_a_clean_design(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EARLY)
    design_file = write_design(tmp_path / "design.toml", _clean(bundled_pack))
    assert main(["check", str(design_file), "--strict"]) == 0
    capsys.readouterr()
    assert main(["export", str(design_file), "--strict"]) == 0
    written = tmp_path / "exports" / "design-playbook.md"
    assert capsys.readouterr().out == f"{written}\n"
    assert "Nothing: every item is decided or not applicable" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    ["nothing", "one open item", "self-approval", "placeholder", "due soon", "changes requested", "no owner"],
)
def test_check_strict_and_export_strict_agree(
    change: str,
    tmp_path: Path,
    bundled_pack: ContentPack,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What `export --strict` refuses, `check --strict` fails, and the reverse (issue 14, item 7)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EARLY)
    design = _clean(bundled_pack)
    item = bundled_pack.items[3]
    decision = design.decisions[item.id]
    updates: dict[str, dict[str, object]] = {
        "nothing": {},
        "self-approval": {"owner": "Dr. Sam Lee"},
        "placeholder": {"summary": "Escalate to the on-call line (TBD)."},
        "due soon": {"due": dt.date(2026, 6, 20)},
        "changes requested": {"review": Review(state="changes-requested", by="Priya Shah", on=dt.date(2026, 5, 2))},
        "no owner": {"owner": ""},
    }
    if change == "one open item":
        del design.decisions[item.id]
    else:
        design.decisions[item.id] = decision.model_copy(update=updates[change])
    design_file = write_design(tmp_path / "design.toml", design)
    checked = main(["check", str(design_file), "--strict"])
    exported = main(["export", str(design_file), "--strict", "-o", str(tmp_path / "out.md")])
    capsys.readouterr()
    assert (checked, exported) == ((0, 0) if change == "nothing" else (1, 1))
    assert (tmp_path / "out.md").exists() == (change == "nothing")


def test_bad_design_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design_file = tmp_path / "broken.toml"
    design_file.write_text("schema_version = 2\n[project\n", encoding="utf-8")
    assert main(["export", str(design_file)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(design_file) in err
    assert not (tmp_path / "exports").exists()
