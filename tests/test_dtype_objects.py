"""R torch's dtype, layout, memory-format and qscheme objects: BFloat16 and Float8 tensors (created,
converted, printed, promoted and computed as libtorch does, PyTorch the oracle), the complex names,
layouts, memory formats (channels-last strides) and qschemes. Ports tests/testthat/test-memory_format.R and
test-qscheme.R (test-dtype.R's blocks are in test_rtorch_testthat_ports.py and test_testthat_namespace.py)."""
import io
import os
import pickle
from contextlib import redirect_stdout

import numpy as np
import pytest

from rtorch import *
from rtorch._dtypes import DTYPES, promote_types
from tests._require import require

torch = require("torch")

ML = {"BFloat16": torch.bfloat16, "Float8_e4m3fn": torch.float8_e4m3fn, "Float8_e5m2": torch.float8_e5m2}
TORCH_OF = {"Bool": torch.bool, "Byte": torch.uint8, "Char": torch.int8, "Short": torch.int16, "Int": torch.int32,
            "Long": torch.int64, "Half": torch.float16, "Float": torch.float32, "Double": torch.float64,
            "ComplexFloat": torch.complex64, "ComplexDouble": torch.complex128, **ML}
NAME_OF = {v: k for k, v in TORCH_OF.items()}


@pytest.fixture(scope="module")
def oracle():
    try:
        from compat.libtorch_oracle import libtorch_print
        libtorch_print(torch.zeros(1))
    except Exception as exc:  # pragma: no cover - the printing tests need the same
        if os.environ.get("CI"):
            pytest.fail(f"the libtorch print oracle cannot be built: {exc}")
        pytest.skip(f"the libtorch print oracle cannot be built: {exc}")
    return libtorch_print


def _pair(values, name):
    """The same values as an rtorch tensor and a torch tensor of dtype `name` (both converted from float32)."""
    v = np.asarray(values, np.float32)
    return torch_tensor(v.astype(np.float64)).to(dtype=DTYPES[name]), torch.from_numpy(v.copy()).to(TORCH_OF[name])


def _values(t):
    """A tensor's values as float64 (rtorch's or torch's), and its dtype name."""
    if isinstance(t, torch.Tensor):
        return t.double().numpy() if t.dtype != torch.bool else t.numpy(), NAME_OF[t.dtype]
    return np.asarray(t._data).astype(np.float64) if t.dtype.name != "Bool" else t._data, t.dtype.name


def _same(r, t, ulps=0):
    """Same dtype, and values equal (or within `ulps` steps of the result's dtype, where libtorch's vectorised
    float32 functions round differently from libm)."""
    rv, rn = _values(r)
    tv, tn = _values(t)
    assert rn == tn
    if ulps == 0 or rn == "Bool":
        np.testing.assert_array_equal(rv, tv)
        return
    ml = DTYPES[rn].numpy
    step = np.abs(np.nextafter(tv.astype(ml).astype(np.float32), np.float32(np.inf)).astype(ml).astype(np.float64) - tv)
    step = np.where(np.isfinite(step) & (step > 0), step, np.abs(tv) * 2.0 ** -7)
    both_nan = np.isnan(rv) & np.isnan(tv)
    assert np.all(both_nan | (np.abs(rv - tv) <= ulps * step + 0.0)), (rv, tv)


RNG = np.random.default_rng(2026)
X = (RNG.standard_normal(300) * 10).astype(np.float32)
Y = (RNG.standard_normal(300) * 3).astype(np.float32)


# ---- test-memory_format.R -----------------------------------------------------------------------------

def test_memory_format__can_create_memory_formats():
    for fmt in (torch_contiguous_format(), torch_preserve_format(), torch_channels_last_format()):
        assert "torch_memory_format" in class_(fmt)
        assert is_torch_memory_format(fmt)


def test_memory_format__can_compare_memory_formats():
    assert torch_contiguous_format() == torch_contiguous_format()
    assert not torch_preserve_format() == torch_contiguous_format()


# ---- test-qscheme.R -----------------------------------------------------------------------------------

