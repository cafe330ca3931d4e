"""The playbook: a review-ready Markdown document (and HTML rendered from it) of one design.

User text is Markdown, but it can never change the playbook's structure. Multi-line fields are
quoted (a blockquote ends whatever the text opens); inside them, and in one-line fields, anything
that could start a heading, a table, a link definition or raw HTML is backslash-escaped; table
cells escape ``|`` and line breaks. The escapes are chosen so they hold wherever a parser decides
code spans start and end: inside code they show as a backslash, outside they vanish.

The output is deterministic: the same design gives the same bytes (the export date comes from
``SOURCE_DATE_EPOCH`` when set), and every list follows content order, never dict or file order.
Nothing here imports Textual.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from wizard.content import ComplianceNote, ContentPack, Item, Reference
from wizard.project import CUSTOM_OPTION, ClinicalContext, Decision, Design, Review, progress

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

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
TITLE_SUFFIX = "Telemedicine Clinical Workflow Playbook"

# The fixed `##` headings, in document order; the content pack's sections go where SECTIONS is.
HEADING_CONTEXT = "Clinical context"
HEADING_SUMMARY = "Summary of decisions"
SECTIONS = "<sections>"
HEADING_OPEN = "Open items"
HEADING_PRINCIPLES = "Design principles"
HEADING_RULES = "Temporary rules: check before use"
HEADING_SIGN_OFF = "Review and sign-off"
HEADING_REFERENCES = "References"
FIXED_PARTS = (
    HEADING_CONTEXT,
    HEADING_SUMMARY,
    SECTIONS,
    HEADING_OPEN,
    HEADING_PRINCIPLES,
    HEADING_RULES,
    HEADING_SIGN_OFF,
    HEADING_REFERENCES,
)


def export_date() -> dt.date:
    """Today, or the UTC date of SOURCE_DATE_EPOCH when it is set (reproducible builds).

    Raises ValueError with one sentence when SOURCE_DATE_EPOCH is not a whole number of seconds.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    if re.fullmatch(r"[0-9]{1,12}", epoch):
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            pass
    shown = epoch if len(epoch) <= 40 else epoch[:37] + "..."
    raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, found {shown!r}")


# ---------------------------------------------------------------------------
# Making user text safe
# ---------------------------------------------------------------------------

# The patterns kept as text are needed only for unusual text (controls, raw HTML, fences, a trailing
# backslash, an HTML export): ``re`` compiles them on first use and caches them, so an export of plain
# text does not compile them at all (~1.4 ms of every export).
# C0 and C1 controls (tab and line feed are handled before), and the bidi embedding, override and
# isolate controls that could make a reader see our own text reordered.
_UNSAFE_CHARS = "[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]"
_LINE_BREAKS = "\r\n|[\r\x85\u2028\u2029]"
# `<` not already escaped by an odd run of backslashes, except an autolink to a web or mail address.
_RAW_HTML = r"(?i)(?<!\\)((?:\\\\)*)<(?!(?:https?|mailto):[^\s<>]*>)"
_CONTAINER = re.compile(r" *(?:>|[-+*](?= |$)|[0-9]{1,9}[.)](?= |$))")
_SETEXT_LINE = re.compile(r" *(?:=+|-+) *$")
_THEMATIC_BREAK = re.compile(r" *([-*_])(?: *\1){2,} *$")
_TABLE_DELIMITER = re.compile(r" *(?=[ |:-]*-)(?=[ -]*[|:])[ |:-]+$")
_ATX_OR_DEFINITION = re.compile(r" *(?:#|\[(?![^\[\]\\]*\]\())")
_FENCE_OPEN = r"(`{3,}|~{3,})(.*)$"
_FENCE_START = re.compile(r" *(?:`{3,}|~{3,})")
_FENCE_ANYWHERE = r"[ >*+0-9.)-]*(?:`{3,}|~{3,})"
_TRAILING_BACKSLASHES = r"(?<!\\)(?:\\\\)*\\$"


def _normalize(text: str) -> str:
    """One kind of line break, tabs as spaces, controls shown as the replacement character."""
    if text.isascii() and (text.isprintable() or text.replace("\n", "").isprintable()):
        return text  # the common cases (one line; lines), checked at C speed: nothing below would change it
    text = re.sub(_LINE_BREAKS, "\n", text).replace("\t", "    ")
    return re.sub(_UNSAFE_CHARS, "\ufffd", text)


