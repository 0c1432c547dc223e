"""Benchmarks: `make bench` (bench/run.py) and the scripts it runs. Never timed tests."""
