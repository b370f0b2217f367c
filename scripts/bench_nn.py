"""Benchmark: the optimizers post's loop (two-layer network, sum-of-squares loss, backward, Adam lr 0.08),
rtorch against PyTorch eager with torch.optim.Adam on the CPU and against hand-written NumPy
forward/backward/Adam; medians per step, in one process, every library on one thread.

Each library runs the post's step with its own modules, loss and optimizer: rtorch's `nn_sequential`,
`nn_linear`, `nn_relu`, `nnf_mse_loss(reduction = "sum")` and `optim_adam`; PyTorch's torch.nn.Sequential,
Linear, ReLU, F.mse_loss and torch.optim.Adam. All three start from the same weights.

    python scripts/bench_nn.py [--n 100] [--hidden 32] [--steps 200] [--repeats 5] [--profile]
    python scripts/bench_nn.py --bytecodes   (the Python layer's bytecodes per step)

`--rnn lstm` (or `gru`, `rnn`) times a recurrent layer's forward and backward instead: `nn_lstm(16, 64)` on
a sequence of 20 steps of a batch of 32 (`--seq`, `--batch`, `--input`, `--hidden`), loss `sum(output^2)`,
against torch.nn.LSTM from the same weights; medians per forward+backward.

    python scripts/bench_nn.py --rnn lstm [--seq 20] [--batch 32] [--input 16] [--hidden 64] [--profile]
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import rtorch as rt  # noqa: E402


def data(n, hidden, seed=0):
    rng = np.random.default_rng(seed)
    f = np.float32
    x = rng.standard_normal((n, 3), dtype=f)
    y = x[:, 0:1] * f(0.2) - x[:, 1:2] * f(1.3) - x[:, 2:3] * f(0.5) + rng.standard_normal((n, 1), dtype=f)
    params = [rng.uniform(-0.5, 0.5, s).astype(f) for s in ((hidden, 3), (hidden,), (1, hidden), (1,))]
    return x, y, params


def timed(model, x, y, loss_fn, opt, steps):
    """One step as the post writes it: forward, loss, zero_grad, backward, step, loss read back."""
    times, loss_value = [], None
    for _ in range(steps):
        start = time.perf_counter()
        y_pred = model(x)
        loss = loss_fn(y_pred, y, reduction="sum")
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_value = loss.item()
        times.append(time.perf_counter() - start)
    return times, loss_value


def rtorch_model(params):
    model = rt.nn_sequential(rt.nn_linear(3, params[0].shape[0]), rt.nn_relu(), rt.nn_linear(params[0].shape[0], 1))
    with rt.with_no_grad():
        for p, value in zip(model.parameters.values(), params):
            p.copy_(rt.torch_tensor(value))
    return model


def run_rtorch(x, y, params, steps, lr):
    model = rtorch_model(params)
    return timed(model, rt.torch_tensor(x), rt.torch_tensor(y), rt.nnf_mse_loss,
                 rt.optim_adam(model.parameters, lr=lr), steps)


def run_torch(torch, x, y, params, steps, lr):
    nn = torch.nn
    model = nn.Sequential(nn.Linear(3, params[0].shape[0]), nn.ReLU(), nn.Linear(params[0].shape[0], 1))
    with torch.no_grad():
        for p, value in zip(model.parameters(), params):
            p.copy_(torch.from_numpy(value))
    return timed(model, torch.from_numpy(x), torch.from_numpy(y), nn.functional.mse_loss,
                 torch.optim.Adam(model.parameters(), lr=lr), steps)


def run_numpy(x, y, params, steps, lr, betas=(0.9, 0.999), eps=1e-8):
    w1, b1, w2, b2 = (p.copy() for p in params)
    ps = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in ps]
    v = [np.zeros_like(p) for p in ps]
    times, loss = [], None
    for t in range(1, steps + 1):
        start = time.perf_counter()
        h = x @ w1.T + b1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2.T + b2
        diff = y_pred - y
        loss = float((diff ** 2).sum())
        g_pred = 2 * diff
        g_w2 = g_pred.T @ h_relu
        g_b2 = g_pred.sum(axis=0)
        g_h = g_pred @ w2
        g_h[h <= 0] = 0
        g_w1 = g_h.T @ x
        g_b1 = g_h.sum(axis=0)
        bc1, bc2 = 1 - betas[0] ** t, 1 - betas[1] ** t
        for p, g, mi, vi in zip(ps, (g_w1, g_b1, g_w2, g_b2), m, v):
            mi += (g - mi) * (1 - betas[0])
            vi *= betas[1]
            vi += g * g * (1 - betas[1])
            denom = np.sqrt(vi) / bc2 ** 0.5
            denom += eps
            p += (mi / denom) * (-lr / bc1)
        times.append(time.perf_counter() - start)
    return times, loss


def rnn_case(torch, kind, seq, batch, input_size, hidden, steps, repeats, profile):
    """A recurrent layer's forward and backward, rtorch against PyTorch from the same weights."""
    rt_cls = {"lstm": rt.nn_lstm, "gru": rt.nn_gru, "rnn": rt.nn_rnn}[kind]
    rt.torch_manual_seed(1)
    m = rt_cls(input_size, hidden)
    x = np.random.default_rng(0).standard_normal((seq, batch, input_size), dtype=np.float32)
    xr = rt.torch_tensor(x)

    def r_step():
        out = m(xr)[0]
        (out * out).sum().backward()

    fns = {"rtorch": r_step}
    if torch is not None:
        t_cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]
        tm = t_cls(input_size, hidden)
        with torch.no_grad():
            for p, w in zip(tm.parameters(), m.parameters.values()):
                p.copy_(torch.from_numpy(rt.as_array(w)))
        xt = torch.from_numpy(x)

        def t_step():
            out = tm(xt)[0]
            (out * out).sum().backward()
        fns["torch"] = t_step
    med = {}
    for name, fn in fns.items():
        fn()
        times = []
        for _ in range(repeats):
            for _ in range(steps):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
        med[name] = statistics.median(times)
    if torch is not None:
        diff = max(float(np.abs(rt.as_array(w.grad) - p.grad.numpy()).max()
                   / max(1.0, float(np.abs(p.grad.numpy()).max())))
                   for w, p in zip(m.parameters.values(), tm.parameters()))
        print(f"largest relative difference of the accumulated gradients: {diff:.2g}")
    print("| case | rtorch | PyTorch CPU | rtorch / PyTorch |")
    print("|---|---|---|---|")
    print(f"| nn_{kind}({input_size}, {hidden}), {seq} steps, batch {batch}, forward + backward | "
          f"{med['rtorch'] * 1e3:.2f} ms | {med.get('torch', float('nan')) * 1e3:.2f} ms | "
          f"{med['rtorch'] / med.get('torch', float('nan')):.2f}x |")
    if profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(steps):
            r_step()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--lr", type=float, default=0.08)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--profile", action="store_true", help="also print cProfile's top 10 of rtorch's steps")
    p.add_argument("--bytecodes", action="store_true", help="count the bytecodes of one rtorch step instead")
    p.add_argument("--rnn", choices=["lstm", "gru", "rnn"], help="time this recurrent layer instead")
    p.add_argument("--seq", type=int, default=20)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--input", type=int, default=16)
    args = p.parse_args(argv)
    if args.rnn and "--hidden" not in (argv if argv is not None else sys.argv):
        args.hidden = 64
    if args.rnn and "--steps" not in (argv if argv is not None else sys.argv):
        args.steps = 20
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__}" if torch else ", no PyTorch"))
    if args.rnn:
        return rnn_case(torch, args.rnn, args.seq, args.batch, args.input, args.hidden, args.steps,
                        args.repeats, args.profile)
    x, y, params = data(args.n, args.hidden)
    if args.bytecodes:
        from scripts.bench_autograd import bytecodes
        model = rtorch_model(params)
        xt, yt = rt.torch_tensor(x), rt.torch_tensor(y)
        opt = rt.optim_adam(model.parameters, lr=args.lr)
        count = bytecodes(lambda: timed(model, xt, yt, rt.nnf_mse_loss, opt, 1))
        print(f"rtorch, n={args.n}, hidden={args.hidden}: {count:,} bytecodes a step")
        return
    rows = {"rtorch": [], "numpy": [], "torch": []}
    losses = {}
    for _ in range(args.repeats):
        t, losses["rtorch"] = run_rtorch(x, y, params, args.steps, args.lr)
        rows["rtorch"] += t
        t, losses["numpy"] = run_numpy(x, y, params, args.steps, args.lr)
        rows["numpy"] += t
        if torch is not None:
            t, losses["torch"] = run_torch(torch, x, y, params, args.steps, args.lr)
            rows["torch"] += t
    med = {k: statistics.median(v) if v else float("nan") for k, v in rows.items()}
    print("final losses: " + ", ".join(f"{k} {v:.6g}" for k, v in losses.items()))
    print("| case | rtorch | NumPy | PyTorch CPU | rtorch / NumPy | rtorch / PyTorch |")
    print("|---|---|---|---|---|---|")
    print(f"| n={args.n}, hidden={args.hidden}, Adam, {args.steps} steps | {med['rtorch'] * 1e6:.0f} µs | "
          f"{med['numpy'] * 1e6:.0f} µs | {med['torch'] * 1e6:.0f} µs | {med['rtorch'] / med['numpy']:.2f}x | "
          f"{med['rtorch'] / med['torch']:.2f}x |")
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        run_rtorch(x, y, params, args.steps * args.repeats, args.lr)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(10)


if __name__ == "__main__":
    main()
