"""How much parallelism the machine offers right now, to read the two-process speed-up against."""
from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor


def burn(seconds: float) -> int:
    """Spin for ``seconds`` of CPU time."""
    started, n = time.process_time(), 0
    while time.process_time() - started < seconds:
        n += 1
    return n


def parallel_speedup(seconds: float = 0.5) -> float:
    """Speed-up of two pure-CPU tasks in two processes over running them one after the other."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(burn, [0.05, 0.05]))  # start the workers
        t = time.perf_counter()
        list(pool.map(burn, [seconds, seconds]))
        two = time.perf_counter() - t
    t = time.perf_counter()
    burn(seconds)
    burn(seconds)
    one = time.perf_counter() - t
    return one / two