def _escape_html(text: str) -> str:
    """Raw HTML shown as text: every unescaped `<` is backslash-escaped (autolinks are kept)."""
    if "<" not in text:
        return text
    return re.sub(_RAW_HTML, lambda m: m.group(1) + "\\<", text)


def _escape_unescaped(text: str, chars: str) -> str:
    """Backslash-escape each of chars in text that is not already escaped."""
    if not any(char in text for char in chars):
        return text
    return re.sub(rf"(?<!\\)((?:\\\\)*)([{re.escape(chars)}])", r"\1\\\2", text)


def _escape_at(line: str, pos: int) -> str:
    """Insert a backslash before the first non-space character at or after pos."""
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return line[:pos] + "\\" + line[pos:] if pos < len(line) else line


_BLOCK_START_CHARS = frozenset(">-+*=_#[|:0123456789")
"""The first characters (after spaces) of every line _escape_block_starts may change: a container
marker, an underline, a rule, a heading, a link definition or a table delimiter row."""


def _escape_block_starts(line: str) -> str:
    """Escape what could open a heading, table, or link definition at the start of a block.

    Walks through every container marker (blockquote `>`, list bullets and numbers) that may
    open a block on this line and escapes, at each level, a setext underline (`===`, `---`);
    then an ATX heading `#`, a link reference definition `[`, or a table delimiter row. It
    errs on the side of escaping: an escape a parser does not need renders as the bare character.
    """
    if line.lstrip(" ")[:1] not in _BLOCK_START_CHARS:
        return line  # prose (or nothing): no pattern below can match, checked at C speed
    pos = 0
    marker = -1
    while True:
        if _SETEXT_LINE.match(line, pos) or _TABLE_DELIMITER.match(line, pos):
            return _escape_at(line, pos)
        if _THEMATIC_BREAK.match(line, pos):
            return line  # a rule is harmless and cannot be an underline (it has inner spaces)
        container = _CONTAINER.match(line, pos)
        if container is None:
            break
        marker, pos = pos, container.end()
    if _ATX_OR_DEFINITION.match(line, pos):
        return _escape_at(line, pos)
    if marker >= 0 and not line[pos:].strip(" ") and line[marker:pos].strip(" ") != ">":
        return _escape_marker(line, marker)  # an empty list item: nothing to list, show the bullet
    return line


def _escape_marker(line: str, pos: int) -> str:
    """Escape the list marker (`-`, `*`, `+`, `1.`, `1)`) that starts at or after pos."""
    number = re.compile(r" *[0-9]+").match(line, pos)
    if number and number.end() < len(line) and line[number.end()] in ".)":
        return line[: number.end()] + "\\" + line[number.end() :]
    return _escape_at(line, pos)


def safe_block(text: str) -> list[str]:
    """User Markdown as lines that cannot open headings, tables, live HTML or unclosed fences.

    Meant to be quoted (see quote_block): the quote closes any list, code block or quote the
    text opens. A fence that starts a line at the left margin is certain to be a fence, so its
    content is kept exactly; everywhere else escapes are applied.
    """
    normal = _normalize(text)
    lines = [line.rstrip(" ") for line in normal.split("\n")]
    while lines and not lines[-1].strip(" >"):  # blank, or an empty quote line: nothing to show
        lines.pop()
    while lines and not lines[0].strip(" >"):
        lines.pop(0)
    # Fences are trusted only when every line that might be one starts at the left margin: an
    # indented or nested fence depends on list widths, so then every line is escaped instead.
    # Text with no run of three backticks or tildes has no fence to look for.
    fences = "```" in normal or "~~~" in normal
    trusted = fences and all(re.match(_FENCE_OPEN, line) for line in lines if re.match(_FENCE_ANYWHERE, line))
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        if fence is None and not line and out and not out[-1]:
            continue  # one blank line means what several do, outside code
        if fence is not None:
            out.append(line)
            stripped = line.lstrip(" ")
            if (
                len(line) - len(stripped) <= 3
                and stripped.startswith(fence)
                and not stripped.strip(fence[0]).strip(" ")
            ):
                fence = None
            continue
        opening = re.match(_FENCE_OPEN, line) if trusted else None
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            out.append(line)
            continue
        out.append(_escape_block_starts(_escape_unescaped(_escape_html(line), "|")))
    if fence is not None:
        out.append(fence)
    return out


