"""The playbook: a review-ready Markdown document (and HTML rendered from it) of one design.

User text is Markdown, but it can never change the playbook's structure: heading markers are
escaped, raw HTML is shown as text, code fences are closed, table cells escape ``|`` and line
breaks. The output is deterministic: the same design gives the same bytes (the export date comes
from ``SOURCE_DATE_EPOCH`` when set). Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Iterable

from wizard.content import ContentPack, Item, Reference, TemporaryRule
from wizard.project import CUSTOM_OPTION, Decision, Design, progress

STATUS_LABELS = {
    "open": "Open",
    "drafting": "Drafting",
    "decided": "Decided",
    "not-applicable": "Not applicable",
}
REVIEW_LABELS = {"approved": "Approved", "changes-requested": "Changes requested"}
SIGN_OFF_ROLES = (
    "Medical director",
    "Nursing lead",
    "Compliance officer",
    "Privacy and security officer",
    "Telemedicine operations lead",
)
FORMATS = ("markdown", "html")


def export_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, found {epoch!r}") from None
    return dt.date.today()


# ---------------------------------------------------------------------------
# Making user text safe
# ---------------------------------------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_HEADING_START = re.compile(r"^( {0,3})(#)")
_SETEXT_OR_RULE = re.compile(r"^( {0,3})([=\-_*+])(?=[ \t]*(?:\2[ \t]*)*$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_DEF = re.compile(r"^( {0,3})\[(?=[^\]]*\]:)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escape_html_outside_code(line: str) -> str:
    """Show raw HTML as text: '<' and '&' become entities, except inside code spans."""
    out = []
    last = 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_entities(line[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_entities(line[last:]))
    return "".join(out)


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("\ufffd", text)


def safe_block(text: str) -> list[str]:
    """User Markdown as lines that cannot open headings, live HTML or unclosed fences."""
    lines = _normalize(text).strip("\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        line = line.rstrip()
        match = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                if line.strip() == match.group(1) or not line.strip().strip(fence[0]):
                    fence = None
            continue
        if match:
            fence = match.group(1)
            out.append(line)
            continue
        line = _escape_html_outside_code(line)
        line = _HEADING_START.sub(r"\1\\\2", line)
        line = _SETEXT_OR_RULE.sub(r"\1\\\2", line)
        line = _LINK_DEF.sub(r"\1\\[", line)
        out.append(line)
    if fence is not None:
        out.append(fence)
    # An indented line right after our label would be a code block anyway; blank lines are kept.
    return out


def quote_block(text: str) -> list[str]:
    """User Markdown inside a blockquote, so whatever it opens ends with the quote."""
    return [f"> {line}" if line else ">" for line in safe_block(text)]


def inline(text: str) -> str:
    """User text on one line inside our own Markdown (a list item)."""
    flat = " ".join(_normalize(text).split())
    flat = _escape_html_outside_code(flat)
    flat = re.sub(r"\\$", r"\\\\", flat)  # a trailing backslash would escape our line break
    return flat


def cell(text: str) -> str:
    """User text inside a table cell: one line, backslashes and pipes escaped."""
    flat = " / ".join(part.strip() for part in _normalize(text).split("\n") if part.strip())
    flat = " ".join(flat.split())
    flat = flat.replace("\\", "\\\\").replace("|", "\\|")
    flat = _entities(flat).replace("`", "\\`")
    return flat or " "


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def _approach(item: Item, decision: Decision) -> str:
    if decision.option == CUSTOM_OPTION:
        return "Custom approach (see summary)"
    option = item.option(decision.option) if decision.option else None
    return option.label if option else "Not chosen"


def _review_text(decision: Decision) -> str:
    review = decision.review
    if review is None:
        return "Not reviewed"
    text = REVIEW_LABELS[review.state]
    if review.by:
        text += f" by {' '.join(review.by.split())}"
    if review.on:
        text += f" on {review.on.isoformat()}"
    return text


def _status_line(design: Design, pack: ContentPack) -> str:
    counts = progress(design, pack)
    total = len(pack.items)
    approved = sum(
        1 for item in pack.items if (r := design.decision(item.id).review) and r.state == "approved"
    )
    changes = sum(
        1 for item in pack.items if (r := design.decision(item.id).review) and r.state == "changes-requested"
    )
    open_count = counts["open"] + counts["drafting"]
    return (
        f"{counts['decided']} of {total} items decided, {counts['not-applicable']} not applicable, "
        f"{open_count} open ({counts['drafting']} drafting); review: {approved} approved, "
        f"{changes} with changes requested."
    )


def render_playbook(design: Design, pack: ContentPack, today: dt.date | None = None) -> str:
    """The playbook as Markdown."""
    today = today or export_date()
    info = design.project
    ctx = design.context
    title = " ".join(info.title.split()) or "Untitled design"
    out: list[str] = [f"# {inline(title)}: Telemedicine Clinical Workflow Playbook", ""]
    out += [
        f"- **Organization:** {inline(info.organization) or 'Not recorded'}",
        f"- **Operations lead:** {inline(info.lead) or 'Not recorded'}",
        f"- **Exported:** {today.isoformat()}",
        f"- **Content pack:** {pack.title} ({pack.id} {pack.version})",
        f"- **Status:** {_status_line(design, pack)}",
        "",
        "This playbook records the clinical workflow decisions of the design above, item by item, "
        "for review and sign-off. Guidance and compliance notes come from the content pack; "
        "nothing here is legal advice, and state law varies.",
        "",
        "## Clinical context",
        "",
    ]
    care = pack.label("care_models", ctx.care_model) if ctx.care_model else "Not chosen"
    if ctx.care_model_note.strip():
        care += f" ({inline(ctx.care_model_note)})"
    roles = ", ".join(pack.label("roles", r) for r in ctx.roles) or "Not chosen"
    visits = ", ".join(pack.label("visit_types", v) for v in ctx.visit_types) or "Not chosen"
    out += [
        f"- **Care model:** {care}",
        f"- **Clinical staff roles:** {roles}",
        f"- **Visit types:** {visits}",
        "",
        "## Summary",
        "",
    ]
    rows = []
    for item in pack.items:
        decision = design.decision(item.id)
        rows.append(
            [
                item.number,
                cell(item.title),
                cell(decision.summary) if decision.summary.strip() else "-",
                cell(decision.owner) if decision.owner.strip() else "-",
                decision.due.isoformat() if decision.due else "-",
                STATUS_LABELS[decision.status],
                REVIEW_LABELS[decision.review.state] if decision.review else "-",
            ]
        )
    out += _table(["No.", "Item", "Decision", "Owner", "Due", "Status", "Review"], rows)
    out.append("")

    cited: dict[str, Reference] = {}
    rules: dict[str, TemporaryRule] = {}
    for section in pack.sections:
        out += [f"## {section.number} {section.title}", ""]
        for item in section.items:
            out += _item_lines(item, design, pack, cited, rules)

    out += _open_items(design, pack)
    out += _principles(design, pack)
    out += _temporary_rules(rules.values())
    out += _sign_off(design)
    out += ["## References", ""]
    if cited:
        out += [f"1. [{ref.title}]({ref.url})" for ref in cited.values()]
    else:
        out.append("No references cited.")
    out.append("")
    return "\n".join(out)


def _item_lines(
    item: Item,
    design: Design,
    pack: ContentPack,
    cited: dict[str, Reference],
    rules: dict[str, TemporaryRule],
) -> list[str]:
    decision = design.decision(item.id)
    out = [f"### {item.number} {item.title}", ""]
    if decision.status == "open" and decision.is_blank():
        out += ["Open: no decision has been recorded for this item yet.", ""]
    else:
        due = decision.due.isoformat() if decision.due else "no due date"
        owner = inline(decision.owner) if decision.owner.strip() else "no owner"
        out += [
            f"- **Status:** {STATUS_LABELS[decision.status]}",
            f"- **Approach:** {_approach(item, decision)}",
            f"- **Summary:** {inline(decision.summary) if decision.summary.strip() else 'Not recorded'}",
            f"- **Owner and due date:** {owner}, {due}",
            f"- **Review:** {_review_text(decision)}",
            "",
        ]
        if decision.rationale.strip():
            out += ["Rationale:", "", *quote_block(decision.rationale), ""]
        if decision.kpis:
            out += ["Measures:", ""]
            out += [f"- {inline(kpi)}" for kpi in decision.kpis if kpi.strip()]
            out.append("")
        if decision.notes.strip():
            out += ["Notes:", "", *quote_block(decision.notes), ""]
        if decision.review and decision.review.comment.strip():
            out += ["Reviewer's comment:", "", *quote_block(decision.review.comment), ""]
    notes = item.applicable_compliance(design.context)
    if notes and decision.status != "not-applicable":
        out += ["Compliance notes for this context:", ""]
        for note in notes:
            text = " ".join(note.text.split())
            line = f"- {text} ({note.citation})"
            rule = pack.temporary_rule(note.rule) if note.rule else None
            if rule is not None:
                rules.setdefault(rule.id, rule)
                line += f" Temporary: confirmed through {rule.confirmed_through.isoformat()}; check before use."
            elif note.temporary and note.confirmed_through:
                line += f" Temporary: confirmed through {note.confirmed_through.isoformat()}; check before use."
            out.append(line)
        out.append("")
    for ref in item.references:
        cited.setdefault(ref.url, ref)
    return out


def _open_items(design: Design, pack: ContentPack) -> list[str]:
    out = ["## Open items", ""]
    rows = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "drafting"):
            rows.append(
                [
                    item.number,
                    cell(item.title),
                    STATUS_LABELS[decision.status],
                    cell(decision.owner) if decision.owner.strip() else "-",
                    decision.due.isoformat() if decision.due else "-",
                ]
            )
    if rows:
        out += _table(["No.", "Item", "Status", "Owner", "Due"], rows)
    else:
        out.append("No items are open.")
    out += ["", "Unresolved review comments:", ""]
    comments = []
    for item in pack.items:
        decision = design.decision(item.id)
        review = decision.review
        if review and review.state == "changes-requested":
            who = f" ({inline(review.by)})" if review.by.strip() else ""
            text = inline(review.comment) if review.comment.strip() else "no comment recorded"
            owner = inline(decision.owner) if decision.owner.strip() else "no owner"
            due = decision.due.isoformat() if decision.due else "no due date"
            comments.append(f"- {item.number} {item.title}{who}: {text} Owner: {owner}; due: {due}.")
    out += comments or ["None."]
    out.append("")
    return out


def _principles(design: Design, pack: ContentPack) -> list[str]:
    out = ["## Design principles", ""]
    for number, principle in enumerate(pack.principles, start=1):
        served = [
            item
            for item in pack.items
            if principle.id in item.principles and design.status_of(item.id) == "decided"
        ]
        out += [f"{number}\\. **{principle.title}** - {principle.text}. Decisions that serve it:", ""]
        if served:
            for item in served:
                summary = design.decision(item.id).summary
                tail = f": {inline(summary)}" if summary.strip() else ""
                out.append(f"- {item.number} {item.title}{tail}")
        else:
            out.append("- None decided yet.")
        out.append("")
    return out


def _temporary_rules(rules: Iterable[TemporaryRule]) -> list[str]:
    out = [
        "## Temporary rules",
        "",
        "These rules are temporary or recently changed. Each was last confirmed through the date "
        "shown: check before use, and again before every review.",
        "",
    ]
    listed = sorted(rules, key=lambda rule: rule.id)
    if not listed:
        return [*out, "This design relies on no temporary rule.", ""]
    rows = [
        [cell(rule.rule), cell(rule.status), rule.confirmed_through.isoformat(), cell(rule.reference.title)]
        for rule in listed
    ]
    return [*out, *_table(["Rule", "Status", "Confirmed through", "Source"], rows), ""]


def _sign_off(design: Design) -> list[str]:
    rows = [[role, " ", " ", " "] for role in SIGN_OFF_ROLES]
    return [
        "## Review and sign-off",
        "",
        "By signing, each reviewer confirms they have read this playbook and agree that the decisions "
        "above may be put into practice, subject to the open items and comments listed.",
        "",
        *_table(["Role", "Name", "Signature", "Date"], rows),
        "",
    ]


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1, h2, h3 { font-family: 'Helvetica Neue', Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.8rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }
h2 { font-size: 1.4rem; border-bottom: 1px solid #999; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
blockquote { margin: .5rem 0 1rem; padding: .2rem 1rem; border-left: 4px solid #ccc; background: #fafafa; }
code, pre { font-family: 'SFMono-Regular', Consolas, monospace; font-size: .9em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; }
p, li, td { overflow-wrap: anywhere; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-before: page; }
  h3 { break-after: avoid; }
  tr, blockquote { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def render_html(markdown: str, title: str) -> str:
    """One self-contained HTML file from the playbook Markdown (raw HTML off, no scripts)."""
    from markdown_it import MarkdownIt  # imported here: only the HTML export needs it

    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    body = renderer.render(markdown)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render(design: Design, pack: ContentPack, fmt: str = "markdown", today: dt.date | None = None) -> str:
    """The playbook in the given format."""
    markdown = render_playbook(design, pack, today)
    if fmt == "html":
        title = f"{' '.join(design.project.title.split()) or 'Untitled design'}: Telemedicine Clinical Workflow Playbook"
        return render_html(markdown, title)
    return markdown
