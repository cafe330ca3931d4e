"""The workspace's keys and its F1 help: every key is listed here once, for the screen, its footer and
the help screen."""

from __future__ import annotations

from textual.binding import Binding, BindingType

WORKSPACE_HELP = """\
## Workspace

- The **navigator** (left) lists sections with their progress and items with a status mark;
  ▶ marks the item on screen. Enter or a click opens an item. F6 hides it to give the item more
  room; F7 shows only the items that need attention (the navigator says *Filter: needs attention*).
- The **Decision** tab starts with the item's warnings and the reviewer's comment, then the form:
  approach (★ recommended for your context, ⚠ use with caution), summary, owner, due date
  (YYYY-MM-DD), status, the safety-net topics the decision covers (on the items that must cover
  one), rationale, KPIs (one per line; the button offers the suggested ones that fit the approach),
  notes. Typing in an open item makes it *drafting*; **F9** marks it *decided*. Choosing *Not
  applicable* asks for a one-line reason, which the playbook shows.
- The focused field has a bar at its left edge and its label in reverse video. Moving to another
  item keeps the focus in the same field (from the navigator, it goes to the approach); after a
  dialog the focus is back where it was.
- The **Guidance** tab (F2) shows what matters for your context first, then why the item
  matters, key questions, the options and their trade-offs, compliance notes, KPIs, references.
- Ctrl+N / Ctrl+R move to the next / previous item, Ctrl+O to the next item still open.
  These work while you type. Ctrl+P opens the command palette: type a number or a title.
- F3 records a review of this item, F4 changes the clinical context (then lists the decisions that
  no longer follow the recommendation), F5 exports the playbook, Ctrl+G lists every warning (as
  does a click on the warning count), Ctrl+T records a sign-off of the whole design.
- F8 opens the capacity calculator beside the items it serves (queue staffing: 3.1.1, 3.1.2,
  3.3.2, 3.3.4, 3.3.8; panel size: 3.3.3; overbooking: 3.3.6), also from the button on the form.
- The title line says which version the design is a draft of ("Draft of v2 · 2 changed since v1").
"""
"""What F1 shows on the workspace."""

WORKSPACE_BINDINGS: list[BindingType] = [
    # Every key is a priority binding: checked before the focused field sees the key, so it does the
    # same from every field and never edits text (the text areas bind F6 and F7 to select a line and
    # all the text, which the next character typed would replace). The footer shows the first ones.
    Binding("ctrl+n", "next_item", "Next", id="next-item", priority=True, tooltip="Next item"),
    Binding("f9", "mark_decided", "Decided", id="mark-decided", priority=True, tooltip="Mark this item decided"),
    Binding(
        "f2", "toggle_tab", "Guide", id="toggle-tab", priority=True, tooltip="Switch between decision and guidance"
    ),
    Binding("f3", "review", "Review", id="review", priority=True, tooltip="Record the reviewer's outcome"),
    Binding("f5", "export", "Export", id="export", priority=True, tooltip="Export the playbook"),
    Binding(
        "ctrl+r",
        "previous_item",
        "Previous",
        id="previous-item",
        show=False,
        priority=True,
        tooltip="Previous item",
    ),
    Binding(
        "ctrl+o",
        "next_open",
        "Next open",
        id="next-open",
        show=False,
        priority=True,
        tooltip="Next item that needs attention",
    ),
    Binding(
        "f4",
        "edit_context",
        "Context",
        id="edit-context",
        show=False,
        priority=True,
        tooltip="Edit the clinical context",
    ),
    Binding(
        "f6",
        "toggle_navigator",
        "Navigator",
        id="toggle-navigator",
        show=False,
        priority=True,
        tooltip="Hide or show the navigator",
    ),
    Binding(
        "f7",
        "toggle_attention",
        "Needs attention",
        id="attention",
        show=False,
        priority=True,
        tooltip="Show only the items that need attention, or all",
    ),
    Binding(
        "ctrl+g",
        "warnings",
        "Warnings",
        id="warnings",
        show=False,
        priority=True,
        tooltip="List every warning; Enter goes to its item",
    ),
    Binding(
        "ctrl+t",
        "sign_off",
        "Sign-off",
        id="sign-off",
        show=False,
        priority=True,
        tooltip="Record a sign-off of the whole design",
    ),
    Binding(
        "f8",
        "capacity",
        "Capacity",
        id="capacity",
        show=False,
        priority=True,
        tooltip="The capacity calculator beside this item",
    ),
]
"""The workspace's keys, in the order the footer shows them."""