def quote_block(text: str, indent: str = "") -> list[str]:
    """User Markdown inside a blockquote, so whatever it opens ends with the quote."""
    return [f"{indent}> {line}" if line else f"{indent}>" for line in safe_block(text)]


def _flatten(text: str) -> str:
    """One line: line breaks and runs of spaces become one space."""
    flat = _normalize(text).replace("\n", " ").strip(" ")
    if "  " in flat:  # prose has single spaces: split and join only when there is a run to collapse
        flat = " ".join(part for part in flat.split(" ") if part)
    return flat.strip()


def inline(text: str) -> str:
    """User text on one line in the middle of our own Markdown (after a label, in a heading).

    Line breaks become spaces, raw HTML is shown as text, and a trailing backslash is doubled
    so it cannot escape the character we write after it.
    """
    if (
        text.isascii()
        and text.isprintable()  # no line break, tab or control: nothing for _normalize to change
        and "  " not in text
        and "<" not in text
        and text[:1] != " "
        and text[-1:] not in (" ", "\\")
    ):
        return text  # the common case (titles, numbers, names), checked at C speed: nothing below would change it
    return _inline_flat(_flatten(text))


def _inline_flat(flat: str) -> str:
    """``inline`` of text ``_flatten`` already made one line (flattening it again changes nothing)."""
    flat = _escape_html(flat)
    if flat.endswith("\\") and re.search(_TRAILING_BACKSLASHES, flat):
        flat += "\\"
    return flat


def inline_start(text: str) -> str:
    """User text on one line at the start of a list item: no nested block can start there."""
    flat = inline(text)
    if _CONTAINER.match(flat):
        return _escape_marker(flat, 0)
    if _THEMATIC_BREAK.match(flat) or _FENCE_START.match(flat):
        return _escape_at(flat, 0)
    return _escape_block_starts(flat)


def cell(text: str) -> str:
    """User text inside a table cell: one line, raw HTML as text, pipes escaped.

    A pipe the user already escaped stays as it is; any other gets a backslash, so every pipe in
    a cell follows an odd run of backslashes and no parser can take it for a cell border.
    """
    return _escape_unescaped(inline(text), "|")


def _destination(url: str) -> str:
    """A URL as a Markdown link destination that cannot end early."""
    if url.count("(") != url.count(")") or re.search(r"[\s<>\\|`]", url):
        url = "".join(f"%{ord(ch):02X}" if ch in " ()<>\\|`" else ch for ch in url)
    return url


def _link(title: str, url: str) -> str:
    label = _escape_unescaped(inline(title), "[]")
    return f"[{label}]({_destination(url)})"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _sentence(text: str) -> str:
    """Flattened text that ends like a sentence."""
    text = text.rstrip()
    return text if not text or text[-1] in ".!?:;)" else text + "."


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


@dataclass
class _Register:
    """What the items cite, gathered in content order while the items are written."""

    references: dict[str, tuple[Reference, dict[str, None]]] = field(default_factory=dict)
    """URL -> the reference and the numbers of the items citing it (keys, in order), in order of first
    citation. Numbers are dict keys, not a list, so adding one costs the same however many items cite
    the same source (a list's ``in`` made the playbook quadratic in the items citing one source)."""
    rules: dict[str, dict[str, None]] = field(default_factory=dict)
    """Temporary rule id -> numbers of the items whose notes rely on it (keys, in order)."""
    loose_rules: list[tuple[Item, ComplianceNote]] = field(default_factory=list)
    """Temporary notes that name no rule of the register."""


def title_of(design: Design) -> str:
    """The design's title on one line, plain (not escaped): for window titles and file metadata."""
    return _flatten(design.project.title) or "Untitled design"


def heading_title(design: Design) -> str:
    """The text of the playbook's `#` heading (Markdown, user title escaped)."""
    return f"{inline(title_of(design))}: {TITLE_SUFFIX}"


def _date(value: dt.date | None, fallback: str) -> str:
    return value.isoformat() if value else fallback


def _text_or(text: str, fallback: str) -> str:
    return inline(text) if text.strip() else fallback


