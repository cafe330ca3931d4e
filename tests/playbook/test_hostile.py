"""User text can never break the playbook's structure (SPEC "The playbook"; issue 5, item 2).

Everything is asserted through the token stream of markdown-it-py, the parser the HTML export
uses: the heading tree is exactly the playbook's own, the only tables are the playbook's own and
every row keeps its cells (in the tokens and in the source line), and nothing is raw HTML even
for a renderer that allows it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.playbook.helpers import (
    HOSTILE_FRAGMENTS,
    PARSER,
    TODAY,
    assert_structure,
    design_with_texts,
    fragment_texts,
    headings,
    hostile_design,
    hostile_text,
    separator_pipes,
)
from wizard.content import ContentPack
from wizard.playbook import TITLE_SUFFIX, cell, inline, inline_start, quote_block, render_playbook, safe_block
from wizard.project import Design, ProjectInfo

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_example_has_exactly_the_playbook_structure(example: Design, bundled_pack: ContentPack) -> None:
    markdown = render_playbook(example, bundled_pack, TODAY)
    assert_structure(markdown, example, bundled_pack)


def test_structure_check_catches_a_user_heading(example: Design, bundled_pack: ContentPack) -> None:
    """The check itself can fail: an unescaped heading in user text is caught."""
    markdown = render_playbook(example, bundled_pack, TODAY)
    broken = markdown.replace("**Rationale:**", "# Injected", 1)
    with pytest.raises(AssertionError):
        assert_structure(broken, example, bundled_pack)
    cells = markdown.replace("| Decided, approved |", "| Decided | approved |", 1)
    with pytest.raises(AssertionError):
        assert_structure(cells, example, bundled_pack)
    live = markdown.replace("**Rationale:**", "<b>Rationale</b>", 1)
    with pytest.raises(AssertionError):
        assert_structure(live, example, bundled_pack)


@pytest.mark.parametrize("in_context", [False, True], ids=["alone", "inside-markdown"])
def test_every_hostile_fragment_in_every_field(in_context: bool, bundled_pack: ContentPack) -> None:
    """Every fragment, alone or after a paragraph, in lists, quotes and code, in every field."""
    texts = fragment_texts(len(bundled_pack.items), in_context)
    assert set(HOSTILE_FRAGMENTS) <= {f for f in HOSTILE_FRAGMENTS if any(f in text for text in texts)}
    for offset in range(0, len(HOSTILE_FRAGMENTS), 40):
        project = "\n".join(HOSTILE_FRAGMENTS[offset : offset + 40])
        design = design_with_texts(bundled_pack, texts, project)
        assert_structure(render_playbook(design, bundled_pack, TODAY), design, bundled_pack)
        texts = texts[1:] + texts[:1]  # and each text in another item (another status) next time


def test_all_fragments_at_once(bundled_pack: ContentPack) -> None:
    """All fragments in one text, so each meets what the others open (one item per status)."""
    everything = "\n".join(HOSTILE_FRAGMENTS)
    texts = [everything if index < 4 else "" for index in range(len(bundled_pack.items))]
    design = design_with_texts(bundled_pack, texts, everything)
    assert_structure(render_playbook(design, bundled_pack, TODAY), design, bundled_pack)


@FAST
@given(data=st.data())
def test_hostile_text_never_changes_the_structure(data: st.DataObject, bundled_pack: ContentPack) -> None:
    design = data.draw(hostile_design(bundled_pack))
    assert_structure(render_playbook(design, bundled_pack, TODAY), design, bundled_pack)


@pytest.mark.slow
@SLOW
@given(data=st.data())
def test_hostile_text_never_changes_the_structure_many(data: st.DataObject, bundled_pack: ContentPack) -> None:
    design = data.draw(hostile_design(bundled_pack, templates=5))
    assert_structure(render_playbook(design, bundled_pack, TODAY), design, bundled_pack)


# ---------------------------------------------------------------------------
# The escaping functions on their own, where a whole playbook is too coarse
# ---------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(text=hostile_text)
def test_quoted_block_is_one_blockquote_with_no_heading_table_or_html(text: str) -> None:
    lines = quote_block(text)
    markdown = "\n".join(["Before:", "", *lines, "", "After."])
    tokens = PARSER.parse(markdown)
    top = [t.type for t in tokens if t.level == 0]
    quote = ["blockquote_open", "blockquote_close"] if lines else []
    assert top == ["paragraph_open", "paragraph_close", *quote, "paragraph_open", "paragraph_close"]
    assert not [t for t in tokens if t.type in ("heading_open", "table_open", "html_block")]
    assert all("\n" not in line for line in lines)
    assert all(line == ">" or line.startswith("> ") for line in lines)


def _blocks_and_text(markdown: str) -> tuple[list[str], str]:
    """What a reader gets from Markdown: its block structure, and its text with runs of spaces as one."""
    tokens = PARSER.parse(markdown)
    blocks = [t.type for t in tokens if t.type != "inline"]
    html = PARSER.render(markdown)
    return blocks, " ".join(html.replace("<br />", " ").split())


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_a_paragraph_on_one_line_reads_as_the_lines_the_author_wrote(text: str) -> None:
    """Quoted text keeps each paragraph on one line; joining its lines changes nothing a reader sees."""
    as_written = [f"> {line}" if line else ">" for line in safe_block(text)]
    joined = quote_block(text)
    assert _blocks_and_text("\n".join(joined)) == _blocks_and_text("\n".join(as_written))
    assert len(joined) <= len(as_written)


def test_paragraph_lines_are_joined_and_nothing_else() -> None:
    text = "First line\nsecond line.\n\n- a list\n- of two\n\n    code\n    stays\n\nend\\\nbreak"
    assert quote_block(text) == [
        "> First line second line.",
        ">",
        "> - a list",
        "> - of two",
        ">",
        ">     code",
        ">     stays",
        ">",
        "> end\\",
        "> break",
    ]


@settings(max_examples=120, deadline=None)
@given(text=hostile_text)
def test_inline_text_stays_on_its_line(text: str) -> None:
    for rendered in (f"- **Label:** {inline(text)} (ours)", f"- {inline_start(text)}"):
        assert "\n" not in rendered
        tokens = PARSER.parse(f"{rendered}\n- next\n")
        kinds = [t.type for t in tokens]
        assert kinds.count("list_item_open") == 2, rendered
        assert kinds.count("bullet_list_open") == 1, rendered  # no nested list from user text
        assert not {"heading_open", "blockquote_open", "fence", "code_block", "html_block"} & set(kinds)
        assert not [c for t in tokens for c in t.children or [] if c.type == "html_inline"]


@settings(max_examples=120, deadline=None)
@given(cells=st.lists(hostile_text, min_size=1, max_size=4))
def test_table_cells_keep_their_column(cells: list[str]) -> None:
    header = "| " + " | ".join(f"h{i}" for i in range(len(cells) + 1)) + " |"
    rule = "|" + "|".join("---" for _ in range(len(cells) + 1)) + "|"
    row = "| " + " | ".join([*(cell(text) for text in cells), "last"]) + " |"
    tokens = PARSER.parse("\n".join([header, rule, row]) + "\n")
    contents = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "td_open"]
    assert len(contents) == len(cells) + 1
    assert contents[-1] == "last"
    assert separator_pipes(row) == len(cells) + 2  # the same borders for every way of reading `\|`


def test_title_heading_is_the_escaped_user_title(bundled_pack: ContentPack) -> None:
    for title, shown in [
        ("Riverbend <script>alert(1)</script>", "Riverbend <script>alert(1)</script>"),
        ("# Not a heading\n===", "# Not a heading ==="),
        ("  spaced\r\nout\ttitle  ", "spaced out title"),
        ("Ends with a backslash \\", "Ends with a backslash \\"),
        ("Pipes | and `ticks", "Pipes | and `ticks"),
        ("", "Untitled design"),
    ]:
        design = Design(project=ProjectInfo(title=title, content=bundled_pack.ref))
        markdown = render_playbook(design, bundled_pack, TODAY)
        tokens = PARSER.parse(markdown)
        assert headings(tokens)[0] == (1, f"{inline(shown)}: {TITLE_SUFFIX}")
        h1 = tokens[[t.type for t in tokens].index("heading_open") + 1]
        text = "".join(child.content for child in h1.children or [] if child.type in ("text", "code_inline"))
        assert text == f"{shown}: {TITLE_SUFFIX}"


def test_examples_of_escaping() -> None:
    assert safe_block("# Heading") == ["\\# Heading"]
    assert safe_block("Title\n===") == ["Title", "\\==="]
    assert safe_block("- # In a list") == ["- \\# In a list"]
    assert safe_block("<script>alert(1)</script>") == ["\\<script>alert(1)\\</script>"]
    assert safe_block("already \\<escaped>") == ["already \\<escaped>"]
    assert safe_block("a | b") == ["a \\| b"]
    assert safe_block("```\n# comment <b>\n") == ["```", "# comment <b>", "```"]  # code kept as is
    assert safe_block("  ```\n<b>\n```\n<i>") == ["  ```", "\\<b>", "```", "\\<i>"]  # nested: escaped
    assert safe_block("a\r\nb\rc") == ["a", "b", "c"]
    assert safe_block("nul\x00 bell\x07 rlo\u202e") == ["nul\ufffd bell\ufffd rlo\ufffd"]
    assert safe_block("see <https://example.org>") == ["see <https://example.org>"]
    assert safe_block("") == [] and safe_block("\n \n") == []
    assert safe_block("> \ntext\n>\n> > ") == ["text"]  # empty quote lines around: nothing to show
    assert inline("two\nlines") == "two lines"
    assert inline("trailing \\") == "trailing \\\\"
    assert inline_start("1. first") == "1\\. first"
    assert cell("a | b\nc") == "a \\| b c"
    assert cell("a \\| b") == "a \\| b"  # already escaped by the user
    assert cell("a \\\\| b") == "a \\\\\\| b"  # an escaped backslash, then a pipe to escape
    long_line = "x" * 10_000
    assert safe_block(long_line) == [long_line]
