"""Shared builders for the playbook tests: an example design, hostile text, token-stream checks.

Nothing here depends on specific option ids or item slugs: content authors are still filling
the pack, so everything is read from the pack at test time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from wizard.content import ContentPack, Item
from wizard.playbook import FIXED_PARTS, SECTIONS, SIGN_OFF_ROLES, STATUS_LABELS, heading_title
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision, Design, ProjectInfo, Review

TODAY = dt.date(2026, 12, 1)

# ---------------------------------------------------------------------------
# An example design, built from whatever the pack holds today
# ---------------------------------------------------------------------------


def first_option(item: Item) -> str:
    """The item's first option id, or custom while the item is still a stub."""
    return item.options[0].id if item.options else CUSTOM_OPTION


def example_design(pack: ContentPack) -> Design:
    """A realistic, nearly finished design: every kind of status, review and field is used."""
    context = ClinicalContext(
        care_model=pack.care_models[0].id,
        roles=[role.id for role in pack.roles[:3]],
        visit_types=[visit.id for visit in pack.visit_types[:3]],
    )
    decisions: dict[str, Decision] = {}
    for index, item in enumerate(pack.items):
        decision = Decision(
            status="decided",
            option=first_option(item),
            summary=f"Adopt the approach chosen for {item.title.lower()} across all virtual visits.",
            rationale=(
                "It fits the volume we expect in the first year and the staff we have.\n\n"
                "- It reuses the existing escalation path.\n"
                "- It can be audited monthly by the quality committee."
            ),
            owner="Medical Director" if index % 2 else "Nursing Lead",
            due=dt.date(2027, 1 + index % 12, 1 + index % 27),
            kpis=["Median wait under 15 minutes", "At least 90% of visits start on time"],
            notes="Revisit after the first 90 days of data." if index % 3 == 0 else "",
            review=Review(state="approved", by="Dr. Sam Lee, Medical Director", on=dt.date(2026, 11, 30)),
        )
        decisions[item.id] = decision
    items = pack.items
    decisions[items[1].id] = decisions[items[1].id].model_copy(
        update={
            "review": Review(
                state="changes-requested",
                by="Dr. Sam Lee",
                on=dt.date(2026, 11, 30),
                comment="Say who covers nights and weekends.\n\nAnd what happens when no RN is free.",
            )
        }
    )
    decisions[items[2].id] = Decision(
        status="drafting", option=first_option(items[2]), summary="Credential by proxy.", owner="CMO"
    )
    decisions[items[5].id] = Decision(
        status="not-applicable",
        summary="Clinicians are salaried by the health system; no telehealth-specific model.",
    )
    del decisions[items[7].id]  # one item left open, with no table at all
    return Design(
        project=ProjectInfo(
            title="Riverbend Health Virtual Urgent Care",
            organization="Riverbend Health",
            lead="Dana Ortiz, Director of Virtual Care Operations",
            content=pack.ref,
        ),
        context=context,
        decisions=decisions,
    )


# ---------------------------------------------------------------------------
# Hostile text
# ---------------------------------------------------------------------------

