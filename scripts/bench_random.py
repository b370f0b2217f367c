"""Benchmark: `torch_randn(10^7)` (libtorch's stream, bit for bit) against NumPy's own
`standard_normal(10**7, dtype=float32)` and PyTorch's `torch.randn(10**7)`, in one process.

Runs the contenders in turn, several rounds, and prints the best and median wall time of each and the
ratio to NumPy (the target: within 2x). Times on a shared machine vary; the ratio of the best times is
the number to quote.

    python scripts/bench_random.py [--n N] [--rounds R] [--threads T]
"""
import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from rtorch import _normal  # noqa: E402
from rtorch._sampling import torch_manual_seed, torch_randn  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10 ** 7)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--threads", type=int, default=None, help="Box-Muller threads (default: up to 2)")
    args = ap.parse_args()
    n = args.n
    if args.threads is not None:
        _normal._THREADS = max(1, args.threads)

    rng = np.random.default_rng()
    cases = {
        "rtorch torch_randn": lambda: torch_randn(n),
        "numpy standard_normal f32": lambda: rng.standard_normal(n, dtype=np.float32),
    }
    try:
        import torch
        torch.manual_seed(1)
        cases["pytorch torch.randn"] = lambda: torch.randn(n)
    except ImportError:
        torch = None
    torch_manual_seed(1)
    times = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)

    base = min(times["numpy standard_normal f32"])
    print(f"n = {n:,}, {args.rounds} rounds; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; rtorch uses {_normal._THREADS} thread(s) for Box-Muller")
    print(f"{'':28s} {'best ms':>9s} {'median ms':>10s} {'best / numpy':>13s}")
    for name, ts in times.items():
        print(f"{name:28s} {min(ts) * 1e3:9.1f} {statistics.median(ts) * 1e3:10.1f} {min(ts) / base:13.2f}")
    if torch is not None:
        torch.manual_seed(7)
        torch_manual_seed(7)
        same = np.array_equal(torch.randn(n).numpy(), np.asarray(torch_randn(n)._data))
        print(f"torch_randn({n:,}) bit-identical to torch.randn: {same}")


if __name__ == "__main__":
    main()