def _counts_line(design: Design, pack: ContentPack) -> str:
    counts = progress(design, pack)
    total = len(pack.items)
    open_count = counts["open"] + counts["drafting"]
    reviews = [design.decision(item.id).review for item in pack.items]
    approved = sum(1 for r in reviews if r and r.state == "approved")
    changes = sum(1 for r in reviews if r and r.state == "changes-requested")
    if open_count:
        state = "Draft"
    elif changes:
        state = "Changes requested"
    else:
        state = "Complete, ready for sign-off"
    drafting = f" ({counts['drafting']} in drafting)" if counts["drafting"] else ""
    return (
        f"{state}. Of {total} items, {counts['decided']} decided, {counts['not-applicable']} not "
        f"applicable, {open_count} open{drafting}. Review: {approved} approved, {changes} with "
        f"changes requested, {total - approved - changes} not reviewed."
    )


def render_playbook(design: Design, pack: ContentPack, today: dt.date | None = None) -> str:
    """The playbook as Markdown (CommonMark with tables), ending with one newline."""
    today = today or export_date()
    info = design.project
    out: list[str] = [f"# {heading_title(design)}", ""]
    out += [
        f"- **Organization:** {_text_or(info.organization, 'Not recorded')}",
        f"- **Operations lead:** {_text_or(info.lead, 'Not recorded')}",
        f"- **Exported:** {today.isoformat()}",
        f"- **Content pack:** {inline(pack.title)} ({inline(pack.id)}, version {inline(pack.version)})",
        f"- **Status:** {_counts_line(design, pack)}",
        "",
        "This playbook records the clinical workflow decisions of this design, item by item, for "
        "review and sign-off. Text quoted under an item was written by the design team; guidance "
        "and compliance notes come from the content pack. It is not legal advice: telehealth law "
        "varies by state and payer and changes often.",
        "",
    ]
    out += _context(design, pack)
    out += _summary(design, pack)
    register = _Register()
    for section in pack.sections:
        out += [f"## {inline(section.number)} {inline(section.title)}", ""]
        for item in section.items:
            out += _item_lines(item, design, pack, register)
    out += _open_items(design, pack, today)
    out += _principles(design, pack)
    out += _temporary_rules(pack, register, today)
    out += _sign_off()
    out += [f"## {HEADING_REFERENCES}", ""]
    if register.references:
        out += ["Sources cited by the guidance of each item, in the order they are first cited.", ""]
        for number, (ref, items) in enumerate(register.references.values(), start=1):
            out.append(f"{number}. {_link(ref.title, ref.url)} ({', '.join(inline(n) for n in items)})")
    else:
        out.append("No references cited.")
    out.append("")
    return "\n".join(out)


def _context(design: Design, pack: ContentPack) -> list[str]:
    ctx = design.context
    care = inline(pack.label("care_models", ctx.care_model)) if ctx.care_model else "Not recorded"
    if ctx.care_model_note.strip():
        care += f" ({inline(ctx.care_model_note)})"
    roles = ", ".join(inline(pack.label("roles", r)) for r in ctx.roles) or "Not recorded"
    visits = ", ".join(inline(pack.label("visit_types", v)) for v in ctx.visit_types) or "Not recorded"
    return [
        f"## {HEADING_CONTEXT}",
        "",
        "The guidance and compliance notes in this playbook were selected for this context.",
        "",
        f"- **Care model:** {care}",
        f"- **Clinical staff roles:** {roles}",
        f"- **Visit types:** {visits}",
        "",
    ]


def _summary(design: Design, pack: ContentPack) -> list[str]:
    rows = []
    for item in pack.items:
        decision = design.decision(item.id)
        rows.append(
            [
                cell(item.number),
                cell(item.title),
                cell(decision.summary) if decision.summary.strip() else "-",
                cell(decision.owner) if decision.owner.strip() else "-",
                _date(decision.due, "-"),
                STATUS_LABELS[decision.status],
                REVIEW_LABELS[decision.review.state] if decision.review else "-",
            ]
        )
    header = ["No.", "Item", "Decision", "Owner", "Due", "Status", "Review"]
    return [f"## {HEADING_SUMMARY}", "", *_table(header, rows), ""]


def _approach(item: Item, decision: Decision, context: ClinicalContext) -> str:
    if decision.option == CUSTOM_OPTION:
        return "Custom approach (described in the decision)"
    if not decision.option:
        return "No approach chosen"
    option = item.option(decision.option)
    if option is None:
        return f"Unknown option {inline(decision.option)}"
    if option.caution_for.matches(context):  # a reviewer must see this; "recommended" would be noise
        return f"{inline(option.label)} (the guidance cautions against it for this context)"
    return inline(option.label)


