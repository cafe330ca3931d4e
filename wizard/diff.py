"""What changed between two designs, item by item: the fields that differ, with before and after
(long text as a word-level change), and changes to the title or the clinical context.

Used by ``telewizard diff`` (and so by ``git diff`` of a design file). Nothing here imports Textual.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.content import ContentPack
from wizard.project import Decision, Design

LONG_TEXT = 80
"""Text longer than this (or on several lines) is shown as a word-level change, not before and after."""
DECISION_FIELDS = ("status", "option", "summary", "rationale", "owner", "due", "kpis", "covers", "notes", "capacity")
"""The fields of a decision compared, in the order shown (``updated`` is a time stamp, not a change)."""


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name and the value before and after, as text."""

    field: str
    before: str
    after: str

    @property
    def is_long(self) -> bool:
        """True when the change reads better word by word than as two values."""
        return any(len(text) > LONG_TEXT or "\n" in text for text in (self.before, self.after))


@dataclass(frozen=True)
class ItemChange:
    """The changes to one item's decision."""

    slug: str
    number: str
    title: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class DesignDiff:
    """Everything that differs between two designs."""

    design: list[FieldChange]
    """Changes to the title, organization, lead, content pack or clinical context."""
    items: list[ItemChange]
    sign_offs: list[str]
    """Sign-offs recorded in the new design and not in the old (one line each)."""

    @property
    def same(self) -> bool:
        """True when nothing a reader would see differs."""
        return not (self.design or self.items or self.sign_offs)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(entry) for entry in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if hasattr(value, "model_dump"):
        return _inputs_text(value.model_dump(exclude_none=True))
    return str(value)


def _inputs_text(data: dict[str, Any], prefix: str = "") -> str:
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(_inputs_text(value, f"{prefix}{key}."))
        else:
            lines.append(f"{prefix}{key} = {value}")
    return "\n".join(lines)


def _field_changes(old: Any, new: Any, names: Sequence[str], labels: dict[str, str] | None = None) -> list[FieldChange]:
    changes = []
    for name in names:
        before, after = _text(getattr(old, name)), _text(getattr(new, name))
        if before != after:
            changes.append(FieldChange((labels or {}).get(name, name), before, after))
    return changes


def _decision_changes(old: Decision, new: Decision) -> list[FieldChange]:
    changes = _field_changes(old, new, DECISION_FIELDS)
    before = _review_text(old)
    after = _review_text(new)
    if before != after:
        changes.append(FieldChange("review", before, after))
    return changes


def _review_text(decision: Decision) -> str:
    review = decision.review
    if review is None:
        return ""
    parts = [review.state, f"by {review.by}" if review.by else "", f"on {review.on}" if review.on else ""]
    line = " ".join(part for part in parts if part)
    return f"{line}: {review.comment}" if review.comment else line


def diff_designs(old: Design, new: Design, pack: ContentPack | None = None) -> DesignDiff:
    """The differences between two designs, items in the pack's order (then any the pack lacks)."""
    design = _field_changes(old.project, new.project, ("title", "organization", "lead", "content"))
    design += _field_changes(
        old.context,
        new.context,
        ("care_model", "care_model_note", "roles", "visit_types"),
        {"care_model": "care model", "care_model_note": "care model note", "visit_types": "visit types"},
    )
    order = [item.id for item in pack.items] if pack else []
    slugs = order + sorted(slug for slug in {*old.decisions, *new.decisions} if slug not in order)
    items = []
    for slug in slugs:
        fields = _decision_changes(old.decision(slug), new.decision(slug))
        if fields:
            item = pack.items_by_id.get(slug) if pack else None
            items.append(ItemChange(slug, item.number if item else "", item.title if item else slug, fields))
    known = {(s.version, s.fingerprint, s.on) for s in old.sign_offs}
    sign_offs = [
        f"version {s.version} {s.outcome.replace('-', ' ')} by {s.by}, {s.role}, on {s.on.isoformat()}"
        for s in new.sign_offs
        if (s.version, s.fingerprint, s.on) not in known
    ]
    return DesignDiff(design, items, sign_offs)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str, removed: tuple[str, str], added: tuple[str, str]) -> str:
    """``after`` with the words taken out of ``before`` and put in marked (e.g. ``[-old-]{+new+}``)."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(new[j1:j2])
            continue
        if tag in ("delete", "replace"):
            out.append(removed[0] + "".join(old[i1:i2]) + removed[1])
        if tag in ("insert", "replace"):
            out.append(added[0] + "".join(new[j1:j2]) + added[1])
    return "".join(out)


def render_text(diff: DesignDiff, old_name: str, new_name: str) -> str:
    """The differences for a terminal (``git diff --word-diff``'s markers: ``[-gone-]{+new+}``)."""
    return "\n".join(_lines(diff, old_name, new_name, markdown=False)) + "\n"


def render_markdown(diff: DesignDiff, old_name: str, new_name: str) -> str:
    """The differences as Markdown (gone text struck through, new text in bold)."""
    return "\n".join(_lines(diff, old_name, new_name, markdown=True)) + "\n"


def _lines(diff: DesignDiff, old_name: str, new_name: str, *, markdown: bool) -> Iterator[str]:
    count = len(diff.items)
    summary = "no differences" if diff.same else f"{count} item{'s' if count != 1 else ''} changed"
    if markdown:
        yield f"# Changes from `{old_name}` to `{new_name}`"
        yield ""
        yield summary[:1].upper() + summary[1:] + "."
    else:
        yield f"{old_name} -> {new_name}: {summary}"
    if diff.design:
        yield ""
        yield "## Design" if markdown else "Design"
        yield from _field_lines(diff.design, markdown)
    for item in diff.items:
        yield ""
        heading = f"{item.number} {item.title}".strip()
        yield f"## {heading}" if markdown else heading
        yield from _field_lines(item.fields, markdown)
    if diff.sign_offs:
        yield ""
        yield "## Sign-offs recorded" if markdown else "Sign-offs recorded"
        yield from (f"- {line}" if markdown else f"  {line}" for line in diff.sign_offs)


def _field_lines(changes: list[FieldChange], markdown: bool) -> Iterator[str]:
    for change in changes:
        if markdown:
            if change.is_long:
                marked = word_diff(change.before, change.after, ("~~", "~~"), ("**", "**"))
                yield f"- **{change.field}:**"
                yield ""
                yield from (f"  > {line}" if line else "  >" for line in marked.split("\n"))
                yield ""
            else:
                yield f"- **{change.field}:** {_shown(change.before, True)} → {_shown(change.after, True)}"
        elif change.is_long:
            marked = word_diff(change.before, change.after, ("[-", "-]"), ("{+", "+}"))
            yield f"  {change.field}:"
            yield from (f"    {line}" for line in marked.split("\n"))
        else:
            yield f"  {change.field}: {_shown(change.before, False)} -> {_shown(change.after, False)}"


def _shown(text: str, markdown: bool) -> str:
    if not text:
        return "*(empty)*" if markdown else "(empty)"
    return f"`{text}`" if markdown and "`" not in text else f'"{text}"'
