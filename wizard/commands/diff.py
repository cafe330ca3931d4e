"""``telewizard diff OLD NEW [--format text|markdown]``: what changed between two designs, item by item.

Exit codes as diff(1): 0 the same, 1 different, 2 trouble. Called by git as an external diff driver
(seven arguments: path, old file, old hash, old mode, new file, new hash, new mode), it shows the
design's changes, falls back to a plain line diff for a file that is not a design, and exits 0, as git
expects of a driver that ran.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.commands.common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from wizard.content import ContentPack
    from wizard.project import Design

HELP = "what changed between two designs, item by item"
GIT_ARGUMENTS = 7
NO_FILE = "/dev/null"
"""What git passes for the missing side of a file added or deleted."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments."""
    parser.add_argument(
        "files", nargs="+", metavar="OLD NEW", help="two design files (or the seven arguments git gives a diff driver)"
    )
    parser.add_argument("--format", choices=("text", "markdown"), default="text")


def run(args: argparse.Namespace) -> int:
    """Print the differences; 0 same, 1 different, 2 trouble."""
    from wizard.project import DesignError

    files: list[str] = args.files
    git = len(files) == GIT_ARGUMENTS
    if git:
        shown_name = files[0]
        old_path, new_path, old_name, new_name = files[1], files[4], f"a/{shown_name}", f"b/{shown_name}"
    elif len(files) == 2:
        old_path, new_path = files
        old_name, new_name = old_path, new_path
    else:
        print(f"telewizard: diff takes two design files, not {len(files)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        old, new = _read(old_path), _read(new_path)
    except DesignError as exc:
        if git:
            _plain_diff(old_path, new_path, old_name, new_name)
            return EXIT_OK
        print(f"telewizard: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from wizard.diff import diff_designs, render_markdown, render_text

    result = diff_designs(old, new, _pack(new) or _pack(old))
    render = render_markdown if args.format == "markdown" else render_text
    sys.stdout.write(render(result, old_name, new_name))
    if git:
        return EXIT_OK
    return EXIT_OK if result.same else EXIT_FINDINGS


def _read(path: str) -> Design:
    from wizard.project import Design, load_design

    if path == NO_FILE:
        return Design()
    return load_design(Path(path), read_only=True).design


def _pack(design: Design) -> ContentPack | None:
    from wizard.content import ContentError, load_pack_by_ref

    try:
        return load_pack_by_ref(design.project.content)
    except ContentError:
        return None


def _plain_diff(old_path: str, new_path: str, old_name: str, new_name: str) -> None:
    """A unified line diff, for a file git sent that is not a design."""

    def lines(path: str) -> list[str]:
        if path == NO_FILE:
            return []
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)

    sys.stdout.writelines(difflib.unified_diff(lines(old_path), lines(new_path), old_name, new_name))
