"""libtorch's normal distribution in NumPy, stream for stream: `normal_`, `torch_randn` and what draws
normal samples from libtorch's CPU generator (`_random.Engine`).

Float tensors with >= 16 elements that are contiguous draw all uniforms first, then run Box-Muller
on blocks of 16 (pairs j, j + 8) with the Cephes single-precision log/sincos of `avx_mathfun.h`
(reproduced here operation by operation, FMA contractions included), redrawing the last 16 when the size
is not a multiple of 16. Double tensors take the same layout in double precision (libm's log, cos, sin:
NumPy's log differs from glibc's in the last bit now and then), Half ones are the single-precision values
rounded (drawing no uniforms for a partial last block). Smaller or
non-contiguous tensors use scalar Box-Muller in double with one cached value that carries over between
calls.
"""
import concurrent.futures
import os
import threading

import numpy as np

from ._random import _F32, _F64, _FLOATS, _f32, _to_float_dtype, fma32, fma64, log1p

# ---------------------------------------------------------------------------------------------------------
# single precision: Cephes' log and sincos of avx_mathfun.h, FMA contractions included
# ---------------------------------------------------------------------------------------------------------

_LOG_P = [_f32(c) for c in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
                            1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
                            3.3333331174E-1)]
_LOG_Q1, _LOG_Q2 = _f32(-2.12194440e-4), _f32(0.693359375)
_SQRTHF_BITS = np.uint32(_f32(0.707106781186547524).view(np.uint32))
_FOPI = _f32(1.27323954473516)
_DP = [_f32(-0.78515625), _f32(-2.4187564849853515625e-4), _f32(-3.77489497744594108e-8)]
_COS_P = [_f32(2.443315711809948E-005), _f32(-1.388731625493765E-003), _f32(4.166664568298827E-002)]
_SIN_P = [_f32(-1.9515295891E-4), _f32(8.3321608736E-3), _f32(-1.6666654611E-1)]
_TWO_PI_F = _f32(2.0 * np.pi)
_CHUNK = 4096  # rows of 16 per pass: the work arrays stay in cache


class _Work:
    """Scratch arrays for one chunk of the single-precision Box-Muller."""

    def __init__(self, rows):
        shape = (rows, 8)
        self.f = [np.empty(shape, np.float32) for _ in range(6)]
        self.d = [np.empty(shape, np.float64) for _ in range(3)]
        self.u = [np.empty(shape, np.uint32) for _ in range(3)]

    def take(self, rows):
        return ([a[:rows] for a in self.f], [a[:rows] for a in self.d], [a[:rows] for a in self.u])


def _horner_fused(y32, y64, x64, coefs):
    """Horner's rule with every step a fused multiply-add, y = fl32(y * x + c), from y = coefs[0];
    y64 carries y in double between the single-precision roundings."""
    np.multiply(x64, coefs[0], out=y64)
    last = len(coefs) - 1
    for i, c in enumerate(coefs[1:], 1):
        np.add(y64, c, out=y64)
        np.copyto(y32, y64, casting="same_kind")
        if i < last:
            np.copyto(y64, y32)
            np.multiply(y64, x64, out=y64)


def _fma_into(out32, a32, b, c, t64):
    """out32 = fl32(a * b + c) for float arrays/scalars, one rounding (the product is exact in double)."""
    np.copyto(t64, a32)
    np.multiply(t64, b, out=t64)
    np.add(t64, c, out=t64)
    np.copyto(out32, t64, casting="same_kind")


