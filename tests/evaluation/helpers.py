"""Helpers shared by the evaluation tests."""

import time

from fastapi.testclient import TestClient


def wait(client: TestClient, run_id: int, timeout: float = 30.0) -> dict:
    """Poll a run until it is done or failed (as the page does); its JSON."""
    deadline = time.monotonic() + timeout
    run: dict = {}
    while time.monotonic() < deadline:
        run = client.get(f"/api/evaluations/{run_id}").json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s: {run}")
