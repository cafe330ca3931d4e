"""The plain command-line reader (wizard.arguments) against argparse (wizard.parsers).

Whatever ``read_plain`` reads, argparse must read the same; everything else it leaves to argparse.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import given, settings

from wizard.arguments import PLAIN, read_plain
from wizard.parsers import command_parser


def argparse_reads(args: list[str]) -> dict[str, object] | None:
    """What argparse makes of the line, or None when it refuses it (a usage error, or help)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(command_parser(args[0]).parse_args(args))
        except SystemExit:
            return None


FLAGS = sorted({flag for _, _, options in PLAIN.values() for flags, _ in options for flag in flags})
WORDS = [
    *FLAGS,
    "-h",
    "--help",
    "--",
    "-",
    "--out",  # an abbreviation argparse accepts
    "--output=x.md",
    "-ox.md",
    "--bogus",
    "-1",
    "d.toml",
    "other.toml",
    "",
    "a b",
    "-x y",
    "markdown",
    "html",
    "pdf",
    "video",
    "Title",
    *PLAIN,
]


VALUES = ["d.toml", "other.toml", "", "a b", "Title", "markdown", "html", "pdf", "-", "-x", "--strict", "-1", "-h"]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A plain line of a command (PATH, required options, some others, in any order, values that may
    start with "-"), then up to three words of any kind inserted anywhere."""
    command = draw(st.sampled_from(sorted(PLAIN)))
    parts = [[draw(st.sampled_from(VALUES))]]
    for flags, keywords in PLAIN[command][2]:
        if keywords.get("required") or draw(st.booleans()):
            flag = draw(st.sampled_from(flags))
            if keywords.get("action") == "store_true":
                parts.append([flag])
            else:
                parts.append([flag, draw(st.sampled_from([*keywords.get("choices", ()), *VALUES]))])
    words = [word for part in draw(st.permutations(parts)) for word in part]
    for _ in range(draw(st.integers(0, 3))):
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(WORDS)))
    return [command, *words]


@settings(max_examples=800, deadline=None)
@given(command_lines())
def test_what_the_plain_reader_reads_argparse_reads_the_same(args: list[str]) -> None:
    plain = read_plain(args)
    if plain is not None:
        assert vars(plain) == argparse_reads(args)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status", "d.toml"], {"command": "status", "path": "d.toml"}),
        (["check", "--strict", "d.toml"], {"command": "check", "path": "d.toml", "strict": True}),
        (
            ["export", "-o", "out.md", "d.toml", "--format", "html"],
            {"command": "export", "path": "d.toml", "output": "out.md", "format": "html", "strict": False},
        ),
        (
            ["export", "d.toml"],
            {"command": "export", "path": "d.toml", "output": None, "format": "markdown", "strict": False},
        ),
        (
            ["new", "n.toml", "--title", "T", "--care-model", "c", "--roles", "r", "--visit-types", "v"],
            {
                "command": "new",
                "path": "n.toml",
                "title": "T",
                "care_model": "c",
                "care_model_note": "",
                "roles": "r",
                "visit_types": "v",
                "organization": "",
                "lead": "",
            },
        ),
    ],
)
def test_plain_lines_are_read_as_argparse_reads_them(args: list[str], expected: dict[str, object]) -> None:
    plain = read_plain(args)
    assert plain is not None
    assert vars(plain) == expected == argparse_reads(args)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],  # no PATH: argparse says so
        ["status", "a.toml", "b.toml"],
        ["status", "-h"],
        ["export", "d.toml", "--output=x.md"],
        ["export", "d.toml", "--out", "x.md"],
        ["export", "d.toml", "-o"],
        ["export", "d.toml", "-o", "a.md", "-o", "b.md"],
        ["export", "d.toml", "--format", "pdf"],
        ["export", "--", "d.toml"],
        ["status", "-"],
        ["new", "n.toml", "--title", "T"],  # required options missing
        ["content", "check"],
        [],
    ],
)
def test_anything_else_is_left_to_argparse(args: list[str]) -> None:
    assert read_plain(args) is None


def test_a_plain_export_never_imports_argparse(tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import sys
        from wizard.cli import main
        main(["export", "missing.toml"])
        print("argparse" in sys.modules)
        """
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "missing.toml" in result.stderr  # it ran and said why it could not export
    assert result.stdout.split() == ["False"]
