"""The panel and overbooking calculators against answers found without them: exact binomial sums in
fractions (used only here), decimal arithmetic, and the properties any answer must have."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.capacity import OverbookInputs, PanelInputs, overbook, overflow_probability, panel_size
from wizard.capacity.overbooking import TIE_TOLERANCE


def exact_overflow(bookings: int, slots: int, no_show: Fraction) -> Fraction:
    """P(Binomial(bookings, 1 - no_show) > slots), summed exactly term by term."""
    show = 1 - no_show
    return sum(
        (
            Fraction(math.comb(bookings, x)) * show**x * no_show ** (bookings - x)
            for x in range(slots + 1, bookings + 1)
        ),
        Fraction(0),
    )


def exact_extra_bookings(slots: int, no_show: Fraction, risk: Fraction) -> int:
    """The largest k with P(Binomial(slots + k, 1 - no_show) > slots) <= risk, by counting up."""
    extra = 0
    while exact_overflow(slots + extra + 1, slots, no_show) <= risk:
        extra += 1
    return extra


def booking(slots: int, no_show: float, risk: float) -> OverbookInputs:
    return OverbookInputs(slots=slots, no_show_rate=no_show, overflow_risk=risk)


# --- overbooking -----------------------------------------------------------------------------------


def test_a_small_case_by_hand() -> None:
    """20 slots, 15% no-shows, 5% risk: with 21 booked, overflow means all 21 come: 0.85^21 = 3.29%;
    with 22, 21 or 22 come: 0.85^22 + 22 x 0.85^21 x 0.15 = 13.66%. So 1 extra."""
    result = overbook(booking(20, 0.15, 0.05))
    assert result.extra_bookings == 1
    assert result.overflow_probability == pytest.approx(0.85**21)
    assert result.next_overflow_probability == pytest.approx(0.85**22 + 22 * 0.85**21 * 0.15)
    assert result.to_json() == {
        "method": "binomial",
        "extra_bookings": 1,
        "overflow_probability": result.overflow_probability,
    }


@settings(max_examples=150, deadline=None)
@given(
    slots=st.integers(min_value=1, max_value=60),
    no_show=st.integers(min_value=0, max_value=60),
    risk=st.integers(min_value=1, max_value=60),
)
def test_overbooking_matches_exact_sums(slots: int, no_show: int, risk: int) -> None:
    """Percentages as typed (e.g. 0.15, 0.05), compared with counting up through exact binomial sums."""
    no_show_rate, overflow_risk = Fraction(no_show, 100), Fraction(risk, 100)
    result = overbook(booking(slots, no_show / 100, risk / 100))
    assert result.extra_bookings == exact_extra_bookings(slots, no_show_rate, overflow_risk)
    exact = exact_overflow(slots + result.extra_bookings, slots, no_show_rate)
    assert result.overflow_probability == pytest.approx(float(exact), rel=1e-9, abs=1e-300)


@settings(max_examples=200, deadline=None)
@given(
    bookings=st.integers(min_value=1, max_value=400),
    slots=st.integers(min_value=0, max_value=400),
    no_show=st.integers(min_value=1, max_value=99),
)
def test_overflow_probability_matches_exact_sums(bookings: int, slots: int, no_show: int) -> None:
    """Both tails (above and below the mode) against the exact sum."""
    exact = float(exact_overflow(bookings, slots, Fraction(no_show, 100)))
    assert overflow_probability(bookings, slots, 1 - no_show / 100) == pytest.approx(exact, rel=1e-9, abs=1e-15)


def test_large_sessions_stay_sound() -> None:
    """Thousands of slots (where the binomial coefficients overflow a float) against the exact sum,
    and the largest accepted session at the highest accepted no-show rate in reasonable time."""
    exact = float(exact_overflow(2600, 2000, Fraction(1, 4)))
    assert overflow_probability(2600, 2000, 0.75) == pytest.approx(exact, rel=1e-9)
    big = overbook(booking(100_000, 0.99, 0.05))
    assert big.overflow_probability <= 0.05 < big.next_overflow_probability
    assert 9_800_000 < big.extra_bookings < 10_000_000  # about 100,000 x 99


@st.composite
def bookings(draw: st.DrawFn) -> OverbookInputs:
    return booking(
        draw(st.integers(min_value=1, max_value=2000)),
        draw(st.floats(min_value=0, max_value=0.9)),
        draw(st.floats(min_value=1e-6, max_value=0.9)),
    )


@settings(max_examples=200, deadline=None)
@given(bookings())
def test_the_answer_is_the_most_within_the_risk(inputs: OverbookInputs) -> None:
    result = overbook(inputs)
    show = 1 - inputs.no_show_rate
    accepted = inputs.overflow_risk * (1 + TIE_TOLERANCE)
    assert result.overflow_probability <= accepted < result.next_overflow_probability
    assert result.overflow_probability == overflow_probability(inputs.slots + result.extra_bookings, inputs.slots, show)


@settings(max_examples=150, deadline=None)
@given(inputs=bookings(), more=st.floats(min_value=0, max_value=0.9))
def test_more_risk_or_more_no_shows_never_allow_fewer(inputs: OverbookInputs, more: float) -> None:
    base = overbook(inputs).extra_bookings
    riskier = inputs.model_copy(update={"overflow_risk": max(inputs.overflow_risk, more)})
    flakier = inputs.model_copy(update={"no_show_rate": max(inputs.no_show_rate, more)})
    assert overbook(riskier).extra_bookings >= base
    assert overbook(flakier).extra_bookings >= base


def test_an_exact_tie_is_within_the_risk() -> None:
    """4 slots, half the patients coming, 50% risk: with 9 booked, more than 4 come with probability
    exactly 1/2 (the binomial is symmetric), which the lead accepted; with 10, 0.62."""
    assert exact_overflow(9, 4, Fraction(1, 2)) == Fraction(1, 2)
    assert overbook(booking(4, 0.5, 0.5)).extra_bookings == 5


def test_no_no_shows_means_no_extra_bookings() -> None:
    assert overbook(booking(30, 0, 0.5)).extra_bookings == 0


# --- panel -------------------------------------------------------------------------------------------


def test_panel_by_hand() -> None:
    """20 visits a day on 220 days is 4,400 visits; at 3.2 a patient, exactly 1,375 patients."""
    result = panel_size(PanelInputs(visits_per_day=20, days_per_year=220, visits_per_patient_year=3.2))
    assert result.panel_size == 1375
    assert result.visits_per_year == 4400
    assert result.to_json() == {"method": "panel", "panel_size": 1375}


@settings(max_examples=300, deadline=None)
@given(
    per_day=st.decimals(min_value="0.5", max_value="60", places=1),
    days=st.integers(min_value=1, max_value=366),
    per_patient=st.decimals(min_value="0.1", max_value="24", places=1),
)
def test_panel_matches_decimal_arithmetic(per_day: Decimal, days: int, per_patient: Decimal) -> None:
    """Figures as typed (one decimal place), against Decimal: floor(V x D / R), exact at the boundaries."""
    result = panel_size(
        PanelInputs(visits_per_day=float(per_day), days_per_year=days, visits_per_patient_year=float(per_patient))
    )
    assert result.panel_size == int((per_day * days / per_patient).to_integral_value(rounding="ROUND_FLOOR"))
