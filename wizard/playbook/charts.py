"""The HTML export's charts, drawn here as inline SVG: no script, no external file.

Each chart reads in black-and-white print: every kind of bar has its own fill pattern and an
outline (not colour alone), every bar carries its number as text, and a legend names the patterns.
The Markdown carries the same facts as text (the brief's progress list, the action plan's months).
"""

from __future__ import annotations

from html import escape

from wizard.playbook.front import section_progress
from wizard.playbook.html import Figure
from wizard.playbook.outline import HEADING_ACTIONS, HEADING_BRIEF, LABEL_BY_MONTH, LABEL_PROGRESS, Inputs
from wizard.playbook.registers import months_due

KINDS = (
    ("decided", "Decided", "solid"),
    ("drafting", "Drafting", "hatch"),
    ("open", "Open", "blank"),
    ("not-applicable", "Not applicable", "dots"),
)
"""The statuses a bar is split into, their legend labels and their fill patterns."""


def _patterns(chart: str) -> str:
    """The fill patterns, with ids unique to the chart (two charts share one page)."""
    return (
        f'<defs><pattern id="{chart}-solid" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="4" height="4" fill="#333"/></pattern>'
        f'<pattern id="{chart}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<rect width="2.5" height="6" fill="#333"/></pattern>'
        f'<pattern id="{chart}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1" fill="#333"/></pattern>'
        f'<pattern id="{chart}-blank" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="4" height="4" fill="#fff"/></pattern></defs>'
    )


def _svg(chart: str, width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" font-family="Arial, sans-serif" font-size="12">'
        f"<title>{escape(label)}</title>{_patterns(chart)}{''.join(body)}</svg>"
    )


def _legend(chart: str, x: int, y: int) -> list[str]:
    out = []
    for _, label, pattern in KINDS:
        out.append(f'<rect x="{x}" y="{y - 10}" width="14" height="12" fill="url(#{chart}-{pattern})" stroke="#000"/>')
        out.append(f'<text x="{x + 19}" y="{y}">{escape(label)}</text>')
        x += 26 + 7 * len(label)
    return out


def progress_chart(inputs: Inputs) -> str:
    """One bar per section: decided, drafting, open and not applicable items, and how many are approved."""
    rows = section_progress(inputs)
    label_width, bar_width, row_height = 250, 380, 26
    most = max((sum(counts[key] for key, _, _ in KINDS) for _, counts in rows), default=1) or 1
    height = 40 + row_height * len(rows)
    body = _legend("progress", label_width, 16)
    body.append(f'<text x="{label_width + bar_width + 12}" y="16">Approved</text>')
    for index, (label, counts) in enumerate(rows):
        y = 30 + index * row_height
        shown = label if len(label) <= 38 else label[:37] + "…"
        body.append(f'<text x="0" y="{y + 15}">{escape(shown)}</text>')
        x = float(label_width)
        for key, _, pattern in KINDS:
            width = bar_width * counts[key] / most
            if width:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" '
                    f'fill="url(#progress-{pattern})" stroke="#000"/>'
                )
                if width >= 18:  # white on the solid bar; black with a white halo on the patterns
                    ink = 'fill="#fff"' if pattern == "solid" else 'fill="#000" stroke="#fff" stroke-width="4"'
                    body.append(
                        f'<text x="{x + width / 2:.1f}" y="{y + 15}" text-anchor="middle" font-weight="bold" '
                        f'{ink} paint-order="stroke">{counts[key]}</text>'
                    )
            x += width
        total = sum(counts[key] for key, _, _ in KINDS)
        body.append(f'<text x="{label_width + bar_width + 12}" y="{y + 15}">{counts["approved"]} of {total}</text>')
    return _svg("progress", label_width + bar_width + 90, height, "Progress by section", body)


def due_chart(inputs: Inputs) -> str:
    """One column per month: how many items are due, split into decided and still open or drafting."""
    months = months_due(inputs)
    column, gap, plot_height = 58, 18, 130
    top = 44  # the legend, then room for the tallest column's number below it
    counts = []
    for month, items in months.items():
        statuses = [inputs.design.status_of(item.id) for item in items]
        decided = statuses.count("decided")
        counts.append((month or "No date", decided, len(statuses) - decided))
    most = max((decided + other for _, decided, other in counts), default=1) or 1
    width = 40 + (column + gap) * len(counts)
    body = [
        '<rect x="40" y="4" width="14" height="12" fill="url(#due-solid)" stroke="#000"/>',
        '<text x="59" y="14">Decided</text>',
        '<rect x="130" y="4" width="14" height="12" fill="url(#due-hatch)" stroke="#000"/>',
        '<text x="149" y="14">Open or drafting</text>',
        f'<line x1="30" y1="{top + plot_height}" x2="{width}" y2="{top + plot_height}" stroke="#000"/>',
    ]
    for index, (label, decided, other) in enumerate(counts):
        x = 40 + index * (column + gap)
        base = float(top + plot_height)
        for value, fill in ((decided, "url(#due-solid)"), (other, "url(#due-hatch)")):
            height = plot_height * value / most
            if height:
                body.append(
                    f'<rect x="{x}" y="{base - height:.1f}" width="{column}" height="{height:.1f}" '
                    f'fill="{fill}" stroke="#000"/>'
                )
                base -= height
        body.append(
            f'<text x="{x + column / 2}" y="{base - 5:.1f}" text-anchor="middle" font-weight="bold">'
            f"{decided + other}</text>"
        )
        body.append(
            f'<text x="{x + column / 2}" y="{top + 18 + plot_height}" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg("due", max(width, 300), top + plot_height + 26, "Items due by month", body)


def figures(inputs: Inputs) -> list[Figure]:
    """The charts of the HTML export and where they go."""
    return [
        Figure(HEADING_BRIEF, LABEL_PROGRESS, progress_chart(inputs), replaces_next=True),
        Figure(HEADING_ACTIONS, LABEL_BY_MONTH, due_chart(inputs), replaces_next=True),
    ]
