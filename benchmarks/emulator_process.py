"""The emulator in a process of its own, so the sync's CPU time and memory are its own and
the emulator's work runs on the other core, as Google's would run elsewhere."""
from __future__ import annotations

import argparse
import subprocess
import sys
import time

import requests


class EmulatorProcess:
    """`python -m benchmarks.emulator_process` started and stopped as a context manager."""

    def __init__(self, latency_ms: float = 0.0):
        self.latency_ms = latency_ms
        self.url = ""
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> "EmulatorProcess":
        self._process = subprocess.Popen([sys.executable, "-m", "benchmarks.emulator_process",
                                          "--latency-ms", str(self.latency_ms)],
                                         stdout=subprocess.PIPE, text=True)
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError("the emulator did not start")
        return self

    def __exit__(self, *exc) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)

    def admin(self, method: str, path: str, body: dict | None = None) -> dict:
        response = requests.request(method, self.url + path, json=body, timeout=600)
        response.raise_for_status()
        return response.json()

    def set_latency(self, latency_ms: float) -> None:
        self.admin("POST", "/_emulator/latency", {"latency_ms": latency_ms})

    def enforce_quotas(self, time_scale: float) -> None:
        self.admin("POST", "/_emulator/quotas", {"enabled": True, "time_scale": time_scale})


def main() -> None:
    from emulator.server import EmulatorServer

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()
    with EmulatorServer(latency_ms=args.latency_ms) as server:
        print(server.url, flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