def _by_and_on(review: Review) -> str:
    """' by Dr. Lee, Medical Director, on 2026-12-01', or as much of it as was recorded."""
    text = f" by {inline(review.by)}" if review.by.strip() else ""
    if review.on:
        text += f"{',' if ',' in text else ''} on {review.on.isoformat()}"
    return text


def _review_lines(decision: Decision) -> list[str]:
    review = decision.review
    if review is None:
        return ["**Review:** Not reviewed yet.", ""]
    text = REVIEW_LABELS[review.state] + _by_and_on(review)
    comment = quote_block(review.comment)
    if not comment:
        return [f"**Review:** {_sentence(text)}", ""]
    return [f"**Review:** {text}, with this comment:", "", *comment, ""]


def _item_lines(item: Item, design: Design, pack: ContentPack, register: _Register) -> list[str]:
    decision = design.decision(item.id)
    blank = decision.is_blank()  # builds a blank Decision to compare with: once per item, not twice
    out = [f"### {inline(item.number)} {inline(item.title)}", ""]
    if blank:
        out += ["Open: no decision has been recorded for this item yet.", ""]
    else:
        out.append(f"- **Status:** {STATUS_LABELS[decision.status]}")
        if decision.status != "not-applicable" or decision.option:
            out.append(f"- **Approach:** {_approach(item, decision, design.context)}")
        label = "Why not applicable" if decision.status == "not-applicable" else "Decision"
        out.append(f"- **{label}:** {_text_or(decision.summary, 'Not recorded')}")
        if decision.status != "not-applicable" or decision.owner.strip() or decision.due:
            out.append(f"- **Owner:** {_text_or(decision.owner, 'Not assigned')}")
            out.append(f"- **Due:** {_date(decision.due, 'No due date')}")
        out.append("")
        if rationale := quote_block(decision.rationale):
            out += ["**Rationale:**", "", *rationale, ""]
        kpis = [kpi for kpi in decision.kpis if kpi.strip()]
        if kpis:
            out += ["**Measures:**", "", *(f"- {inline_start(kpi)}" for kpi in kpis), ""]
        if notes := quote_block(decision.notes):
            out += ["**Notes:**", "", *notes, ""]
    compliance = item.applicable_compliance(design.context)
    if compliance and decision.status != "not-applicable":
        out += ["**Compliance notes for this context:**", ""]
        out += [f"- {_compliance_line(item, note, pack, register)}" for note in compliance]
        out.append("")
    if not blank:
        out += _review_lines(decision)
    for ref in item.references:
        register.references.setdefault(ref.url, (ref, {}))[1][item.number] = None
    return out


_TEMPORARY_PREFIX = re.compile(r"^(?:temporary|this rule is temporary)\s*[:,-]\s*", re.IGNORECASE)
_CHECK_SUFFIX = re.compile(r"\s*(?:this rule is temporary\s*[:;,-]?\s*)?check before use\.?$", re.IGNORECASE)
_CHECK_SUFFIX_REACH = 64
"""The most characters a match of _CHECK_SUFFIX spans in flattened text (single spaces): 43."""


def _without_check_suffix(flat: str) -> str:
    """Flattened text without its closing "check before use" (the playbook's own label says it).

    The pattern starts with ``\\s*`` and ends at the end of the text, so a search from the start tries
    it at every character, case-folding as it goes (a third of the playbook's regex time at 1,000
    items). Only the text's end is searched: a match spans at most _CHECK_SUFFIX_REACH characters
    after the run of spaces it starts with.
    """
    start = max(0, len(flat) - _CHECK_SUFFIX_REACH)
    while start and flat[start - 1].isspace():
        start -= 1
    return flat[:start] + _CHECK_SUFFIX.sub("", flat[start:])


def _compliance_line(item: Item, note: ComplianceNote, pack: ContentPack, register: _Register) -> str:
    text = _flatten(note.text)
    rule = pack.temporary_rule(note.rule) if note.rule else None
    confirmed = rule.confirmed_through if rule else note.confirmed_through
    citation = f"({inline(note.citation)})"
    if rule is None and not note.temporary:
        return f"{_inline_flat(_sentence(text))} {citation}"
    if rule is not None:
        register.rules.setdefault(rule.id, {})[item.number] = None
    else:
        register.loose_rules.append((item, note))
    text = _without_check_suffix(_TEMPORARY_PREFIX.sub("", text))
    text = text[:1].upper() + text[1:]
    through = f", confirmed through {confirmed.isoformat()}" if confirmed else ""
    return f"**Temporary rule{through}; check before use.** {_inline_flat(_sentence(text))} {citation}"


