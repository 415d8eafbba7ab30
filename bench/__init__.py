"""Benchmarks: `python -m bench.NAME [--quick]`; each prints a final JSON line of figures."""
