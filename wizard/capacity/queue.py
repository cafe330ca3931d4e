"""Queue staffing by Erlang C: how many clinicians on shift keep an on-demand queue within its answer
target.

The model (M/M/N): patients arrive at random (a Poisson process) at a steady rate through the hour,
visit lengths are exponential with the average given, one queue feeds every clinician, and nobody hangs
up. The load A (in Erlangs) is arrivals an hour x handle minutes / 60: the clinicians' worth of work
arriving at once. With N > A clinicians, the chance a patient waits at all is Erlang C, C(N, A);
the share answered within T minutes is 1 - C x exp(-(N - A) x T / handle); the average wait is
C x handle / (N - A); occupancy is A / N. Erlang C is computed from Erlang B by its recurrence
(never with factorials or powers, which overflow at a few hundred clinicians).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

from wizard.capacity.inputs import QueueInputs


def erlang_b(servers: int, load: float) -> float:
    """The Erlang B blocking probability B(N, A), by the recurrence B(0) = 1,
    B(n) = A B(n-1) / (n + A B(n-1)): every step stays between 0 and 1, so it is sound at any size."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    blocking = 1.0
    for n in range(1, servers + 1):
        blocking = load * blocking / (n + load * blocking)
    return blocking


def erlang_c_from_b(servers: int, load: float, blocking: float) -> float:
    """Erlang C, the probability of waiting, from Erlang B: C = N B / (N - A (1 - B)); needs N > A."""
    return servers * blocking / (servers - load * (1 - blocking))


def erlang_c(servers: int, load: float) -> float:
    """The Erlang C probability that a patient waits at all, with N servers and A Erlangs (N > A)."""
    if load <= 0:
        return 0.0
    if servers <= load:
        raise ValueError(f"{servers} servers cannot keep up with {load} Erlangs: the queue grows without end")
    return erlang_c_from_b(servers, load, erlang_b(servers, load))


def service_level(wait_probability: float, servers: int, load: float, handle: float, within: float) -> float:
    """The share answered within ``within``: 1 - C exp(-(N - A) within / handle) (same time unit)."""
    return 1 - wait_probability * math.exp(-(servers - load) * within / handle)


def scheduled_for(on_shift: int, shrinkage: float) -> int:
    """Clinicians to schedule so that ``on_shift`` remain after shrinkage: ceil(N / (1 - shrinkage)).

    The shrinkage is read as the decimal the lead typed (0.3 is 3/10, not the nearest binary float),
    so 7 on shift at 30% is exactly 10 scheduled, not 11.
    """
    return math.ceil(Fraction(on_shift) / (1 - Fraction(repr(shrinkage))))


@dataclass(frozen=True)
class QueueHour:
    """The staffing for one arrivals-per-hour figure."""

    hour: int | None
    """The hour of the day (0-23) in a day's profile; None when one figure stands for any hour."""
    arrivals_per_hour: float
    load_erlangs: float
    """Arrivals an hour x handle minutes / 60: the clinicians' worth of work at once."""
    clinicians: int
    """The fewest clinicians on shift whose service level reaches the target (0 when nobody arrives)."""
    scheduled: int
    """Clinicians to schedule after shrinkage, rounded up."""
    service_level: float
    """Share answered within the target time, with ``clinicians`` on shift."""
    wait_probability: float
    """Chance a patient waits at all (Erlang C)."""
    average_wait_minutes: float
    """Average wait over all patients, those answered at once included."""
    occupancy: float
    """Share of on-shift time spent on visits."""

    def to_json(self) -> dict[str, float | int]:
        """The row as ``--json`` prints it."""
        return {
            "arrivals_per_hour": self.arrivals_per_hour,
            "clinicians": self.clinicians,
            "scheduled": self.scheduled,
            "service_level": self.service_level,
            "wait_probability": self.wait_probability,
            "average_wait_minutes": self.average_wait_minutes,
            "occupancy": self.occupancy,
        }


@dataclass(frozen=True)
class QueueStaffing:
    """The queue calculator's result: one row for each arrivals figure."""

    method: ClassVar[str] = "erlang-c"
    inputs: QueueInputs
    hours: tuple[QueueHour, ...]

    @property
    def is_day(self) -> bool:
        """True for a day's profile (24 figures, one per hour)."""
        return len(self.hours) > 1

    @property
    def busiest(self) -> QueueHour:
        """The row that needs the most clinicians (the first such hour)."""
        return max(self.hours, key=lambda row: row.clinicians)

    def to_json(self) -> dict[str, object]:
        """The result as ``--json`` prints it."""
        return {"method": self.method, "results": [row.to_json() for row in self.hours]}


def staff_one_figure(arrivals_per_hour: float, inputs: QueueInputs, hour: int | None) -> QueueHour:
    """The fewest clinicians N > A whose service level reaches the target, and their figures.

    Erlang B is carried up one server at a time, so the whole search costs one recurrence. It ends:
    the service level rises with N towards 1, and B falls to zero, where it is exactly 1.
    """
    load = arrivals_per_hour * inputs.handle_minutes / 60
    if load == 0:
        return QueueHour(hour, arrivals_per_hour, 0.0, 0, 0, 1.0, 0.0, 0.0, 0.0)
    servers, blocking = 0, 1.0
    while True:
        servers += 1
        blocking = load * blocking / (servers + load * blocking)
        if servers <= load:
            continue
        waits = erlang_c_from_b(servers, load, blocking)
        level = service_level(waits, servers, load, inputs.handle_minutes, inputs.answer_within)
        if level >= inputs.target:
            return QueueHour(
                hour=hour,
                arrivals_per_hour=arrivals_per_hour,
                load_erlangs=load,
                clinicians=servers,
                scheduled=scheduled_for(servers, inputs.shrinkage),
                service_level=level,
                wait_probability=waits,
                average_wait_minutes=waits * inputs.handle_minutes / (servers - load),
                occupancy=load / servers,
            )


def queue_staffing(inputs: QueueInputs) -> QueueStaffing:
    """Erlang C staffing for each arrivals figure of the inputs (one figure, or one per hour of the day)."""
    day = len(inputs.arrivals) > 1
    return QueueStaffing(
        inputs=inputs,
        hours=tuple(
            staff_one_figure(figure, inputs, hour if day else None) for hour, figure in enumerate(inputs.arrivals)
        ),
    )