def test_qscheme__can_create_qschemes():
    for q in (torch_per_channel_affine(), torch_per_channel_symmetric(), torch_per_tensor_affine(),
              torch_per_channel_symmetric()):
        assert "torch_qscheme" in class_(q)
        assert is_torch_qscheme(q)


# ---- the objects: printing, predicates, names -----------------------------------------------------------

def _printed(x):
    buf = io.StringIO()
    with redirect_stdout(buf):
        rprint(x)
    return buf.getvalue()


@pytest.mark.parametrize("make, text", [
    (torch_strided, "torch_strided"), (torch_sparse_coo, "torch_sparse_coo"),
    (torch_contiguous_format, "torch_contiguous_format"), (torch_preserve_format, "torch_preserve_format"),
    (torch_channels_last_format, "torch_channels_last_format"),
    (torch_per_channel_affine, "torch_per_channel_affine"), (torch_per_tensor_affine, "torch_per_tensor_affine"),
    (torch_per_channel_symmetric, "torch_per_channel_symmetric"),
    (torch_per_tensor_symmetric, "torch_per_tensor_symmetric"),
])
def test_objects_print_as_r_torch_cats_them(make, text):
    """R torch: `cat("torch_", name, sep = "")`, lantern's names, no newline."""
    assert _printed(make()) == text
    assert str(make()) == text
    assert pickle.loads(pickle.dumps(make())) == make()


def test_predicates_tell_each_kind_apart():
    objs = {"dtype": torch_bfloat16(), "device": torch_device("cpu"), "layout": torch_strided(),
            "memory_format": torch_channels_last_format(), "qscheme": torch_per_tensor_affine()}
    preds = {"dtype": is_torch_dtype, "device": is_torch_device, "layout": is_torch_layout,
             "memory_format": is_torch_memory_format, "qscheme": is_torch_qscheme}
    for kind, pred in preds.items():
        for other, obj in objs.items():
            assert pred(obj) is (kind == other), (kind, other)
        assert pred("cpu") is False and pred(None) is False
    assert torch_strided() != torch_sparse_coo() and torch_strided() == torch_strided()
    assert torch_per_tensor_affine() != torch_per_channel_affine()


def test_tensor_layout_is_strided():
    x = torch_randn(2, 3)
    assert x.layout == torch_strided() and is_torch_layout(x.layout)
    assert str(torch.randn(2, 3).layout) == "torch.strided"


@pytest.mark.parametrize("make, name", [
    (torch_bfloat16, "BFloat16"), (torch_float8_e4m3fn, "Float8_e4m3fn"), (torch_float8_e5m2, "Float8_e5m2"),
    (torch_chalf, "ComplexHalf"), (torch_cfloat32, "ComplexHalf"), (torch_cfloat, "ComplexFloat"),
    (torch_cfloat64, "ComplexFloat"), (torch_cdouble, "ComplexDouble"), (torch_cfloat128, "ComplexDouble"),
    (torch_quint8, "QUInt8"), (torch_qint8, "QInt8"), (torch_qint32, "QInt32"),
])
def test_dtype_names_as_r_torch_maps_them(make, name):
    """R torch names the complex types by their total bits (`torch_cfloat32()` is `cpp_torch_chalf()`);
    the names are libtorch's."""
    assert is_torch_dtype(make()) and make() == DTYPES[name]
    assert repr(make()) == f"torch_{name}"
    torch_name = {"ComplexHalf": torch.complex32, "QUInt8": torch.quint8, "QInt8": torch.qint8,
                  "QInt32": torch.qint32}.get(name) or TORCH_OF[name]
    assert torch.empty(0, dtype=torch_name).dtype == torch_name


def test_dtype_floating_point_flags_as_r_torch():
    """R torch's `is_floating_point` lists Float8 too."""
    for make in (torch_bfloat16, torch_float8_e4m3fn, torch_float8_e5m2):
        assert make().is_floating_point and not make().is_complex
    assert torch_chalf().is_complex and not torch_chalf().is_floating_point
    assert not torch_qint8().is_floating_point


