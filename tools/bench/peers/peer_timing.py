"""Shared by the peer scripts: how a rate is measured and which BLAS a process loaded.

best_seconds(call, seconds, warmup, min_batch): after `warmup` calls, calibrate a batch of repetitions that takes at
least `min_batch` seconds, then time such batches for about `seconds` and return the best time per call (the least
disturbed by other load), as the C# side of tools/bench does.
"""
import time


def best_seconds(call, seconds, warmup=3, min_batch=0.05):
    for _ in range(warmup):
        call()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            call()
        dt = time.perf_counter() - t0
        if dt >= min_batch:
            break
        reps *= 2
    best = dt / reps
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        for _ in range(reps):
            call()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def blas_in_use():
    """The BLAS/LAPACK libraries mapped into this process (from /proc/self/maps)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(libs)) or "unknown"
    except OSError as err:
        return f"unknown ({err})"