HOSTILE_FRAGMENTS = [
    "# Heading",
    "## Section",
    "###### Six",
    "#",
    "#hashtag",
    "   ### indented heading",
    "Title\n=====",
    "Title\n-----",
    "Title\n-",
    "Title\n  ===",
    "=",
    "---",
    "***",
    "___",
    "- - -",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<javascript:alert(1)>",
    "<https://example.org/ok>",
    '[t](https://example.org "onmouseover=alert(1)")',
    "![pixel](https://tracker.example/p.png)",
    "![x](javascript:alert(1))",
    "<!-- comment -->",
    "<!--",
    "-->",
    "<div>\n\n# inside a div\n\n</div>",
    "<?php echo 1; ?>",
    "<![CDATA[x]]>",
    "```",
    "````",
    "```python\n# not a heading\n<b>",
    "```a`b\n# heading?",
    "  ```\n<b>\n```\n<i>",
    "~~~",
    "~~~\n<b>\n~~~",
    "`",
    "``",
    "`code <b>`",
    "``x`` <b>",
    "\\`<b>`",
    '[a](/u "`") <b> `',
    "\\",
    "\\\\",
    "a\\",
    "\\<b>",
    "\\\\<b>",
    "|",
    "a | b",
    "| a | b |\n|---|---|\n| c | d |",
    "| a\n:-",
    "a|b\n-|-",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\x00",
    "\x1b[31m",
    "\x0b\x0c",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u2028",
    "\u2029",
    "\x85",
    "\t",
    "\u00a0",
    "    indented code",
    "> quote",
    "ends with an empty quote line\n> ",
    ">\n> >",
    "> # quoted heading",
    ">> deep",
    "- item",
    "- # item heading",
    "-\n  # x",
    "1. one",
    "1) one",
    "12345. big",
    "* star",
    "+ plus",
    "- [ ] task",
    "[ref]: https://example.org",
    "[ref]:\n  https://example.org",
    "[ref]",
    "[a][ref]",
    "[foo\nbar]: /url",
    "&amp;",
    "&#60;script&#62;",
    "&lt;",
    "*",
    "_",
    "**bold**",
    "__strong__",
    "*em* and _em_",
    "__",
    "[ spaced ](https://example.org)",
    "[empty]()",
    "[here](https://example.org)",
    "[anchor](#missing)",
    "![](https://example.org/p.png)",
    "- a\n   - b\n - c",
    "Text\n\n    indented\n\n```\nfenced\n```",
    "` code `",
    "é",
    "日本語",
    "🩺",
    "Ünïcödé ÆØÅ",
    "x" * 300,
    "word " * 120,
    "",
    " ",
    "  ",
]

_fragment = st.one_of(
    st.sampled_from(HOSTILE_FRAGMENTS),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
)
_separator = st.sampled_from(["", "", "\n", " ", "\n\n", "\r\n", "\n    ", "\n> ", "\n- "])

hostile_text = st.lists(st.tuples(_fragment, _separator), max_size=5).map(
    lambda parts: "".join(a + b for a, b in parts)
)
"""Text built from hostile fragments, random characters and line breaks (may be empty)."""

_statuses = st.sampled_from(["open", "drafting", "decided", "not-applicable"])


@st.composite
def hostile_decision(draw: st.DrawFn, option_ids: list[str]) -> Decision:
    """A decision whose every free-text field is hostile."""
    review = None
    if draw(st.booleans()):
        review = Review(
            state=draw(st.sampled_from(["approved", "changes-requested"])),
            by=draw(hostile_text),
            on=draw(st.none() | st.just(TODAY)),
            comment=draw(hostile_text),
        )
    return Decision(
        status=draw(_statuses),
        option=draw(st.sampled_from(["", CUSTOM_OPTION, *option_ids])),
        summary=draw(hostile_text),
        rationale=draw(hostile_text),
        owner=draw(hostile_text),
        due=draw(st.none() | st.just(TODAY - dt.timedelta(days=3)) | st.just(TODAY + dt.timedelta(days=30))),
        kpis=draw(st.lists(hostile_text, max_size=3)),
        notes=draw(hostile_text),
        review=review,
    )


@st.composite
def hostile_design(draw: st.DrawFn, pack: ContentPack, templates: int = 3) -> Design:
    """A design with hostile text in every free-text field.

    A few hostile decisions are drawn and dealt to the first items of every section (the other
    items stay open), so each example puts every field in every part of the document while the
    document stays small enough to parse quickly.
    """
    option_ids = sorted({opt.id for item in pack.items for opt in item.options})[:6]
    drawn = [draw(hostile_decision(option_ids)) for _ in range(templates)]
    decisions = {}
    for section in pack.sections:
        for item, template in zip(section.items, drawn, strict=False):
            option = template.option
            if option not in ("", CUSTOM_OPTION) and item.option(option) is None:
                option = first_option(item)
            decisions[item.id] = template.model_copy(update={"option": option})
    return Design(
        project=ProjectInfo(
            title=draw(hostile_text),
            organization=draw(hostile_text),
            lead=draw(hostile_text),
            content=pack.ref,
        ),
        context=ClinicalContext(
            care_model=draw(st.sampled_from([entry.id for entry in pack.care_models])),
            care_model_note=draw(hostile_text),
            roles=draw(st.lists(st.sampled_from([entry.id for entry in pack.roles]), max_size=3, unique=True)),
            visit_types=draw(
                st.lists(st.sampled_from([entry.id for entry in pack.visit_types]), max_size=3, unique=True)
            ),
        ),
        decisions=decisions,
    )


