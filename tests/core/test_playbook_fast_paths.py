"""The playbook's text helpers skip work that cannot apply; they must give what the full work gives.

Each reference below is the helper as it was before its fast path was added.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from wizard import playbook

# Text rich in what the helpers treat specially: spaces, line breaks, tabs, controls, '<', backslashes.
TEXT = st.text(
    alphabet=st.sampled_from(list("ab <>\\|[]`*#-\n\r\t\x00\x0b\x85\u2028\u00a0é★ ")) | st.characters(),
    max_size=60,
)


def _normalize_reference(text: str) -> str:
    text = re.sub(playbook._LINE_BREAKS, "\n", text).replace("\t", "    ")
    return re.sub(playbook._UNSAFE_CHARS, "\ufffd", text)


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
    assert playbook._escape_html(text) == re.sub(playbook._RAW_HTML, lambda m: m.group(1) + "\\<", text)


@given(TEXT, st.sampled_from(["|", "[]", "*_`"]))
def test_escape_unescaped(text: str, chars: str) -> None:
    reference = re.sub(rf"(?<!\\)((?:\\\\)*)([{re.escape(chars)}])", r"\1\\\2", text)
    assert playbook._escape_unescaped(text, chars) == reference


def _inline_reference(text: str) -> str:
    flat = playbook._escape_html(_flatten_reference(text))
    if re.search(playbook._TRAILING_BACKSLASHES, flat):
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


@given(LINES | PROSE)
def test_escape_block_starts(line: str) -> None:
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


# Compliance text around its closing "check before use", in any case, with the marks the pattern allows.
PIECES = st.sampled_from(
    [
        *("this rule is temporary", "This Rule Is Temporary", "check before use", "CHECK before USE", "temporary"),
        *(".", ":", ";", ",", "-", " ", "  ", "\n", "word", "é", "K", "\u212a"),
    ]
)
NOTES = st.lists(PIECES, max_size=14).map("".join)


@given(NOTES)
@example("Audio-only visits count for this rule until the waiver ends; this rule is temporary: check before use.")
@example("Prescribing under the waiver.   This Rule Is Temporary -   CHECK BEFORE USE")
@example("check before use. " * 8 + "check before use")
def test_without_check_suffix_searches_only_the_end(text: str) -> None:
    flat = playbook._flatten(text)
    assert playbook._without_check_suffix(flat) == playbook._CHECK_SUFFIX.sub("", flat)


@given(NOTES | TEXT)
def test_inline_flat_is_inline_of_flattened_text(text: str) -> None:
    flat = playbook._sentence(playbook._flatten(text))
    assert playbook._inline_flat(flat) == playbook.inline(flat)


@given(st.text(alphabet=st.sampled_from(list(" >*+-0123456789.)`~a\n")), max_size=30))
def test_a_text_without_three_backticks_or_tildes_has_no_fence(text: str) -> None:
    """safe_block looks for fences only in text with a run of three backticks or tildes."""
    if "```" in text or "~~~" in text:
        return
    for line in text.split("\n"):
        assert not re.match(playbook._FENCE_ANYWHERE, line) and not re.match(playbook._FENCE_OPEN, line)