def _open_items(design: Design, pack: ContentPack, today: dt.date) -> list[str]:
    out = [f"## {HEADING_OPEN}", ""]
    rows = []
    for item in pack.items:
        decision = design.decision(item.id)
        if decision.status in ("open", "drafting"):
            due = _date(decision.due, "-")
            if decision.due and decision.due < today:
                due += " (overdue)"
            rows.append(
                [
                    cell(item.number),
                    cell(item.title),
                    STATUS_LABELS[decision.status],
                    cell(decision.owner) if decision.owner.strip() else "-",
                    due,
                ]
            )
    if rows:
        noun = "item is" if len(rows) == 1 else "items are"
        out += [f"{len(rows)} {noun} still open or in drafting:", ""]
        out += _table(["No.", "Item", "Status", "Owner", "Due"], rows)
    else:
        out.append("No items are open: every item is decided or marked not applicable.")
    out += ["", "**Unresolved review comments:**", ""]
    comments: list[str] = []
    for item in pack.items:
        decision = design.decision(item.id)
        review = decision.review
        if not (review and review.state == "changes-requested"):
            continue
        owner = _text_or(decision.owner, "not assigned")
        due = _date(decision.due, "no due date")
        head = f"- **{inline(item.number)} {inline(item.title)}:** changes requested{_by_and_on(review)}"
        comments.append(f"{head}. Owner: {owner}; due: {due}.")
        if comment := quote_block(review.comment, indent="  "):
            comments += ["", *comment]
        comments.append("")
    out += comments or ["None.", ""]
    return out


def _principles(design: Design, pack: ContentPack) -> list[str]:
    out = [
        f"## {HEADING_PRINCIPLES}",
        "",
        "The best practices of the source checklist, each with the decided items that serve it (their "
        "decisions are in the summary above) and the items that would serve it but are still open.",
        "",
    ]
    # One pass over the items (not one per principle): principle id -> the items serving it, in order.
    decided_by: dict[str, list[Item]] = {principle.id: [] for principle in pack.principles}
    open_by: dict[str, list[Item]] = {principle.id: [] for principle in pack.principles}
    for item in pack.items:
        status = design.status_of(item.id)
        lists = decided_by if status == "decided" else open_by if status in ("open", "drafting") else None
        if lists is not None:
            for principle_id in dict.fromkeys(item.principles):  # an id listed twice serves once
                if principle_id in lists:
                    lists[principle_id].append(item)
    for number, principle in enumerate(pack.principles, start=1):
        marker = f"{number}. "
        indent = " " * len(marker)
        out.append(f"{marker}**{inline(principle.title)}:** {inline(_sentence(principle.text))}")
        decided = decided_by[principle.id]
        still_open = open_by[principle.id]
        for item in decided:
            out.append(f"{indent}- {inline(item.number)} {inline(item.title)}")
        if not decided:
            out.append(f"{indent}- No decision serves it yet.")
        if still_open:
            names = "; ".join(f"{inline(item.number)} {inline(item.title)}" for item in still_open)
            out.append(f"{indent}- Still open: {names}.")
    out.append("")
    return out


def _temporary_rules(pack: ContentPack, register: _Register, today: dt.date) -> list[str]:
    out = [
        f"## {HEADING_RULES}",
        "",
        "The compliance notes of this design rely on these temporary or recently changed rules. "
        "Each was last confirmed through the date shown: check its status before relying on it, "
        "and again before every review.",
        "",
    ]

    def through(date: dt.date | None) -> str:
        if date is None:
            return "Not recorded"
        return date.isoformat() + (" (passed: check now)" if date < today else "")

    rows = []
    for rule in pack.temporary_rules:  # register order, so the table never depends on item order
        if rule.id in register.rules:
            rows.append(
                [
                    cell(rule.rule),
                    cell(rule.status),
                    through(rule.confirmed_through),
                    ", ".join(cell(n) for n in register.rules[rule.id]),
                    _escape_unescaped(_link(rule.reference.title, rule.reference.url), "|"),
                ]
            )
    for item, note in register.loose_rules:
        rows.append(
            [cell(note.text), "Temporary", through(note.confirmed_through), cell(item.number), cell(note.citation)]
        )
    if not rows:
        return [*out, "This design relies on no temporary rule.", ""]
    header = ["Rule", "Status", "Confirmed through", "Items", "Source"]
    return [*out, *_table(header, rows), ""]


