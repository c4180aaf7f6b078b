"""`make bench`: what a sync costs in Google API calls, against the lower bound and two
common alternatives, on an emulator with network latency and Google's per-minute quotas.

    python -m benchmarks [--quick] [--sizes 100 1000 10000] [--latency-ms 50]
"""
