"""The navigator: sections with progress and items with a status mark that reads without colour; the
item on screen is marked with ▶ (the cursor's colour alone did not say which one it was)."""

from __future__ import annotations

from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from wizard.content import ContentPack, Section
from wizard.project import Design

STATUS_MARKS = {"open": "○", "drafting": "◐", "decided": "●", "not-applicable": "–"}
REVIEW_MARKS = {"approved": "✓", "changes-requested": "✗"}
NEEDS_ATTENTION = ("open", "drafting")
CURRENT = "▶"
"""Marks the item on screen."""


def needs_attention(design: Design, slug: str) -> bool:
    """Open, drafting, or with changes requested."""
    decision = design.decision(slug)
    review = decision.review
    return decision.status in NEEDS_ATTENTION or (review is not None and review.state == "changes-requested")


class Navigator(Tree[str]):
    """Sections and items; node data is the item slug (or '' for a section)."""

    def __init__(self, pack: ContentPack, design: Design, **kwargs: object) -> None:
        super().__init__("Checklist", data="", **kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.design = design
        self.show_root = False
        self.guide_depth = 2
        self.only_attention = False
        self.current = ""
        """The item on screen (marked ▶)."""
        self._items: dict[str, TreeNode[str]] = {}
        self._sections: dict[str, TreeNode[str]] = {}

    def on_mount(self) -> None:
        """Build the tree."""
        self.rebuild()

    def rebuild(self) -> None:
        """Build every node (only when the filter changes, never on a status change)."""
        self.clear()
        self._items.clear()
        self._sections.clear()
        for section in self.pack.sections:
            slugs = [
                item.id for item in section.items if not self.only_attention or needs_attention(self.design, item.id)
            ]
            if self.only_attention and not slugs:
                continue
            node = self.root.add(self._section_label(section), data="", expand=True)
            self._sections[section.id] = node
            for slug in slugs:
                self._items[slug] = node.add_leaf(self._item_label(slug), data=slug)

    def _section_label(self, section: Section) -> str:
        done = sum(1 for item in section.items if self.design.status_of(item.id) in ("decided", "not-applicable"))
        return f"{section.number} {section.title} {done}/{len(section.items)}"

    def _item_label(self, slug: str) -> str:
        item = self.pack.items_by_id[slug]
        decision = self.design.decision(slug)
        review = REVIEW_MARKS[decision.review.state] if decision.review else " "
        current = CURRENT if slug == self.current else " "
        return f"{current}{STATUS_MARKS[decision.status]}{review}{item.number} {item.title}"

    def refresh_item(self, slug: str) -> None:
        """Update one item's label and its section's progress."""
        node = self._items.get(slug)
        if node is not None:
            node.set_label(self._item_label(slug))
        section = self.pack.section_of[slug]
        section_node = self._sections.get(section.id)
        if section_node is not None:
            section_node.set_label(self._section_label(section))

    def highlight(self, slug: str) -> None:
        """Mark the item on screen and move the cursor to it without selecting it."""
        before, self.current = self.current, slug
        if before and before != slug and before in self._items:
            self._items[before].set_label(self._item_label(before))
        node = self._items.get(slug)
        if node is not None:
            node.set_label(self._item_label(slug))
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)
