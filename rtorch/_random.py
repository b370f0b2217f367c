"""libtorch's CPU random engine in NumPy, stream for stream.

R torch draws from libtorch's `CPUGeneratorImpl`: a 32-bit Mersenne Twister (`at::mt19937`, the classic
`init_genrand` seeding, so NumPy's `MT19937` yields the same words) plus one cached normal sample. Each
distribution turns words into values its own way; this module reproduces those ways on whole arrays:

* 32-bit draws give floats as `(w & (2^24 - 1)) * 2^-24`; doubles use two words, `hi << 32 | lo`, masked to
  53 bits. `x * (to - from) + from` and `z * std + mean` are fused multiply-adds in libtorch's x86 build.
* normal: Box-Muller, in `_normal.py`.
* integers: `random_(from, to)` reduces one 32-bit word modulo the range, or a 64-bit draw when the range is
  2^28 or more; `random_()` reduces modulo the dtype's range; randperm swaps with 32-bit draws (a 64-bit
  inside-out shuffle from 2^32 / 20 elements on).

Everything here and in `_normal.py` works on NumPy arrays in libtorch's element order; `_sampling` wraps
it for tensors.
"""
import os
import warnings

import numpy as np

_MASK32 = 0xFFFFFFFF
_U64 = (1 << 64) - 1
STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
from ._dtypes import DTYPES

_F32, _F64, _F16 = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.float16)
_BF16 = DTYPES["BFloat16"].numpy
_HAS_BF16 = _BF16 is not None
if not _HAS_BF16:  # without ml_dtypes: a stand-in that no tensor has (a dtype compared with None is float64)
    _BF16 = np.dtype("V2")
_FLOATS = (_F16, _F32, _F64) + ((_BF16,) if _HAS_BF16 else ())
# float digits (std::numeric_limits<T>::digits) per floating dtype
_DIGITS = {_F16: 11, _F32: 24, _F64: 53, _BF16: 8}


def _init_key(seed32):
    """`init_genrand(seed)`: the Mersenne Twister key libtorch's `mt19937(seed)` starts from."""
    return np.random.RandomState(seed32).get_state(legacy=False)["state"]["key"]