@pytest.mark.parametrize("make, message", [
    (torch_chalf, "ComplexHalf tensors are not supported"), (torch_quint8, "quantized tensors"),
    (torch_qint32, "quantized tensors"),
])
def test_dtypes_without_rtorch_tensors_raise(make, message):
    with pytest.raises(RuntimeError, match=message):
        torch_zeros(2, dtype=make())
    with pytest.raises(RuntimeError, match=message):
        torch_tensor(c(1, 2)).to(dtype=make())


@pytest.mark.parametrize("name, dtype", [("bfloat16", "BFloat16"), ("float8_e4m3fn", "Float8_e4m3fn"),
                                         ("float8_e5m2", "Float8_e5m2")])
def test_dtypes_from_strings(name, dtype):
    """R torch's `dtype_from_string()` names (and `dtype = "bfloat16"` in test-dtype.R)."""
    assert torch_empty(10, 10, dtype=name).dtype == DTYPES[dtype]
    assert torch_empty(10, 10, dtype=name).device == torch_device("cpu")


# ---- BFloat16 and Float8 tensors ---------------------------------------------------------------------

@pytest.mark.parametrize("name", list(ML))
def test_create_and_convert_as_libtorch_rounds(name):
    specials = [0.0, -0.0, 1e-3, 1e-8, 65504.0, 1e20, -3e38, np.inf, -np.inf, np.nan]
    values = np.concatenate([X, specials]).astype(np.float32)
    r, t = _pair(values, name)
    _same(r, t)
    _same(torch_tensor(values.astype(np.float64), dtype=DTYPES[name]), torch.tensor(values, dtype=TORCH_OF[name]))
    _same(torch_tensor(values.astype(np.float64)).to(dtype=torch_double()).to(dtype=DTYPES[name]),
          torch.from_numpy(values.astype(np.float64)).to(TORCH_OF[name]))
    back = r.to(dtype=torch_float())
    _same(back, t.float())
    assert r.dtype == DTYPES[name] and r.element_size() == t.element_size()


def test_float8_e4m3fn_saturates_as_libtorch():
    """libtorch clamps into Float8_e4m3fn's range (Inf too); ml_dtypes alone would give NaN."""
    values = np.array([447.0, 464.0, 480.0, 1e6, np.inf, -np.inf, -500.0, np.nan], np.float32)
    _same(*_pair(values, "Float8_e4m3fn"))
    ints = np.array([100, 1000, -100000], np.int64)
    _same(torch_tensor(ints.astype(np.float64)).to(dtype=torch_long()).to(dtype=torch_float8_e4m3fn()),
          torch.from_numpy(ints).to(torch.float8_e4m3fn))


@pytest.mark.parametrize("name", ["Long", "Int", "Bool", "Half", "Double"])
def test_bfloat16_to_and_from_other_dtypes(name):
    r, t = _pair(X[:50], "BFloat16")
    if name == "Bool":
        _same(r.to(dtype=DTYPES[name]), t.to(torch.bool))
    elif DTYPES[name].category == 1:
        _same(r.to(dtype=DTYPES[name]), t.to(TORCH_OF[name]))
        _same(r.to(dtype=DTYPES[name]).to(dtype=torch_bfloat16()), t.to(TORCH_OF[name]).bfloat16())
    else:
        _same(r.to(dtype=DTYPES[name]), t.to(TORCH_OF[name]))


def test_as_array_of_reduced_floats_gives_doubles():
    r, t = _pair(X[:5], "BFloat16")
    a = as_array(r)
    assert a.dtype == np.float64
    np.testing.assert_array_equal(a, t.double().numpy())
    assert as_array(_pair(X[:5], "Float8_e5m2")[0]).dtype == np.float64