def design_with_everywhere(pack: ContentPack, text: str) -> Design:
    """One hostile string in every free-text field of every item (for explicit cases)."""
    return design_with_texts(pack, [text] * len(pack.items), text)


def fragment_texts(count: int, in_context: bool) -> list[str]:
    """count texts that together hold every hostile fragment, alone or inside other Markdown."""
    out = []
    n = len(HOSTILE_FRAGMENTS)
    for index in range(count):
        a, b, c = (HOSTILE_FRAGMENTS[(3 * index + k) % n] for k in range(3))
        if in_context:
            out.append(f"{a}\n\nA paragraph\n{b}\n- item\n  {c}\n> {a}\n1. {b}\n\n    {c}")
        else:
            out.append(f"{a}\n{b}\n{c}")
    return out


def design_with_texts(pack: ContentPack, texts: list[str], project_text: str) -> Design:
    """Item i gets texts[i] in every free-text field; the project fields get project_text."""
    text_of = dict(zip((item.id for item in pack.items), texts, strict=True))
    decisions = {}
    statuses = ["decided", "drafting", "not-applicable", "open"]
    for index, item in enumerate(pack.items):
        text = text_of[item.id]
        decisions[item.id] = Decision(
            status=statuses[index % 4],  # type: ignore[arg-type]
            option=CUSTOM_OPTION,
            summary=text,
            rationale=text,
            owner=text,
            due=TODAY - dt.timedelta(days=1),
            kpis=[text, text],
            notes=text,
            review=Review(state="changes-requested" if index % 2 else "approved", by=text, on=TODAY, comment=text),
        )
    text = project_text
    return Design(
        project=ProjectInfo(title=text, organization=text, lead=text, content=pack.ref),
        context=ClinicalContext(
            care_model=pack.care_models[0].id,
            care_model_note=text,
            roles=[pack.roles[0].id],
            visit_types=[pack.visit_types[0].id],
        ),
        decisions=decisions,
    )


# ---------------------------------------------------------------------------
# Reading the Markdown back through markdown-it-py
# ---------------------------------------------------------------------------

PARSER = MarkdownIt("commonmark").enable("table")
PARSER_WITH_HTML = MarkdownIt("commonmark", {"html": True}).enable("table")


def expected_headings(design: Design, pack: ContentPack) -> list[tuple[int, str]]:
    """The playbook's own heading tree: (level, source text), in document order."""
    out = [(1, heading_title(design))]
    for part in FIXED_PARTS:
        if part != SECTIONS:
            out.append((2, part))
            continue
        for section in pack.sections:
            out.append((2, f"{section.number} {section.title}"))
            out += [(3, f"{item.number} {item.title}") for item in section.items]
    return out


