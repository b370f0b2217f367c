"""Benchmark: the blog's raw two-layer network written four ways, timed in one process.

Rows: rtorch, PyTorch eager (CPU), hand-written NumPy, and the line-for-line port itself
(scripts/train_raw_network.py, whole run divided by its epochs). Prints the median time per epoch
and the ratios to NumPy and PyTorch.

    python scripts/bench_training.py [--quick]
"""
import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)

import rtorch as rt  # noqa: E402
from raw_network import timed_epochs  # noqa: E402

CASES = [  # n, hidden, epochs, learning rate
    (100, 32, 200, 1e-4),
    (100_000, 256, 10, 1e-8),
]


def data(n, hidden, seed=0):
    rng = np.random.default_rng(seed)
    f = np.float32
    x = rng.standard_normal((n, 3), dtype=f)
    y = (x[:, 0:1] * f(0.2) - x[:, 1:2] * f(1.3) - x[:, 2:3] * f(0.5)
         + rng.standard_normal((n, 1), dtype=f))
    w1 = rng.standard_normal((3, hidden), dtype=f)
    w2 = rng.standard_normal((hidden, 1), dtype=f)
    return x, y, w1, w2, np.zeros((1, hidden), f), np.zeros((1, 1), f)


def run_rtorch(arrays, epochs, lr):
    return timed_epochs(*(rt.torch_tensor(a) for a in arrays), epochs, lr, first_dim=1)


def run_numpy(arrays, epochs, lr):
    """The same operations, one NumPy call each, as a NumPy programmer writes them."""
    x, y, w1, w2, b1, b2 = (a.copy() for a in arrays)
    times = []
    for t in range(1, epochs + 1):
        start = time.perf_counter()
        h = x @ w1 + b1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2 + b2
        loss = float(((y_pred - y) ** 2).sum())
        grad_y_pred = 2 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h_relu = grad_y_pred @ w2.T
        grad_h = grad_h_relu.copy()
        grad_h[h < 0] = 0
        grad_b2 = grad_y_pred.sum()
        grad_w1 = x.T @ grad_h
        grad_b1 = grad_h.sum(axis=0)
        w2 = w2 - lr * grad_w2
        b2 = b2 - lr * grad_b2
        w1 = w1 - lr * grad_w1
        b1 = b1 - lr * grad_b1
        times.append(time.perf_counter() - start)
    return times, loss


def run_torch(torch, arrays, epochs, lr):
    return timed_epochs(*(torch.from_numpy(a.copy()) for a in arrays), epochs, lr, first_dim=0)


def run_script(n, hidden, epochs, lr):
    sys.path.insert(0, HERE)
    import train_raw_network
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        train_raw_network.main(["--seed", "1", "--n", str(n), "--hidden", str(hidden),
                                "--epochs", str(epochs), "--lr", str(lr)])
    return [(time.perf_counter() - start) / epochs]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="only the small case, fewer repeats")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__}" if torch else ", no PyTorch"))
    print("| case | rtorch | NumPy | PyTorch CPU | line-for-line script | rtorch / NumPy | rtorch / PyTorch |")
    print("|---|---|---|---|---|---|---|")
    for n, hidden, epochs, lr in CASES[:1] if args.quick else CASES:
        arrays = data(n, hidden)
        rows = {"rtorch": [], "numpy": [], "torch": [], "script": []}
        for _ in range(args.repeats):
            rows["rtorch"] += run_rtorch(arrays, epochs, lr)[0]
            rows["numpy"] += run_numpy(arrays, epochs, lr)[0]
            if torch is not None:
                rows["torch"] += run_torch(torch, arrays, epochs, lr)[0]
            rows["script"] += run_script(n, hidden, epochs, lr)
        med = {k: statistics.median(v) if v else float("nan") for k, v in rows.items()}
        us = lambda s: f"{s * 1e6:,.0f} µs" if s < 1e-2 else f"{s * 1e3:,.1f} ms"
        print(f"| n={n:,}, hidden={hidden}, {epochs} epochs | {us(med['rtorch'])} | {us(med['numpy'])} | "
              f"{us(med['torch'])} | {us(med['script'])} | {med['rtorch'] / med['numpy']:.2f}x | "
              f"{med['rtorch'] / med['torch']:.2f}x |")


if __name__ == "__main__":
    main()
