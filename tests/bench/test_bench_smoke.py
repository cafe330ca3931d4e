"""The benchmark runs end to end with tiny counts, so it cannot rot unnoticed. No timing is asserted:
budgets are checked by ``make bench``, never by tests."""

from __future__ import annotations

from pathlib import Path

from tests.bench.run import HEADERS, Counts, run, table

TINY = Counts(
    open_runs=1,
    export_runs=1,
    switch_presses=1,
    guidance_presses=1,
    keys=1,
    save_runs=2,
    scale_sizes=(5, 10, 15),
    scale_runs=1,
    warm_up=False,
)


def test_every_measurement_runs_and_the_table_prints(tmp_path: Path) -> None:
    rows = run(TINY, tmp_path, progress=False)
    names = [row.name for row in rows]
    for expected in (
        "open 40-item design (first paint)",
        "memory: peak RSS at first paint",
        "item switch, decision tab (Ctrl+N to painted)",
        "item switch, guidance tab (Ctrl+N to painted)",
        "autosave: DesignSession.save() after 1 field",
        "keystroke: summary Input.Changed handler",
        "export 40-item design (subprocess)",
        "  reference: one pydantic model, validated once",
        "scale 15: open (first paint)",
        "scale 15: export (subprocess)",
        "scale linearity: save, per added item 10->15",
    ):
        assert expected in names, names
    for row in rows:
        assert row.median and not row.median.startswith("0.0 "), row
        assert row.verdict in ("PASS", "FAIL", "info", ""), row
    switch = next(row for row in rows if row.name.startswith("item switch, guidance"))
    assert switch.baseline and switch.ratio  # beside the minimal app doing the same updates
    keystroke = next(row for row in rows if row.name.startswith("keystroke: summary"))
    assert "saw 0" in keystroke.budget  # the save is never made inside the key handler
    text = table(rows)
    assert text.splitlines()[0].startswith(HEADERS.name)
    assert len(text.splitlines()) == len(rows) + 2
