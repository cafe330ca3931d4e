"""The queue formulas against a discrete-event simulation of the queue they model.

ciw (a queueing simulation library, a test-only dependency) simulates an M/M/N queue: Poisson
arrivals, exponential visit lengths, N clinicians, one first-come-first-served queue, nobody leaving.
Each scenario runs independent replications (fixed seeds, so the test is repeatable); each one gives
the share answered within T, the share that waited at all and the average wait, after a warm-up is
dropped. The formulas must lie within 4.5 standard errors of the replications' mean (a chance of about 1 in
5,000 per figure of failing on a correct formula, with 20 replications), where a wrong exponent, a
wrong Erlang C or a wrong wait formula lands many standard errors away.
"""

from __future__ import annotations

import math
import statistics

import ciw
import pytest

from wizard.capacity import QueueInputs, erlang_c, queue_staffing, service_level

REPLICATIONS = 20
HOURS = 200
WARM_UP_MINUTES = 600.0


def replicate(arrivals_per_hour: float, handle: float, servers: int, within: float, seed: int) -> tuple[float, ...]:
    """One run: (share answered within ``within``, share that waited, average wait in minutes)."""
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrivals_per_hour / 60)],
        service_distributions=[ciw.dists.Exponential(rate=1 / handle)],
        number_of_servers=[servers],
    )
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(HOURS * 60)
    waits = [record.waiting_time for record in simulation.get_all_records() if record.arrival_date > WARM_UP_MINUTES]
    return (
        sum(wait <= within for wait in waits) / len(waits),
        sum(wait > 0 for wait in waits) / len(waits),
        statistics.fmean(waits),
    )


@pytest.mark.parametrize(
    ("arrivals_per_hour", "handle", "servers", "within"),
    [
        (12.0, 15.0, 4, 10.0),  # the textbook case one clinician short: 3 Erlangs, 75% occupancy
        (16.0, 15.0, 5, 10.0),  # 4 Erlangs, 80% occupancy: long waits, where errors show most
        (30.0, 12.0, 8, 2.0),  # 6 Erlangs on 8: a short answer target
    ],
)
def test_simulation_agrees_with_the_formulas(
    arrivals_per_hour: float, handle: float, servers: int, within: float
) -> None:
    runs = [replicate(arrivals_per_hour, handle, servers, within, seed) for seed in range(1, REPLICATIONS + 1)]
    load = arrivals_per_hour * handle / 60
    waits = erlang_c(servers, load)
    formulas = (service_level(waits, servers, load, handle, within), waits, waits * handle / (servers - load))
    for name, index, formula in zip(("service level", "waited", "average wait"), range(3), formulas, strict=True):
        values = [run[index] for run in runs]
        mean = statistics.fmean(values)
        standard_error = statistics.stdev(values) / math.sqrt(len(values))
        assert abs(mean - formula) <= 4.5 * standard_error, (name, mean, formula, standard_error)


def test_the_staffing_answer_holds_in_simulation() -> None:
    """The textbook case: the simulated queue with the calculator's 5 clinicians meets 80% within 10
    minutes, and with 4 it does not."""
    row = queue_staffing(QueueInputs(arrivals=[12], handle_minutes=15, answer_within=10, target=0.8)).hours[0]
    with_answer = [replicate(12, 15, row.clinicians, 10, seed)[0] for seed in range(1, 7)]
    one_fewer = [replicate(12, 15, row.clinicians - 1, 10, seed)[0] for seed in range(1, 7)]
    assert statistics.fmean(with_answer) > 0.8 > statistics.fmean(one_fewer)
