"""The guidance is rendered when its tab shows it, and it always shows the current item."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Select, TextArea

from wizard.content import ContentPack
from wizard.project import DesignFile, load_design
from wizard.tui.screens.workspace import WorkspaceScreen
from wizard.tui.widgets.guidance import GuidanceView

from .conftest import opened


def _summary_shown(screen: WorkspaceScreen) -> str:
    guidance = screen.query_one("#guidance", GuidanceView)
    return guidance.source if guidance.display else ""


async def test_items_passed_on_the_decision_tab_show_their_own_guidance(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=1)
    async with opened(design.path, (100, 30)) as (pilot, screen):
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause()
        assert not screen.query_one("#guidance", GuidanceView).display  # out of date while hidden
        await pilot.press("f2")
        await pilot.pause()
        current = pack.items_by_id[screen.current]
        assert current.summary in _summary_shown(screen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        following = pack.items_by_id[screen.current]
        assert following.id != current.id
        assert following.summary in _summary_shown(screen)
        await pilot.press("f2", "ctrl+r", "f2")
        await pilot.pause()
        assert current.summary in _summary_shown(screen)


async def test_items_passed_on_the_guidance_tab_fill_the_form_when_it_opens(
    make_design: Callable[..., DesignFile], pack: ContentPack
) -> None:
    design = make_design(decided=5)
    async with opened(design.path, (100, 30)) as (pilot, screen):
        await pilot.press("f2", "ctrl+n", "ctrl+n")
        await pilot.pause()
        assert screen.current == pack.items[2].id
        await pilot.press("f2")
        await pilot.pause()
        decision = design.design.decisions[pack.items[2].id]
        assert screen.query_one("#summary", TextArea).text == decision.summary
        assert screen.query_one("#status", Select).value == decision.status
        assert screen.query_one("#option", Select).value == decision.option
        assert screen.query_one("#rationale", TextArea).text == decision.rationale
        await pilot.press("ctrl+n")  # on the decision tab again: filled at once
        await pilot.pause()
        following = design.design.decisions[pack.items[3].id]
        assert screen.query_one("#summary", TextArea).text == following.summary
    saved = load_design(design.path, pack).design
    assert saved.decisions[pack.items[2].id].summary == decision.summary  # nothing was changed by the fill
    assert saved.decisions[pack.items[2].id].status == decision.status


async def test_f2_moves_the_focus_so_page_keys_scroll_the_guidance(make_design: Callable[..., DesignFile]) -> None:
    design = make_design(decided=1)
    async with opened(design.path, (80, 24)) as (pilot, screen):
        await pilot.press("f2")
        await pilot.pause()
        guidance = screen.query_one("#guidance", GuidanceView)
        assert pilot.app.focused is guidance
        await pilot.press("pagedown")
        await pilot.pause()
        assert guidance.scroll_offset.y > 0
        await pilot.press("f2")
        await pilot.pause()
        assert pilot.app.focused is screen.query_one("#option")