@pytest.mark.parametrize("name", list(ML))
@pytest.mark.parametrize("values", [
    [1.5, 2.7, -3.1e-3, 100.25], [[1e-5, 1.0], [3.0, 4.0]], [1.0, 2.0, 3.0], [0.001, 0.002],
    [1e5, 2.5e5], [np.nan, np.inf, -1.0], [[[1.25, -2.0], [3.0, 4.5]], [[0.0, 1.0], [2.0, 3.0]]], 2.703125,
])
def test_printed_as_libtorch_prints(oracle, name, values):
    r, t = _pair(values, name)
    assert repr(r) == "torch_tensor\n" + oracle(t).rstrip("\n")


def test_printed_footer_with_grad(oracle):
    r, t = _pair(X[:3], "BFloat16")
    r.requires_grad_(True)
    assert repr(r).splitlines()[-1] == "[ CPUBFloat16Type{3} ][ requires_grad = TRUE ]"


# ---- promotion ------------------------------------------------------------------------------------

ARRAY_DTYPES = [n for n in TORCH_OF]


@pytest.mark.parametrize("a", list(ML) + ["Half"])
def test_promotion_with_every_dtype_as_libtorch(a):
    for b in ARRAY_DTYPES:
        try:
            expected = NAME_OF[torch.promote_types(TORCH_OF[a], TORCH_OF[b])]
        except RuntimeError as exc:
            with pytest.raises(RuntimeError, match="Promotion for Float8 Types is not supported"):
                promote_types(DTYPES[a], DTYPES[b])
            assert "Promotion for Float8 Types is not supported" in str(exc)
            continue
        assert promote_types(DTYPES[a], DTYPES[b]).name == expected, (a, b)
        assert promote_types(DTYPES[b], DTYPES[a]).name == expected, (b, a)


@pytest.mark.parametrize("b", ["Half", "Float", "Double", "Long", "Int", "Bool", "Byte", "ComplexFloat"])
def test_bfloat16_tensor_op_tensor_promotes_and_computes_as_libtorch(b):
    ra, ta = _pair(X, "BFloat16")
    rb, tb = (torch_tensor(np.abs(Y).round().astype(np.float64) + 1).to(dtype=DTYPES[b]),
              torch.from_numpy(np.abs(Y).round().astype(np.float32) + 1).to(TORCH_OF[b]))
    for op in ("__add__", "__sub__", "__mul__", "__truediv__"):
        if op == "__sub__" and b == "Bool":
            with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
                ra - rb
            with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
                ta - tb
            continue
        r, t = getattr(ra, op)(rb), getattr(ta, op)(tb)
        if b.startswith("Complex"):
            assert r.dtype.name == NAME_OF[t.dtype]
            np.testing.assert_array_equal(np.asarray(r._data), t.numpy())
        else:
            _same(r, t)


def test_float8_promotes_with_nothing_else():
    r = _pair(X[:4], "Float8_e5m2")[0]
    with pytest.raises(RuntimeError, match="Promotion for Float8 Types is not supported, attempted to promote "
                                           "Float8_e5m2 and Float"):
        r + torch_tensor(c(1, 2, 3, 4))
    with pytest.raises(RuntimeError, match="attempted to promote Float8_e4m3fn and Float8_e5m2"):
        _pair(X[:4], "Float8_e4m3fn")[0] * r


# ---- BFloat16 arithmetic (float32 opmath, one rounding) -----------------------------------------------

@pytest.mark.parametrize("op", ["__add__", "__sub__", "__mul__", "__truediv__"])
def test_bfloat16_arithmetic_same_dtype_and_scalars(op):
    """A number on the right is libtorch's CPU scalar: add and sub round it to BFloat16 first, mul and div
    read it in float32 (as for Half); a 0-d tensor likewise."""
    (rx, tx), (ry, ty) = _pair(X, "BFloat16"), _pair(Y, "BFloat16")
    _same(getattr(rx, op)(ry), getattr(tx, op)(ty))
    for s in (1.1, 3, 0.37, 1e-3, 7.77):
        _same(getattr(rx, op)(s), getattr(tx, op)(s))
    _same(getattr(rx, op)(ry[2]), getattr(tx, op)(ty[1]))
    _same(getattr(rx, op)(ry.to(dtype=torch_float())), getattr(tx, op)(ty.float()))


