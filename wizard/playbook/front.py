"""The front of the playbook: document control, the decision brief, sign-off, contents, summary.

Page 1 holds the title, the document control and the brief: what a reviewer must decide, most
serious first, each line naming its items. The sign-off block follows at once, so the reader who
has read the brief knows what signing means.
"""

from __future__ import annotations

from itertools import groupby

from wizard.attention import TITLES, Concern
from wizard.content import ContentPack
from wizard.playbook.outline import (
    FIXED_PARTS,
    HEADING_BASELINE,
    HEADING_BRIEF,
    HEADING_CONTENTS,
    HEADING_SIGN_OFF,
    HEADING_SUMMARY,
    LABEL_PROGRESS,
    REVIEW_LABELS,
    SECTIONS,
    SIGN_OFF_OUTCOME_LABELS,
    SIGN_OFF_OUTCOMES,
    SIGN_OFF_ROLES,
    STATUS_LABELS,
    Inputs,
    heading_title,
    item_link,
    part_link,
)
from wizard.playbook.text import anchor, cell, flatten, headline, inline, table, text_or
from wizard.project import (
    Design,
    VersionState,
    decision_fingerprints,
    design_fingerprint,
    progress,
    shown_fingerprint,
)

PROGRESS_NAMES = (
    ("decided", "decided"),
    ("drafting", "drafting"),
    ("open", "open"),
    ("not-applicable", "not applicable"),
    ("approved", "approved"),
)
HEADLINE_WORDS = 5
"""How much of a decision's first sentence the summary table shows (the whole decision is in its block)."""


def version_line(versions: VersionState) -> str:
    """The version line of the document control: the version signed, or the draft of the next one."""
    signed = versions.signed
    if signed is None:
        return "Draft of version 1: no sign-off recorded yet"
    by = f"{inline(signed.by)} ({inline(signed.role)}) on {signed.on.isoformat()}"
    outcome = SIGN_OFF_OUTCOME_LABELS[signed.outcome].lower()
    if versions.changed:
        count = len(versions.changed)
        return (
            f"Draft of version {signed.version + 1}, based on version {signed.version} signed by {by} "
            f"({outcome}); {count} item{'s' if count != 1 else ''} changed since"
        )
    line = f"Version {signed.version}, signed by {by}: {outcome}"
    if signed.outcome == "rejected":
        return line + "; a draft until a later sign-off approves it"
    if signed.open_items:
        return line + f", with {len(signed.open_items)} item(s) still open; a draft until those are signed off"
    return line


def draft_mark(versions: VersionState) -> str:
    """What every printed page of a draft says at its top."""
    signed = versions.signed
    if signed is None:
        return "DRAFT: not signed"
    if versions.changed:
        return f"DRAFT of version {signed.version + 1}: changed since version {signed.version}"
    if signed.outcome == "rejected":
        return f"DRAFT: version {signed.version} was rejected"
    return f"DRAFT: version {signed.version} signed with items open"


def title_block(inputs: Inputs) -> list[str]:
    """The `#` heading and the document control."""
    design, pack = inputs.design, inputs.pack
    info = design.project
    return [
        f"# {heading_title(design)}",
        "",
        f"- **Organization:** {text_or(info.organization, 'Not recorded')}",
        f"- **Operations lead:** {text_or(info.lead, 'Not recorded')}",
        f"- **Version:** {version_line(inputs.versions)}",
        *_effective_lines(inputs.versions),
        f"- **Exported:** {inputs.today.isoformat()}",
        f"- **Content pack:** {inline(pack.title)} ({inline(pack.id)}, version {inline(pack.version)})",
        f"- **Decisions fingerprint:** {decisions_fingerprint(design, pack)}",
        "",
        "Decisions are the design team's words; rules and guidance come from the content pack. "
        "Not legal advice: telehealth law varies by state and payer and changes often.",
        "",
    ]


def _effective_lines(versions: VersionState) -> list[str]:
    signed = versions.signed
    if signed is None or signed.outcome == "rejected":
        return []
    lines = []
    if signed.effective:
        lines.append(f"- **Effective:** {signed.effective.isoformat()} (version {signed.version})")
    if signed.next_review:
        lines.append(f"- **Next review:** {signed.next_review.isoformat()}")
    return lines