class Engine:
    """libtorch's `CPUGeneratorImpl`: the Mersenne Twister, its seed and the cached normal samples."""

    __slots__ = ("_bg", "_gen", "seed", "fresh", "next_double_normal", "next_float_normal")

    def __init__(self, seed=None):
        self._bg = np.random.MT19937()
        self._gen = np.random.Generator(self._bg)
        self.manual_seed(int.from_bytes(os.urandom(8), "little") if seed is None else seed)

    def manual_seed(self, seed):
        seed = int(seed) & _U64
        self._bg.state = {"bit_generator": "MT19937", "state": {"key": _init_key(seed & _MASK32), "pos": 624}}
        self.seed = seed
        self.fresh = True
        self.next_double_normal = None
        self.next_float_normal = None

    def copy(self):
        out = Engine.__new__(Engine)
        out._bg = np.random.MT19937()
        out._bg.state = self._bg.state
        out._gen = np.random.Generator(out._bg)
        out.seed, out.fresh = self.seed, self.fresh
        out.next_double_normal, out.next_float_normal = self.next_double_normal, self.next_float_normal
        return out

    # -- raw draws --------------------------------------------------------------------------------------------
    def words(self, n):
        """`n` successive `random()` words (uint32)."""
        if n:
            self.fresh = False
        return self._gen.integers(0, 1 << 32, size=int(n), dtype=np.uint32)

    def words64(self, n):
        """`n` successive `random64()` draws: two words each, the first one high."""
        w = self.words(2 * n).astype(np.uint64)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def uniform32(self, n):
        """`uniform_real_distribution<float>(0, 1)`: 24 bits of one word."""
        return (self.words(n) & np.uint32(0xFFFFFF)).astype(np.float32) * np.float32(2.0 ** -24)

    def uniform64(self, n):
        """`uniform_real_distribution<double>(0, 1)`: 53 bits of a 64-bit draw."""
        return (self.words64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * (2.0 ** -53)

    # -- state as libtorch's byte layout ---------------------------------------------------------------------
    def get_state(self):
        """The 5056 bytes of libtorch's `CPUGeneratorImplState` (what `torch_get_rng_state()` returns)."""
        st = self._bg.state["state"]
        pos = int(st["pos"])
        out = np.zeros(STATE_SIZE, np.uint8)
        out[0:8] = np.array([self.seed], np.uint64).view(np.uint8)
        out[8:16] = np.array([625 - pos, 1], np.int32).view(np.uint8)
        out[16:24] = np.array([0 if self.fresh else pos], np.uint64).view(np.uint8)
        out[24:24 + 624 * 8] = st["key"].astype(np.uint64).view(np.uint8)
        if self.next_double_normal is not None:
            out[5024:5032] = np.array([self.next_double_normal], np.float64).view(np.uint8)
            out[5040:5044] = np.array([1], np.int32).view(np.uint8)
        if self.next_float_normal is not None:
            out[5048:5052] = np.array([self.next_float_normal], np.float32).view(np.uint8)
            out[5052] = 1
        return out

    def set_state(self, data):
        data = np.ascontiguousarray(data, dtype=np.uint8).reshape(-1)
        if data.size != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input "
                               f"RNG state size to be {data.size}")
        seed = int(data[0:8].view(np.uint64)[0])
        left, seeded = (int(v) for v in data[8:16].view(np.int32))
        nxt = int(data[16:24].view(np.uint64)[0])
        key = data[24:24 + 624 * 8].view(np.uint64)
        if not seeded or not 0 < left <= 624 or nxt > 624:
            raise RuntimeError("Invalid mt19937 state")
        if nxt != 625 - left and not (nxt == 0 and left == 1) or (key >> np.uint64(32)).any():
            raise RuntimeError("Invalid mt19937 state: this state was not produced by libtorch's generator")
        self._bg.state = {"bit_generator": "MT19937",
                          "state": {"key": key.astype(np.uint32), "pos": 625 - left}}
        self.seed = seed
        self.fresh = nxt == 0
        valid = int(data[5040:5044].view(np.int32)[0])
        self.next_double_normal = float(data[5024:5032].view(np.float64)[0]) if valid else None
        self.next_float_normal = float(data[5048:5052].view(np.float32)[0]) if data[5052] else None


# ---------------------------------------------------------------------------------------------------------
# element order and fused multiply-add
# ---------------------------------------------------------------------------------------------------------

def order_axes(arr):
    """libtorch's TensorIterator visits an output's elements in memory order: its dimensions sorted by
    stride (for equal strides the larger size outside). Returns that permutation, outermost first."""
    return sorted(range(arr.ndim), key=lambda a: (-abs(arr.strides[a]), -arr.shape[a]))


def ordered_view_like(other, arr):
    """`other` (shaped like `arr`) permuted and flipped so that its C order is `arr`'s memory order."""
    view = other.transpose(order_axes(arr))
    flips = tuple(slice(None, None, -1) if arr.strides[a] < 0 else slice(None) for a in order_axes(arr))
    return view[flips]


def ordered_view(arr):
    """A view of `arr` whose C order is the order in which libtorch fills it."""
    return ordered_view_like(arr, arr)


def fill_ordered(arr, values):
    """Write `values` (1-D, in libtorch's element order) into `arr` in place."""
    view = ordered_view(arr)
    view[...] = values.reshape(view.shape)


def fma64(a, b, c):
    """Correctly rounded `a * b + c` in double precision (libtorch's build contracts these to FMA),
    from error-free products and sums: exact except in double-rounding corner cases."""
    a, b, c = np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64)
    p = a * b
    with np.errstate(over="ignore", invalid="ignore"):
        ta = a * 134217729.0
        ah = ta - (ta - a)
        al = a - ah
        tb = b * 134217729.0
        bh = tb - (tb - b)
        bl = b - bh
        err = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        s = p + c
        z = s - p
        t = (p - (s - z)) + (c - z)
        out = s + (t + err)
    bad = ~np.isfinite(out)
    if bad.any():
        out = np.where(bad, p + c, out)
    return out


def fma32(a, b, c):
    """Single-precision fused multiply-add through double (the product of two floats is exact there)."""
    return (np.asarray(a, np.float64) * np.float64(b) + np.asarray(c, np.float64)).astype(np.float32)


_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
_LP = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
       1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)


