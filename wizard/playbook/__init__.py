"""The playbook: a review-ready Markdown document (and HTML rendered from it) of one design.

What it holds, in order (SPEC "The playbook"): document control and the decision brief on page 1,
the sign-off block, contents and a summary table, one `##` per checklist section and one `###`
per item, then the compliance baseline, the action plan, the KPI register, open items, the design
principles and the references. The modules:

- ``text``: making user text safe inside our own Markdown;
- ``outline``: the headings in order, labels, and what every part is built from;
- ``front``: document control, the brief, sign-off, contents, the summary table;
- ``items``: the item blocks;
- ``registers``: compliance baseline, action plan, KPI register, open items;
- ``back``: design principles and references;
- ``charts`` and ``html``: the HTML export, with its charts drawn as inline SVG.

The output is deterministic: the same design gives the same bytes (the export date comes from
``SOURCE_DATE_EPOCH`` when set), and every list follows content order, never dict or file order.
Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt

from wizard.attention import export_date, needs_attention
from wizard.compliance import build_baseline
from wizard.content import ContentPack
from wizard.playbook import back, front, items, registers
from wizard.playbook.outline import (
    FIXED_PARTS,
    FORMATS,
    HEADING_ACTIONS,
    HEADING_BASELINE,
    HEADING_BRIEF,
    HEADING_CONTENTS,
    HEADING_KPIS,
    HEADING_OPEN,
    HEADING_PRINCIPLES,
    HEADING_REFERENCES,
    HEADING_SIGN_OFF,
    HEADING_SUMMARY,
    REVIEW_LABELS,
    SECTIONS,
    SIGN_OFF_ROLES,
    STATUS_LABELS,
    TITLE_SUFFIX,
    Inputs,
    heading_title,
    numbered_measures,
    title_of,
)
from wizard.playbook.text import cell, inline, inline_start, quote_block, safe_block
from wizard.project import Design, version_state

__all__ = [
    "CSS",
    "FIXED_PARTS",
    "FORMATS",
    "HEADING_ACTIONS",
    "HEADING_BASELINE",
    "HEADING_BRIEF",
    "HEADING_CONTENTS",
    "HEADING_KPIS",
    "HEADING_OPEN",
    "HEADING_PRINCIPLES",
    "HEADING_REFERENCES",
    "HEADING_SIGN_OFF",
    "HEADING_SUMMARY",
    "REVIEW_LABELS",
    "SECTIONS",
    "SIGN_OFF_ROLES",
    "STATUS_LABELS",
    "TITLE_SUFFIX",
    "cell",
    "export_date",
    "heading_title",
    "inline",
    "inline_start",
    "quote_block",
    "render",
    "render_html",
    "render_playbook",
    "safe_block",
    "title_of",
]


def __getattr__(name: str) -> object:
    """The HTML export's names, imported on first use: a Markdown export never loads the HTML module."""
    if name in ("CSS", "render_html"):
        from wizard.playbook import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def gather(design: Design, pack: ContentPack, today: dt.date | None = None) -> Inputs:
    """What every part of the playbook is built from."""
    today = today or export_date()
    baseline = build_baseline(design, pack)
    versions = version_state(design, (item.id for item in pack.items))
    concerns = needs_attention(design, pack, today, baseline, versions)
    return Inputs(design, pack, today, baseline, concerns, numbered_measures(design, pack), versions)


def markdown_of(inputs: Inputs) -> str:
    """The playbook as Markdown (CommonMark with tables), ending with one newline."""
    out = front.title_block(inputs)
    out += front.brief(inputs)
    out += front.sign_off(inputs)
    out += front.contents(inputs)
    out += front.summary(inputs)
    out += items.section_lines(inputs)
    out += registers.baseline(inputs)
    out += registers.action_plan(inputs)
    out += registers.kpi_register(inputs)
    out += registers.open_items(inputs)
    out += back.principles(inputs)
    out += back.references(inputs)
    return "\n".join(out)


def render_playbook(design: Design, pack: ContentPack, today: dt.date | None = None) -> str:
    """The playbook as Markdown (CommonMark with tables), ending with one newline."""
    return markdown_of(gather(design, pack, today))


def render(design: Design, pack: ContentPack, fmt: str = "markdown", today: dt.date | None = None) -> str:
    """The playbook in the given format ("markdown" or "html")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose markdown or html")
    inputs = gather(design, pack, today)
    markdown = markdown_of(inputs)
    if fmt == "html":
        from wizard.playbook.charts import figures
        from wizard.playbook.html import render_html  # the Markdown export never needs it

        return render_html(
            markdown,
            f"{title_of(design)}: {TITLE_SUFFIX}",
            figures=figures(inputs),
            draft=inputs.versions.is_draft,
            draft_mark=front.draft_mark(inputs.versions),
        )
    return markdown