def test_bfloat16_number_on_the_left_is_a_float_vector():
    """R torch: `2 - x` is `torch_tensor(2) - x`, a Float vector, so the result is Float."""
    rx, tx = _pair(X, "BFloat16")
    _same(2 - rx, torch.tensor([2.0]) - tx)
    _same(1.5 * rx, torch.tensor([1.5]) * tx)


def test_bfloat16_in_place_arithmetic():
    (rx, tx), (ry, ty) = _pair(X, "BFloat16"), _pair(Y, "BFloat16")
    rx.add_(ry)
    tx.add_(ty)
    _same(rx, tx)
    rx.mul_(1.1)
    tx.mul_(1.1)
    _same(rx, tx)
    rx.div_(ry[1])
    tx.div_(ty[0])
    _same(rx, tx)


def test_bfloat16_comparisons_and_powers():
    (rx, tx), (ry, ty) = _pair(X, "BFloat16"), _pair(Y, "BFloat16")
    _same(rx > 1.1, tx > 1.1)
    _same(rx == ry, tx == ty)
    _same(rx <= ry, tx <= ty)
    _same(rx ** 2, tx ** 2)
    _same(ry.abs() ** 0.5, ty.abs() ** 0.5)


@pytest.mark.parametrize("fn, ulps", [
    ("abs", 0), ("neg", 0), ("floor", 0), ("relu", 0), ("sqrt", 0), ("log", 0), ("sin", 0), ("tanh", 0),
    ("erf", 0), ("exp", 1), ("sigmoid", 1), ("rsqrt", 1),
])
def test_bfloat16_unary_functions_in_float32(fn, ulps):
    """libtorch computes them in float32 and rounds once; where its vectorised float32 function differs from
    libm in the last bit, the BFloat16 result may differ by a step."""
    r, t = _pair(Y, "BFloat16")
    _same(getattr(r, fn)(), getattr(t, fn)(), ulps)


def test_bfloat16_reductions_accumulate_in_float32():
    r, t = _pair(X, "BFloat16")
    _same(r.sum(), t.sum())
    _same(r.mean(), t.mean())
    _same(r.reshape(c(30, 10)).sum(dim=2), t.reshape(30, 10).sum(1))
    _same(r.max(), t.max())
    _same(r.cumsum(dim=1), t.cumsum(0))
    _same(r[1:10].prod(), t[:10].prod())
    _same(r.std(), t.std(), 1)


def test_bfloat16_products_and_softmax():
    (rx, tx), (ry, ty) = _pair(X, "BFloat16"), _pair(Y, "BFloat16")
    _same(rx.reshape(c(30, 10)) @ ry.reshape(c(10, 30)), tx.reshape(30, 10) @ ty.reshape(10, 30))
    _same(torch_mm(rx.reshape(c(20, 15)), ry.reshape(c(15, 20))), torch.mm(tx.reshape(20, 15), ty.reshape(15, 20)))
    _same(torch_dot(rx, ry), torch.dot(tx, ty))
    _same(nnf_softmax(rx.reshape(c(30, 10)), dim=2), torch.softmax(tx.reshape(30, 10), 1), 1)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        torch_mm(rx.reshape(c(30, 10)), ry.reshape(c(10, 30)).to(dtype=torch_float()))


def test_bfloat16_gradient_as_torch():
    rx, tx = _pair(X[:20], "BFloat16")
    rx.requires_grad_(True)
    tx.requires_grad_(True)
    (rx * rx * 0.5 + rx).sum().backward()
    (tx * tx * 0.5 + tx).sum().backward()
    _same(rx.grad, tx.grad)


# ---- memory formats on tensors ------------------------------------------------------------------------

SHAPES = [(2, 3, 4, 5), (1, 2, 3, 4), (2, 1, 1, 3), (3, 4, 1, 1)]


