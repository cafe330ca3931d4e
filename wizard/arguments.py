"""The headless commands' arguments, as data, and a reader for plain command lines of them.

argparse (``wizard.parsers``) builds every command's parser from ``PLAIN`` and reads every command
line that is not plain: help, usage errors, and the forms ``read_plain`` leaves to it. A plain line
is read here without importing argparse, which with building the parser cost the 40-item export 20M
instructions (3% of it). A test compares the two readers on generated command lines: whatever this
one reads, argparse reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

COMMANDS = ("new", "status", "check", "export", "content")
"""Every headless command (``content`` takes a subcommand and is always read by argparse)."""

Option = tuple[tuple[str, ...], dict[str, Any]]
"""An option's flags and the keywords argparse's ``add_argument`` takes for it."""

PLAIN: dict[str, tuple[str, str | None, tuple[Option, ...]]] = {
    "new": (
        "create a design without the wizard",
        "where to write the design (refuses to overwrite)",
        (
            (("--title",), {"required": True}),
            (("--care-model",), {"required": True, "help": "a care model id (see `content check --json`)"}),
            (("--care-model-note",), {"default": "", "help": "what 'other' means, when --care-model other"}),
            (("--roles",), {"required": True, "help": "comma-separated role ids"}),
            (("--visit-types",), {"required": True, "help": "comma-separated visit type ids"}),
            (("--organization",), {"default": ""}),
            (("--lead",), {"default": ""}),
        ),
    ),
    "status": ("progress per section and the open items", None, ()),
    "check": (
        "validate the file and the design",
        None,
        ((("--strict",), {"action": "store_true", "help": "warnings count as errors"}),),
    ),
    "export": (
        "write the playbook",
        None,
        (
            (("-o", "--output"), {"help": "file to write (default: exports/<name>-playbook.md beside PATH)"}),
            (("--format",), {"choices": ("markdown", "html"), "default": "markdown"}),
            (("--strict",), {"action": "store_true", "help": "refuse while items are open or errors exist"}),
        ),
    ),
}
"""The commands that take one PATH and options: command -> (help, the PATH's help, options)."""


def dest(flags: tuple[str, ...]) -> str:
    """The attribute an option is stored in, as argparse names it: its first long flag."""
    return next(flag for flag in flags if flag.startswith("--"))[2:].replace("-", "_")


def read_plain(args: Sequence[str]) -> SimpleNamespace | None:
    """A plain command line of a ``PLAIN`` command, read; None for argparse to read.

    Plain: the command, then its PATH once and each option at most once, in any order, every option
    spelled in full and followed by its value as the next word. Anything else is left to argparse:
    ``--opt=value``, abbreviations, ``--``, an option given twice, a word or value that starts with
    "-" (help is one), a value not among an option's choices, a required option missing.
    """
    spec = PLAIN.get(args[0]) if args else None
    if spec is None:
        return None
    options = spec[2]
    by_flag = {flag: option for option in options for flag in option[0]}
    values: dict[str, Any] = {"command": args[0], "path": None}
    for flags, keywords in options:
        values[dest(flags)] = False if keywords.get("action") == "store_true" else keywords.get("default")
    seen: set[tuple[str, ...]] = set()
    words = iter(args[1:])
    for word in words:
        if not word.startswith("-"):
            if values["path"] is not None:
                return None
            values["path"] = word
            continue
        option = by_flag.get(word)
        if option is None or option[0] in seen:
            return None
        flags, keywords = option
        seen.add(flags)
        if keywords.get("action") == "store_true":
            values[dest(flags)] = True
            continue
        value = next(words, None)
        if value is None or value.startswith("-") or value not in keywords.get("choices", (value,)):
            return None
        values[dest(flags)] = value
    if values["path"] is None or any(keywords.get("required") and flags not in seen for flags, keywords in options):
        return None
    return SimpleNamespace(**values)
