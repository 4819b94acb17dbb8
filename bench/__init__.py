"""Benchmark (``bench/benchmark.py``) and load test (``bench/load_test.py``): figures for
the issues, measured against baselines in the same run; not part of the installed package."""