def _high_word(x):
    return (x.view(np.int64) >> 32).astype(np.int32)


def log1p(x):
    """`log1p` for -1 < x <= 0 as glibc computes it (fdlibm's reduction, glibc's polynomial order), which
    libtorch calls for exponentials and small normals; NumPy's own log1p differs in the last bit about 7%
    of the time, this in about 0.05%."""
    x = np.asarray(x, np.float64)
    hx = _high_word(x)
    k0 = (hx < 0x3FDA827A) & ((hx > 0) | (hx <= np.int32(-1076707645)))     # -0.2929 < x < 0.41422
    u = 1.0 + x
    hu = _high_word(u)
    k = (hu >> 20) - 1023
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(k > 0, 1.0 - (u - x), x - (u - 1.0)) / u
    hu &= 0x000FFFFF
    low = hu < 0x6A09E
    bits = (u.view(np.int64) & 0xFFFFFFFF) | (np.where(low, hu | 0x3FF00000, hu | 0x3FE00000).astype(np.int64) << 32)
    k = np.where(k0, 0, np.where(low, k, k + 1)).astype(np.float64)
    hu = np.where(k0, 1, np.where(low, hu, (0x00100000 - hu) >> 2))
    f = np.where(k0, x, bits.view(np.float64) - 1.0)
    c = np.where(k0, 0.0, c)
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    r = ((z * _LP[0] + z2 * (_LP[1] + z * _LP[2])) + z4 * (_LP[3] + z * _LP[4])) + z4 * z2 * (_LP[5] + z * _LP[6])
    out = np.where(k == 0, f - (hfsq - s * (hfsq + r)),
                   k * _LN2_HI - ((hfsq - (s * (hfsq + r) + (k * _LN2_LO + c))) - f))
    r0 = hfsq * (1.0 - 0.66666666666666666 * f)
    small = np.where(k == 0, f - r0, k * _LN2_HI - ((r0 - (k * _LN2_LO + c)) - f))
    small = np.where(f == 0, np.where(k == 0, 0.0, k * _LN2_HI + (c + k * _LN2_LO)), small)
    out = np.where(hu == 0, small, out)
    ax = hx & 0x7FFFFFFF
    return np.where(ax < 0x3E200000, np.where(ax < 0x3C900000, x, x - x * x * 0.5), out)


# ---------------------------------------------------------------------------------------------------------
# to the tensor's dtype (normal's Box-Muller is in _normal.py)
# ---------------------------------------------------------------------------------------------------------

_f32 = np.float32


def _to_float_dtype(values64, dtype):
    """static_cast<scalar_t>(double): c10::Half converts through float."""
    if dtype == _F16 or dtype == _BF16:
        return values64.astype(np.float32).astype(dtype)
    return values64.astype(dtype)


# ---------------------------------------------------------------------------------------------------------
# uniform, exponential, bernoulli
# ---------------------------------------------------------------------------------------------------------

_FINFO = {dt: np.finfo(dt) if dt != _BF16 else __import__("ml_dtypes").finfo(dt) for dt in _FLOATS}


def check_uniform_bounds(dtype, lo, hi):
    info = _FINFO[np.dtype(dtype)]
    name = {_F16: "c10::Half", _F32: "float", _F64: "double", _BF16: "c10::BFloat16"}[np.dtype(dtype)]
    for v, what in ((lo, "from"), (hi, "to")):
        if not float(info.min) <= v <= float(info.max):
            raise RuntimeError(f"{what} is out of bounds for {name}")
    if not lo <= hi:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={lo} > to={hi}")
    if hi - lo > float(info.max):
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{name}>::max(), but found "
                           f"to={hi} and from={lo} which result in to-from to exceed the limit")


def uniform(eng, n, dtype, lo=0.0, hi=1.0):
    """`uniform_(from, to)`: `x * (to - from) + from`, fused, from a 53-bit uniform for double and a 24-bit
    one otherwise (Half rounds the single-precision result); a value that rounds to `to` becomes `from`."""
    dtype = np.dtype(dtype)
    if dtype not in _FLOATS:
        raise TypeError(f'"uniform_kernel_cpu" not implemented for \'{dtype}\'')
    check_uniform_bounds(dtype, lo, hi)
    if dtype == _F64:
        out = eng.uniform64(n)
        if lo != 0 or hi != 1:
            out = fma64(out, hi - lo, lo)
    else:
        out = eng.uniform32(n)
        if lo != 0 or hi != 1:
            out = fma32(out, _f32(hi) - _f32(lo), _f32(lo))
        out = out.astype(dtype, copy=False)
    top = dtype.type(hi)
    if (out == top).any():
        out[out == top] = dtype.type(lo)
    return out


