"""Guidance for one item and one clinical context, as Markdown (the wizard renders it).

Context notes that match the design come first, then the recommended options for this context
are marked; compliance notes that apply, suggested KPIs and references follow. Nothing here
imports Textual, so guidance can be tested (and compared across contexts) without a terminal.
"""

from __future__ import annotations

from wizard.content import ClinicalContextLike, ContentPack, Item, Option

RECOMMENDED = "★ recommended for your context"
CAUTION = "⚠ use with caution in your context"


def option_marks(item: Item, context: ClinicalContextLike) -> dict[str, str]:
    """For each option id: '' or the mark to show next to it for this context."""
    marks = {}
    recommended = {opt.id for opt in item.recommended_options(context)}
    for opt in item.options:
        if opt.caution_for.matches(context):
            marks[opt.id] = CAUTION
        elif opt.id in recommended:
            marks[opt.id] = RECOMMENDED
        else:
            marks[opt.id] = ""
    return marks


def _context_label(pack: ContentPack, context: ClinicalContextLike, option: Option, field: str) -> str:
    """Which of the design's own context ids made a condition match, by label."""
    condition = getattr(option, field)
    hits = []
    if context.care_model in condition.care_models:
        hits.append(pack.label("care_models", context.care_model))
    hits += [pack.label("roles", r) for r in context.roles if r in condition.roles]
    hits += [pack.label("visit_types", v) for v in context.visit_types if v in condition.visit_types]
    return ", ".join(hits)


def guidance_markdown(item: Item, context: ClinicalContextLike, pack: ContentPack) -> str:
    """The item's guidance for this context, as Markdown."""
    out = [f"**{item.summary}**", ""]
    notes = item.matching_notes(context)
    if notes:
        out += ["## For your context", ""]
        for note in notes:
            labels = ", ".join(
                [pack.label("care_models", c) for c in note.when.care_models if c == context.care_model]
                + [pack.label("roles", r) for r in note.when.roles if r in context.roles]
                + [pack.label("visit_types", v) for v in note.when.visit_types if v in context.visit_types]
            )
            text = " ".join(note.text.split())
            out.append(f"- *{labels}:* {text}" if labels else f"- {text}")
        out.append("")
    if item.why:
        out += ["## Why it matters", "", " ".join(item.why.split()), ""]
    if item.questions:
        out += ["## Key questions", ""]
        out += [f"{n}. {q}" for n, q in enumerate(item.questions, start=1)]
        out.append("")
    if item.options:
        out += ["## Options", ""]
        marks = option_marks(item, context)
        for opt in item.options:
            mark = marks[opt.id]
            head = f"- **{opt.label}**"
            if mark == RECOMMENDED:
                head += f" {mark} ({_context_label(pack, context, opt, 'recommended_for')})"
            elif mark == CAUTION:
                head += f" {mark} ({_context_label(pack, context, opt, 'caution_for')})"
            out.append(head)
            out.append(f"  {' '.join(opt.description.split())}")
            out.append(f"  *Trade-offs:* {' '.join(opt.tradeoffs.split())}")
        out.append("")
    compliance = item.applicable_compliance(context)
    if compliance:
        out += ["## Compliance", ""]
        for rule_note in compliance:
            rule = pack.rule(rule_note.rule)
            if rule is None:
                continue
            line = f"- {' '.join(rule.statement.split())}"
            if rule_note.text.strip():
                line += f" {' '.join(rule_note.text.split())}"
            line += f" *({rule.citation})*"
            if rule.temporary and rule.confirmed_through:
                line += f" **Temporary rule**, confirmed through {rule.confirmed_through}: check before use."
            out.append(line)
        out.append("")
    if item.kpis:
        out += ["## Suggested KPIs", ""]
        for kpi in item.kpis:
            line = f"- **{kpi.name}**: {' '.join(kpi.definition.split())}"
            if kpi.target:
                line += f" Target: {kpi.target}" + (f" ({kpi.source})" if kpi.source else "")
            out.append(line)
        out.append("")
    if item.principles:
        titles = [p.title for p in pack.principles if p.id in item.principles]
        out += ["## Design principles served", "", ", ".join(titles) + ".", ""]
    if item.references:
        out += ["## References", ""]
        out += [f"- [{ref.title}]({ref.url})" for ref in item.references]
        out.append("")
    return "\n".join(out)


def suggested_kpi_lines(item: Item) -> list[str]:
    """The item's KPIs as one-line entries for the decision form."""
    lines = []
    for kpi in item.kpis:
        line = kpi.name
        if kpi.target:
            line += f": {kpi.target}"
        lines.append(line)
    return lines
