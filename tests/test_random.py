"""Seeded random numbers against libtorch's CPU generator, with PyTorch as the oracle (same engine as R
torch): integer-valued results must be identical, floating ones identical or within 2 units in the last
place; the fraction that is bit-identical is collected and printed by the last test (`pytest -s`)."""
import math
import warnings

import numpy as np
import pytest

import rtorch._random as R
from rtorch import _sampling as S
from rtorch._tensor import wrap
from tests._require import require

SEEDS = range(6)
SIZES = list(range(1, 41)) + [1000, 4099]
SHAPES = [(2, 3), (5, 7), (2, 3, 4), (4, 16), (3, 1, 17)]
STATS = {}


@pytest.fixture(scope="module")
def torch():
    return require("torch")


def _ordered_int(a):
    """Float bits as integers that are ordered like the floats (for distances in ulps)."""
    a = np.ascontiguousarray(a)
    bits = 8 * a.dtype.itemsize
    ints = a.view({16: np.int16, 32: np.int32, 64: np.int64}[bits]).astype(np.int64)
    if bits == 64:
        big = ints.astype(object)
        return np.array([x if x >= 0 else -(x & 0x7FFFFFFFFFFFFFFF) for x in big], dtype=object)
    return np.where(ints < 0, -(ints & ((1 << (bits - 1)) - 1)), ints)


def ulps(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    d = np.abs(_ordered_int(a.reshape(-1)) - _ordered_int(b.reshape(-1)))
    return d.astype(np.float64)


def agree(kind, ours, theirs, max_ulps=2):
    """Record and check floating results: identical or within `max_ulps`."""
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    d = ulps(ours, theirs) if ours.size else np.zeros(0)
    same, total = STATS.get(kind, (0, 0))
    STATS[kind] = (same + int((d == 0).sum()), total + d.size)
    assert d.size == 0 or d.max() <= max_ulps, f"{kind}: {d.max()} ulps apart at {int(np.argmax(d))}"


def npy(t):
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t._data)


def tdt(torch, name):
    return {"Float": torch.float32, "Double": torch.float64, "Half": torch.float16, "Long": torch.int64,
            "Int": torch.int32, "Short": torch.int16, "Char": torch.int8, "Byte": torch.uint8,
            "Bool": torch.bool}[name]


# --- the engine on its own ----------------------------------------------------------------------------------

