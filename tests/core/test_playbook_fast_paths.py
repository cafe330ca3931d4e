"""The playbook's text helpers skip work that cannot apply; they must give what the full work gives.

Each reference below is the helper as it was before its fast path was added.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from wizard import playbook

# Text rich in what the helpers treat specially: spaces, line breaks, tabs, controls, '<', backslashes.
TEXT = st.text(
    alphabet=st.sampled_from(list("ab <>\\|[]`*#-\n\r\t\x00\x0b\x85\u2028\u00a0é★ ")) | st.characters(),
    max_size=60,
)


def _normalize_reference(text: str) -> str:
    text = playbook._LINE_BREAKS.sub("\n", text).replace("\t", "    ")
    return playbook._UNSAFE_CHARS.sub("\ufffd", text)


def _flatten_reference(text: str) -> str:
    return " ".join(part for part in re.split(r"[ \n]+", _normalize_reference(text)) if part).strip()


@given(TEXT)
def test_normalize(text: str) -> None:
    assert playbook._normalize(text) == _normalize_reference(text)


@given(TEXT)
def test_flatten(text: str) -> None:
    assert playbook._flatten(text) == _flatten_reference(text)


@given(TEXT)
def test_escape_html(text: str) -> None:
    assert playbook._escape_html(text) == playbook._RAW_HTML.sub(lambda m: m.group(1) + "\\<", text)


@given(TEXT, st.sampled_from(["|", "[]", "*_`"]))
def test_escape_unescaped(text: str, chars: str) -> None:
    reference = re.sub(rf"(?<!\\)((?:\\\\)*)([{re.escape(chars)}])", r"\1\\\2", text)
    assert playbook._escape_unescaped(text, chars) == reference


def _inline_reference(text: str) -> str:
    flat = playbook._escape_html(_flatten_reference(text))
    if playbook._TRAILING_BACKSLASHES.search(flat):
        flat += "\\"
    return flat


@given(TEXT)
def test_inline(text: str) -> None:
    assert playbook.inline(text) == _inline_reference(text)


# Mostly prose, with what the helpers treat specially mixed in: line starts and ends, runs of spaces.
PROSE = st.text(alphabet=st.sampled_from(list("ab Z.,:;0123456789-+*=_#[]|:>`~<\\()!")), max_size=40)
LINES = st.text(alphabet=st.sampled_from(list("a 1.)-+*=_#[]|:>`~\\")), max_size=12)


def _escape_block_starts_reference(line: str) -> str:
    """_escape_block_starts as it was before its shortcut for lines that start with prose."""
    pos = 0
    marker = -1
    while True:
        rest = line[pos:]
        if playbook._SETEXT_LINE.match(rest) or playbook._TABLE_DELIMITER.match(rest):
            return playbook._escape_at(line, pos)
        if playbook._THEMATIC_BREAK.match(rest):
            return line
        container = playbook._CONTAINER.match(line, pos)
        if container is None:
            break
        marker, pos = pos, container.end()
    if playbook._ATX_OR_DEFINITION.match(line, pos):
        return playbook._escape_at(line, pos)
    if marker >= 0 and not line[pos:].strip(" ") and line[marker:pos].strip(" ") != ">":
        return playbook._escape_marker(line, marker)
    return line


@given(LINES)
def test_escape_block_starts(line: str) -> None:
    assert playbook._escape_block_starts(line) == _escape_block_starts_reference(line)


@given(PROSE)
def test_escape_block_starts_on_prose(line: str) -> None:
    assert playbook._escape_block_starts(line) == _escape_block_starts_reference(line)


@given(PROSE | st.text(max_size=20))
def test_inline_on_prose(text: str) -> None:
    assert playbook.inline(text) == _inline_reference(text)


def test_inline_edges_of_the_shortcut() -> None:
    assert playbook.inline("") == ""
    assert playbook.inline(" a") == "a"
    assert playbook.inline("a ") == "a"
    assert playbook.inline("a  b") == "a b"
    assert playbook.inline("a\\") == "a\\\\"
    assert playbook.inline("<b>") == "\\<b>"
    assert playbook.inline("a\tb") == "a b"
