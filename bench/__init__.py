"""Benchmarks: a national-scale data generator, timed scenarios and a report. Run with `make bench`."""
