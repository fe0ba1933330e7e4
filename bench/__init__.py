"""The benchmark: verify-refs and its peers on a loopback web, timed against the limit.

Run it with ``make bench`` (``python -m bench.run``); see bench/README.md.
"""
