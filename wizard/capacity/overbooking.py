"""Overbooking: how many extra bookings a session can take for its no-shows.

Each booked patient comes with probability 1 - p, independently of the others, so the number who come
out of N + k bookings is Binomial(N + k, 1 - p). The calculator gives the largest k for which the
chance that more than N come stays at or below the accepted overflow risk R.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from wizard.capacity.inputs import OverbookInputs

TIE_TOLERANCE = 1e-12
"""An overflow chance within this share above the accepted risk counts as within it: an exact tie (10
booked, 4 slots, half showing: exactly 0.5) comes out a few units in the last place either side."""
_NEGLIGIBLE = 1e-17
"""A sum stops once what is left of it is below this share of it: beyond a double's precision."""


def _tail_away_from_mode(bookings: int, show_rate: float, start: int, step: int) -> float:
    """The sum of the binomial probabilities from ``start`` going away from the mode (step +1 up, -1 down).

    The first term comes from log-gamma (no factorials, no overflow); each next one from the ratio of
    neighbours. Away from the mode the terms fall, each ratio smaller than the one before, so once a
    term times r / (1 - r) is negligible against the sum, the rest is too.
    """
    n, q = bookings, show_rate
    log_term = (
        math.lgamma(n + 1)
        - math.lgamma(start + 1)
        - math.lgamma(n - start + 1)
        + start * math.log(q)
        + (n - start) * math.log1p(-q)
    )
    term, total, x = math.exp(log_term), 0.0, start
    odds = q / (1 - q)
    while 0 <= x <= n and term > 0:
        total += term
        ratio = (n - x) / (x + 1) * odds if step > 0 else x / (n - x + 1) / odds
        if ratio < 1 and term * ratio / (1 - ratio) <= total * _NEGLIGIBLE:
            break
        term *= ratio
        x += step
    return total


def overflow_probability(bookings: int, slots: int, show_rate: float) -> float:
    """The chance that more than ``slots`` of ``bookings`` patients come, each with ``show_rate``.

    Sums whichever tail lies away from the binomial's mode (terms there fall steadily), so the cost
    grows with the spread of the binomial, not with the bookings.
    """
    if bookings <= slots or show_rate <= 0:
        return 0.0
    if show_rate >= 1:
        return 1.0
    mode = min(bookings, math.floor((bookings + 1) * show_rate))
    if slots >= mode:
        return min(1.0, _tail_away_from_mode(bookings, show_rate, slots + 1, +1))
    return max(0.0, 1 - _tail_away_from_mode(bookings, show_rate, slots, -1))


@dataclass(frozen=True)
class Overbooking:
    """The overbooking calculator's result."""

    method: ClassVar[str] = "binomial"
    inputs: OverbookInputs
    extra_bookings: int
    """The most extra bookings whose overflow probability stays within the accepted risk."""
    overflow_probability: float
    """The chance more patients come than there are slots, with ``extra_bookings`` extra."""
    next_overflow_probability: float
    """The same chance with one booking more (above the accepted risk)."""

    def to_json(self) -> dict[str, object]:
        """The result as ``--json`` prints it."""
        return {
            "method": self.method,
            "extra_bookings": self.extra_bookings,
            "overflow_probability": self.overflow_probability,
        }


def overbook(inputs: OverbookInputs) -> Overbooking:
    """The largest k with P(Binomial(N + k, 1 - p) > N) <= R.

    The overflow chance rises with k towards 1 (more bookings, stochastically more arrivals), and R is
    below 1, so doubling k finds a k beyond the answer and halving the gap finds the answer.
    """
    slots, show_rate, risk = inputs.slots, 1 - inputs.no_show_rate, inputs.overflow_risk

    def overflow(extra: int) -> float:
        return overflow_probability(slots + extra, slots, show_rate)

    def within_risk(extra: int) -> bool:
        return overflow(extra) <= risk * (1 + TIE_TOLERANCE)

    fits, too_many = 0, 1
    while within_risk(too_many):
        fits, too_many = too_many, too_many * 2
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if within_risk(middle):
            fits = middle
        else:
            too_many = middle
    return Overbooking(inputs, fits, overflow(fits), overflow(fits + 1))
