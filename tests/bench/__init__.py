"""Benchmarks against the performance budgets of the spec (``make bench``); never timed tests."""
