"""Every headless command as a user runs it: a subprocess, its output and its exit code.

Exit codes: 0 ok, 1 invalid data or findings, 2 usage error. Errors are one line on stderr naming
the file, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wizard import __version__
from wizard.cli import main
from wizard.content import ContentPack
from wizard.project import Decision, Review, load_design, new_design

COMMANDS = ("new", "status", "check", "export", "content check", "capacity queue|panel|overbook", "serve")
SECTION_LINES = [
    "3.1 Provider Operations Model",
    "3.2 Visit Workflow Design",
    "3.3 Scheduling and Access Management",
    "3.4 Clinical Documentation",
    "3.5 Care Coordination",
]


EARLY = {"SOURCE_DATE_EPOCH": "1780272000"}
"""2026-06-01: every temporary rule of the pack is confirmed for more than 90 days after it."""


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m wizard ARGS`` in cwd (with env added to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 1, nothing on stdout, one line on stderr that mentions every needle."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def assert_usage_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "usage:" in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.stderr


def write_design(path: Path, pack: ContentPack, decided: dict[str, Decision] | None = None) -> Path:
    """A design with a full clinical context and the given decisions, saved through the core."""
    created = new_design(
        path,
        title="Riverbend Virtual Urgent Care",
        care_model="dtc-virtual-urgent-care",
        roles=["physician", "registered-nurse"],
        visit_types=["video", "audio-only"],
        organization="Riverbend Health",
        lead="Dana Ortiz",
        content=pack.ref,
    )
    created.design.decisions.update(decided or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    created.save()
    return path


def complete(item_id: str, pack: ContentPack) -> Decision:
    """A decision with everything check asks for."""
    option = pack.items_by_id[item_id].options[0].id if pack.items_by_id[item_id].options else "custom"
    return Decision(status="decided", option=option, summary="Agreed approach.", owner="Medical Director")


# ---------------------------------------------------------------------------
# --version, --help, usage errors
# ---------------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"telewizard {__version__}"


def test_help_mentions_every_command(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, command
    assert "--version" in result.stdout


@pytest.mark.parametrize("command", ["new", "status", "check", "export", "content", "capacity", "serve"])
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: telewizard {command}")


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert_usage_error(run("export", "d.toml", "--format", "pdf", cwd=tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        ["--no-such-flag"],
        ["status"],
        ["check"],
        ["check", "d.toml", "--lenient"],
        ["content"],
        ["content", "validate"],
        ["new", "d.toml", "--care-model", "tele-icu", "--roles", "physician", "--visit-types", "video"],
        ["new", "d.toml", "--title", "T", "--roles", "physician", "--visit-types", "video"],
        ["new", "d.toml", "--title", "T", "--care-model", "tele-icu", "--visit-types", "video"],
        ["new", "d.toml", "--title", "T", "--care-model", "tele-icu", "--roles", "physician"],
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_exit_2_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    """The same parser as the subprocess above, run in-process to keep the suite fast."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert "usage: telewizard" in capsys.readouterr().err
    assert not (tmp_path / "d.toml").exists()


