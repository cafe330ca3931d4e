"""Every word the design team wrote is in the playbook (issue 14, "Done when").

The example design's every user-written field (summaries, rationales, measures, notes, owners,
reviewers and their comments, the project's own lines) must be readable in the exported HTML: the
text a reader sees, compared after both are rendered by the same CommonMark parser.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from wizard.content import ContentPack
from wizard.playbook import render
from wizard.project import Design, load_design

EXAMPLE = Path(__file__).resolve().parents[2] / "wizard" / "examples" / "riverbend-virtual-urgent-care.toml"
TODAY = dt.date(2026, 12, 1)
_PARSER = MarkdownIt("commonmark").enable("table")


def visible_text(page_html: str) -> str:
    """The text of an HTML fragment as a reader sees it, on one line with single spaces."""
    body = page_html[page_html.find("<body>") :] if "<body>" in page_html else page_html
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"</?span\b[^>]*>", "", body)  # the export keeps dates on one line in a span: no word break
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def written_fields(design: Design) -> list[tuple[str, str]]:
    """(where, text) for every non-blank field the team wrote, in the file's order."""
    info = design.project
    found = [("project.title", info.title), ("project.organization", info.organization), ("project.lead", info.lead)]
    for slug, decision in design.decisions.items():
        found += [(f"{slug}.{name}", getattr(decision, name)) for name in ("summary", "rationale", "owner", "notes")]
        found += [(f"{slug}.kpis[{index}]", kpi) for index, kpi in enumerate(decision.kpis)]
        if decision.review is not None:
            found += [(f"{slug}.review.by", decision.review.by), (f"{slug}.review.comment", decision.review.comment)]
    return [(where, text) for where, text in found if text.strip()]


def missing_fields(design: Design, page: str) -> list[str]:
    """The fields whose rendered text the page does not show."""
    shown = visible_text(page)
    return [where for where, text in written_fields(design) if visible_text(_PARSER.render(text)) not in shown]


@pytest.fixture(scope="module")
def example(bundled_pack: ContentPack) -> Design:
    return load_design(EXAMPLE, bundled_pack).design


def test_every_field_the_team_wrote_is_in_the_playbook(example: Design, bundled_pack: ContentPack) -> None:
    fields = written_fields(example)
    assert len(fields) > 200  # summaries, rationales, measures, notes, owners, reviews of 38 items
    assert missing_fields(example, render(example, bundled_pack, "html", TODAY)) == []


def test_the_check_can_fail(example: Design, bundled_pack: ContentPack) -> None:
    page = render(example, bundled_pack, "html", TODAY)
    decision = example.decisions["after-hours-coverage"]
    dropped = page.replace(html.escape(decision.notes, quote=False), "")
    assert missing_fields(example, dropped) == ["after-hours-coverage.notes"]