def exponential(eng, n, dtype, lambd=1.0):
    """`exponential_distribution<double>`: `-1 / lambda * log1p(-u)` in double, then cast."""
    dtype = np.dtype(dtype)
    if dtype not in _FLOATS:
        raise TypeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                        f"floating point but you specified {dtype}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    u = eng.uniform64(n)
    with np.errstate(divide="ignore"):
        vals = (-1.0 / float(lambd)) * log1p(-u)
    return _to_float_dtype(vals, dtype)


def bernoulli_scalar(eng, n, dtype, p):
    """`bernoulli_(p)` with a number: a 53-bit uniform below `p`, libtorch's portable kernel. (Some MKL
    builds of libtorch hand this case to MKL's own generator on Intel CPUs; that stream is not reproduced.)"""
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return (eng.uniform64(n) < p).astype(dtype)


def bernoulli_tensor(eng, p, dtype):
    """`bernoulli_(p)` with probabilities `p` (1-D, in element order): float probabilities compare with a
    24-bit uniform, double ones with a 53-bit uniform."""
    p = np.asarray(p)
    if p.dtype == _F64:
        u = eng.uniform64(p.size)
    else:
        u = eng.uniform32(p.size)
        p = p.astype(np.float32, copy=False)
    return (u < p).astype(dtype)


# ---------------------------------------------------------------------------------------------------------
# integers: random_, randperm, multinomial
# ---------------------------------------------------------------------------------------------------------

_INT_NAMES = {np.dtype(np.uint8): "unsigned char", np.dtype(np.int8): "signed char",
              np.dtype(np.int16): "short int", np.dtype(np.int32): "int", np.dtype(np.int64): "long int",
              np.dtype(np.bool_): "bool", _F16: "c10::Half", _F32: "float", _F64: "double"}
if _HAS_BF16:
    _INT_NAMES[_BF16] = "c10::BFloat16"
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _int_bounds(dtype):
    if dtype == np.bool_:
        return 0, 1
    if dtype in _FLOATS:
        info = _FINFO[dtype]
        return float(info.min), float(info.max)
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def _cast_float(v, dtype):
    """static_cast<int64_t>(static_cast<scalar_t>(v)); a float beyond int64 converts to INT64_MIN on x86."""
    with np.errstate(over="ignore"):
        f = np.array(float(v)).astype(dtype).astype(np.float64)
    return int(f) if np.isfinite(f) and abs(f) < 2.0 ** 63 else _INT64_MIN


def _update_from(frm, dtype):
    plus1 = _cast_float(frm + 1, dtype)
    if plus1 < frm:
        n = (abs(frm + 1)).bit_length() - 1
        frm = plus1 + (1 << (n - _DIGITS[dtype] + 1))
    return frm


def _update_to(to, dtype):
    minus1 = _cast_float(to - 1, dtype)
    if minus1 >= to:
        n = (abs(to - 1)).bit_length() - 1
        to = minus1 - (1 << (n - _DIGITS[dtype] + 1))
    return to


def _check_in_range(frm, to_inc, dtype):
    lo, hi = _int_bounds(dtype)
    name = _INT_NAMES[dtype]
    if not lo <= frm <= hi:
        raise RuntimeError(f"from is out of bounds for {name}")
    if not lo <= to_inc <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")
    if dtype in _FLOATS:
        digits = _DIGITS[dtype]
        for v, what in ((frm, "from"), (to_inc, "to - 1")):
            if not -(1 << digits) <= v <= 1 << digits:
                warnings.warn(f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                              f"{name} can support discrete uniform distribution only within this range. This "
                              "warning will become an error in version 1.7 release, please fix the code in advance",
                              UserWarning, stacklevel=4)


