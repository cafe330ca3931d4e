"""Making user text safe inside the playbook's own Markdown.

User text is Markdown, but it can never change the playbook's structure. Multi-line fields are
quoted (a blockquote ends whatever the text opens); inside them, and in one-line fields, anything
that could start a heading, a table, a link definition or raw HTML is backslash-escaped; table
cells escape ``|`` and line breaks. The escapes are chosen so they hold wherever a parser decides
code spans start and end: inside code they show as a backslash, outside they vanish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

# C0 and C1 controls (tab and line feed are handled before), and the bidi embedding, override and
# isolate controls that could make a reader see our own text reordered.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
# `<` not already escaped by an odd run of backslashes, except an autolink to a web or mail address.
RAW_HTML = re.compile(r"(?i)(?<!\\)((?:\\\\)*)<(?!(?:https?|mailto):[^\s<>]*>)")
_CONTAINER = re.compile(r" *(?:>|[-+*](?= |$)|[0-9]{1,9}[.)](?= |$))")
_SETEXT_LINE = re.compile(r" *(?:=+|-+) *$")
_THEMATIC_BREAK = re.compile(r" *([-*_])(?: *\1){2,} *$")
_TABLE_DELIMITER = re.compile(r" *(?=[ |:-]*-)(?=[ -]*[|:])[ |:-]+$")
_ATX_OR_DEFINITION = re.compile(r" *(?:#|\[(?![^\[\]\\]*\]\())")
_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})(.*)$")
_FENCE_START = re.compile(r" *(?:`{3,}|~{3,})")
_FENCE_ANYWHERE = re.compile(r"[ >*+0-9.)-]*(?:`{3,}|~{3,})")
_TRAILING_BACKSLASHES = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_LIST_NUMBER = re.compile(r" *[0-9]+")
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z0-9(\"'])")


def normalize(text: str) -> str:
    """One kind of line break, tabs as spaces, controls shown as the replacement character."""
    if not text.isascii() or "\r" in text:  # the other line breaks are not ASCII
        text = LINE_BREAKS.sub("\n", text)
    text = text.replace("\t", "    ")
    if text.isascii() and text.replace("\n", "").isprintable():  # most text: nothing to replace
        return text
    return UNSAFE_CHARS.sub("\ufffd", text)


@lru_cache(maxsize=8192)
def flatten(text: str) -> str:
    """One line: line breaks and runs of spaces become one space.

    Remembered per text: a playbook flattens the same titles, labels and names many times."""
    return " ".join(filter(None, normalize(text).replace("\n", " ").split(" "))).strip()


def escape_html(text: str) -> str:
    """Raw HTML shown as text: every unescaped `<` is backslash-escaped (autolinks are kept)."""
    return RAW_HTML.sub(lambda match: match.group(1) + "\\<", text)


def escape_unescaped(text: str, chars: str) -> str:
    """Backslash-escape each of chars in text that is not already escaped."""
    return _unescaped(chars).sub(r"\1\\\2", text)


@lru_cache(maxsize=8)
def _unescaped(chars: str) -> re.Pattern[str]:
    """Any of chars after an even run of backslashes (none escapes it), the run in group 1."""
    return re.compile(rf"(?<!\\)((?:\\\\)*)([{re.escape(chars)}])")


def _escape_at(line: str, pos: int) -> str:
    """Insert a backslash before the first non-space character at or after pos."""
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return line[:pos] + "\\" + line[pos:] if pos < len(line) else line


def _escape_marker(line: str, pos: int) -> str:
    """Escape the list marker (`-`, `*`, `+`, `1.`, `1)`) that starts at or after pos."""
    number = _LIST_NUMBER.match(line, pos)
    if number and number.end() < len(line) and line[number.end()] in ".)":
        return line[: number.end()] + "\\" + line[number.end() :]
    return _escape_at(line, pos)


def _escape_block_starts(line: str) -> str:
    """Escape what could open a heading, table, or link definition at the start of a block.

    Walks through every container marker (blockquote `>`, list bullets and numbers) that may
    open a block on this line and escapes, at each level, a setext underline (`===`, `---`);
    then an ATX heading `#`, a link reference definition `[`, or a table delimiter row. It
    errs on the side of escaping: an escape a parser does not need renders as the bare character.
    """
    pos = 0
    marker = -1
    while True:
        if _SETEXT_LINE.match(line, pos) or _TABLE_DELIMITER.match(line, pos):
            return _escape_at(line, pos)
        if _THEMATIC_BREAK.match(line, pos):
            return line  # a rule is harmless and cannot be an underline (it has inner spaces)
        container = _CONTAINER.match(line, pos)
        if container is None:
            break
        marker, pos = pos, container.end()
    if _ATX_OR_DEFINITION.match(line, pos):
        return _escape_at(line, pos)
    if marker >= 0 and not line[pos:].strip(" ") and line[marker:pos].strip(" ") != ">":
        return _escape_marker(line, marker)  # an empty list item: nothing to list, show the bullet
    return line


def safe_block(text: str) -> list[str]:
    """User Markdown as lines that cannot open headings, tables, live HTML or unclosed fences.

    Meant to be quoted (see quote_block): the quote closes any list, code block or quote the
    text opens. A fence that starts a line at the left margin is certain to be a fence, so its
    content is kept exactly; everywhere else escapes are applied.
    """
    lines = [line.rstrip(" ") for line in normalize(text).split("\n")]
    while lines and not lines[-1].strip(" >"):  # blank, or an empty quote line: nothing to show
        lines.pop()
    while lines and not lines[0].strip(" >"):
        lines.pop(0)
    # Fences are trusted only when every line that might be one starts at the left margin: an
    # indented or nested fence depends on list widths, so then every line is escaped instead.
    trusted = all(_FENCE_OPEN.match(line) for line in lines if _FENCE_ANYWHERE.match(line))
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is None and not line and out and not out[-1]:
            continue  # one blank line means what several do, outside code
        if fence is not None:
            out.append(line)
            stripped = line.lstrip(" ")
            closing = stripped.rstrip(" ")
            # A closing fence is the opening's character, at least as many, and nothing but spaces after.
            if len(line) - len(stripped) <= 3 and closing.startswith(fence) and not closing.strip(fence[0]):
                fence = None
            continue
        opening = _FENCE_OPEN.match(line) if trusted else None
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            out.append(line)
            continue
        out.append(_safe_line(line))
    if fence is not None:
        out.append(fence)
    return out


_CONTINUES = re.compile(r"(?! {0,3}(?:[-+*>#=_|<~`\[]|[0-9]{1,9}[.)])) {0,3}\S")
"""A line that can only continue the paragraph before it: nothing at its start could open a block."""


def _one_line_paragraphs(lines: list[str]) -> list[str]:
    """Safe lines with each paragraph's soft-wrapped lines joined into one line (what a soft line break
    renders as, a space, either way). A line joins the one before only when that one is text, not code,
    and does not end in a hard break, and nothing at its own start could open a block; a block with a
    fence anywhere is left as it is."""
    if any(_FENCE_ANYWHERE.match(line) for line in lines):
        return lines
    out: list[str] = []
    for line in lines:
        if out and _CONTINUES.match(line) and _is_paragraph_text(out[-1]):
            out[-1] = f"{out[-1]} {line.lstrip(' ')}"
        else:
            out.append(line)
    return out


def _is_paragraph_text(line: str) -> bool:
    """True when a safe line ends inside paragraph text that the next line may continue: not indented
    code, not a thematic break or bare container markers, and no hard break at its end."""
    if line.startswith("    ") or _TRAILING_BACKSLASHES.search(line):
        return False
    pos = 0
    while container := _CONTAINER.match(line, pos):
        pos = container.end()
    rest = line[pos:]
    return bool(rest.strip()) and not rest.startswith("    ") and not _THEMATIC_BREAK.match(rest)


def _safe_line(line: str) -> str:
    """One line of user Markdown with raw HTML and pipes escaped and nothing at its start that could
    open a heading, table or link definition. A line that starts with a letter opens none, and a line
    without `<` or `|` has nothing to escape: most lines of prose skip every pattern."""
    if "<" in line:
        line = escape_html(line)
    if "|" in line:
        line = escape_unescaped(line, "|")
    return line if line[:1].isalpha() else _escape_block_starts(line)


def quote_block(text: str, indent: str = "") -> list[str]:
    """User Markdown inside a blockquote, so whatever it opens ends with the quote; each paragraph on
    one line, so a changed answer changes the lines of its paragraphs only."""
    return [f"{indent}> {line}" if line else f"{indent}>" for line in _one_line_paragraphs(safe_block(text))]


@lru_cache(maxsize=8192)
def inline(text: str) -> str:
    """User text on one line in the middle of our own Markdown (after a label, in a heading).

    Line breaks become spaces, raw HTML is shown as text, and a trailing backslash is doubled
    so it cannot escape the character we write after it. Remembered per text, as flatten is.
    """
    flat = escape_html(flatten(text))
    if _TRAILING_BACKSLASHES.search(flat):
        flat += "\\"
    return flat


def inline_start(text: str) -> str:
    """User text on one line at the start of a list item: no nested block can start there."""
    flat = inline(text)
    if _CONTAINER.match(flat):
        return _escape_marker(flat, 0)
    if _THEMATIC_BREAK.match(flat) or _FENCE_START.match(flat):
        return _escape_at(flat, 0)
    return _escape_block_starts(flat)


def cell(text: str) -> str:
    """User text inside a table cell: one line, raw HTML as text, pipes escaped.

    A pipe the user already escaped stays as it is; any other gets a backslash, so every pipe in
    a cell follows an odd run of backslashes and no parser can take it for a cell border.
    """
    flat = inline(text)
    return escape_unescaped(flat, "|") if "|" in flat else flat


def text_or(text: str, fallback: str) -> str:
    """inline(text), or the fallback (our own Markdown) when the text is blank."""
    return inline(text) if text.strip() else fallback


def destination(url: str) -> str:
    """A URL as a Markdown link destination (or autolink) that cannot end early."""
    if url.count("(") != url.count(")") or re.search(r"[\s<>\\|`]", url):
        url = "".join(f"%{ord(ch):02X}" if ch in " ()<>\\|`" else ch for ch in url)
    return url


def link(title: str, url: str) -> str:
    """A Markdown link with an escaped label."""
    label = escape_unescaped(inline(title), "[]")
    return f"[{label}]({destination(url)})"


def anchor(heading: str) -> str:
    """The fragment a heading gets (GitHub's rule, which the HTML export follows): lower case, only
    letters, digits, spaces, hyphens and underscores kept, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table from cells already made safe (an empty cell is one space between pipes)."""

    def line(cells: Sequence[str]) -> str:
        return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"

    return [line(header), line(["---"] * len(header)), *(line(row) for row in rows)]


def sentence(text: str) -> str:
    """Flattened text that ends like a sentence."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:;)" else text + "."


def headline(text: str, words: int = 10) -> str:
    """The first sentence of flattened text, cut at a word boundary to at most ``words`` words."""
    flat = flatten(text)
    end = _SENTENCE_END.search(flat)
    first = flat[: end.start() + 1] if end else flat
    parts = first.split(" ")
    if len(parts) <= words:
        return first
    return " ".join(parts[:words]).rstrip(",;:") + "…"
