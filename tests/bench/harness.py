"""What every benchmark script shares: the path and Django set-up, timing, memory and the LP check.

A script imports it first (``import harness``: the script's folder is on ``sys.path`` when it
is run as ``python tests/bench/bench_x.py``), which puts the repository root on ``sys.path`` so
that the project's packages import.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def django_setup(**environ: str) -> None:
    """Django on the test settings; `environ` overrides variables the settings read."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    os.environ.update(environ)
    import django

    django.setup()


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A throwaway test database (as the test runner makes one), destroyed on the way out.

    On a database server (``DATABASE_URL``) it is named after this process, so a benchmark
    never drops the test database of a test run or of another benchmark going on beside it."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    if connection.vendor != "sqlite":
        test = connection.settings_dict.setdefault("TEST", {})
        test["NAME"] = test.get("NAME") or f"test_bench_{os.getpid()}"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def database() -> str:
    """``PostgreSQL 15.18`` or ``SQLite 3.x (in memory)``: where the figures were taken."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (in memory)"
    return connection.display_name


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite's planner needs none
    for these benchmarks), as autovacuum would give a production database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def versions(*packages: str) -> str:
    """``python 3.x, numpy 2.x, ...``: the versions a figure depends on."""
    parts = [f"python {sys.version.split()[0]}"]
    for name in packages:
        module = import_module(name)
        version = module.get_version() if name == "django" else module.__version__
        parts.append(f"{name} {version}")
    return ", ".join(parts)


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `n` runs in seconds, and that run's result."""
    best, out = float("inf"), None
    for _ in range(n):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, out = elapsed, result
    return best, out


def max_rss_mib() -> float:
    """The process's maximum resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mib(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Peak memory traced by tracemalloc during one run of `fn` (Python objects and numpy
    arrays; C++ heaps such as OR-Tools' are not traced), and its result."""
    gc.collect()
    tracemalloc.start()
    try:
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 2**20, out


@dataclass
class Measure:
    seconds: float  # best of the runs
    result: Any
    peak_mib: float  # traced by tracemalloc in one more run
    rss_mib: float  # process maximum RSS after the runs
    rss_grew_mib: float  # how much the maximum RSS grew during the runs

    def memory(self) -> str:
        return (
            f"memory: peak {self.peak_mib:.1f} MiB traced by tracemalloc (Python + numpy), "
            f"process max RSS {self.rss_mib:.0f} MiB "
            f"(+{self.rss_grew_mib:.0f} MiB during the runs)"
        )


def measure(fn: Callable[[], Any], runs: int = 3) -> Measure:
    """Best time of `runs` runs, then the peak memory of one more."""
    rss_before = max_rss_mib()
    seconds, result = best_of(runs, fn)
    rss_after = max_rss_mib()
    peak, _ = peak_mib(fn)
    return Measure(seconds, result, peak, rss_after, rss_after - rss_before)


def incidence(rows, n_rows: int):
    """Sparse 0/1 matrix with one column per pair: row `rows[k]` of column k is 1."""
    import numpy as np
    from scipy.sparse import csr_array

    n = len(rows)
    return csr_array((np.ones(n), (rows, np.arange(n))), shape=(n_rows, n))


def lp_maximum(objective, **constraints) -> float:
    """Independent optimum of an assignment through its LP relaxation (SciPy's HiGHS) with 0-1
    bounds; bipartite incidence constraints are totally unimodular, so the LP optimum equals
    the integer one. `constraints` are `linprog`'s A_ub, b_ub, A_eq, b_eq."""
    from scipy.optimize import linprog

    res = linprog(-objective, bounds=(0, 1), method="highs", **constraints)
    assert res.status == 0, res.message
    return -res.fun


def target(label: str, met: bool) -> None:
    print(f"target: {label} -> {met}")


def signed_in_client(user):
    """A Django test client signed in as `user`, past the MFA step."""
    from django.test import Client

    from portal.middleware import MFA_SESSION_FLAG

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_SESSION_FLAG] = True
    session.save()
    return client


def query_count(client, path: str) -> int:
    """SQL queries of a GET of `path`, after a warm-up request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def timed_get(client, path: str, runs: int) -> tuple[float, float, int]:
    """Best and median seconds of `runs` GETs of `path` (after a warm-up), and the size."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        response = client.get(path)
        _ = response.content
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), len(response.content)
