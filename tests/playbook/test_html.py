"""The HTML export: one self-contained file, nothing live from user text, print-ready (issue 5, 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.playbook.helpers import (
    HOSTILE_FRAGMENTS,
    TODAY,
    design_with_texts,
    fragment_texts,
    hostile_design,
)
from wizard.content import ContentPack
from wizard.playbook import (
    CSS,
    HEADING_ACTIONS,
    HEADING_BASELINE,
    HEADING_BRIEF,
    HEADING_SIGN_OFF,
    SIGN_OFF_ROLES,
    render,
    render_html,
)
from wizard.playbook.text import anchor
from wizard.project import Design

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "section", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "em", "a", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"href", "class", "lang", "charset", "name", "content", "start", "id"}
SVG_TAGS = {"svg", "title", "defs", "pattern", "rect", "circle", "line", "text"}
"""What our own charts are drawn with: shapes and text, nothing that links, loads or runs."""
SVG_ATTRIBUTES = {
    "xmlns", "viewbox", "role", "aria-label", "font-family", "font-size", "font-weight", "id", "x", "y",
    "width", "height", "fill", "stroke", "stroke-width", "paint-order", "patternunits", "patterntransform",
    "cx", "cy", "r", "x1", "y1", "x2", "y2", "text-anchor",
}  # fmt: skip
SAFE_URL = re.compile(r"^(?:https?://|mailto:|#|$)", re.IGNORECASE)  # "" is this very page
EVENT_HANDLER_IN_TAG = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
URL_ATTRIBUTE = re.compile(r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*([^"'\s>]*)""", re.I)


@dataclass
class Element:
    """A start tag with its attributes and the text directly under the elements it opens."""

    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)
    children: list[Element] = field(default_factory=list)


