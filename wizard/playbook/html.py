"""The HTML export: one self-contained file rendered from the playbook's Markdown, for screen and print.

Raw HTML in the Markdown is off, so nothing a user typed is ever live; links other than http(s),
mailto and in-page anchors are not rendered as links; images become links, so the file loads
nothing. The only markup that is not rendered from the Markdown is ours: the charts (inline SVG,
drawn by ``wizard.playbook.charts`` from counts), the ids of headings, and the sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, Any

from wizard.playbook.outline import FIXED_PARTS
from wizard.playbook.text import anchor

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.35; color: #111; background: #fff; }
h1, h2, h3 { font-family: Arial, 'Helvetica Neue', sans-serif; line-height: 1.2; }
h1 { font-size: 1.55rem; border-bottom: 2px solid #222; padding-bottom: .3rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid #777; margin: 1.4rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .2rem; }
p, ul, ol { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .88em; margin: .4rem 0; }
th, td { border: 1px solid #999; padding: .15rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
p, li, td, th, blockquote { overflow-wrap: break-word; }
td:first-child, th:first-child, span.date { white-space: nowrap; }
section.summary-of-decisions table { table-layout: fixed; font-size: .8em; }
section.summary-of-decisions th:nth-child(1) { width: 36%; }
section.summary-of-decisions th:nth-child(2) { width: 44%; }
section.summary-of-decisions th:nth-child(3) { width: 20%; }
section.summary-of-decisions td:first-child { white-space: normal; }
section.references li { overflow-wrap: anywhere; }
section.references { font-size: .82em; }
section.contents ul { columns: 3; }
section.compliance-baseline, section.kpi-register, section.action-plan,
section.design-principles { font-size: .9em; }
blockquote { margin: .25rem 0 .4rem; padding: .05rem .7rem; border-left: 3px solid #888; background: #f6f6f6; }
code, pre { font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: .9em; }
pre { white-space: pre-wrap; }
h3 + p > strong:first-child { border: 1px solid #222; padding: 0 .35em; font-family: Arial, sans-serif;
  font-size: .85em; }
figure.chart { margin: .3rem 0 .5rem; }
figure.chart svg { width: 100%; height: auto; max-height: 14rem; }
section.sign-off table { table-layout: fixed; }
section.sign-off td { height: 2.4rem; }
section.sign-off td:first-child { white-space: normal; }
section.sign-off th:nth-child(1) { width: 17%; }
section.sign-off th:nth-child(2) { width: 15%; }
section.sign-off th:nth-child(3) { width: 26%; }
section.sign-off th:nth-child(4), section.sign-off th:nth-child(5) { width: 15%; }
section.sign-off th:nth-child(6) { width: 12%; }
section.sign-off td:nth-child(2) { font-size: .85em; }
@page { size: Letter; margin: 12mm 12mm 14mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 8pt Arial, sans-serif; color: #333; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9pt; }
  section.page { break-before: page; page-break-before: always; }
  section.sign-off { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h3 + p, p:has(+ blockquote), p:has(+ ul) { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, blockquote, pre, figure, li { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th { background: none; }
}
"""
"""Styles of the HTML export: one file, nothing loaded from elsewhere. Parts that start a printed
page are ``section.page``; the brief stays on the title page, and the short parts at the end
follow each other."""

DRAFT_CSS = """
@page { @top-right { content: "%s"; font: bold 9pt Arial, sans-serif; letter-spacing: .08em; } }
"""
"""Added while the design is a draft: the mark on every printed page (%s: what it says)."""
DRAFT_NOT_SIGNED = "DRAFT: not signed"

FLOWING_PARTS = frozenset(
    {
        "Decision brief",
        "Contents",
        "Summary of decisions",
        "KPI register",
        "Open items and review comments",
        "Design principles",
        "References",
    }
)
"""Parts that follow on the page before instead of starting a new one."""

_SAFE_SCHEMES = re.compile(r"(?i)^(?:https?:|mailto:|#)")


