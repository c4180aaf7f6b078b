"""`make soak`: the programme state machine (tests/test_state_machine.py) at length, at least
1,000 examples, printing what it did: examples, faults injected, crashes, concurrent runs
and violations found. Skipped unless PLT_SOAK is set, as it takes a quarter of an hour."""
import os
import time

import pytest
from hypothesis import HealthCheck, settings

from test_state_machine import Figures, run_machine

SOAK = settings(max_examples=1000, stateful_step_count=10, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.mark.skipif(not os.environ.get("PLT_SOAK"),
                    reason="the soak runs 1,000 state-machine examples (minutes); run `make soak` or set PLT_SOAK=1")
def test_soak_a_thousand_programmes_lose_nothing_and_duplicate_nothing():
    figures, started = Figures(), time.monotonic()
    try:
        run_machine(figures, SOAK)
    finally:
        print(f"\nsoak: {figures.line()} in {time.monotonic() - started:.0f} s")
    assert figures.examples >= SOAK.max_examples and figures.violations == 0