def _sign_off() -> list[str]:
    rows = ["| " + role + " | | | |" for role in SIGN_OFF_ROLES]  # blank cells, to fill in by hand
    return [
        f"## {HEADING_SIGN_OFF}",
        "",
        "By signing, each reviewer confirms that they have read this playbook and agree that its "
        "decisions may be put into practice, subject to the open items and review comments listed "
        "above.",
        "",
        *_table(["Role", "Name", "Signature", "Date"], []),
        *rows,
        "",
    ]


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; }
body { font-family: Georgia, 'Times New Roman', serif; max-width: 56rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.5; color: #1b1b1b; background: #fff; }
h1, h2, h3 { font-family: 'Helvetica Neue', Arial, sans-serif; line-height: 1.25; }
h1 { font-size: 1.8rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }
h2 { font-size: 1.4rem; border-bottom: 1px solid #999; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
blockquote { margin: .5rem 0 1rem; padding: .2rem 1rem; border-left: 4px solid #ccc; background: #fafafa; }
code, pre { font-family: 'SFMono-Regular', Consolas, 'Liberation Mono', monospace; font-size: .9em; }
pre { white-space: pre-wrap; }
p, li, td, th, pre, blockquote { overflow-wrap: anywhere; }
section.sign-off td { height: 2.8rem; }
section.sign-off th:nth-child(1) { width: 28%; }
section.sign-off th:nth-child(2), section.sign-off th:nth-child(3) { width: 29%; }
@page { size: auto; margin: 18mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  section { break-before: page; page-break-before: always; }
  header + section { break-before: auto; page-break-before: auto; }
  section.sign-off { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, blockquote, pre { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th { background: none; }
}
"""
"""Styles of the HTML export: one file, nothing loaded from elsewhere. Every `##` part is a
``<section>`` that starts a new printed page (the clinical context stays on the title page); the
sign-off section is kept whole on its own page."""

_SAFE_SCHEMES = r"(?i)^(?:https?:|mailto:|#)"


def _safe_link(url: str) -> bool:
    """Only web, mail and in-page links survive into the HTML (never javascript:, data: or file:)."""
    return bool(re.match(_SAFE_SCHEMES, url.strip()))


def _render_image_as_link(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Images are never embedded (the file loads nothing): they become a link to the image."""
    from html import escape

    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = str(token.attrGet("src") or "")
    return f'<a href="{escape(src)}">Image: {escape(alt)}</a>'


def _render_link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Links keep only their address: no title or other attribute from user text."""
    from html import escape

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
    return renderer


def _sectioned(tokens: list[Token]) -> list[Token]:
    """Wrap the title block in <header> and every `##` part in <section> (sign-off classed)."""
    from markdown_it.token import Token

    out: list[Token] = [Token("header_open", "header", 1, block=True)]
    closing = "header"
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            out.append(Token(f"{closing}_close", closing, -1, block=True))
            heading = tokens[index + 1].content if index + 1 < len(tokens) else ""
            section = Token("section_open", "section", 1, block=True)
            if heading == HEADING_SIGN_OFF:
                section.attrSet("class", "sign-off")
            out.append(section)
            closing = "section"
        out.append(token)
    out.append(Token(f"{closing}_close", closing, -1, block=True))
    return out


def render_html(markdown: str, title: str) -> str:
    """One self-contained HTML file from the playbook Markdown (raw HTML off, no scripts).

    ``title`` is plain text (it is escaped here). Links other than http(s), mailto and in-page
    anchors are not rendered as links; images become links, so the file loads nothing.
    """
    from html import escape  # imported here, as markdown_it is: only the HTML export needs them

    renderer = _markdown_renderer()
    tokens = _sectioned(renderer.parse(markdown))
    body = renderer.renderer.render(tokens, renderer.options, {})
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render(design: Design, pack: ContentPack, fmt: str = "markdown", today: dt.date | None = None) -> str:
    """The playbook in the given format ("markdown" or "html")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose markdown or html")
    markdown = render_playbook(design, pack, today)
    if fmt == "html":
        return render_html(markdown, f"{title_of(design)}: {TITLE_SUFFIX}")
    return markdown