@dataclass(frozen=True)
class Figure:
    """A chart placed after the paragraph whose Markdown source is ``after`` (in the part ``part``)."""

    part: str
    after: str
    svg: str
    replaces_next: bool = False
    """True when the chart stands in for the block (a table or a list) that follows the paragraph
    (the Markdown keeps it: the same facts as text)."""


def _safe_link(url: str) -> bool:
    """Only web, mail and in-page links survive into the HTML (never javascript:, data: or file:)."""
    return bool(_SAFE_SCHEMES.match(url.strip()))


def _render_image_as_link(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Images are never embedded (the file loads nothing): they become a link to the image."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = str(token.attrGet("src") or "")
    return f'<a href="{escape(src)}">Image: {escape(alt)}</a>'


_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Text, escaped, with every ISO date kept on one line: a browser may otherwise break a date
    after a hyphen at the end of a line ("2027-03-" then "01")."""
    from markdown_it.common.utils import escapeHtml  # the renderer's own escaping

    return _DATE.sub(r'<span class="date">\g<0></span>', escapeHtml(tokens[idx].content))


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Links keep only their address: no title or other attribute from user text."""
    href = str(tokens[idx].attrGet("href") or "")
    return f'<a href="{escape(href)}">'


@lru_cache(maxsize=1)
def _markdown_renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported here: only the HTML export needs it

    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    renderer.enable("table")
    renderer.validateLink = _safe_link  # type: ignore[method-assign]
    renderer.add_render_rule("image", _render_image_as_link)
    renderer.add_render_rule("link_open", _render_link_open)
    renderer.add_render_rule("text", _render_text)
    return renderer


def _heading_text(inline_token: Token) -> str:
    return "".join(child.content for child in inline_token.children or [] if child.type in ("text", "code_inline"))


def _sectioned(tokens: list[Token], figures: Sequence[Figure]) -> list[Token]:
    """Wrap the title block in <header> and every `##` part in <section>; give headings their ids;
    put the charts in place."""
    from markdown_it.token import Token

    out: list[Token] = [Token("header_open", "header", 1, block=True)]
    closing = "header"
    part = ""
    skipping = ""  # the closing token type of the block a chart stands in for, while skipping it
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h2", "h3") and index + 1 < len(tokens):
            text = _heading_text(tokens[index + 1])
            token.attrSet("id", anchor(text))
            if token.tag == "h2" and token.level == 0:
                out.append(Token(f"{closing}_close", closing, -1, block=True))
                part = text
                section = Token("section_open", "section", 1, block=True)
                classes = [anchor(text) if text in FIXED_PARTS else "checklist-section"]
                if text not in FLOWING_PARTS:
                    classes.append("page")
                section.attrSet("class", " ".join(classes))
                out.append(section)
                closing = "section"
        if skipping:
            if token.type == skipping and token.level == 0:
                skipping = ""
            continue
        out.append(token)
        if token.type == "paragraph_close" and index >= 1 and tokens[index - 1].type == "inline":
            source = tokens[index - 1].content
            for figure in figures:
                if figure.part == part and figure.after == source:
                    block = Token("html_block", "", 0, block=True)
                    block.content = f'<figure class="chart">{figure.svg}</figure>\n'
                    out.append(block)
                    following = tokens[index + 1] if index + 1 < len(tokens) else None
                    if figure.replaces_next and following is not None and following.type.endswith("_open"):
                        skipping = following.type.replace("_open", "_close")
    out.append(Token(f"{closing}_close", closing, -1, block=True))
    return out


def render_html(
    markdown: str, title: str, figures: Sequence[Figure] = (), *, draft: bool = False, draft_mark: str = ""
) -> str:
    """One self-contained HTML file from the playbook Markdown (raw HTML off, no scripts).

    ``title`` is plain text (it is escaped here). ``figures`` are our own charts; ``draft`` marks
    every printed page, with ``draft_mark`` (our own text, no quotes) or "DRAFT: not signed".
    """
    renderer = _markdown_renderer()
    tokens = _sectioned(renderer.parse(markdown), figures)
    body = renderer.renderer.render(tokens, renderer.options, {})
    css = CSS + (DRAFT_CSS % (draft_mark or DRAFT_NOT_SIGNED) if draft else "")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
