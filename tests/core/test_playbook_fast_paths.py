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


@given(TEXT)
def test_inline(text: str) -> None:
    flat = playbook._escape_html(_flatten_reference(text))
    if playbook._TRAILING_BACKSLASHES.search(flat):
        flat += "\\"
    assert playbook.inline(text) == flat