def _from_to_values(eng, n, dtype, rng, base):
    """`uniform_int_from_to_distribution`: `(draw % range) + base`, cast to the dtype through int64."""
    if rng >= 1 << 28:
        w = eng.words64(n)
    else:
        w = eng.words(n).astype(np.uint64)
    vals = (w % np.uint64(rng)).astype(np.int64)
    if base:
        vals = (vals.view(np.uint64) + np.uint64(base & _U64)).view(np.int64)
    return vals.astype(dtype) if dtype != np.bool_ else vals != 0


def random_(eng, n, dtype, frm=None, to=None):
    """libtorch's `random_()`, `random_(to)`, `random_(from, to)` and `random_(from, None)`."""
    dtype = np.dtype(dtype)
    if dtype not in _INT_NAMES:
        raise TypeError(f'"random_" not implemented for \'{dtype}\'')
    if frm is None and to is None:
        if dtype == np.bool_:
            return (eng.words(n) & np.uint32(1)).astype(bool)
        if dtype in (np.int64, _F64):
            w = eng.words64(n)
        else:
            w = eng.words(n).astype(np.uint64)
        mod = {np.dtype(np.int64): 1 << 63, np.dtype(np.int32): 1 << 31, np.dtype(np.int16): 1 << 15,
               np.dtype(np.int8): 1 << 7, np.dtype(np.uint8): 1 << 8, _F16: (1 << 11) + 1,
               _F32: (1 << 24) + 1, _F64: (1 << 53) + 1, _BF16: (1 << 8) + 1}[dtype]
        return (w % np.uint64(mod)).astype(dtype)
    if frm is None:
        frm = 0
    frm = int(frm)
    if to is not None:
        to = int(to)
        if not frm < to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={frm} >= to={to}")
        if dtype in _FLOATS:
            frm, to = _update_from(frm, dtype), _update_to(to, dtype)
            if not frm < to:
                raise RuntimeError("random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, "
                                   f"but got from={frm} >= to={to}")
        _check_in_range(frm, to - 1, dtype)
        return _from_to_values(eng, n, dtype, to - frm, frm)
    if frm == _INT64_MIN:
        if dtype in (np.bool_, _F16):
            raise RuntimeError('"random_full_64_bits_range_kernel_cpu" not implemented for '
                               f"'{'Bool' if dtype == np.bool_ else 'Half'}'")
        if dtype not in (np.int64, _F32, _F64, _BF16):
            raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, float and "
                               "bfloat16")
        return eng.words64(n).view(np.int64).astype(dtype)
    if dtype in _FLOATS:
        to_inc = min(1 << _DIGITS[dtype], _INT64_MAX)
        frm = _update_from(frm, dtype)
        if not frm < to_inc:
            raise RuntimeError("random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                               f"casted to dtype, but got from={frm} > to_inc={to_inc}")
    else:
        to_inc = 1 if dtype == np.bool_ else int(np.iinfo(dtype).max)
    _check_in_range(frm, to_inc, dtype)
    return _from_to_values(eng, n, dtype, to_inc - frm + 1, frm)


def _chain_roots(parent):
    """Follow `parent` pointers (each to a smaller index, -1 at a root) to the roots, by doubling."""
    idx = np.arange(parent.size)
    ptr = np.where(parent >= 0, parent, idx)
    while True:
        nxt = ptr[ptr]
        if np.array_equal(nxt, ptr):
            return ptr
        ptr = nxt


def _group_links(t):
    """For values `t`, the previous index with the same value (or -1), and the order sorted by value."""
    order = np.argsort(t, kind="stable")
    ts = t[order]
    same = np.empty(t.size, bool)
    if t.size:
        same[0] = False
        np.equal(ts[1:], ts[:-1], out=same[1:])
    prev = np.full(t.size, -1, np.int64)
    prev[order[same]] = order[np.flatnonzero(same) - 1]
    return prev, order, ts


def _swap_shuffle(n, z):
    """The result of `for i < n - 1: swap(r[i], r[i + z[i]])` on r = 0..n-1, without a loop per element."""
    t = np.arange(n - 1, dtype=np.int64) + z
    prev, order, ts = _group_links(t)
    # for each position k: the last step before k that moved a value into k
    into = np.full(n, -1, np.int64)
    last = np.ones(ts.size, bool)
    if ts.size:
        last[:-1] = ts[1:] != ts[:-1]
    lk, lv = order[last], ts[last]
    cand = np.where(lk == lv, prev[lk], lk)
    into[lv] = cand
    held = _chain_roots(into)          # the value at position k just before step k
    out = np.empty(n, np.int64)
    out[:n - 1] = np.where(prev >= 0, held[np.maximum(prev, 0)], t)
    out[n - 1] = held[n - 1]
    return out


def _inside_out_shuffle(n, z):
    """The result of `for i < n: r[i] = r[z[i]]; r[z[i]] = i` (z[i] <= i), without a loop per element."""
    prev, order, zs = _group_links(z)
    idx = np.arange(n, dtype=np.int64)
    # the value step p writes to r[p]: p itself, or whatever sits at z[p] before step p
    term = np.where(z == idx, idx, prev)
    parent = np.where(term >= 0, -1, z)
    parent[z == idx] = -1
    roots = _chain_roots(parent)
    written = np.where(term[roots] >= 0, term[roots], roots)
    lastocc = np.full(n, -1, np.int64)
    last = np.ones(zs.size, bool)
    if zs.size:
        last[:-1] = zs[1:] != zs[:-1]
    lastocc[zs[last]] = order[last]
    return np.where(lastocc >= 0, lastocc, written)


_RANDPERM_SMALL = (1 << 32) // 20


def randperm(eng, n, dtype=np.int64, small_limit=None):
    """libtorch's randperm: a Fisher-Yates swap per element with 32-bit draws, or for n >= 2^32 / 20 the
    inside-out variant with 64-bit draws."""
    limit = _RANDPERM_SMALL if small_limit is None else small_limit
    if n < limit:
        if n < 2:
            return np.arange(n).astype(dtype)
        z = (eng.words(n - 1) % np.arange(n, 1, -1, dtype=np.uint32)).astype(np.int64)
        return _swap_shuffle(n, z).astype(dtype)
    z = (eng.words64(n) % np.arange(1, n + 1, dtype=np.uint64)).astype(np.int64)
    return _inside_out_shuffle(n, z).astype(dtype)


def _check_probs(p):
    if not (np.isfinite(p).all() and (p >= 0).all()):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")


def multinomial(eng, probs, num_samples, replacement=False, order=None):
    """libtorch's multinomial on 2-D `probs` (rows are distributions); returns 0-based int64 indices.

    Without replacement (or one sample): q ~ Exp(1) drawn in the element order `order` (a permutation of
    the flat C-order positions), then the largest `probs / q`, largest first. Ties only arise between
    zero weights, when more samples are asked than a row has positive weights: libtorch orders those as
    its `std::nth_element` happens to leave them, this by index. With replacement: binary search of a
    53-bit uniform in each row's normalised running sum."""
    n_dist, n_cat = probs.shape
    if not replacement or num_samples == 1:
        _check_probs(probs)
        if (probs.sum(axis=1, dtype=probs.dtype) == 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = np.empty(probs.size, probs.dtype)
        vals = exponential(eng, probs.size, probs.dtype)
        if order is None:
            q[...] = vals
        else:
            q[order] = vals
        with np.errstate(divide="ignore", invalid="ignore"):
            score = probs / q.reshape(probs.shape)
        if num_samples == 1:
            return np.argmax(score, axis=1).reshape(n_dist, 1)
        idx = np.argsort(-score, axis=1, kind="stable")
        return idx[:, :num_samples]
    for row in probs:
        if (row < 0).any():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
        if not np.isfinite(row).all():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry = infinity "
                               "or NaN)")
    cum = np.cumsum(probs, axis=1, dtype=probs.dtype)
    total = cum[:, -1:].copy()
    if (total <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cum /= total
    cum[:, -1] = 1
    cum = cum.astype(np.float64)
    u = eng.uniform64(n_dist * num_samples).reshape(n_dist, num_samples)
    left = np.zeros(u.shape, np.int64)
    right = np.full(u.shape, n_cat, np.int64)
    rows = np.arange(n_dist)[:, None]
    while True:
        active = right > left
        if not active.any():
            return left
        mid = left + (right - left) // 2
        below = cum[rows, np.minimum(mid, n_cat - 1)] < u
        left = np.where(active & below, mid + 1, left)
        right = np.where(active & ~below, mid, right)