class _Tree(HTMLParser):
    """A small DOM: enough to check tags, attributes and which section holds what."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.all: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.all.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def parse(page: str) -> _Tree:
    """The page as a small tree."""
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


def text_of(element: Element) -> str:
    """All text under an element."""
    return "".join(element.text) + "".join(text_of(child) for child in element.children)


def _descendants(element: Element) -> list[Element]:
    return [child for direct in element.children for child in (direct, *_descendants(direct))]


def assert_nothing_live(page: str) -> None:
    """No script, no event handler, no dangerous URL, no external resource, only known tags."""
    assert "<script" not in page.lower()
    assert not EVENT_HANDLER_IN_TAG.search(page)
    for tag in re.findall(r"<[a-zA-Z][^>]*>", page):
        for url in URL_ATTRIBUTE.findall(tag):
            assert SAFE_URL.match(url), f"unsafe URL {url!r} in {tag!r}"
            assert "javascript:" not in url.lower()
    tree = parse(page)
    in_svg = {id(child) for element in tree.all if element.tag == "svg" for child in _descendants(element)}
    for element in tree.all:
        svg = element.tag == "svg" or id(element) in in_svg
        assert element.tag in (SVG_TAGS if svg else ALLOWED_TAGS), f"unexpected <{element.tag}>"
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"event handler {name}={value!r}"
            assert name in (SVG_ATTRIBUTES if svg else ALLOWED_ATTRIBUTES), name
            if name == "start":
                assert value.isdigit()
            if name == "href":
                assert SAFE_URL.match(value), f"unsafe link {value!r}"
            if svg and "url(" in value:
                assert re.fullmatch(r"url\(#[\w-]+\)", value), f"a chart refers outside itself: {value!r}"
    styles = [element for element in tree.all if element.tag == "style"]
    assert len(styles) == 1
    assert "@import" not in page and "url(" not in CSS


def test_example_is_one_self_contained_page(example: Design, bundled_pack: ContentPack) -> None:
    page = render(example, bundled_pack, "html", TODAY)
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")
    assert_nothing_live(page)
    assert "<link" not in page and "<img" not in page and "src=" not in page
    tree = parse(page)
    title = next(e for e in tree.all if e.tag == "title")
    assert text_of(title) == "Riverbend Health Virtual Urgent Care: Telemedicine Clinical Workflow Playbook"
    links = [e.attrs["href"] for e in tree.all if e.tag == "a"]
    assert links and all(link.startswith(("https://", "http://", "#")) for link in links)
    ids = {e.attrs["id"] for e in tree.all if "id" in e.attrs}
    assert {link[1:] for link in links if link.startswith("#")} <= ids  # every in-page link lands


def test_parts_are_sections_and_the_long_ones_start_a_printed_page(example: Design, bundled_pack: ContentPack) -> None:
    tree = parse(render(example, bundled_pack, "html", TODAY))
    body = next(e for e in tree.all if e.tag == "body")
    sections = [child for child in body.children if child.tag == "section"]
    assert [child.tag for child in body.children] == ["header", *["section"] * len(sections)]
    for section in sections:  # each section holds exactly one `##` heading, first, with its anchor
        heading = section.children[0]
        assert heading.tag == "h2" and [e.tag for e in section.children].count("h2") == 1
        assert heading.attrs["id"] == anchor(text_of(heading))
    starts_page = {text_of(s.children[0]): "page" in s.attrs["class"].split() for s in sections}
    checklist = [f"{section.number} {section.title}" for section in bundled_pack.sections]
    assert all(starts_page[name] for name in [HEADING_SIGN_OFF, *checklist, HEADING_BASELINE, HEADING_ACTIONS])
    assert not starts_page[HEADING_BRIEF]  # the brief stays on page 1
    sign_off = [s for s in sections if "sign-off" in s.attrs.get("class", "").split()]
    assert len(sign_off) == 1
    assert text_of(sign_off[0].children[0]) == HEADING_SIGN_OFF
    table = next(e for e in sign_off[0].children if e.tag == "table")
    body_rows = next(e for e in table.children if e.tag == "tbody").children
    assert [text_of(row.children[0]) for row in body_rows] == list(SIGN_OFF_ROLES)

    print_css = CSS[CSS.index("@media print") :]
    assert re.search(r"section\.page\s*\{[^}]*break-before:\s*page", print_css)
    assert re.search(r"section\.sign-off\s*\{[^}]*break-inside:\s*avoid", print_css)
    assert re.search(r"thead\s*\{[^}]*table-header-group", print_css)  # headers repeat on pages
    assert re.search(r'@bottom-right\s*\{[^}]*"Page " counter\(page\) " of " counter\(pages\)', CSS)


def test_no_table_cell_breaks_inside_a_word() -> None:
    """overflow-wrap: anywhere let the browser shrink a column until "2027-01-15" wrapped letter by letter."""
    for rule in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        selectors, body = rule
        if re.search(r"\b(?:td|th|table)\b", selectors):
            assert "anywhere" not in body and "break-all" not in body, selectors


def test_draft_is_marked_on_every_printed_page(example: Design, bundled_pack: ContentPack) -> None:
    page = render(example, bundled_pack, "html", TODAY)
    assert re.search(r'@top-right\s*\{\s*content:\s*"DRAFT', page)
    assert "DRAFT" not in render_html("# T\n", "T", draft=False)


def test_charts_read_in_black_and_white(example: Design, bundled_pack: ContentPack) -> None:
    """Each chart has a pattern per kind of bar, outlines, a legend and its numbers as text."""
    tree = parse(render(example, bundled_pack, "html", TODAY))
    charts = [e for e in tree.all if e.tag == "svg"]
    assert len(charts) == 2
    for chart in charts:
        parts = _descendants(chart)
        patterns = [e for e in parts if e.tag == "pattern"]
        assert len({e.attrs["id"] for e in patterns}) == len(patterns) >= 2
        bars = [e for e in parts if e.tag == "rect" and e.attrs.get("fill", "").startswith("url(")]
        assert bars and all(bar.attrs.get("stroke") == "#000" for bar in bars)
        labels = [text_of(e) for e in parts if e.tag == "text"]
        assert "Decided" in labels and any(label.isdigit() for label in labels)
    progress = text_of(charts[0])
    for section in bundled_pack.sections:
        assert section.number in progress
    ids = [e.attrs["id"] for e in tree.all if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "two elements share an id"


def test_explicit_attacks_are_shown_as_text(bundled_pack: ContentPack) -> None:
    attacks = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        '<a href="javascript:alert(1)" onclick="alert(2)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        '[t](https://example.org "onmouseover=alert(1)")',
        '[t](https://example.org "x" onmouseover=alert(1))',
        "![pixel](https://tracker.example/p.png)",
        "![x](javascript:alert(1))",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "<!-- hidden --> <style>body{display:none}</style>",
        "```\n<script>alert(1)</script>\n```",
        "`<script>alert(1)</script>`",
        "    <script>alert(1)</script>",
        "</title><script>alert(1)</script>",
    ]
    everything = "\n\n".join(attacks)
    texts = [everything if index < 4 else "" for index in range(len(bundled_pack.items))]  # one per status
    design = design_with_texts(bundled_pack, texts, everything)
    page = render(design, bundled_pack, "html", TODAY)
    assert_nothing_live(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    assert 'href="https://tracker.example/p.png">Image: pixel</a>' in page  # linked, never loaded
    title = next(e for e in parse(page).all if e.tag == "title")
    assert text_of(title).startswith("<script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "</title><script>" not in page and "&lt;/title&gt;&lt;script&gt;" in page


@pytest.mark.parametrize("in_context", [False, True], ids=["alone", "inside-markdown"])
def test_every_hostile_fragment_in_html(in_context: bool, bundled_pack: ContentPack) -> None:
    texts = fragment_texts(len(bundled_pack.items), in_context)
    design = design_with_texts(bundled_pack, texts, "\n".join(HOSTILE_FRAGMENTS))
    assert_nothing_live(render(design, bundled_pack, "html", TODAY))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_text_is_never_live_in_html(data: st.DataObject, bundled_pack: ContentPack) -> None:
    design = data.draw(hostile_design(bundled_pack))
    assert_nothing_live(render(design, bundled_pack, "html", TODAY))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hostile_text_is_never_live_in_html_many(data: st.DataObject, bundled_pack: ContentPack) -> None:
    design = data.draw(hostile_design(bundled_pack, templates=5))
    assert_nothing_live(render(design, bundled_pack, "html", TODAY))


def test_the_check_can_fail() -> None:
    """assert_nothing_live is not vacuous: each kind of live content is caught."""
    page = render_html("# T\n", "T")
    for injected in (
        "<script>x</script>",
        '<p onclick="x">a</p>',
        '<a href="javascript:x">a</a>',
        '<a href="data:text/html,x">a</a>',
        '<img src="https://tracker.example/p.png">',
        "<iframe></iframe>",
    ):
        with pytest.raises(AssertionError):
            assert_nothing_live(page.replace("<h1>", injected + "<h1>"))


def test_render_html_escapes_the_title() -> None:
    page = render_html("# x\n", "</title><script>alert(1)</script> & co")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in page
    assert_nothing_live(page)