def standing_conditions(versions: VersionState, design: Design) -> list[str]:
    """The conditions of the last "approved with conditions" sign-off, until a later sign-off: each as
    a line naming the version and who set them."""
    last = next((s for s in reversed(design.sign_offs) if s.outcome == "approved-with-conditions"), None)
    latest = versions.signed
    if last is None or latest is None or last.version != latest.version or not last.conditions.strip():
        return []
    return [
        f"**Conditions of version {last.version}** ({inline(last.by)}, {inline(last.role)}, "
        f"{last.on.isoformat()}): {inline(last.conditions)}"
    ]


def brief(inputs: Inputs) -> list[str]:
    """The decision brief: scope, progress per section, and what needs the reviewer's attention."""
    design, pack = inputs.design, inputs.pack
    ctx = design.context
    care = inline(pack.label("care_models", ctx.care_model)) if ctx.care_model else "Care model not recorded"
    if ctx.care_model_note.strip():
        care += f" ({inline(ctx.care_model_note)})"
    roles = ", ".join(inline(pack.label("roles", r)) for r in ctx.roles) or "not recorded"
    visits = ", ".join(inline(pack.label("visit_types", v)) for v in ctx.visit_types) or "not recorded"
    out = [
        f"## {HEADING_BRIEF}",
        "",
        f"**Scope:** {care}. Roles: {roles}. Visit types: {visits}.",
        "",
        f"**Progress:** {_counts(inputs)}",
        "",
        LABEL_PROGRESS,
        "",
        *_progress_list(inputs),
        "",
        *(line for condition in standing_conditions(inputs.versions, design) for line in (condition, "")),
        "**Needs your attention, most serious first:**",
        "",
    ]
    titled: set[str] = set()  # items named with their title once; after that by number
    lines = [
        _attention_line(kind, list(group), titled) for kind, group in groupby(inputs.concerns, key=lambda c: c.kind)
    ]
    if not lines:
        return [*out, "Nothing: every item is decided or not applicable, and no check has a concern.", ""]
    return [*out, *(f"{number}. {line}" for number, line in enumerate(lines, start=1)), ""]


def _counts(inputs: Inputs) -> str:
    counts = progress(inputs.design, inputs.pack)
    total = len(inputs.pack.items)
    reviews = [inputs.design.decision(item.id).review for item in inputs.pack.items]
    approved = sum(1 for r in reviews if r and r.state == "approved")
    changes = sum(1 for r in reviews if r and r.state == "changes-requested")
    self_approved = sum(1 for c in inputs.concerns if c.kind == "self-approved")
    own = f" ({self_approved} by their own owner)" if self_approved else ""
    relied = sum(1 for rule in inputs.baseline.rules if not rule.is_set_aside)
    aside = len(inputs.baseline.rules) - relied
    rules = f"{relied} rules apply" + (f", {aside} more set aside by a decision" if aside else "")
    return (
        f"{total} items: {counts['decided']} decided, {counts['drafting']} drafting, {counts['open']} open, "
        f"{counts['not-applicable']} not applicable. Reviews: {approved} approved{own}, {changes} changes "
        f"requested, {total - approved - changes} not reviewed. {rules} ({part_link(HEADING_BASELINE)})."
    )


def section_progress(inputs: Inputs) -> list[tuple[str, dict[str, int]]]:
    """Per section: its label and counts of decided, drafting, open, not applicable and approved items."""
    rows = []
    for section in inputs.pack.sections:
        counts = dict.fromkeys(("decided", "drafting", "open", "not-applicable", "approved"), 0)
        for item in section.items:
            decision = inputs.design.decision(item.id)
            counts[decision.status] += 1
            if decision.review is not None and decision.review.state == "approved":
                counts["approved"] += 1
        rows.append((f"{flatten(section.number)} {flatten(section.title)}", counts))
    return rows


def _progress_list(inputs: Inputs) -> list[str]:
    """Per section, what is decided, drafting, open, not applicable and approved (counts above zero)."""
    lines = []
    for label, counts in section_progress(inputs):
        shown = [f"{counts[key]} {name}" for key, name in PROGRESS_NAMES if counts[key] or key == "decided"]
        lines.append(f"- {inline(label)}: {', '.join(shown)}.")
    return lines


