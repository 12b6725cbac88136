#!/usr/bin/python3
"""PyTorch (CPU, OpenBLAS) SGEMM peer for tools/bench SgemmBench.

Run with /usr/bin/python3 and env OPENBLAS_CORETYPE=SKYLAKEX (the C# bench sets it).
Usage: torch_sgemm.py THREADS SECONDS SHAPE [SHAPE ...]; SHAPE is N (square) or MxNxK.
       torch_sgemm.py THREADS --serve   then one 'SHAPE SECONDS' request per stdin line
       (lets the C# bench interleave ours and theirs, so both see the same machine load).
Prints '# ...' configuration lines, then one line per shape: 'sgemm SHAPE GFLOPS BEST_SECONDS'.
GFLOPS = 2·M·N·K / best time over repeated timed batches after warm-up (C = A·B, float32).
"""
import os
import sys

import torch

from peer_timing import best_seconds, blas_in_use


def parse(shape):
    parts = [int(x) for x in shape.split("x")]
    return (parts[0], parts[0], parts[0]) if len(parts) == 1 else tuple(parts)


def measure(shape, seconds):
    m, n, k = parse(shape)
    gen = torch.Generator().manual_seed(m + n + k)
    a = torch.rand((m, k), generator=gen, dtype=torch.float32) * 2 - 1
    b = torch.rand((k, n), generator=gen, dtype=torch.float32) * 2 - 1
    c = torch.empty((m, n), dtype=torch.float32)
    torch.mm(a, b, out=c)
    best = best_seconds(lambda: torch.mm(a, b, out=c), seconds, warmup=0, min_batch=0.005)  # batches of >= 5 ms
    return 2.0 * m * n * k / best / 1e9, best


def main():
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"# BLAS mapped: {blas_in_use()}")
    for line in torch.__config__.show().splitlines():
        line = line.strip()
        if line.startswith(("- CPU capability", "- LAPACK", "- OpenMP")):
            print(f"# {line}")
        elif line.startswith("- Build settings"):
            keys = ("BLAS_INFO", "LAPACK_INFO", "USE_OPENMP", "USE_MKLDNN")
            items = line.split(":", 1)[1].split(",")
            print("# - build: " + ", ".join(kv.strip() for kv in items if kv.strip().startswith(keys)))
    print("# ready", flush=True)
    if sys.argv[2] == "--serve":
        requests = (line.split() for line in sys.stdin if line.strip())
    else:
        requests = ((shape, sys.argv[2]) for shape in sys.argv[3:])
    for shape, seconds in requests:
        gflops, best = measure(shape, float(seconds))
        print(f"sgemm {shape} {gflops:.2f} {best:.6e}", flush=True)


if __name__ == "__main__":
    main()