@pytest.mark.parametrize("shape", SHAPES)
def test_contiguous_channels_last_strides_as_libtorch(shape):
    n = int(np.prod(shape))
    r = torch_arange(1, n).reshape(shape)
    t = torch.arange(1, n + 1, dtype=torch.float32).reshape(shape)
    cl, tcl = r.contiguous(memory_format=torch_channels_last_format()), t.contiguous(memory_format=torch.channels_last)
    assert cl.stride() == tcl.stride()
    np.testing.assert_array_equal(as_array(cl), tcl.double().numpy())
    for rr, tt in ((r, t), (cl, tcl)):
        assert rr.is_contiguous() == tt.is_contiguous()
        assert rr.is_contiguous(memory_format=torch_channels_last_format()) == \
            tt.is_contiguous(memory_format=torch.channels_last)
        assert rr.is_contiguous(memory_format=torch_contiguous_format()) == tt.is_contiguous()
        assert rr.is_contiguous(memory_format=torch_preserve_format()) == \
            tt.is_contiguous(memory_format=torch.preserve_format)
    assert cl.contiguous().stride() == tcl.contiguous().stride()
    assert cl.clone().stride() == tcl.clone().stride()
    assert r.clone(memory_format=torch_channels_last_format()).stride() == \
        t.clone(memory_format=torch.channels_last).stride()
    assert cl.clone(memory_format=torch_contiguous_format()).stride() == \
        tcl.clone(memory_format=torch.contiguous_format).stride()
    assert r.to(memory_format=torch_channels_last_format()).stride() == t.to(memory_format=torch.channels_last).stride()
    assert cl.to(memory_format=torch_channels_last_format()).stride() == \
        tcl.to(memory_format=torch.channels_last).stride()
    assert cl.to(memory_format=torch_contiguous_format()).stride() == \
        tcl.to(memory_format=torch.contiguous_format).stride()
    assert cl.clone(memory_format=torch_preserve_format()).stride() == \
        tcl.clone(memory_format=torch.preserve_format).stride()
    assert cl.to(dtype=torch_double()).stride() == tcl.to(torch.float64).stride()


def test_contiguous_returns_itself_when_laid_out():
    r = torch_randn(2, 3, 4, 5)
    assert r.contiguous(memory_format=torch_contiguous_format()) is r
    assert r.contiguous(memory_format=torch_preserve_format()) is r
    cl = r.contiguous(memory_format=torch_channels_last_format())
    assert cl.contiguous(memory_format=torch_channels_last_format()) is cl
    assert cl.clone(memory_format=torch_channels_last_format()) is not cl


def test_memory_format_errors_in_libtorch_words():
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        torch_randn(2, 3).contiguous(memory_format=torch_channels_last_format())
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        torch_randn(2, 3).to(memory_format=torch_channels_last_format())
    assert torch_randn(2, 3).is_contiguous(memory_format=torch_channels_last_format()) is False
    cl = torch_randn(2, 3, 4, 5).contiguous(memory_format=torch_channels_last_format())
    with pytest.raises(RuntimeError, match="preserve memory format is unsupported by the contiguous operator"):
        cl.contiguous(memory_format=torch_preserve_format())
    with pytest.raises(TypeError, match="memory_format must be a torch_memory_format"):
        torch_randn(2, 3).contiguous(memory_format="channels_last")


def test_channels_last_gradient_flows():
    r = torch_randn(2, 3, 4, 5, requires_grad=True)
    r.contiguous(memory_format=torch_channels_last_format()).sum().backward()
    np.testing.assert_array_equal(as_array(r.grad), np.ones((2, 3, 4, 5)))


# ---- seeded BFloat16 draws ---------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 5, 15, 16, 17, 40, 100])
def test_bfloat16_randn_and_rand_as_libtorch_draws(n):
    for fr, ft in ((torch_randn, torch.randn), (torch_rand, torch.rand)):
        torch_manual_seed(3)
        torch.manual_seed(3)
        _same(fr(n, dtype=torch_bfloat16()), ft(n, dtype=torch.bfloat16))
        _same(fr(n, dtype=torch_bfloat16()), ft(n, dtype=torch.bfloat16))