def _box_muller16_f32(k, blk, w, mean, std):
    """`normal_fill_16_AVX2` on rows of 16 uniforms given as 24-bit integers `k` (u = k / 2^24), written
    to `blk`: lanes j and j + 8 make one pair. The Cephes log and sincos of `avx_mathfun.h` step by step,
    with the FMA contractions GCC makes there."""
    rows = blk.shape[0]
    (x, e, y, z, r, a), (x64, y64, t64), (i0, i1, i2) = w.take(rows)
    xb, eb = x.view(np.uint32), e.view(np.int32)
    # log256_ps(1 - u1): 1 - u1 = (2^24 - k) / 2^24 exactly
    np.subtract(np.uint32(1 << 24), k[:, :8], out=i0)
    np.copyto(x, i0, casting="unsafe")
    np.subtract(xb, np.uint32(24 << 23), out=xb)
    np.right_shift(xb, 23, out=i0)
    np.bitwise_and(xb, np.uint32(0x007FFFFF), out=xb)
    np.bitwise_or(xb, np.uint32(0x3F000000), out=xb)
    np.subtract(xb, _SQRTHF_BITS, out=i1)
    np.right_shift(i1, 31, out=i1)                   # 1 where the mantissa is below sqrt(1/2)
    np.subtract(i0, i1, out=i0)
    np.left_shift(i1, 23, out=i1)
    np.add(xb, i1, out=xb)                           # x + x for those: exact doubling
    np.subtract(i0.view(np.int32), 126, out=eb)
    np.copyto(e, eb, casting="unsafe")
    np.subtract(x, _f32(1), out=x)
    np.multiply(x, x, out=z)
    np.copyto(x64, x)
    _horner_fused(y, y64, x64, _LOG_P)
    np.multiply(y, x, out=y)
    np.multiply(e, _LOG_Q1, out=a)
    np.copyto(x64, z)
    _fma_into(y, y, x64, a, y64)                     # y * z + e * q1: GCC fuses the first product
    np.multiply(z, _f32(0.5), out=a)
    np.subtract(y, a, out=y)
    np.add(x, y, out=x)
    np.multiply(e, _LOG_Q2, out=a)
    np.add(x, a, out=x)
    np.multiply(x, _f32(-2), out=x)
    np.sqrt(x, out=r)
    # sincos256_ps(2 pi u2)
    th = x
    np.copyto(th, k[:, 8:], casting="unsafe")
    np.multiply(th, _TWO_PI_F * _f32(2.0 ** -24), out=th)   # = fl(2 pi * u2): scaling by 2^-24 is exact
    np.multiply(th, _FOPI, out=a)
    j = i0.view(np.int32)
    np.copyto(j, a, casting="unsafe")
    np.add(j, 1, out=j)
    np.bitwise_and(j, -2, out=j)
    np.copyto(e, j, casting="unsafe")
    for dp in _DP[:2]:                               # exact products: plain adds
        np.multiply(e, dp, out=a)
        np.add(th, a, out=th)
    _fma_into(th, e, _DP[2], th, y64)
    np.multiply(th, th, out=z)
    np.copyto(x64, z)
    y1, y2 = a, e
    _horner_fused(y1, y64, x64, _COS_P)
    np.multiply(y1, z, out=y1)
    np.multiply(z, _f32(-0.5), out=y)
    _fma_into(y1, y1, x64, y, y64)                   # y1 * z - z * 0.5
    np.add(y1, _f32(1), out=y1)
    _horner_fused(y2, t64, x64, _SIN_P)
    np.multiply(y2, z, out=y2)
    np.copyto(x64, th)
    _fma_into(y2, y2, x64, x64, t64)                 # y2 * x + x
    # pick the polynomials per octant and set the signs, on the bits
    ub = i2
    np.bitwise_and(i0, np.uint32(2), out=ub)
    np.right_shift(ub, 1, out=ub)
    np.subtract(ub, np.uint32(1), out=ub)            # all ones where (j & 2) == 0
    d = i1
    y1b, y2b = y1.view(np.uint32), y2.view(np.uint32)
    np.bitwise_xor(y1b, y2b, out=d)
    np.bitwise_and(d, ub, out=d)
    np.bitwise_xor(y2b, d, out=ub)                   # cos: y1 where (j & 2) == 0, else y2
    np.bitwise_xor(y1b, d, out=y1b)                  # sin: y2 where (j & 2) == 0, else y1
    np.bitwise_and(i0, np.uint32(4), out=d)
    np.left_shift(d, 29, out=d)
    np.bitwise_xor(y1b, d, out=y1b)                  # sin sign
    np.subtract(i0, np.uint32(2), out=d)
    np.invert(d, out=d)
    np.bitwise_and(d, np.uint32(4), out=d)
    np.left_shift(d, 29, out=d)
    np.bitwise_xor(ub, d, out=ub)                    # cos sign
    cos, sin = ub.view(np.float32), y1
    if mean == 0 and std == 1:
        np.multiply(r, cos, out=blk[:, :8])
        np.multiply(r, sin, out=blk[:, 8:])
    else:
        np.multiply(r, cos, out=y2)
        blk[:, :8] = fma32(y2, _f32(std), _f32(mean))
        np.multiply(r, sin, out=y2)
        blk[:, 8:] = fma32(y2, _f32(std), _f32(mean))


_THREADS = min(2, os.cpu_count() or 1)
_PARALLEL_MIN = 1 << 18
_pool = None          # (pid, executor): a forked child makes its own
_local = threading.local()


