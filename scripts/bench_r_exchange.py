"""Time the exchange of an 80 MB double array (1000 x 1000 x 10) between rtorch and an embedded R.

Compares `as_r()` with rpy2's own `numpy2ri` converter on the same array, and both directions with a plain
NumPy copy of the same bytes. Each repetition times every operation once, in turn; the table shows the best
time of each, its ratio to the best copy, and the median over repetitions of its ratio to the copy made in
the same repetition (other load on the machine then weighs on both alike).

    python scripts/bench_r_exchange.py [--reps 9]
"""
import argparse
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402
import rpy2.robjects as ro  # noqa: E402
from rpy2.robjects import default_converter, numpy2ri  # noqa: E402

from rtorch import _creation  # noqa: E402
from rtorch._dtypes import DTYPES  # noqa: E402
from rtorch._tensor import wrap  # noqa: E402
import rtorch.r as rtorch_r  # noqa: E402
from rtorch.r import _relayout, as_r, converter, r_to_numpy  # noqa: E402

SHAPE = (1000, 1000, 10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=15)
    args = ap.parse_args()

    x = ro.r(f"array(runif({np.prod(SHAPE)}), c({', '.join(map(str, SHAPE))}))")
    t = wrap(r_to_numpy(x))
    plain = t._data
    identical = ro.baseenv["identical"]
    assert identical(as_r(t), x)[0], "as_r(t) is not identical() to the R array it came from"
    with (default_converter + numpy2ri.converter).context():
        assert identical(ro.conversion.get_conversion().py2rpy(plain), x)[0], "numpy2ri gave another array"
    rpy2py = (default_converter + converter).rpy2py
    assert np.array_equal(rpy2py(x)._data, plain)

    def numpy2ri_py2rpy():
        with (default_converter + numpy2ri.converter).context():
            return ro.conversion.get_conversion().py2rpy(plain)

    def tiled_to_column_major(threads=None):
        out = np.empty(plain.shape[::-1]).T
        saved = rtorch_r._THREADS
        rtorch_r._THREADS = threads or saved
        try:
            _relayout(out, plain)
        finally:
            rtorch_r._THREADS = saved
        return out

    ops = {
        "NumPy copy of the same bytes (arr.copy())": plain.copy,
        "floor: row- to column-major, one NumPy assignment": lambda: np.asfortranarray(plain),
        "floor: row- to column-major, in tiles, one thread": lambda: tiled_to_column_major(1),
        f"floor: row- to column-major, in tiles, {rtorch_r._THREADS} threads (_relayout)": tiled_to_column_major,
        "tensor -> R: rtorch.r.as_r(t)": lambda: as_r(t),
        "tensor -> R: numpy2ri py2rpy(array)": numpy2ri_py2rpy,
        "R -> tensor: r_to_numpy(x)": lambda: r_to_numpy(x),
        "R -> tensor: converter rpy2py(x) (Double)": lambda: rpy2py(x),
    }
    if hasattr(_creation, "register_input_converter"):
        ops["R -> tensor: torch_tensor(x, dtype = torch_double())"] = \
            lambda: _creation.torch_tensor(x, dtype=DTYPES["Double"])
    times = {name: [] for name in ops}
    for _ in range(args.reps):
        for name, fn in ops.items():
            t0 = time.perf_counter()
            out = fn()
            times[name].append(time.perf_counter() - t0)
            del out
    base = times["NumPy copy of the same bytes (arr.copy())"]
    ratio = {name: statistics.median(a / b for a, b in zip(ts, base)) for name, ts in times.items()}

    print(f"{SHAPE[0]} x {SHAPE[1]} x {SHAPE[2]} doubles ({plain.nbytes / 1e6:.0f} MB), best of {args.reps}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, NumPy {np.__version__}, "
          f"rpy2 {__import__('rpy2').__version__}, {ro.r('R.version.string')[0]}")
    print()
    print(f"| {'operation':<52} | {'best ms':>7} | {'x copy':>6} | {'median x copy':>13} |")
    print(f"|{'-' * 54}|{'-' * 9}|{'-' * 8}|{'-' * 15}|")
    for name, ts in times.items():
        print(f"| {name:<52} | {min(ts) * 1e3:7.1f} | {min(ts) / min(base):6.2f} | {ratio[name]:13.2f} |")
    speedup = min(times["tensor -> R: numpy2ri py2rpy(array)"]) / min(times["tensor -> R: rtorch.r.as_r(t)"])
    print()
    print(f"as_r is {speedup:.1f}x faster than numpy2ri (target: at least 3x)")
    worst = max(min(ts) / min(base) for name, ts in times.items() if "->" in name and "numpy2ri" not in name)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"slowest rtorch direction: {worst:.2f}x a NumPy copy, best against best (target: within 3x)")


if __name__ == "__main__":
    main()
