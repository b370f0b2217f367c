"""Time the conv example (scripts/train_conv_classifier.py) in rtorch and in PyTorch on the CPU, one
thread each, in one process: the same model and starting weights (same seed), the same batches,
`cross_entropy` and Adam; prints the per-step time of forward, backward and the whole step, and their
ratio.

    python scripts/bench_conv.py [--batch-size 64] [--steps 20] [--repeats 3] [--profile]

Both run on one thread: BLAS's (OPENBLAS_NUM_THREADS etc. default to 1) and torch.set_num_threads(1).
"""
import argparse
import cProfile
import os
import pstats
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import rtorch  # noqa: E402
from scripts.train_conv_classifier import draw_shapes, make_model  # noqa: E402


def torch_model(torch):
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(32 * 7 * 7, 64), nn.ReLU(), nn.Linear(64, 4))


def best_of(fn, steps, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(steps):
            fn()
        times.append((time.perf_counter() - t) / steps)
    return min(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--profile", action="store_true", help="cProfile's top 12 of rtorch's steps")
    args = p.parse_args(argv)
    import torch
    torch.set_num_threads(1)

    rtorch.torch_manual_seed(1)
    r_model = make_model()
    x, y = draw_shapes(args.batch_size)
    r_opt = rtorch.optim_adam(r_model.parameters, lr=1e-3)
    torch.manual_seed(1)
    t_model = torch_model(torch)
    t_opt = torch.optim.Adam(t_model.parameters(), lr=1e-3)
    tx = torch.tensor(rtorch.as_array(x), dtype=torch.float32)
    ty = torch.tensor(rtorch.as_array(y), dtype=torch.int64) - 1
    diff = max(float(np.abs(rtorch.as_array(a) - b.detach().numpy()).max())
               for a, b in zip(r_model.parameters.values(), t_model.parameters()))
    print(f"largest starting-weight difference: {diff}")

    def r_fwd():
        with rtorch.with_no_grad():
            r_model(x)

    def t_fwd():
        with torch.no_grad():
            t_model(tx)

    def r_fb():
        rtorch.nnf_cross_entropy(r_model(x), y).backward()

    def t_fb():
        torch.nn.functional.cross_entropy(t_model(tx), ty).backward()

    def r_step():
        r_opt.zero_grad()
        rtorch.nnf_cross_entropy(r_model(x), y).backward()
        r_opt.step()

    def t_step():
        t_opt.zero_grad()
        torch.nn.functional.cross_entropy(t_model(tx), ty).backward()
        t_opt.step()

    print(f"batch {args.batch_size}, 28x28, per step (ms), best of {args.repeats} x {args.steps}")
    print(f"{'':<22}{'rtorch':>10}{'PyTorch':>10}{'ratio':>8}")
    for name, rf, tf in [("forward (no grad)", r_fwd, t_fwd), ("forward + backward", r_fb, t_fb),
                         ("training step", r_step, t_step)]:
        r, t = best_of(rf, args.steps, args.repeats), best_of(tf, args.steps, args.repeats)
        print(f"{name:<22}{r * 1e3:>10.2f}{t * 1e3:>10.2f}{r / t:>8.2f}")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.steps):
            r_step()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