@pytest.mark.parametrize("command", ["status", "check", "export", "content"])
def test_a_stray_argument_is_reported_with_every_command_in_the_usage(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the named command's parser is built; the top-level usage still lists them all."""
    monkeypatch.chdir(tmp_path)
    args = [command, "check", "extra", "stray"] if command == "content" else [command, "d.toml", "stray"]
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    usage = " ".join(err.split("telewizard: error:")[0].split())
    assert usage == "usage: telewizard [-h] {new,status,check,export,sign-off,diff,content,capacity,serve} ..."
    assert err.splitlines()[-1] == "telewizard: error: unrecognized arguments: stray"


# ---------------------------------------------------------------------------
# new
# ---------------------------------------------------------------------------

NEW_ARGS = [
    "--title",
    "Riverbend Virtual Urgent Care",
    "--care-model",
    "dtc-virtual-urgent-care",
    "--roles",
    "physician,nurse-practitioner",
    "--visit-types",
    "video,audio-only",
]


def test_new_creates_a_design(tmp_path: Path, pack: ContentPack) -> None:
    result = run(
        "new",
        "plans/riverbend.toml",
        *NEW_ARGS,
        "--organization",
        "Riverbend",
        "--lead",
        "Dana",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "plans" / "riverbend.toml"
    assert "plans/riverbend.toml" in result.stdout
    design = load_design(path, pack).design
    assert design.project.title == "Riverbend Virtual Urgent Care"
    assert design.project.organization == "Riverbend" and design.project.lead == "Dana"
    assert design.project.content == pack.ref
    assert design.project.created is not None
    assert design.context.care_model == "dtc-virtual-urgent-care"
    assert design.context.roles == ["physician", "nurse-practitioner"]
    assert design.context.visit_types == ["video", "audio-only"]
    assert design.decisions == {}


def test_new_keeps_every_id_of_a_repeated_option(tmp_path: Path, pack: ContentPack) -> None:
    """Repeating --roles (or its abbreviation --role) adds ids; it does not keep only the last one."""
    result = run(
        "new",
        "d.toml",
        "--title",
        "Repeated",
        "--care-model",
        "dtc-virtual-urgent-care",
        "--role",
        "physician",
        "--roles",
        "registered-nurse,nurse-practitioner",
        "--visit-types",
        "video",
        "--visit-type",
        "audio-only",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    design = load_design(tmp_path / "d.toml", pack).design
    assert design.context.roles == ["physician", "registered-nurse", "nurse-practitioner"]
    assert design.context.visit_types == ["video", "audio-only"]


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# my own notes\n", encoding="utf-8")
    result = run("new", "mine.toml", *NEW_ARGS, cwd=tmp_path)
    assert_one_line_error(result, "mine.toml", "exists")
    assert path.read_text(encoding="utf-8") == "# my own notes\n"


@pytest.mark.parametrize(
    ("flag", "value", "known"),
    [
        ("--care-model", "space-clinic", ["tele-icu", "rural-fqhc", "other"]),
        ("--roles", "physician,wizard", ["physician", "pharmacist", "community-health-worker"]),
        ("--visit-types", "video,hologram", ["video", "e-consult", "group-visit"]),
    ],
)
def test_new_with_unknown_ids_names_the_flag_and_lists_known_ids(
    tmp_path: Path, flag: str, value: str, known: list[str]
) -> None:
    args = list(NEW_ARGS)
    args[args.index(flag) + 1] = value
    result = run("new", "d.toml", *args, cwd=tmp_path)
    assert_one_line_error(result, flag, repr(value.split(",")[-1]), *known)
    assert not (tmp_path / "d.toml").exists()


def test_new_with_an_empty_title_is_refused(tmp_path: Path) -> None:
    args = list(NEW_ARGS)
    args[1] = "  "
    assert_one_line_error(run("new", "d.toml", *args, cwd=tmp_path), "--title")
    assert not (tmp_path / "d.toml").exists()


# ---------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------


def test_status_of_a_new_design(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "d.toml", pack)
    result = run("status", "d.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for section in SECTION_LINES:
        (line,) = [line for line in lines if section in line]
        assert line.split()[-2] == "0/8", line
    assert "Riverbend Virtual Urgent Care" in result.stdout
    assert "Open items (40)" in result.stdout
    for item in pack.items:
        assert f"{item.number} {item.title}" in result.stdout


def test_status_counts_decisions_and_lists_only_open_items(tmp_path: Path, pack: ContentPack) -> None:
    first, second, third = pack.sections[2].items[:3]
    decided = {
        first.id: complete(first.id, pack),
        second.id: Decision(status="not-applicable", summary="No urgent slots."),
        third.id: Decision(status="drafting", owner="Nursing Lead"),
    }
    write_design(tmp_path / "d.toml", pack, decided)
    result = run("status", "d.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if SECTION_LINES[2] in line]
    assert "2/8" in line
    open_part = result.stdout.split("Open items (38)")[1]
    assert first.title not in open_part and second.title not in open_part
    assert f"{third.number} {third.title}" in open_part and "Nursing Lead" in open_part


def test_status_counts_open_items_once(tmp_path: Path, pack: ContentPack) -> None:
    """The progress line and the list of open items count the same items (drafting ones included)."""
    first, second = pack.sections[0].items[:2]
    write_design(
        tmp_path / "d.toml", pack, {first.id: complete(first.id, pack), second.id: Decision(status="drafting")}
    )
    result = run("status", "d.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    total = len(pack.items)
    assert f"Progress: 1/{total} done (1 decided, 0 not applicable); {total - 1} open (1 drafting, " in result.stdout
    assert f"Open items ({total - 1}):" in result.stdout


def test_status_lists_what_needs_the_reviewer(tmp_path: Path, pack: ContentPack) -> None:
    """The same concerns as the playbook's brief and `check`: here a self-approval and a placeholder."""
    first, second = pack.items[:2]
    approved = complete(first.id, pack).model_copy(
        update={"review": Review(state="approved", by="Dr. Ana Ruiz, Medical Director", on=dt.date(2026, 5, 1))}
    )
    placeholder = complete(second.id, pack).model_copy(update={"summary": "Call the line at 555-0123."})
    write_design(tmp_path / "d.toml", pack, {first.id: approved, second.id: placeholder})
    result = run("status", "d.toml", cwd=tmp_path, env=EARLY)
    assert result.returncode == 0, result.stderr
    needs = result.stdout.split("Needs the reviewer")[1].split("Open items")[0]
    assert (
        "Approved by their own owner (1):" in needs
        and f"{first.number} {first.title}: reviewer Dr. Ana Ruiz, Medical Director; owner Medical Director" in needs
    )
    assert (
        "Placeholders left in decisions (1):" in needs
        and f"{second.number} {second.title}: '555-0123' in summary" in needs
    )


def test_status_shows_review_states(tmp_path: Path, pack: ContentPack) -> None:
    first, second, third = pack.items[:3]
    reviewed = {
        first.id: complete(first.id, pack).model_copy(
            update={"review": Review(state="approved", by="Dr. Sam Lee", on=dt.date(2026, 5, 1))}
        ),
        second.id: complete(second.id, pack).model_copy(
            update={"review": Review(state="changes-requested", by="Dr. Sam Lee", on=dt.date(2026, 5, 2))}
        ),
        third.id: complete(third.id, pack),
    }
    write_design(tmp_path / "d.toml", pack, reviewed)
    result = run("status", "d.toml", cwd=tmp_path, env=EARLY)
    assert result.returncode == 0, result.stderr
    assert "Reviews: 1 approved, 1 changes requested, 1 decided or not applicable without a review" in result.stdout


def test_status_of_a_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("status", "nowhere.toml", cwd=tmp_path), "nowhere.toml")


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------


def test_check_clean_design_exits_0(tmp_path: Path, pack: ContentPack) -> None:
    decided = {item.id: complete(item.id, pack).model_copy(update={"option": "custom"}) for item in pack.items}
    for topic in pack.safety_net:  # each topic covered by the first item the pack expects to cover it
        decided[topic.items[0]].covers.append(topic.id)
    write_design(tmp_path / "d.toml", pack, decided)
    for args in (["check", "d.toml"], ["check", "d.toml", "--strict"]):
        result = run(*args, cwd=tmp_path, env=EARLY)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 error(s), 0 warning(s)" in result.stdout


def test_check_an_error_file_exits_1(tmp_path: Path, pack: ContentPack) -> None:
    path = write_design(tmp_path / "d.toml", pack)
    path.write_text(path.read_text(encoding="utf-8") + '\n[decisions.provider-scheduling]\nstatus = "done\n')
    result = run("check", "d.toml", cwd=tmp_path)
    assert_one_line_error(result, "d.toml", "line ", "column ")


def test_check_wrong_type_names_item_and_field(tmp_path: Path, pack: ContentPack) -> None:
    path = write_design(tmp_path / "d.toml", pack)
    path.write_text(path.read_text(encoding="utf-8") + '\n[decisions.provider-scheduling]\ndue = "soon"\n')
    assert_one_line_error(run("check", "d.toml", cwd=tmp_path), "d.toml", "decisions.provider-scheduling.due")


def test_check_lists_every_problem_of_a_file_that_does_not_load(tmp_path: Path, pack: ContentPack) -> None:
    """Each wrong value on its own line, not the first and "(and 2 more problems)"; the other commands
    say the first and the count."""
    path = write_design(tmp_path / "d.toml", pack)
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[decisions.provider-scheduling]\ndue = "soon"\nstatus = "done"\n'
        + "\n[decisions.coverage-staffing]\nkpis = 3\n",
        encoding="utf-8",
    )
    result = run("check", "d.toml", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    places = [f"decisions.provider-scheduling.{field}" for field in ("status", "due")]
    places.append("decisions.coverage-staffing.kpis")
    assert len(lines) == 3, result.stderr
    for place in places:
        assert sum(line.startswith(f"telewizard: d.toml: {place}: ") for line in lines) == 1, (place, lines)
    assert "more problem" not in result.stderr
    export = run("export", "d.toml", cwd=tmp_path)
    assert_one_line_error(export, "(and 2 more problems; telewizard check lists them all)")


def test_check_lists_every_unknown_id(tmp_path: Path, pack: ContentPack) -> None:
    path = write_design(tmp_path / "d.toml", pack)
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[decisions.provider-scheduling]\noption = "first-come"\n'
        + '\n[decisions.provider-rostering]\nstatus = "open"\n',
        encoding="utf-8",
    )
    lines = run("check", "d.toml", cwd=tmp_path).stderr.splitlines()
    assert len(lines) == 2, lines
    assert "decisions.provider-scheduling.option: unknown option 'first-come'" in lines[0]
    assert "decisions.provider-rostering: unknown item 'provider-rostering'" in lines[1]


def test_check_warnings_exit_0_unless_strict(tmp_path: Path, pack: ContentPack) -> None:
    item = pack.items[0]
    decision = complete(item.id, pack).model_copy(update={"owner": "", "summary": ""})
    write_design(tmp_path / "d.toml", pack, {item.id: decision})
    result = run("check", "d.toml", cwd=tmp_path, env=EARLY)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if "warning:" in line]
    assert any("without an owner" in line and item.title in line for line in warnings), result.stdout
    assert any("without a summary" in line and item.title in line for line in warnings), result.stdout
    assert any(f"{len(pack.items) - 1} items are still open or drafting" in line for line in warnings)
    uncovered = [line for line in warnings if ": safety net: " in line]  # no decision covers a topic
    assert len(uncovered) == len(pack.safety_net)
    assert f"0 error(s), {3 + len(uncovered)} warning(s)" in result.stdout
    strict = run("check", "d.toml", "--strict", cwd=tmp_path, env=EARLY)
    assert strict.returncode == 1
    assert f"{3 + len(uncovered)} warning(s)" in strict.stdout


# ---------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------


def test_export_default_path_beside_the_design(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "plans" / "riverbend.toml", pack)
    result = run("export", "plans/riverbend.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "plans" / "exports" / "riverbend-playbook.md"
    assert result.stdout.strip() == str(Path("plans") / "exports" / "riverbend-playbook.md")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("# Riverbend Virtual Urgent Care")
    assert not (tmp_path / "exports").exists()


def test_export_to_a_chosen_file(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "d.toml", pack)
    result = run("export", "d.toml", "-o", "review/playbook.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path("review") / "playbook.md")
    assert (tmp_path / "review" / "playbook.md").read_text(encoding="utf-8").startswith("# ")


def test_export_html(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "d.toml", pack)
    result = run("export", "d.toml", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "exports" / "d-playbook.html"
    assert result.stdout.strip() == str(Path("exports") / "d-playbook.html")
    html = out.read_text(encoding="utf-8")
    assert "<html" in html and "<h1>" in html
    chosen = run("export", "d.toml", "--format", "html", "-o", "p.html", cwd=tmp_path)
    assert chosen.returncode == 0 and (tmp_path / "p.html").read_text(encoding="utf-8") == html


def test_export_of_a_bad_file_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "d.toml").write_text("schema_version = 2\n[project\n", encoding="utf-8")
    assert_one_line_error(run("export", "d.toml", cwd=tmp_path), "d.toml", "line 2")
    assert not (tmp_path / "exports").exists()


# ---------------------------------------------------------------------------
# Headless commands never import Textual
# ---------------------------------------------------------------------------

NO_TEXTUAL = textwrap.dedent(
    """
    import contextlib, io, sys
    from wizard.cli import main

    runs = [
        ["new", "n.toml", "--title", "T", "--care-model", "tele-icu", "--roles", "physician",
         "--visit-types", "video"],
        ["status", "n.toml"],
        ["check", "n.toml"],
        ["export", "n.toml"],
        ["export", "n.toml", "--format", "html"],
        ["content", "check"],
        ["content", "check", "--json"],
    ]
    for args in runs:
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
        assert code == 0, (args, code)
    loaded = sorted(name for name in sys.modules if name == "textual" or name.startswith("textual."))
    assert "pydantic" in sys.modules and "wizard.playbook" in sys.modules
    print("textual modules:", loaded)
    """
)


def test_headless_commands_never_import_textual(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", NO_TEXTUAL], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "textual modules: []"


def test_status_never_imports_textual_per_importtime(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "d.toml", pack)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "wizard", "status", "d.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "wizard.project" in imported  # the import log is really there
    assert [name for name in imported if name.split(".")[0] == "textual"] == []


@pytest.mark.parametrize(("preset", "expected"), [(None, "__all__"), ("some-plugin", "some-plugin")])
def test_pydantic_plugins_are_off_unless_the_user_says_otherwise(
    tmp_path: Path, pack: ContentPack, preset: str | None, expected: str
) -> None:
    """The command line turns pydantic's plugins off (a plugin could change how files are validated);
    a value the user set is kept. Importing the package changes nothing."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if preset is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = preset
    code = (
        "import os, sys, wizard.project, wizard.cli\n"
        "print(os.environ.get('PYDANTIC_DISABLE_PLUGINS'))\n"
        "wizard.cli.main = lambda: print(os.environ['PYDANTIC_DISABLE_PLUGINS']) or 0\n"
        "wizard.cli.console()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(preset), expected]


def test_status_and_check_with_a_bad_source_date_epoch_say_one_line(tmp_path: Path, pack: ContentPack) -> None:
    write_design(tmp_path / "d.toml", pack)
    for command in ("status", "check"):
        result = run(command, "d.toml", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "soon"})
        assert result.stdout == ""
        assert_one_line_error(result, "SOURCE_DATE_EPOCH")