def _mt_reference(seed, n):
    """The textbook MT19937 (init_genrand, then twist on first use), one word at a time."""
    mt = [seed & 0xFFFFFFFF]
    for i in range(1, 624):
        mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
    out, idx = [], 624
    for _ in range(n):
        if idx == 624:
            for i in range(624):
                y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7FFFFFFF)
                mt[i] = mt[(i + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            idx = 0
        y = mt[idx]
        idx += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        out.append(y)
    return np.array(out, np.uint32)


@pytest.mark.parametrize("seed", [0, 42, 2 ** 32 + 7, 2 ** 64 - 1])
def test_words_are_the_classic_mersenne_twister(seed):
    e = R.Engine(seed)
    words = np.concatenate([e.words(5), e.words(1000), e.words(300)])
    assert np.array_equal(words, _mt_reference(seed, 1305))
    assert R.Engine(seed).words64(2).tolist() == [(int(words[0]) << 32) | int(words[1]),
                                                  (int(words[2]) << 32) | int(words[3])]


def _swap_loop(n, z):
    r = list(range(n))
    for i in range(n - 1):
        r[i], r[i + z[i]] = r[i + z[i]], r[i]
    return r


def _inside_out_loop(n, z):
    r = [0] * n
    for i in range(n):
        r[i] = i
        r[i] = r[z[i]]
        r[z[i]] = i
    return r


@pytest.mark.parametrize("n", [2, 3, 5, 17, 64, 300, 2000])
def test_vectorised_shuffles_match_their_loops(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        z = np.array([rng.integers(0, n - i) for i in range(n - 1)], np.int64)
        assert R._swap_shuffle(n, z).tolist() == _swap_loop(n, z)
        z = np.array([rng.integers(0, i + 1) for i in range(n)], np.int64)
        assert R._inside_out_shuffle(n, z).tolist() == _inside_out_loop(n, z)
    z = np.zeros(n - 1, np.int64)
    assert R._swap_shuffle(n, z).tolist() == list(range(n))


def test_large_randperm_path_is_a_permutation_drawn_with_64_bit_words():
    e, f = R.Engine(3), R.Engine(3)
    perm = R.randperm(e, 500, small_limit=10)
    z = (f.words64(500) % np.arange(1, 501, dtype=np.uint64)).astype(np.int64)
    assert perm.tolist() == _inside_out_loop(500, z)


def test_fma64_is_correctly_rounded():
    from fractions import Fraction
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal(300), rng.standard_normal(300), rng.standard_normal(300) * 1e-3
    exact = [float(Fraction(x) * Fraction(y) + Fraction(z)) for x, y, z in zip(a, b, c)]
    assert np.array_equal(R.fma64(a, b, c), exact)


# --- seeds, state and generators --------------------------------------------------------------------------

def test_seed_text_matches_r_as_character():
    ro = require("rpy2.robjects")
    vals = [42.0, 1e5, 123456.0, 1.5, -1.0, 2.0 ** 53, 1e15, 1e16, 123456789012345678.0, 0.5, -0.5, 3e9,
            2.0 ** 62, 2.0 ** 63, -(2.0 ** 63), 1e-5, 120000.0, 12000000.0, 1234567.0, 0.1 + 0.2]
    r = list(ro.r["as.character"](ro.FloatVector(vals)))
    assert [S._r_double_string(v) for v in vals] == r


def test_seed_conversion_follows_r_torch():
    assert S._r_seed(42) == 42
    assert S._r_seed(1e5) == 1          # as.character(1e5) is "1e+05"; libtorch reads the 1
    assert S._r_seed(np.int32(100000)) == 100000  # an R integer prints in full
    assert S._r_seed(-1) == 2 ** 64 - 1
    assert S._r_seed(1.9) == 1
    with pytest.raises(TypeError, match="seed must be a number"):
        S._r_seed("1")
    with pytest.raises(ValueError, match="finite"):
        S._r_seed(float("nan"))


def test_manual_seed_and_state_bytes_match(torch):
    for seed in (0, 7, 123456):
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        assert np.array_equal(npy(S.torch_get_rng_state()), torch.get_rng_state().numpy())
        S.torch_randn(3)
        torch.randn(3)
        S.torch_rand(700)
        torch.rand(700)
        state = S.torch_get_rng_state()
        assert state.dtype.name == "Byte"
        assert np.array_equal(npy(state), torch.get_rng_state().numpy())
    torch.manual_seed(99)
    torch.randn(1)
    S.torch_set_rng_state(wrap(torch.get_rng_state().numpy()))
    assert np.array_equal(npy(S.torch_randn(5)), torch.randn(5).numpy())


def test_set_rng_state_rejects_bad_input():
    with pytest.raises(TypeError, match="Byte"):
        S.torch_set_rng_state(np.zeros(5056, np.uint8))
    with pytest.raises(RuntimeError, match="size 5056"):
        S.torch_set_rng_state(wrap(np.zeros(10, np.uint8)))
    bad = S.torch_get_rng_state()._data.copy()
    bad[8:12] = 0
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        S.torch_set_rng_state(wrap(bad))


def test_with_torch_manual_seed_restores_the_stream():
    S.torch_manual_seed(1)
    x, y = S.torch_randn(1), S.torch_randn(1)
    with S.with_torch_manual_seed(seed=1):
        x_, y_, z_ = S.torch_randn(1), S.torch_randn(1), S.torch_randn(1)
    z = S.torch_randn(1)
    assert [npy(v).item() for v in (x, y, z)] == [npy(v).item() for v in (x_, y_, z_)]
    assert np.array_equal(npy(S.with_torch_manual_seed(lambda: S.torch_rand(3), seed=5)),
                          npy(S.with_torch_manual_seed(lambda: S.torch_rand(3), seed=5)))
    with S.with_torch_manual_seed(2):
        a = S.torch_rand(2)
    with pytest.raises(TypeError, match="seed"):
        S.with_torch_manual_seed(lambda: None)
    assert a.shape == (2,)


def test_generators(torch):
    g = S.torch_generator()
    g.set_current_seed(12345678)
    assert g.current_seed() == 12345678
    g.set_current_seed(123456789101112)
    assert g.current_seed() == 123456789101112
    with pytest.raises(TypeError, match="integer"):
        g.set_current_seed(1.5)
    tg = torch.Generator().manual_seed(123456789101112)
    S.torch_manual_seed(1)
    torch.manual_seed(1)
    assert np.array_equal(npy(S.torch_randn(50, generator=g)), torch.randn(50, generator=tg).numpy())
    x = wrap(np.empty(9, np.float64))
    S.normal_(x, 1, 2, generator=g)
    agree("normal_ Double", npy(x), torch.empty(9, dtype=torch.float64).normal_(1, 2, generator=tg).numpy())
    # the default stream did not move
    assert np.array_equal(npy(S.torch_rand(4)), torch.rand(4).numpy())
    with pytest.raises(TypeError, match="generator"):
        S.torch_randn(2, generator=3)


def test_default_generator_starts_from_entropy():
    assert R.Engine().seed != R.Engine().seed


# --- the distributions against PyTorch ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["Float", "Double", "Half"])
def test_randn_every_size(torch, dtype):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for n in SIZES:
            ours = npy(S.torch_randn(n, dtype=dtype))
            agree(f"randn {dtype}", ours, torch.randn(n, dtype=tdt(torch, dtype)).numpy())
        for shape in SHAPES:
            ours = npy(S.torch_randn(*shape, dtype=dtype))
            agree(f"randn {dtype}", ours, torch.randn(*shape, dtype=tdt(torch, dtype)).numpy())


def test_randn_float_is_bit_identical_on_large_tensors(torch):
    S.torch_manual_seed(2024)
    torch.manual_seed(2024)
    for n in (2 ** 18 + 5, 65536):
        assert np.array_equal(npy(S.torch_randn(n)), torch.randn(n).numpy())


def test_randn_sizes_spelled_the_r_ways(torch):
    torch.manual_seed(3)
    want = torch.randn(2, 3).numpy()
    for call in (lambda: S.torch_randn(2, 3), lambda: S.torch_randn(np.array([2.0, 3.0])),
                 lambda: S.torch_randn(size=[2, 3]), lambda: S.torch_randn((2, 3))):
        S.torch_manual_seed(3)
        assert np.array_equal(npy(call()), want)


@pytest.mark.parametrize("dtype", ["Float", "Double", "Half"])
def test_rand_and_uniform(torch, dtype):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for n in SIZES[::3]:
            assert np.array_equal(npy(S.torch_rand(n, dtype=dtype)), torch.rand(n, dtype=tdt(torch, dtype)).numpy())
        for lo, hi in ((-3, 7.5), (0.1, 0.7), (1, 1 + 2 ** -20)):
            x = wrap(np.empty((5, 7), np.dtype(tdt(torch, dtype).__str__().split(".")[1])))
            S.uniform_(x, lo, hi)
            want = torch.empty(5, 7, dtype=tdt(torch, dtype)).uniform_(lo, hi).numpy()
            assert np.array_equal(npy(x), want), (lo, hi)


@pytest.mark.parametrize("dtype", ["Float", "Double", "Half"])
def test_normal_with_mean_and_std(torch, dtype):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for n in (3, 15, 16, 33, 1000):
            x = wrap(np.empty(n, np.dtype(str(tdt(torch, dtype)).split(".")[1])))
            S.normal_(x, 0.5, 2.5)
            want = torch.empty(n, dtype=tdt(torch, dtype)).normal_(0.5, 2.5).numpy()
            if dtype == "Half":
                agree("normal_(mean, std) Half", npy(x), want)
            else:
                # values near 0 come from cancellation of `mean`: count ulps of the larger terms
                scale = np.maximum(np.abs(want), 0.5)
                assert np.all(np.abs(npy(x) - want) <= 2 * np.spacing(scale.astype(want.dtype)))
                agree(f"normal_(mean, std) {dtype}", npy(x), want, max_ulps=math.inf)


def test_consecutive_draws_share_one_stream(torch):
    """Mixed calls from one seed: normals cached by small tensors carry over to the next call."""
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for n in (1, 3, 20, 5, 2, 17, 1, 1, 33):
            agree("randn Float", npy(S.torch_randn(n)), torch.randn(n).numpy())
            agree("rand Float", npy(S.torch_rand(2)), torch.rand(2).numpy())
            p = torch.rand(n)
            assert np.array_equal(npy(S.torch_rand(n)), p.numpy())
            agree("randn Double", npy(S.torch_randn(n, dtype="Double")), torch.randn(n, dtype=torch.float64).numpy())
            assert np.array_equal(npy(S.torch_randint(0, 10, n)), torch.randint(0, 10, (n,), dtype=torch.float32).numpy())
            assert np.array_equal(npy(S.torch_randperm(n)), torch.randperm(n).numpy())
            assert np.array_equal(npy(S.torch_bernoulli(wrap(p.numpy()))), torch.bernoulli(p).numpy())


def test_in_place_on_non_contiguous_views(torch):
    for seed in SEEDS:
        base_t = torch.zeros(7, 5)
        base = wrap(np.zeros((7, 5), np.float32))
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        S.normal_(wrap(base._data.T))
        base_t.t().normal_()
        agree("normal_ transposed", npy(base), base_t.numpy())
        S.uniform_(wrap(base._data[:, ::2]), -1, 1)
        base_t[:, ::2].uniform_(-1, 1)
        assert np.array_equal(npy(base), base_t.numpy())
        S.exponential_(wrap(base._data.T[::2]), 2.0)
        base_t.t()[::2].exponential_(2.0)
        agree("exponential_ strided", npy(base), base_t.numpy())
        S.bernoulli_(wrap(base._data.T), 0.3)
        base_t.t().bernoulli_(0.3)
        assert np.array_equal(npy(base), base_t.numpy())
        probs = torch.rand(5, 1)
        S.torch_rand(5, 1)
        S.bernoulli_(wrap(base._data.T), wrap(probs.numpy()))
        base_t.t().bernoulli_(probs)
        assert np.array_equal(npy(base), base_t.numpy())
        big = wrap(np.zeros((40, 3), np.float64))
        big_t = torch.zeros(40, 3, dtype=torch.float64)
        S.normal_(wrap(big._data.T))
        big_t.t().normal_()
        agree("normal_ transposed", npy(big), big_t.numpy())
        li = wrap(np.zeros((6, 4), np.int64))
        li_t = torch.zeros(6, 4, dtype=torch.int64)
        S.random_(wrap(li._data.T), 0, 100)
        li_t.t().random_(0, 100)
        assert np.array_equal(npy(li), li_t.numpy())


INT_DTYPES = ["Long", "Int", "Short", "Char", "Byte", "Bool", "Float", "Double", "Half"]
RANGES = [(), (17,), (3, 9), (-5, 100), (0, 2 ** 28 - 1), (0, 2 ** 28), (0, 2 ** 30 + 3), (5, None),
          (-2 ** 63, None), (0, 2 ** 40), (-2 ** 31, 2 ** 31 - 1)]


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_random_(torch, dtype):
    np_dt = {"Long": np.int64, "Int": np.int32, "Short": np.int16, "Char": np.int8, "Byte": np.uint8,
             "Bool": np.bool_, "Float": np.float32, "Double": np.float64, "Half": np.float16}[dtype]
    for args in RANGES:
        for seed in (0, 1):
            torch.manual_seed(seed)
            x = torch.empty(300, dtype=tdt(torch, dtype))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    want = (x.random_(*args) if len(args) != 1 else x.random_(to=args[0])).numpy()
            except RuntimeError as exc:
                want = exc
            S.torch_manual_seed(seed)
            ours = wrap(np.empty(300, np_dt))
            kw = {"to": args[0]} if len(args) == 1 else dict(zip(("from_", "to"), args))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if isinstance(want, Exception):
                    with pytest.raises(RuntimeError, match=str(want).split(" for ")[0][:30]):
                        S.random_(ours, **kw)
                else:
                    S.random_(ours, **kw)
                    assert np.array_equal(npy(ours), want), args


def test_randint(torch):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for lo, hi, size in ((0, 10, (3,)), (-7, 7, (2, 2, 2)), (3, 2 ** 24, (40,)), (0, 2, (1000,))):
            ours = S.torch_randint(lo, hi, size)
            assert ours.dtype.name == "Float"   # R torch's default dtype, not libtorch's Long
            assert np.array_equal(npy(ours), torch.randint(lo, hi, size, dtype=torch.float32).numpy())
            ours = S.torch_randint(lo, hi, size, dtype="Long")
            assert np.array_equal(npy(ours), torch.randint(lo, hi, size).numpy())
    with pytest.raises(RuntimeError, match="from=7 >= to=7"):
        S.torch_randint(7, 7, (2, 2))
    with pytest.warns(UserWarning, match=r"to - 1 is out of bounds \[-\(2\^24\), 2\^24\]"):
        S.torch_randint(0, 2 ** 30, 3)


def test_randint_ignores_generator_like_r_torch(torch):
    g = S.torch_generator()
    S.torch_manual_seed(4)
    torch.manual_seed(4)
    assert np.array_equal(npy(S.torch_randint(0, 5, 10, generator=g)),
                          torch.randint(0, 5, (10,), dtype=torch.float32).numpy())


def test_randperm(torch):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for n in list(range(0, 41)) + [1000, 4099, 100000]:
            assert np.array_equal(npy(S.torch_randperm(n)), torch.randperm(n).numpy())
        for dtype in ("Int", "Float", "Double", "Short"):
            assert np.array_equal(npy(S.torch_randperm(100, dtype=dtype)),
                                  torch.randperm(100, dtype=tdt(torch, dtype)).numpy())
    with pytest.raises(RuntimeError, match="non-negative"):
        S.torch_randperm(-1)
    with pytest.raises(RuntimeError, match="too large"):
        S.torch_randperm(300, dtype="Char")


@pytest.mark.parametrize("dtype", ["Float", "Double", "Half"])
def test_exponential(torch, dtype):
    np_dt = {"Float": np.float32, "Double": np.float64, "Half": np.float16}[dtype]
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for lam in (1, 2.5, 0.3):
            x = wrap(np.empty(500, np_dt))
            S.exponential_(x, lam)
            agree(f"exponential_ {dtype}", npy(x), torch.empty(500, dtype=tdt(torch, dtype)).exponential_(lam).numpy())


@pytest.mark.parametrize("out_dtype", ["Float", "Double", "Long", "Bool", "Byte"])
def test_bernoulli(torch, out_dtype):
    np_dt = {"Float": np.float32, "Double": np.float64, "Long": np.int64, "Bool": np.bool_, "Byte": np.uint8}
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for p_dtype in (torch.float32, torch.float64):
            p = torch.rand(3, 40, dtype=p_dtype)
            S.torch_rand(3, 40, dtype="Float" if p_dtype == torch.float32 else "Double")
            if out_dtype in ("Float", "Double"):
                ours = S.torch_bernoulli(wrap(p.numpy().astype(np_dt[out_dtype])))
                assert np.array_equal(npy(ours), torch.bernoulli(p.to(tdt(torch, out_dtype))).numpy())
            x = wrap(np.zeros((3, 40), np_dt[out_dtype]))
            S.bernoulli_(x, wrap(p.numpy()))
            assert np.array_equal(npy(x), torch.zeros(3, 40, dtype=tdt(torch, out_dtype)).bernoulli_(p).numpy())
            S.bernoulli_(x, 0.25)
            assert np.array_equal(npy(x), torch.zeros(3, 40, dtype=tdt(torch, out_dtype)).bernoulli_(0.25).numpy())
        z = torch.zeros(50, dtype=tdt(torch, out_dtype) if out_dtype in ("Float", "Double") else torch.float32)
        ours = S.torch_bernoulli(wrap(z.numpy()), 0.7)
        assert np.array_equal(npy(ours), torch.bernoulli(z, 0.7).numpy())


@pytest.mark.parametrize("dtype", ["Float", "Double"])
def test_multinomial(torch, dtype):
    np_dt = np.float32 if dtype == "Float" else np.float64
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        for shape in ((6,), (4, 9), (1, 30)):
            w = torch.rand(*shape, dtype=tdt(torch, dtype)) + 0.05
            S.torch_rand(*shape, dtype=dtype)
            for k, repl in ((1, False), (3, False), (shape[-1], False), (1, True), (5, True), (40, True)):
                ours = S.torch_multinomial(wrap(w.numpy().astype(np_dt)), k, replacement=repl)
                want = torch.multinomial(w, k, replacement=repl).numpy()
                assert ours.dtype.name == "Long"
                assert np.array_equal(npy(ours), want + 1), (shape, k, repl)
        wt = torch.rand(9, 4, dtype=tdt(torch, dtype))
        S.torch_rand(9, 4, dtype=dtype)
        ours = S.torch_multinomial(wrap(wt.numpy().astype(np_dt).T), 3)
        assert np.array_equal(npy(ours), torch.multinomial(wt.t(), 3).numpy() + 1)


def test_multinomial_method_is_0_based_as_in_r_torch(torch):
    S.torch_manual_seed(2)
    torch.manual_seed(2)
    w = torch.tensor([1.0, 5.0, 2.0, 0.5])
    assert np.array_equal(npy(S.multinomial(wrap(w.numpy()), 3)), torch.multinomial(w, 3).numpy())


def test_multinomial_weights_with_zeros(torch):
    S.torch_manual_seed(0)
    torch.manual_seed(0)
    weights = torch.tensor([0, 10, 3, 0], dtype=torch.float32)
    assert np.array_equal(npy(S.torch_multinomial(wrap(weights.numpy()), 2)),
                          torch.multinomial(weights, 2).numpy() + 1)
    assert np.array_equal(npy(S.torch_multinomial(wrap(weights.numpy()), 4, replacement=True)),
                          torch.multinomial(weights, 4, replacement=True).numpy() + 1)


def test_normal_with_tensor_arguments(torch):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        std = torch.arange(1.0, 0.0, -0.1) + 1e-6
        mean = torch.arange(1.0, 6.0)
        agree("torch_normal tensors", npy(S.torch_normal(mean=0, std=wrap(std.numpy()))),
              torch.normal(mean=0.0, std=std).numpy())
        agree("torch_normal tensors", npy(S.torch_normal(mean=0.5, std=wrap(torch.arange(1.0, 6.0).numpy()))),
              torch.normal(mean=0.5, std=torch.arange(1.0, 6.0)).numpy())
        agree("torch_normal tensors", npy(S.torch_normal(mean=wrap(mean.numpy()))),
              torch.normal(mean=mean).numpy())
        agree("torch_normal tensors", npy(S.torch_normal(wrap(mean.numpy()), wrap(mean.numpy() / 10))),
              torch.normal(mean, mean / 10).numpy())
        agree("torch_normal tensors", npy(S.torch_normal(2, 3, size=(1, 4))), torch.normal(2.0, 3.0, size=(1, 4)).numpy())
    with pytest.raises(ValueError, match="size is not set"):
        S.torch_normal(0, 1)
    with pytest.raises(ValueError, match="size is set"):
        S.torch_normal(wrap(np.zeros(3, np.float32)), 1, size=3)


def test_like_variants(torch):
    for seed in SEEDS:
        S.torch_manual_seed(seed)
        torch.manual_seed(seed)
        x = torch.zeros(6, 7)
        for t_in, ours_in in ((x, wrap(x.numpy())), (x.t(), wrap(x.numpy().T))):
            agree("randn_like", npy(S.torch_randn_like(ours_in)), torch.randn_like(t_in).numpy())
            assert np.array_equal(npy(S.torch_rand_like(ours_in)), torch.rand_like(t_in).numpy())
            assert np.array_equal(npy(S.torch_randint_like(ours_in, 2, 9)), torch.randint_like(t_in, 2, 9).numpy())
        d = S.torch_randn_like(wrap(np.zeros(3, np.float64)))
        assert d.dtype.name == "Double" and d.shape == (3,)
        torch.randn(3, dtype=torch.float64)


def test_complex_normal_and_uniform(torch):
    S.torch_manual_seed(5)
    torch.manual_seed(5)
    agree("randn complex", npy(S.torch_randn(20, dtype="ComplexFloat")).view(np.float32),
          torch.randn(20, dtype=torch.complex64).numpy().view(np.float32))
    assert np.array_equal(npy(S.torch_rand(7, dtype="ComplexDouble")), torch.rand(7, dtype=torch.complex128).numpy())


def test_bad_input_is_named():
    with pytest.raises(RuntimeError, match="normal_kernel_cpu.*Long"):
        S.torch_randn(3, dtype="Long")
    with pytest.raises(RuntimeError, match="uniform_kernel_cpu.*Int"):
        S.torch_rand(3, dtype="Int")
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        S.normal_(wrap(np.zeros(3, np.float32)), 0, -1)
    with pytest.raises(RuntimeError, match="from=2.0 > to=1.0"):
        S.uniform_(wrap(np.zeros(3, np.float32)), 2, 1)
    with pytest.raises(RuntimeError, match=r"p to be in \[0, 1\]"):
        S.bernoulli_(wrap(np.zeros(3, np.float32)), 1.5)
    with pytest.raises(RuntimeError, match="lambda > 0.0"):
        S.exponential_(wrap(np.zeros(3, np.float32)), 0)
    with pytest.raises(RuntimeError, match="continuous"):
        S.exponential_(wrap(np.zeros(3, np.int64)))
    with pytest.raises(RuntimeError, match="sum of probabilities"):
        S.torch_multinomial(wrap(np.zeros(3, np.float32)), 1)
    with pytest.raises(RuntimeError, match="without replacement"):
        S.torch_multinomial(wrap(np.ones(3, np.float32)), 4)
    with pytest.raises(RuntimeError, match="inf"):
        S.torch_multinomial(wrap(np.array([1, -1], np.float32)), 1)
    with pytest.raises(RuntimeError, match="floating-point"):
        S.torch_multinomial(wrap(np.ones(3, np.int64)), 1)
    with pytest.raises(ValueError, match="whole number"):
        S.torch_randint(0, 2.5, 3)
    with pytest.raises(RuntimeError, match="more than one element"):
        S.normal_(wrap(np.broadcast_to(np.zeros(1, np.float32), (3,))))


def test_zz_report_bit_identical_fractions(capsys):
    """Prints the fraction of floating results that were bit-identical (run with -s to see it)."""
    with capsys.disabled():
        print()
        for kind, (same, total) in sorted(STATS.items()):
            print(f"  {kind:28s} {same}/{total} bit-identical ({same / max(total, 1):.5%})")
    for kind in ("randn Float", "rand Float"):
        if kind in STATS:
            assert STATS[kind][0] == STATS[kind][1], kind
