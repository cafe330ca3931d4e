"""The same design exports the same bytes, in any order, in any process (issue 5, item 4)."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.playbook.helpers import TODAY, example_design, write_design
from wizard.cli import main
from wizard.content import ContentPack
from wizard.playbook import export_date, render
from wizard.project import Design, load_design

REPO = Path(__file__).resolve().parents[2]
EPOCH = "1796083200"  # 2026-12-01T00:00:00Z


def test_same_design_same_bytes(example: Design, bundled_pack: ContentPack) -> None:
    for fmt in ("markdown", "html"):
        first = render(example, bundled_pack, fmt, TODAY)
        second = render(example.model_copy(deep=True), bundled_pack, fmt, TODAY)
        assert first.encode() == second.encode()


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_decision_order_never_matters(seed: int, bundled_pack: ContentPack) -> None:
    example = example_design(bundled_pack)
    slugs = list(example.decisions)
    random.Random(seed).shuffle(slugs)
    shuffled = example.model_copy(update={"decisions": {slug: example.decisions[slug] for slug in slugs}})
    assert render(shuffled, bundled_pack, "markdown", TODAY) == render(example, bundled_pack, "markdown", TODAY)


def test_shuffled_tables_in_the_file_export_the_same(
    tmp_path: Path, example: Design, bundled_pack: ContentPack, capsys: pytest.CaptureFixture[str]
) -> None:
    in_order = write_design(tmp_path / "a.toml", example)
    slugs = list(example.decisions)
    random.Random(5).shuffle(slugs)
    shuffled = write_design(tmp_path / "b.toml", example, order=slugs)
    assert in_order.read_text() != shuffled.read_text()
    outputs = []
    for design_file in (in_order, shuffled):
        for fmt in ("markdown", "html"):
            out = tmp_path / f"{design_file.stem}.{fmt}"
            assert main(["export", str(design_file), "-o", str(out), "--format", fmt]) == 0
            outputs.append(out.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    capsys.readouterr()


def _export_in_new_process(design_file: Path, out: Path, fmt: str, hash_seed: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": hash_seed}
    command = [sys.executable, "-m", "wizard", "export", str(design_file), "-o", str(out), "--format", fmt]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_byte_identical_across_processes(tmp_path: Path, example: Design, bundled_pack: ContentPack) -> None:
    """`python -m wizard export` in new processes, with other hash seeds than this one (so set and
    dict-of-str orders differ), writes the very bytes rendered here."""
    design_file = write_design(tmp_path / "design.toml", example)
    runs = {
        fmt: _export_in_new_process(design_file, tmp_path / f"playbook.{fmt}", fmt, seed)
        for fmt, seed in (("markdown", "1"), ("html", "2"))
    }
    loaded = load_design(design_file, bundled_pack).design
    for fmt, process in runs.items():
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 0, stderr.decode()
        assert stdout.decode().strip() == str(tmp_path / f"playbook.{fmt}")
        written = (tmp_path / f"playbook.{fmt}").read_bytes()
        assert written == render(loaded, bundled_pack, fmt, TODAY).encode("utf-8")
        assert written == render(example, bundled_pack, fmt, TODAY).encode("utf-8")
    assert b"- **Exported:** 2026-12-01\n" in (tmp_path / "playbook.markdown").read_bytes()


def test_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert export_date() == dt.date(2026, 12, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796169599")  # the last second of that day, UTC
    assert export_date() == dt.date(2026, 12, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 0 ")
    assert export_date() == dt.date(1970, 1, 1)


def test_date_comes_from_the_clock_without_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch, example: Design, bundled_pack: ContentPack
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.date.today()
    text = render(example, bundled_pack, "markdown")
    after = dt.date.today()
    assert f"- **Exported:** {before.isoformat()}\n" in text or f"- **Exported:** {after.isoformat()}\n" in text
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")  # empty counts as unset
    assert export_date() in (before, after, dt.date.today())


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5", "1e9", "0x10", "99999999999999999999", "١٢٣"])
def test_invalid_source_date_epoch_is_one_line_and_exit_1(
    value: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    example: Design,
) -> None:
    design_file = write_design(tmp_path / "design.toml", example)
    out = tmp_path / "out.md"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["export", str(design_file), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "SOURCE_DATE_EPOCH" in captured.err
    assert "Traceback" not in captured.err
    assert not out.exists() and not (tmp_path / "exports").exists()
