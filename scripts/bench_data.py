"""Benchmark: saving and loading a 400 MB state dict with `torch_save`/`torch_load` against
`safetensors.numpy` (`save_file`/`load_file`), and a dataloader over a 100,000-row `tensor_dataset`
(batch 32) against PyTorch's `DataLoader(TensorDataset)` (num_workers 0), in one process.

Prints best and median wall times of each contender over several rounds, and the ratios (targets:
save/load within 2x of safetensors.numpy; the dataloader faster than PyTorch's).

    python scripts/bench_data.py [--mb 400] [--rounds 5] [--rows 100000] [--dir /tmp]
"""
import argparse
import os
import platform
import statistics
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

from rtorch import torch_load, torch_manual_seed, torch_randn, torch_save  # noqa: E402
from rtorch._tensor import wrap  # noqa: E402
from rtorch.utils.data import dataloader, tensor_dataset  # noqa: E402


def timed(fn, rounds):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def row(name, best, med, ref=None):
    ratio = "" if ref is None else f"{best / ref:8.2f}x"
    print(f"{name:44s} {best * 1e3:10.1f} ms {med * 1e3:10.1f} ms {ratio}")


def bench_files(mb, rounds, folder):
    rng = np.random.default_rng(0)
    n_layers = 20
    per = mb * 2 ** 20 // 4 // n_layers
    arrays = {f"layer{i}.weight": rng.standard_normal(per, dtype=np.float32).reshape(-1, 1024)
              for i in range(n_layers)}
    state = {k: wrap(v) for k, v in arrays.items()}
    from safetensors.numpy import load_file, save_file
    p_r, p_s = os.path.join(folder, "bench_r.safetensors"), os.path.join(folder, "bench_s.safetensors")
    print(f"\nstate dict: {n_layers} Float tensors, {sum(a.nbytes for a in arrays.values()) / 2 ** 20:.0f} MiB")
    print(f"{'case':44s} {'best':>13s} {'median':>13s} {'ratio':>9s}")
    s_save = timed(lambda: save_file(arrays, p_s), rounds)
    r_save = timed(lambda: torch_save(state, p_r), rounds)
    s_load = timed(lambda: load_file(p_s), rounds)
    r_load = timed(lambda: torch_load(p_r), rounds)
    row("safetensors.numpy save_file", *s_save)
    row("rtorch torch_save (atomic: tmp + rename)", *r_save, ref=s_save[0])
    row("safetensors.numpy load_file", *s_load)
    row("rtorch torch_load", *r_load, ref=s_load[0])
    for p in (p_r, p_s):
        os.unlink(p)


def bench_loader(rows, rounds):
    torch_manual_seed(1)
    x, y = torch_randn(rows, 10), torch_randn(rows, 1)
    ds = tensor_dataset(x, y)

    def rt():
        for b in dataloader(ds, batch_size=32, shuffle=True):
            pass

    print(f"\ndataloader: tensor_dataset of {rows} rows (10 + 1 columns), batch 32, shuffle, one epoch")
    print(f"{'case':44s} {'best':>13s} {'median':>13s} {'ratio':>9s}")
    r = timed(rt, rounds)
    try:
        import torch
        from torch.utils.data import DataLoader, TensorDataset
    except ImportError:
        row("rtorch dataloader", *r)
        print("(PyTorch not installed: no comparison)")
        return
    torch.set_num_threads(1)
    tds = TensorDataset(torch.from_numpy(np.asarray(x._data)), torch.from_numpy(np.asarray(y._data)))

    def pt():
        for b in DataLoader(tds, batch_size=32, shuffle=True, num_workers=0):
            pass
    p = timed(pt, rounds)
    row("PyTorch DataLoader(TensorDataset)", *p)
    row("rtorch dataloader(tensor_dataset)", *r, ref=p[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--dir", default=tempfile.gettempdir())
    args = ap.parse_args()
    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {platform.machine()}, "
          f"{os.cpu_count()} cores")
    bench_files(args.mb, args.rounds, args.dir)
    bench_loader(args.rows, args.rounds)


if __name__ == "__main__":
    main()