def _executor():
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), concurrent.futures.ThreadPoolExecutor(_THREADS, thread_name_prefix="rtorch-random"))
    return _pool[1]


def _work(rows):
    w = getattr(_local, "work", None)
    if w is None or w.f[0].shape[0] < rows:
        w = _local.work = _Work(rows)
    return w


def _transform_rows(k, blk, mean, std):
    _box_muller16_f32(k, blk, _work(min(blk.shape[0], _CHUNK)), mean, std)


def _normal_f32(eng, n, mean, std, partial_draws=True):
    """`normal_fill_AVX2`: all n uniforms first, then Box-Muller on rows of 16, then the last 16 values
    redrawn and recomputed when n is not a multiple of 16 (Half draws no uniforms for the partial row).
    Uniforms are made chunk by chunk (in order) while worker threads transform the chunks already made;
    the result does not depend on the threads."""
    out = np.empty(n, np.float32)
    rows = n // 16
    futures = []
    pool = _executor() if _THREADS > 1 and n >= _PARALLEL_MIN else None
    mask = np.uint32(0xFFFFFF)
    for s in range(0, rows, _CHUNK):
        blk = out[16 * s:16 * min(rows, s + _CHUNK)].reshape(-1, 16)
        k = np.bitwise_and(eng.words(blk.size), mask).reshape(-1, 16)
        if pool is not None:
            futures.append(pool.submit(_transform_rows, k, blk, mean, std))
        else:
            _transform_rows(k, blk, mean, std)
    if n % 16:
        if partial_draws:
            eng.words(n % 16)
        tail = np.empty((1, 16), np.float32)
        _transform_rows(np.bitwise_and(eng.words(16), mask).reshape(1, 16), tail, mean, std)
    for f in futures:
        f.result()
    if n % 16:
        out[n - 16:] = tail.reshape(-1)
    return out


def _box_muller16_f64(blk, mean, std):
    """`normal_fill_16<double>` on rows of 16 uniforms, in place."""
    radius = np.sqrt(-2.0 * np.log(1.0 - blk[:, :8]))
    theta = (2.0 * np.pi) * blk[:, 8:]
    c, s = radius * np.cos(theta), radius * np.sin(theta)
    if mean != 0 or std != 1:
        c, s = fma64(c, std, mean), fma64(s, std, mean)
    blk[:, :8], blk[:, 8:] = c, s


def _normal_fill(eng, n, dtype, mean, std):
    """libtorch's vectorised normal for contiguous tensors of >= 16 elements. Half is computed in single
    precision and rounded at the end."""
    if dtype != _F64:
        return _normal_f32(eng, n, mean, std, dtype == _F32).astype(dtype, copy=False)
    data = eng.uniform64(n)
    full = n // 16 * 16
    _box_muller16_f64(data[:full].reshape(-1, 16), mean, std)
    if n % 16:
        tail = eng.uniform64(16).reshape(1, 16)
        _box_muller16_f64(tail, mean, std)
        data[n - 16:] = tail.reshape(-1)
    return data


def standard_normal_scalar(eng, n):
    """`normal_distribution<double>` drawn `n` times: Box-Muller pairs, the second value cached."""
    out = np.empty(n, np.float64)
    k = 0
    if n and eng.next_double_normal is not None:
        out[0] = eng.next_double_normal
        eng.next_double_normal = None
        k = 1
    pairs = (n - k + 1) // 2
    if pairs:
        u = eng.uniform64(2 * pairs)
        radius = np.sqrt(-2.0 * log1p(-u[1::2]))
        theta = (2.0 * np.pi) * u[0::2]
        vals = np.empty(2 * pairs, np.float64)
        vals[0::2] = radius * np.cos(theta)
        vals[1::2] = radius * np.sin(theta)
        out[k:] = vals[:n - k]
        if (n - k) % 2:
            eng.next_double_normal = float(vals[-1])
    return out


def normal(eng, n, dtype, contiguous=True, mean=0.0, std=1.0):
    """libtorch's `normal_(mean, std)` on `n` elements of `dtype`, in element order."""
    dtype = np.dtype(dtype)
    if dtype not in _FLOATS:
        raise TypeError(f'"normal_kernel_cpu" not implemented for \'{dtype}\'')
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if n >= 16 and contiguous:
        return _normal_fill(eng, n, dtype, float(mean), float(std))
    z = standard_normal_scalar(eng, n)
    if mean != 0 or std != 1:
        z = fma64(z, float(std), float(mean))
    return _to_float_dtype(z, dtype)
