"""Benchmark: the autograd post's training loop (forward chain, sum-of-squares loss, `loss$backward()`,
updates and `grad$zero_()` under no-grad), timed in one process, every library on one thread.

Rows: rtorch's autograd, PyTorch eager autograd on the CPU, and hand-written NumPy computing the same
gradients explicitly (the operations autograd runs, in its order: forward, then the backward of add, mm,
clamp, add, mm, then the in-place updates). Medians per epoch, each epoch reading its loss back as a Python
float, as the post's `loss$item()` does.

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python scripts/bench_autograd.py [--quick] [--repeats 5]

(the script sets both variables itself, before NumPy loads, where they are unset).
"""
import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import rtorch as rt  # noqa: E402
from scripts.bench_training import CASES, data  # noqa: E402


def timed(x, y, params, epochs, lr, no_grad):
    """The post's loop, for rtorch or PyTorch (both spell these methods alike)."""
    w1, w2, b1, b2 = params
    times, loss_value = [], None
    for _ in range(epochs):
        start = time.perf_counter()
        y_pred = x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2)
        loss = (y_pred - y).pow(2).sum()
        loss_value = loss.item()
        loss.backward()
        with no_grad():
            w1.sub_(lr * w1.grad)
            w2.sub_(lr * w2.grad)
            b1.sub_(lr * b1.grad)
            b2.sub_(lr * b2.grad)
            w1.grad.zero_()
            w2.grad.zero_()
            b1.grad.zero_()
            b2.grad.zero_()
        times.append(time.perf_counter() - start)
    return times, loss_value


def run_rtorch(arrays, epochs, lr):
    x, y, *params = arrays
    params = [rt.torch_tensor(a.copy(), requires_grad=True) for a in params]
    return timed(rt.torch_tensor(x), rt.torch_tensor(y), params, epochs, lr, rt.with_no_grad)


def run_torch(torch, arrays, epochs, lr):
    x, y, *params = arrays
    params = [torch.tensor(a.copy(), requires_grad=True) for a in params]
    return timed(torch.from_numpy(x), torch.from_numpy(y), params, epochs, lr, torch.no_grad)


def run_numpy(arrays, epochs, lr):
    """The gradients autograd computes, one NumPy call per operation, as a NumPy programmer writes them (the
    ReLU mask with `np.putmask`, faster than `g_h[h < 0] = 0` at 25.6 million elements)."""
    x, y, w1, w2, b1, b2 = (a.copy() for a in arrays)
    times, loss = [], None
    for _ in range(epochs):
        start = time.perf_counter()
        h = x @ w1 + b1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2 + b2
        diff = y_pred - y
        loss = float((diff ** 2).sum())
        g_pred = 2 * diff
        g_b2 = g_pred.sum(axis=0, keepdims=True)
        g_w2 = h_relu.T @ g_pred
        g_h = g_pred @ w2.T
        np.putmask(g_h, h < 0, 0)
        g_b1 = g_h.sum(axis=0, keepdims=True)
        g_w1 = x.T @ g_h
        w1 -= lr * g_w1
        w2 -= lr * g_w2
        b1 -= lr * g_b1
        b2 -= lr * g_b2
        times.append(time.perf_counter() - start)
    return times, loss


def run_numpy_floor(arrays, epochs, lr):
    """The array work the post's loop asks of any eager autograd library, in NumPy with no layer above it:
    the same forward, gradients accumulated into `.grad` buffers, the `lr * w$grad` temporaries, and the
    `grad$zero_()` calls (rtorch's own array calls, in its order). The ratio rtorch / this is the cost of
    the Python layer; this / hand-written NumPy is what the R loop's semantics cost."""
    x, y, w1, w2, b1, b2 = (a.copy() for a in arrays)
    params = (w1, w2, b1, b2)
    grads = [np.zeros_like(p) for p in params]
    one = np.ones((), np.float32)
    times, loss = [], None
    for _ in range(epochs):
        start = time.perf_counter()
        h = x.dot(w1) + b1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2) + b2
        diff = y_pred - y
        sq = np.square(diff)
        loss = float(np.add.reduce(sq, axis=None))
        g = np.broadcast_to(one.reshape(1, 1), sq.shape)
        g_pred = g * (diff * 2)
        g_b2 = np.add.reduce(g_pred, axis=(0,), keepdims=True)
        g_w2 = h_relu.T.dot(g_pred)
        g_h = g_pred.dot(w2.T) * (h >= 0)
        g_b1 = np.add.reduce(g_h, axis=(0,), keepdims=True)
        g_w1 = x.T.dot(g_h)
        for acc, new in zip(grads, (g_w1, g_w2, g_b1, g_b2)):
            acc += new
        for p, acc in zip(params, grads):
            p -= lr * acc
        for acc in grads:
            acc.fill(0)
        times.append(time.perf_counter() - start)
    return times, loss


def fmt(s):
    return f"{s * 1e6:,.0f} µs" if s < 1e-2 else f"{s * 1e3:,.1f} ms"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="only the small case")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__}" if torch else ", no PyTorch")
          + f"; OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print("| case | rtorch autograd | PyTorch CPU autograd | NumPy, explicit gradients | NumPy, the loop's array "
          "work | rtorch / NumPy | rtorch / PyTorch | array work / NumPy | final loss rtorch / PyTorch / NumPy |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, hidden, epochs, lr in CASES[:1] if args.quick else CASES:
        arrays = data(n, hidden)
        rows = {"rtorch": [], "torch": [], "numpy": [], "floor": []}
        final = {}
        for _ in range(args.repeats):
            t, final["rtorch"] = run_rtorch(arrays, epochs, lr)
            rows["rtorch"] += t
            if torch is not None:
                t, final["torch"] = run_torch(torch, arrays, epochs, lr)
                rows["torch"] += t
            t, final["numpy"] = run_numpy(arrays, epochs, lr)
            rows["numpy"] += t
            rows["floor"] += run_numpy_floor(arrays, epochs, lr)[0]
        med = {k: statistics.median(v) if v else float("nan") for k, v in rows.items()}
        losses = " / ".join(f"{final.get(k, float('nan')):.7g}" for k in ("rtorch", "torch", "numpy"))
        print(f"| n={n:,}, hidden={hidden}, {epochs} epochs, lr {lr:g} | {fmt(med['rtorch'])} | "
              f"{fmt(med['torch'])} | {fmt(med['numpy'])} | {fmt(med['floor'])} | {med['rtorch'] / med['numpy']:.2f}x | "
              f"{med['rtorch'] / med['torch']:.2f}x | {med['floor'] / med['numpy']:.2f}x | {losses} |", flush=True)


if __name__ == "__main__":
    main()
