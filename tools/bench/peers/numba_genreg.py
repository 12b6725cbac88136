#!/usr/bin/python3
"""Numba peer of the Genreg ultra-sparse model's inference (spec /work/shared/specs/genreg.md §2, §7).

Usage: numba_genreg.py SECONDS
Prints '# ...' configuration lines, then
  result sparse_b1 NS          ns per sample, batch 1: one jitted call on a [1, 256] array
  result sparse_b1000 NS       ns per sample, batch 1000: one jitted call on a [1000, 256] array
  result sparse_b1_numpy NS    ns per sample, batch 1, plain vectorised NumPy (context only)
each the best of repeated timed batches after JIT warm-up, about SECONDS in total.

Model: K = 2 inputs per hidden neuron, H = 8, inputs pre-expanded to width 256 (legacy N4 features of
tools/golden/genreg_features.py), float64:
  out[b] = tanh(b2 + sum_j W2[j] * tanh(b1[j] + sum_k w1[j,k] * x[b, idx[j,k]]))
Kernel: @njit(cache=False, fastmath=False), single-threaded, allocates and returns the output array
(the call is 'predict(x)'; the figure includes Numba's dispatch/unboxing overhead, as in the spec's
0.44 us for batch 1).
"""
import math
import os
import sys
import time

import numpy as np
import numba
from numba import njit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "golden"))
import genreg_features  # noqa: E402

D, H, K = 256, 8, 2


@njit(cache=False, fastmath=False)
def sparse_forward(x, idx, w1, b1, w2, b2):
    n = x.shape[0]
    out = np.empty(n)
    for b in range(n):
        acc = b2
        for j in range(H):
            s = b1[j]
            for k in range(K):
                s += w1[j, k] * x[b, idx[j, k]]
            acc += w2[j] * math.tanh(s)
        out[b] = math.tanh(acc)
    return out


def numpy_forward(x, idx, w1, b1, w2, b2):
    h = np.tanh(b1 + (w1 * x[:, idx]).sum(axis=2))   # x[:, idx] is [B, H, K]
    return np.tanh(h @ w2 + b2)


def genome(seed=42):
    rng = np.random.default_rng(seed)
    idx = np.stack([rng.permutation(D)[:K] for _ in range(H)]).astype(np.int64)
    w1 = rng.standard_normal((H, K)) * math.sqrt(2.0 / K)
    b1 = rng.standard_normal(H) * 0.1      # trained models have non-zero biases
    w2 = rng.standard_normal(H) * math.sqrt(2.0 / H)
    b2 = 0.05
    return idx, w1, b1, w2, b2


def best_ns_per_sample(fn, args, batch, seconds):
    """Best of repeated timed batches of fn(*args), each >= 20 ms. Deliberately not peer_timing.best_seconds: fn is called
    directly, because the lambda that helper needs adds ~60 ns per call, which would dominate batch 1."""
    for _ in range(100):
        fn(*args)
    reps = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(reps):
            fn(*args)
        dt = time.perf_counter_ns() - t0
        if dt >= 20_000_000:
            break
        reps *= 2
    best = dt / reps
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter_ns()
        for _ in range(reps):
            fn(*args)
        best = min(best, (time.perf_counter_ns() - t0) / reps)
    return best / batch


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    try:
        numba.set_num_threads(1)
    except (ValueError, RuntimeError):
        pass
    idx, w1, b1, w2, b2 = genome()
    x1000 = np.ascontiguousarray(genreg_features.features(genreg_features.points(1000), 16, 240))
    x1 = np.ascontiguousarray(genreg_features.features(genreg_features.points(100), 16, 240)[37:38])
    assert x1.shape == (1, D) and x1000.shape == (1000, D) and x1.dtype == np.float64

    # JIT warm-up + cross-check against NumPy and a scalar reference
    ref = numpy_forward(x1000, idx, w1, b1, w2, b2)
    got = sparse_forward(x1000, idx, w1, b1, w2, b2)
    diff = float(np.max(np.abs(ref - got)))
    r0 = math.tanh(b2 + sum(w2[j] * math.tanh(b1[j] + sum(w1[j, k] * x1[0, idx[j, k]] for k in range(K)))
                            for j in range(H)))
    assert diff < 1e-12 and abs(sparse_forward(x1, idx, w1, b1, w2, b2)[0] - r0) < 1e-14, diff

    print(f"# numba {numba.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")
    print(f"# threading layer {numba.config.THREADING_LAYER}, numba threads {numba.get_num_threads()} "
          f"(kernel is serial), @njit(cache=False, fastmath=False)")
    print(f"# model: ultra-sparse K={K}, H={H}, input width {D} (legacy N4 features, pre-expanded), float64; "
          f"batch 1 = point 37 of 100, batch 1000 = linspace(-2pi, 2pi, 1000); "
          f"output allocated per call; numba vs numpy max|diff| {diff:.1e}", flush=True)
    share = seconds / 3.0
    ns = best_ns_per_sample(sparse_forward, (x1, idx, w1, b1, w2, b2), 1, share)
    print(f"result sparse_b1 {ns:.1f}", flush=True)
    ns = best_ns_per_sample(sparse_forward, (x1000, idx, w1, b1, w2, b2), 1000, share)
    print(f"result sparse_b1000 {ns:.3f}", flush=True)
    ns = best_ns_per_sample(numpy_forward, (x1, idx, w1, b1, w2, b2), 1, share)
    print(f"result sparse_b1_numpy {ns:.1f}", flush=True)


if __name__ == "__main__":
    main()