def _attention_line(kind: str, concerns: list[Concern], titled: set[str]) -> str:
    """One numbered line of the brief: the kind, its count, and every item (or rule) it names (an item
    with its title the first time the brief names it)."""
    title = TITLES[concerns[0].kind]
    if kind == "rule-expiring":
        parts = []
        for concern in concerns:
            rule = concern.rule
            assert rule is not None and rule.confirmed_through is not None
            relied = ", ".join(item_link(item) for item in concern.relying)
            parts.append(
                f"rule {rule.number} ({inline(rule.title)}), confirmed only through "
                f"{rule.confirmed_through.isoformat()}; relied on by {relied}"
            )
        return f"**{title} ({len(concerns)}):** {'; '.join(parts)}. Check before use."
    if kind == "safety-net":
        parts = []
        for concern in concerns:
            assert concern.topic is not None
            expected = ", ".join(item_link(item) for item in concern.expected)
            parts.append(f"{inline(concern.topic.title)} (expected from {expected})")
        return f"**{title} ({len(concerns)}):** {'; '.join(parts)}."
    parts = []
    for concern in concerns:
        assert concern.item is not None
        label = item_link(concern.item, with_title=concern.item.id not in titled)
        titled.add(concern.item.id)
        shown = concern.detail and kind != "self-approved"  # the item's badge names the reviewer
        parts.append(f"{label} ({inline(concern.detail)})" if shown else label)
    return f"**{title} ({len(concerns)}):** {'; '.join(parts)}."


def sign_off(inputs: Inputs) -> list[str]:
    """The block each signing role fills in by hand, and the record of earlier sign-offs."""
    rows = [[role, SIGN_OFF_OUTCOMES, "", "", "", ""] for role in SIGN_OFF_ROLES]
    out = [
        f"## {HEADING_SIGN_OFF}",
        "",
        "Each signer circles one outcome. Signing approves these decisions, subject to the conditions "
        "written here and the open items the brief lists.",
        "",
        *table(["Role", "Outcome", "Conditions", "Name", "Signature", "Date"], rows),
        "",
    ]
    earlier = inputs.design.sign_offs
    if not earlier:
        return [*out, "Earlier sign-offs: none recorded.", ""]
    records = [
        [
            str(s.version),
            s.on.isoformat(),
            cell(f"{s.by}, {s.role}"),
            SIGN_OFF_OUTCOME_LABELS[s.outcome],
            cell(s.conditions) or "None",
            shown_fingerprint(s.fingerprint) if s.fingerprint else "",
        ]
        for s in reversed(earlier)
    ]
    return [
        *out,
        "Earlier sign-offs, most recent first (recorded in the design file):",
        "",
        *table(["Version", "Date", "Signed by", "Outcome", "Conditions", "Fingerprint"], records),
        "",
    ]


def contents(inputs: Inputs) -> list[str]:
    """Every `##` part, linked."""
    out = [f"## {HEADING_CONTENTS}", ""]
    for part in FIXED_PARTS[FIXED_PARTS.index(HEADING_SUMMARY) :]:
        if part == SECTIONS:
            for section in inputs.pack.sections:
                heading = f"{flatten(section.number)} {flatten(section.title)}"
                out.append(f"- [{inline(heading)}](#{anchor(heading)})")
        else:
            out.append(f"- {part_link(part)}")
    return [*out, ""]


def summary(inputs: Inputs) -> list[str]:
    """One row per item: the item, the decision's headline, its status and review. Owners and due dates
    are in each item's block and in the action plan, grouped by owner and by month."""
    rows = []
    for item in inputs.pack.items:
        decision = inputs.design.decision(item.id)
        status = STATUS_LABELS[decision.status]
        if decision.review is not None:
            status += f", {REVIEW_LABELS[decision.review.state].lower()}"
        headline_text = cell(headline(decision.summary, HEADLINE_WORDS)) if decision.summary.strip() else "-"
        rows.append([item_link(item, with_title=True), headline_text, status])
    header = ["Item", "Decision (first sentence)", "Status, review"]
    return [f"## {HEADING_SUMMARY}", "", *table(header, rows), ""]


def decisions_fingerprint(design: Design, pack: ContentPack) -> str:
    """The fingerprint of every decision of the design, as the title block prints it."""
    return shown_fingerprint(design_fingerprint(decision_fingerprints(design, (item.id for item in pack.items))))
