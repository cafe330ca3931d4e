"""Panel size: how many patients one clinician can carry.

The visits a clinician offers in a year (visits a day x working days) divided by the visits an average
panel patient needs in a year, rounded down. It is an average: it assumes the panel's demand is
spread evenly over the year and that every offered visit goes to the panel (none to walk-ins,
outreach or the queue).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from wizard.capacity.inputs import PanelInputs


@dataclass(frozen=True)
class PanelSize:
    """The panel calculator's result."""

    method: ClassVar[str] = "panel"
    inputs: PanelInputs
    visits_per_year: float
    """Visits one clinician offers a year."""
    panel_size: int
    """Patients the clinician can carry, rounded down."""

    def to_json(self) -> dict[str, object]:
        """The result as ``--json`` prints it."""
        return {"method": self.method, "panel_size": self.panel_size}


def panel_size(inputs: PanelInputs) -> PanelSize:
    """The panel size: floor(visits a day x days a year / visits a patient needs a year).

    The figures are read as the decimals the lead typed, so 20 x 220 / 3.2 is exactly 1375, never
    1374 by a rounding error of binary floats.
    """
    per_day, days, per_patient = (
        Fraction(repr(x)) for x in (inputs.visits_per_day, inputs.days_per_year, inputs.visits_per_patient_year)
    )
    return PanelSize(
        inputs=inputs,
        visits_per_year=float(per_day * days),
        panel_size=math.floor(per_day * days / per_patient),
    )
