"""GPU benchmark for issue 6, in one process: rtorch on CUDA (through CuPy) against PyTorch CUDA eager,
rtorch on the CPU and raw CuPy.

(a) the blog's raw two-layer network (scripts/bench_training.py's loop, `loss` read every epoch as the
    blog does) at n = 1,000,000 and 256 hidden units: rtorch GPU, PyTorch CUDA eager, rtorch CPU;
    targets: rtorch GPU within 1.5x of PyTorch, at least 10x faster than rtorch CPU;
(b) an 8192 x 8192 float32 `mm` and (c) an element-wise add of 10^8 float32 elements: rtorch against
    raw CuPy on the same arrays; target: within 10%.
The device is synchronised before and after every timed region. Prints a Markdown table and the card.

    python scripts/bench_gpu.py [--n 1000000] [--hidden 256] [--epochs 10] [--cpu-epochs 2]
    python scripts/bench_gpu.py --fake     # no GPU: checks the script itself on tests/_fake_cupy (numbers meaningless)
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
sys.path.insert(0, HERE)

import rtorch as rt  # noqa: E402
from bench_training import data  # noqa: E402
from raw_network import timed_epochs  # noqa: E402


def rtorch_epochs(arrays, epochs, lr, device, sync):
    """The blog's loop on rtorch tensors; seconds per epoch and losses."""
    return timed_epochs(*(rt.torch_tensor(a, device=device) for a in arrays), epochs, lr, 1, sync)


def torch_epochs(torch, arrays, epochs, lr):
    """The same loop in PyTorch CUDA eager; seconds per epoch and losses."""
    return timed_epochs(*(torch.from_numpy(a.copy()).cuda() for a in arrays), epochs, lr, 0,
                        torch.cuda.synchronize)


def timed(fn, sync, repeats, inner):
    """Median seconds per call of `fn`, over `repeats` batches of `inner` calls between synchronisations."""
    fn()
    sync()
    times = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        sync()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def fmt(s):
    return f"{s * 1e6:,.0f} µs" if s < 1e-2 else f"{s * 1e3:,.1f} ms" if s < 10 else f"{s:,.1f} s"


def verdict(ok):
    return "yes" if ok else "NO"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--epochs", type=int, default=10, help="timed GPU epochs (after 2 warm-up epochs)")
    p.add_argument("--cpu-epochs", type=int, default=2, help="timed rtorch CPU epochs (after 1 warm-up)")
    p.add_argument("--mm", type=int, default=8192, help="size of the square float32 matrices")
    p.add_argument("--add", type=int, default=10 ** 8, help="elements of the float32 vectors added")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    p.add_argument("--fake", action="store_true",
                   help="no GPU: run on tests/_fake_cupy at small sizes, to check this script only")
    args = p.parse_args(argv)

    if args.fake:
        from rtorch import _devices
        from tests import _fake_cupy as cp
        _devices._cupy = lambda: cp
        args.n, args.hidden, args.epochs, args.cpu_epochs = 1000, 16, 2, 1
        args.mm, args.add, args.no_torch = 64, 10 ** 4, True
        card = "tests/_fake_cupy (NumPy on the CPU): numbers meaningless"
    else:
        if not rt.cuda_is_available():
            print("bench_gpu: no usable CUDA device (rtorch.cuda_is_available() is FALSE): nothing to measure")
            return 2
        import cupy as cp
        props = cp.cuda.runtime.getDeviceProperties(0)
        card = (f"{props['name'].decode() if isinstance(props['name'], bytes) else props['name']}, "
                f"{props['totalGlobalMem'] / 2 ** 30:.0f} GiB, CUDA runtime {cp.cuda.runtime.runtimeGetVersion()}, "
                f"driver {cp.cuda.runtime.driverGetVersion()}, CuPy {cp.__version__}")
    torch = None
    if not args.no_torch:
        try:
            import torch
            if not torch.cuda.is_available():
                torch = None
        except ImportError:
            torch = None

    sync = cp.cuda.Device().synchronize
    print(f"card: {card}")
    print(f"host: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__}" if torch else ", no PyTorch CUDA"))
    print()
    print("| what | rtorch GPU | reference | rtorch / reference | target | met |")
    print("|---|---|---|---|---|---|")

    # (a) the blog's network
    lr = 1e-8
    arrays = data(args.n, args.hidden)
    gpu = rtorch_epochs(arrays, 2 + args.epochs, lr, "cuda", sync)[0][2:]
    gpu_med = statistics.median(gpu)
    cp.get_default_memory_pool().free_all_blocks() if hasattr(cp, "get_default_memory_pool") else None
    case = f"blog loop, n={args.n:,}, hidden={args.hidden}, per epoch"
    if torch is not None:
        tt = torch_epochs(torch, arrays, 2 + args.epochs, lr)[0][2:]
        torch.cuda.empty_cache()
        t_med = statistics.median(tt)
        print(f"| {case} | {fmt(gpu_med)} | PyTorch CUDA eager {fmt(t_med)} | {gpu_med / t_med:.2f}x | "
              f"<= 1.5x | {verdict(gpu_med <= 1.5 * t_med)} |")
    cpu_med = statistics.median(rtorch_epochs(arrays, 1 + args.cpu_epochs, lr, "cpu", lambda: None)[0][1:])
    print(f"| {case} | {fmt(gpu_med)} | rtorch CPU {fmt(cpu_med)} | {cpu_med / gpu_med:.1f}x faster | "
          f">= 10x faster | {verdict(cpu_med >= 10 * gpu_med)} |")
    del arrays

    # (b) mm and (c) add, rtorch against raw CuPy on the very same device arrays
    rng = np.random.default_rng(0)
    a = cp.asarray(rng.standard_normal((args.mm, args.mm), dtype=np.float32))
    b = cp.asarray(rng.standard_normal((args.mm, args.mm), dtype=np.float32))
    ta, tb = rt.torch_tensor(a.get(), device="cuda"), rt.torch_tensor(b.get(), device="cuda")
    raw = timed(lambda: a @ b, sync, 5, 3)
    ours = timed(lambda: ta.mm(tb), sync, 5, 3)
    flops = 2 * args.mm ** 3
    print(f"| mm {args.mm}x{args.mm} float32 ({flops / ours / 1e12:.1f} TFLOP/s) | {fmt(ours)} | "
          f"CuPy a @ b {fmt(raw)} | {ours / raw:.2f}x | within 10% | {verdict(ours <= 1.1 * raw)} |")
    del a, b, ta, tb
    x = cp.asarray(rng.standard_normal(args.add, dtype=np.float32))
    y = cp.asarray(rng.standard_normal(args.add, dtype=np.float32))
    tx, ty = rt.torch_tensor(x.get(), device="cuda"), rt.torch_tensor(y.get(), device="cuda")
    raw = timed(lambda: x + y, sync, 7, 10)
    ours = timed(lambda: tx + ty, sync, 7, 10)
    gbs = 3 * 4 * args.add / ours / 1e9
    print(f"| add of {args.add:,} float32 ({gbs:,.0f} GB/s) | {fmt(ours)} | CuPy x + y {fmt(raw)} | "
          f"{ours / raw:.2f}x | within 10% | {verdict(ours <= 1.1 * raw)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
