"""``telewizard sign-off`` and ``telewizard diff`` (and ``git diff`` through it), as a person runs them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_commands import assert_one_line_error, assert_usage_error, run
from wizard.content import ContentPack
from wizard.project import DesignLock, load_design

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"
SIGN = ("--by", "Dr. A. Rivera", "--role", "Medical Director", "--on", "2026-12-03")


@pytest.fixture
def design(tmp_path: Path) -> Path:
    """A copy of the bundled example, with a comment and an unknown key of the user's."""
    path = tmp_path / "riverbend.toml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("[project]", "# Kept by Dana.\n[project]\nboard = 'March'\n", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_sign_off_is_appended_with_its_version_and_keeps_the_users_text(design: Path, pack: ContentPack) -> None:
    result = run("sign-off", str(design), *SIGN, "--outcome", "approved-with-conditions", "--conditions",
                 "Add the 911 location check.", "--effective", "2027-01-01", "--next-review", "2027-12-01",
                 cwd=design.parent)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Recorded version 1\n"
    assert "owns" in result.stderr  # the Medical Director owns items of the example
    text = design.read_text(encoding="utf-8")
    assert "# Kept by Dana." in text and "board = 'March'" in text
    signed = load_design(design, pack).design.sign_offs
    assert [(s.version, s.by, s.role, s.outcome) for s in signed] == [
        (1, "Dr. A. Rivera", "Medical Director", "approved-with-conditions")
    ]
    assert signed[0].conditions == "Add the 911 location check."
    assert str(signed[0].effective) == "2027-01-01" and str(signed[0].next_review) == "2027-12-01"
    assert len(signed[0].decisions) == sum(1 for d in load_design(design, pack).design.decisions.values() if d.summary)
    second = run("sign-off", str(design), *SIGN, "--outcome", "rejected", cwd=design.parent)
    assert second.stdout == "Recorded version 2\n"
    assert "# Kept by Dana." in design.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("--role", "Medical Director", "--outcome", "approved"),  # no --by
        ("--by", "A", "--role", "B", "--outcome", "maybe"),
        ("--by", "A", "--role", "B", "--outcome", "approved", "--on", "2026-13-01"),
        ("--by", "A", "--role", "B", "--outcome", "approved-with-conditions"),  # no conditions
        ("--by", "A", "--role", "B", "--outcome", "approved", "--conditions", "Only if..."),
        ("--by", " ", "--role", "B", "--outcome", "approved"),
    ],
    ids=["no-by", "bad-outcome", "bad-date", "conditions-missing", "conditions-on-approved", "blank-by"],
)
def test_bad_input_is_a_usage_error_and_leaves_the_file_untouched(design: Path, args: tuple[str, ...]) -> None:
    before = design.read_bytes()
    assert_usage_error(run("sign-off", str(design), *args, cwd=design.parent))
    assert design.read_bytes() == before
    assert not list(design.parent.glob("*.bak"))


def test_a_design_that_does_not_load_is_one_line_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("schema_version = 2\n[project\n", encoding="utf-8")
    assert_one_line_error(run("sign-off", str(path), *SIGN, "--outcome", "approved", cwd=tmp_path), "broken.toml")
    assert path.read_text(encoding="utf-8") == "schema_version = 2\n[project\n"


def test_a_design_open_in_a_wizard_is_not_signed_behind_its_back(design: Path) -> None:
    before = design.read_bytes()
    with DesignLock(design).holding() as held:
        assert held
        result = run("sign-off", str(design), *SIGN, "--outcome", "approved", cwd=design.parent)
    assert_one_line_error(result, "has this design open")
    assert design.read_bytes() == before


# ---------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_diff_exit_codes_are_those_of_diff(design: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    shutil.copy(design, other)
    same = run("diff", str(design), str(other), cwd=tmp_path)
    assert (same.returncode, same.stdout) == (0, f"{design} -> {other}: no differences\n")
    _edit(other, 'owner = "Medical Director"', 'owner = "Nursing lead"')
    assert run("diff", str(design), str(other), cwd=tmp_path).returncode == 1
    missing = run("diff", str(design), str(tmp_path / "nope.toml"), cwd=tmp_path)
    assert missing.returncode == 2 and "nope.toml" in missing.stderr and "Traceback" not in missing.stderr
    assert run("diff", str(design), cwd=tmp_path).returncode == 2


def test_diff_shows_the_changed_decisions_and_nothing_else(design: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    shutil.copy(design, other)
    _edit(other, 'owner = "Medical Director"', 'owner = "Nursing lead"')
    _edit(other, "queue offers each patient only clinicians", "queue offers each patient clinicians")
    _edit(other, "updated = 2026-11-20T09:30:00Z", "updated = 2027-01-05T09:30:00Z")  # a time stamp alone is no change
    result = run("diff", str(design), str(other), cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].endswith("2 items changed"), result.stdout
    assert '  owner: "Medical Director" -> "Nursing lead"' in lines
    assert any("[-only -]" in line for line in lines)  # a word-level change, not two walls of text
    assert sum(1 for line in lines if line and not line.startswith(" ")) == 3  # the head and two items
    markdown = run("diff", str(design), str(other), "--format", "markdown", cwd=tmp_path)
    assert markdown.returncode == 1 and "~~only ~~" in markdown.stdout and markdown.stdout.startswith("# Changes")


def test_diff_shows_a_context_change(design: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    shutil.copy(design, other)
    _edit(other, 'care_model = "dtc-virtual-urgent-care"', 'care_model = "hybrid-primary-care"')
    result = run("diff", str(design), str(other), cwd=tmp_path)
    assert result.returncode == 1
    assert '  care model: "dtc-virtual-urgent-care" -> "hybrid-primary-care"' in result.stdout.splitlines()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_with_the_documented_configuration_shows_decisions(design: Path, tmp_path: Path) -> None:
    repo = tmp_path
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        import os
        import sys

        bin_dir = str(Path(sys.executable).parent)  # where `telewizard` is installed
        full = {**os.environ, **env, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
        return subprocess.run(["git", *args], cwd=repo, env=full, capture_output=True, text=True, timeout=60)

    git("init", "-q")
    git("config", "user.email", "lead@example.org")
    git("config", "user.name", "Lead")
    git("config", "diff.telewizard.command", "telewizard diff")  # the README's one line
    (repo / ".gitattributes").write_text("riverbend.toml diff=telewizard\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "design")
    _edit(design, 'owner = "Medical Director"', 'owner = "Nursing lead"')
    result = git("diff")
    assert result.returncode == 0, result.stderr
    assert "a/riverbend.toml -> b/riverbend.toml: 1 item changed" in result.stdout
    assert '  owner: "Medical Director" -> "Nursing lead"' in result.stdout
    assert "[decisions." not in result.stdout  # decisions, not TOML