def headings(tokens: list[Token]) -> list[tuple[int, str]]:
    """Every heading markdown-it finds, at any depth: (level, source text of its content)."""
    return [
        (int(token.tag[1]), tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


@dataclass
class Table:
    """A table as markdown-it parsed it."""

    header: list[str]
    rows: list[list[str]]
    lines: list[str]
    level: int


def tables(tokens: list[Token], markdown: str) -> list[Table]:
    """Every table, with its cells' source text and its source lines."""
    source = markdown.split("\n")
    found: list[Table] = []
    current: Table | None = None
    row: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "table_open":
            assert token.map is not None
            current = Table([], [], source[token.map[0] : token.map[1]], token.level)
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append(tokens[index + 1].content)
        elif token.type == "tr_close" and current is not None:
            if current.header:
                current.rows.append(row)
            else:
                current.header = row
        elif token.type == "table_close" and current is not None:
            found.append(current)
            current = None
    return found


_SEPARATOR_PIPE = re.compile(r"(?<!\\)\|")
_SEPARATOR_PIPE_PARITY = re.compile(r"(?<!\\)(?:\\\\)*\|")


def separator_pipes(line: str) -> int:
    """Pipes that separate cells, as markdown-it (no backslash before) and GFM (even run) see it."""
    simple = len(_SEPARATOR_PIPE.findall(line))
    parity = sum(1 for m in _SEPARATOR_PIPE_PARITY.finditer(line) if (len(m.group(0)) - 1) % 2 == 0)
    assert simple == parity, f"ambiguous pipes in {line!r}"
    return simple


SIGN_OFF_HEADER = ["Role", "Outcome", "Conditions", "Name", "Signature", "Date"]
SUMMARY_HEADER = ["Item", "Decision (first sentence)", "Status, review"]


def expected_table_headers(design: Design, pack: ContentPack) -> list[list[str]]:
    """The header rows of the playbook's own tables, in order."""
    return [SIGN_OFF_HEADER, SUMMARY_HEADER]


def part_list_items(tokens: list[Token], heading: str) -> list[str]:
    """The text of each item of the top-level bullet lists of one `##` part, as parsed."""
    found: list[str] = []
    inside = bullets = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inside = tokens[index + 1].content == heading
        elif token.level == 0 and token.type in ("bullet_list_open", "ordered_list_open"):
            bullets = token.type == "bullet_list_open"
        elif inside and bullets and token.type == "list_item_open" and token.level == 1:
            found.append(tokens[index + 2].content if index + 2 < len(tokens) else "")
    return found


def link_text(source: str) -> str:
    """The text of a Markdown link ``[text](#anchor)``, or the source when it is not one."""
    found = re.fullmatch(r"\[(.*)\]\(#[^()\s]*\)", source)
    return found.group(1) if found else source


def assert_structure(markdown: str, design: Design, pack: ContentPack) -> None:
    """The heading tree and the tables are exactly the playbook's own; no live HTML anywhere."""
    # One parse with raw HTML allowed: when it finds no HTML, the parse with HTML off (what the
    # export uses) is the same token for token, so the structure checks hold for both.
    tokens = PARSER_WITH_HTML.parse(markdown)
    html_tokens = [t for t in _walk(tokens) if t.type in ("html_block", "html_inline")]
    assert html_tokens == [], f"raw HTML would be live: {[t.content for t in html_tokens][:3]}"
    assert headings(tokens) == expected_headings(design, pack)

    found = tables(tokens, markdown)
    assert [t.level for t in found] == [0] * len(found), "a table inside user text"
    assert [t.header for t in found] == expected_table_headers(design, pack)
    for table in found:
        width = len(table.header)
        assert all(len(row) == width for row in table.rows)
        pipes = width + 1
        for line in table.lines:
            assert separator_pipes(line) == pipes, f"row does not keep its cells: {line!r}"
    sign_off, summary = found[:2]
    assert [link_text(row[0]) for row in summary.rows] == [f"{item.number} {item.title}" for item in pack.items]
    statuses = [row[2].split(",")[0] for row in summary.rows]
    assert statuses == [STATUS_LABELS[design.status_of(i.id)] for i in pack.items]
    assert [row[0] for row in sign_off.rows] == list(SIGN_OFF_ROLES)
    assert all(cell == "" for row in sign_off.rows for cell in row[2:])
    # The lists the playbook writes hold one entry each of its own, whatever the user text in them.
    progress = part_list_items(tokens, FIXED_PARTS[0])
    assert [entry.split(":")[0] for entry in progress] == [f"{s.number} {s.title}" for s in pack.sections]
    measured = [
        item.number
        for item in pack.items
        if design.status_of(item.id) != "not-applicable" and any(k.strip() for k in design.decision(item.id).kpis)
    ]
    kpis = part_list_items(tokens, "KPI register")
    assert [re.match(r"\[([\d.]+)\]", entry).group(1) for entry in kpis if re.match(r"\[([\d.]+)\]", entry)] == measured
    assert len(kpis) == len(measured)


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_walk(token.children))
    return out


# ---------------------------------------------------------------------------
# Design files on disk
# ---------------------------------------------------------------------------


def write_design(path: Path, design: Design, order: list[str] | None = None) -> Path:
    """Write a design as a project file by hand, its decision tables in the given slug order."""
    data = design.model_dump(mode="python", exclude_none=True)
    decisions = data.pop("decisions")
    slugs = order if order is not None else list(decisions)
    data["decisions"] = {slug: decisions[slug] for slug in slugs}
    for decision in data["decisions"].values():
        if not decision.get("kpis"):
            decision.pop("kpis", None)
    path.write_text(tomlkit.dumps(data), encoding="utf-8")
    return path
