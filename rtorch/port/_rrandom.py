"""R's own random numbers for ported scripts: `set.seed()`, `runif()`, `rnorm()`, `sample()` (R's default
generators, Mersenne-Twister, Inversion and Rejection sampling, seeded as R's RNG.c seeds them, so
`set.seed(1); runif(3)` gives R's numbers),
and the densities/indices R scripts use beside them (`dnorm()`, `which()`).

These are R's generators, not torch's: `torch_manual_seed()` does not touch them, as in R. Without
`set.seed()` R seeds from the clock; here the seed comes from the operating system.
"""
import math
import os

import numpy as np

_N, _M = 624, 397
_MASK = 0xFFFFFFFF
_I2_32M1 = 2.328306437080797e-10  # 1 / (2^32 - 1)
_BIG = 134217728  # 2^27


class _MersenneTwister:
    """R's MT19937 (RNG.c): `dummy[0]` is the position, `dummy[1:]` the 624 words."""

    def __init__(self):
        self.mt = None
        self.mti = _N + 1

    def seed(self, seed):
        seed &= _MASK
        for _ in range(50):
            seed = (69069 * seed + 1) & _MASK
        words = []
        for _ in range(_N + 1):
            seed = (69069 * seed + 1) & _MASK
            words.append(seed)
        self.mt = np.array(words[1:], dtype=np.uint64)
        self.mti = _N

    def _generate(self):
        mt = [int(v) for v in self.mt]
        for kk in range(_N):
            y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % _N] & 0x7FFFFFFF)
            mt[kk] = mt[(kk + _M) % _N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
        self.mt = np.array(mt, dtype=np.uint64)
        self.mti = 0

    def uniforms(self, n):
        """n draws of R's unif_rand(): MT_genrand() / 2^32, kept inside (0, 1)."""
        if self.mt is None:
            self.seed(int.from_bytes(os.urandom(4), "little"))
        out = np.empty(n)
        for i in range(n):
            if self.mti >= _N:
                self._generate()
            y = int(self.mt[self.mti])
            self.mti += 1
            y ^= y >> 11
            y ^= (y << 7) & 0x9D2C5680
            y ^= (y << 15) & 0xEFC60000
            y ^= y >> 18
            v = y * 2.3283064365386963e-10
            out[i] = 0.5 * _I2_32M1 if v <= 0.0 else (1.0 - 0.5 * _I2_32M1 if 1.0 - v <= 0.0 else v)
        return out


_RNG = _MersenneTwister()


def _count(n):
    if isinstance(n, (list, tuple, np.ndarray)) and np.size(n) != 1:
        return int(np.size(n))
    n = float(np.asarray(n).reshape(-1)[0])
    if not math.isfinite(n) or n < 0:
        raise ValueError("invalid arguments")
    return int(n)


def set_seed(seed):
    """R's set.seed(seed) for R's default generator (not torch's: see torch_manual_seed)."""
    value = float(np.asarray(seed).reshape(-1)[0])
    if math.isnan(value):
        raise ValueError("supplied seed is not a valid integer")
    _RNG.seed(int(value))


def runif(n, min=0, max=1):
    """R's runif(n, min, max): min + (max - min) * unif_rand(), a double vector."""
    u = _RNG.uniforms(_count(n))
    return min + (max - min) * u


def _qnorm(p):
    """R's qnorm5(p, 0, 1) (Wichura's AS241)."""
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                     + 133.14166789178437745) * r + 3.387132872796366608) / (
            ((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
             + 42.313330701600911252) * r + 1.0)
    r = p if q < 0 else 1.0 - p
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        r -= 1.6
        val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                   + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                + 4.6303378461565452959) * r + 1.42343711074968357734) / (
            ((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
             + 2.05319162663775882187) * r + 1.0)
    else:
        r -= 5.0
        val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                   + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                + 5.4637849111641143699) * r + 6.6579046435011037772) / (
            ((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
             + 0.59983220655588793769) * r + 1.0)
    return -val if q < 0.0 else val


def rnorm(n, mean=0, sd=1):
    """R's rnorm(n, mean, sd) by R's default Inversion: two uniforms a draw, qnorm of their 2^27-grid mix."""
    k = _count(n)
    u = _RNG.uniforms(2 * k)
    z = np.array([_qnorm((int(_BIG * u[2 * i]) + u[2 * i + 1]) / _BIG) for i in range(k)])
    return mean + sd * z


def dnorm(x, mean=0, sd=1, log=False):
    """R's dnorm(x, mean, sd, log): the normal density, elementwise; a number for a length-one x."""
    z = (np.asarray(x, dtype=float) - mean) / sd
    if log:
        out = -(0.5 * math.log(2 * math.pi) + 0.5 * z * z + np.log(sd))
    else:
        out = 0.3989422804014327 * np.exp(-0.5 * z * z) / sd
    return float(out) if np.ndim(out) == 0 else out


def which(x):
    """R's which(x): the 1-based positions of the TRUE elements, an integer vector (NA counts as FALSE)."""
    v = np.asarray(x)
    if v.dtype != np.bool_:
        raise TypeError("argument to 'which' is not logical")
    mask = np.ma.getmaskarray(x) if np.ma.isMaskedArray(x) else np.zeros(v.shape, bool)
    flat = (np.ma.getdata(v) & ~mask).reshape(-1, order="F")
    return (np.flatnonzero(flat) + 1).astype(np.int32)


def _unif_index(dn):
    """R's R_unif_index(dn) for the default sample.kind "Rejection": rejection sampling on 16-bit draws."""
    if dn <= 0:
        return 0.0
    bits = int(math.ceil(math.log2(dn)))
    while True:
        v = 0
        for _ in range(0, bits + 1, 16):
            v = 65536 * v + int(math.floor(_RNG.uniforms(1)[0] * 65536))
        v &= (1 << bits) - 1
        if dn > v:
            return float(v)


def sample(x, size=None, replace=False, prob=None):
    """R's sample(x, size, replace = FALSE): R's draws (R_unif_index, so `set.seed(1); sample(10)` is R's
    permutation). A single number n >= 1 samples 1:n, as R's; `prob` is not supported."""
    if prob is not None:
        raise NotImplementedError("sample(prob =) is not supported")
    v = np.asarray(x)
    if v.size == 1 and v.dtype.kind in "iuf" and float(v.reshape(-1)[0]) >= 1:
        n = int(float(v.reshape(-1)[0]))
        population = None
    else:
        n = v.size
        population = v.reshape(-1, order="F")
    k = n if size is None else _count(size)
    if not replace and k > n:
        raise ValueError("cannot take a sample larger than the population when 'replace = FALSE'")
    if replace:
        picks = [int(_unif_index(n)) for _ in range(k)]
    else:
        pool, picks = list(range(n)), []
        for _ in range(k):
            j = int(_unif_index(n))
            picks.append(pool[j])
            n -= 1
            pool[j] = pool[n]
    if population is None:
        return np.array(picks, dtype=np.int32) + 1
    return population[np.array(picks, dtype=np.int64)]
