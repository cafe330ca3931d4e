"""`telewizard export`: where it writes, and `--strict` refusing without writing (issue 5, 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.playbook.helpers import example_design, write_design
from wizard.checks import Finding
from wizard.cli import main
from wizard.content import ContentPack
from wizard.project import Decision, Design


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


def test_strict_refuses_open_items_and_writes_nothing(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    design = example_design(bundled_pack)  # one open item, one in drafting
    design_file = write_design(tmp_path / "design.toml", design)
    out = tmp_path / "out" / "playbook.md"
    for args in (["-o", str(out)], [], ["--format", "html"]):
        assert main(["export", str(design_file), "--strict", *args]) == 1
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"telewizard: {design_file}: not exported (--strict): 2 items are still open, 1 of them in drafting\n"
        )
    assert not out.parent.exists() and not (tmp_path / "exports").exists()


def test_strict_counts_one_open_item(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    design = _finished(bundled_pack)
    design.decisions[bundled_pack.items[-1].id] = Decision(status="open", owner="CMO")
    design_file = write_design(tmp_path / "design.toml", design)
    assert main(["export", str(design_file), "--strict"]) == 1
    assert capsys.readouterr().err.endswith("not exported (--strict): 1 item is still open\n")
    assert not (tmp_path / "exports").exists()


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
        f"telewizard: {design_file}: not exported (--strict): 2 errors (3.1.1 Provider scheduling: "
        "something is wrong and 1 more; see `telewizard check`)\n"
    )
    assert not (tmp_path / "exports").exists()


def test_strict_exports_a_finished_design(
    tmp_path: Path, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    design_file = write_design(tmp_path / "design.toml", _finished(bundled_pack))
    assert main(["export", str(design_file), "--strict"]) == 0
    written = tmp_path / "exports" / "design-playbook.md"
    assert capsys.readouterr().out == f"{written}\n"
    assert "- **Status:** Changes requested." in written.read_text(encoding="utf-8")


def test_bad_design_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    design_file = tmp_path / "broken.toml"
    design_file.write_text("schema_version = 1\n[project\n", encoding="utf-8")
    assert main(["export", str(design_file)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(design_file) in err
    assert not (tmp_path / "exports").exists()