def test_bfloat16_in_place_draws_as_libtorch():
    draws = [("uniform_", (-2, 3)), ("normal_", (1, 2)), ("random_", ()), ("exponential_", ()),
             ("bernoulli_", (0.3,))]
    for name, args in draws:
        torch_manual_seed(5)
        torch.manual_seed(5)
        _same(getattr(torch_empty(40, dtype=torch_bfloat16()), name)(*args),
              getattr(torch.empty(40, dtype=torch.bfloat16), name)(*args))
    for lo, hi in ((0, 10), (-5, 200)):
        torch_manual_seed(5)
        torch.manual_seed(5)
        _same(torch_randint(lo, hi, 40, dtype=torch_bfloat16()), torch.randint(lo, hi, (40,), dtype=torch.bfloat16))


# ---- creation with memory_format, files ------------------------------------------------------------------

def test_creation_functions_take_memory_format():
    cl = torch_channels_last_format()
    expected = torch.empty(2, 3, 4, 5, memory_format=torch.channels_last).stride()
    for fr in (torch_empty, torch_zeros, torch_ones):
        assert fr(2, 3, 4, 5, memory_format=cl).stride() == expected
    assert torch_full(c(2, 3, 4, 5), 1, memory_format=cl).stride() == expected
    np.testing.assert_array_equal(as_array(torch_ones(2, 3, 4, 5, memory_format=cl)), np.ones((2, 3, 4, 5)))
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        torch_zeros(2, 3, memory_format=cl)


def test_like_functions_preserve_the_memory_format():
    """R torch's `torch_empty_like(input, memory_format = torch_preserve_format())`."""
    r = torch_ones(2, 3, 4, 5).contiguous(memory_format=torch_channels_last_format())
    t = torch.ones(2, 3, 4, 5).contiguous(memory_format=torch.channels_last)
    for fr, ft in ((torch_empty_like, torch.empty_like), (torch_zeros_like, torch.zeros_like),
                   (torch_ones_like, torch.ones_like)):
        assert fr(r).stride() == ft(t).stride()
        assert fr(r, memory_format=torch_contiguous_format()).stride() == \
            ft(t, memory_format=torch.contiguous_format).stride()
        assert fr(torch_ones(2, 3, 4, 5)).stride() == ft(torch.ones(2, 3, 4, 5)).stride()
    assert torch_full_like(r, 2).stride() == torch.full_like(t, 2).stride()


def test_save_and_load_reduced_floats(tmp_path):
    from safetensors.torch import load_file
    r, t = _pair(X[:6], "BFloat16")
    r8, t8 = _pair(X[:6], "Float8_e4m3fn")
    path = str(tmp_path / "x.pt")
    torch_save({"a": r, "b": r8}, path)
    back = torch_load(path)
    _same(back["a"], t)
    _same(back["b"], t8)
    read = [v for k, v in load_file(path).items() if k != "__robj__"]
    assert sorted(str(v.dtype) for v in read) == ["torch.bfloat16", "torch.float8_e4m3fn"]


def test_creation_functions_take_only_the_strided_layout():
    """R torch's `layout =` argument: rtorch has strided tensors only, and says so for any other."""
    assert torch_zeros(2, layout=torch_strided()).layout == torch_strided()
    assert torch_full(c(2), 1, layout=torch_strided()).layout == torch_strided()
    for fn in (lambda: torch_zeros(2, layout=torch_sparse_coo()), lambda: torch_empty(2, layout=torch_sparse_coo()),
               lambda: torch_full(c(2), 1, layout=torch_sparse_coo())):
        with pytest.raises(RuntimeError, match="strided tensors only: layout torch_sparse_coo is not supported"):
            fn()


# ---- casts ---------------------------------------------------------------------------------------------

def test_casts_take_memory_format_and_chalf_raises():
    r = torch_randn(2, 3, 4, 5)
    assert r.float(memory_format=torch_channels_last_format()).stride() == \
        torch.randn(2, 3, 4, 5).float().contiguous(memory_format=torch.channels_last).stride()
    with pytest.raises(RuntimeError, match="ComplexHalf tensors are not supported"):
        r.chalf()
