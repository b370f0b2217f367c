"""The tensor core against PyTorch as the oracle for libtorch: type promotion, broadcasting, reductions,
views and strides, in-place writes through views, linear algebra and 1-based indices.

R's 1-based dims and indices are translated to PyTorch's 0-based ones in the test. An R number (a Python
int or float in rtorch) takes part as R torch's operators pass it: on the right of `+ - * / ^ %% %/%` and
`!=` as a scalar (PyTorch: a Python float; an R integer `np.int32(2)`: a Python int), on the left and on
either side of `== < <= > >=` as `torch_tensor(x)`, a one-element Float (Long, Bool) vector.
"""
import itertools
import operator
import warnings

import numpy as np
import pytest

from rtorch import (N, drop, torch_arange, torch_cat, torch_linspace, torch_logspace, torch_nonzero,
                    torch_stack, torch_tensor, torch_where)
from rtorch._dtypes import DTYPES
from rtorch._tensor import Tensor, wrap
from tests._require import require

# the dtypes NumPy itself has (torch.from_numpy takes no ml_dtypes array): BFloat16 and Float8 are checked
# against PyTorch in tests/test_dtype_objects.py
NAMES = [n for n, d in DTYPES.items() if d.numpy is not None and d.numpy.type.__module__ == "numpy"]
NO_COMPLEX = [n for n in NAMES if not n.startswith("Complex")]
REAL = [n for n in NO_COMPLEX if n != "Bool"]


@pytest.fixture(scope="module")
def torch():
    return require("torch")


def _tdtype(torch, name):
    return getattr(torch, DTYPES[name].numpy.name)


def _pair(torch, name, values, zero_dim=False):
    arr = np.asarray(values).astype(DTYPES[name].numpy)
    if zero_dim:
        arr = arr.reshape(-1)[-1:].reshape(())
    return wrap(arr.copy()), torch.from_numpy(arr.copy())


def _values_for(name):
    return [True, False, True] if name == "Bool" else [1, 2, 3]


def _run(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return fn(*args), None
        except Exception as exc:  # noqa: BLE001 - both engines must fail or succeed together
            return None, exc


def _np_of(torch, t):
    return t.numpy() if t.dtype != torch.bfloat16 else t.float().numpy()


def _assert_same(torch, got, want, context, rtol=1e-3, atol=1e-5, index_shift=0):
    assert isinstance(got, Tensor), context
    want_name = str(want.dtype).removeprefix("torch.")
    assert got.dtype.numpy.name == want_name, f"{context}: dtype {got.dtype} vs torch.{want_name}"
    assert got.shape == tuple(want.shape), f"{context}: shape {got.shape} vs {tuple(want.shape)}"
    expected = _np_of(torch, want) + index_shift
    actual = np.asarray(got)
    if actual.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected, err_msg=context)
    else:
        np.testing.assert_allclose(actual.astype(complex), expected.astype(complex), rtol=rtol, atol=atol,
                                   equal_nan=True, err_msg=context)


def _check_both(torch, r_fn, t_fn, context, **kw):
    want, terr = _run(t_fn)
    got, rerr = _run(r_fn)
    if terr is not None or rerr is not None:
        assert (terr is None) == (rerr is None), f"{context}: torch {terr!r} vs rtorch {rerr!r}"
        return
    _assert_same(torch, got, want, context, **kw)


# ---- element-wise promotion ----------------------------------------------------------------------

def _torch_fmod(a, b):
    import torch
    return torch.fmod(a, b)


def _torch_trunc_div(a, b):
    import torch
    return torch.div(a, b, rounding_mode="trunc")


# rtorch operator -> the libtorch function R torch's operator method calls (`%%` is fmod, `%/%` truncates)
BINARY = {
    "+": (operator.add, operator.add), "-": (operator.sub, operator.sub), "*": (operator.mul, operator.mul),
    "/": (operator.truediv, operator.truediv), "^": (operator.pow, operator.pow),
    "%%": (operator.mod, _torch_fmod), "%/%": (operator.floordiv, _torch_trunc_div),
    "==": (operator.eq, operator.eq), "!=": (operator.ne, operator.ne), "<": (operator.lt, operator.lt),
    ">=": (operator.ge, operator.ge),
}
VECTOR_RHS = {"==", "<", ">="}


def _complex_half(torch, a, b):
    return "Half" in (a, b) and any(n.startswith("Complex") for n in (a, b))


@pytest.mark.parametrize("op", list(BINARY))
def test_promotion_tensor_with_tensor_all_dtype_pairs(torch, op):
    r_op, t_op = BINARY[op]
    for a, b in itertools.product(NAMES, NAMES):
        if op in ("%%", "%/%", "^") and a == b == "Bool":
            continue  # libtorch refuses these for Bool (inconsistently across 0-d operands); rtorch computes them
        for za, zb in itertools.product((False, True), repeat=2):
            if _complex_half(torch, a, b) and za != zb:
                continue  # libtorch gives ComplexHalf, which rtorch (NumPy) has no dtype for
            ra, ta = _pair(torch, a, _values_for(a), za)
            rb, tb = _pair(torch, b, _values_for(b), zb)
            _check_both(torch, lambda: r_op(ra, rb), lambda: t_op(ta, tb), f"{a}{'0d' * za} {op} {b}{'0d' * zb}")


# rtorch scalar -> (PyTorch's equivalent when passed as a scalar, when passed as `torch_tensor(x)`)
def _scalar_kinds(torch):
    return {
        "R double 2": (2, 2.0, torch.tensor([2.0])),
        "R double 2.5": (2.5, 2.5, torch.tensor([2.5])),
        "R double np.float64": (np.float64(0.1), 0.1, torch.tensor([0.1])),
        "R integer": (np.int32(2), 2, torch.tensor([2])),
        "R logical": (True, True, torch.tensor([True])),
        # R vectors of length one are Scalars to R torch's dispatch, on the right of an operator
        "R integer vector 2L": (np.array([2], np.int32), 2, torch.tensor([2])),
        "R double vector c(2.5)": (np.array([2.5]), 2.5, torch.tensor([2.5])),
        "R logical vector TRUE": (np.array([True]), True, torch.tensor([True])),
        "complex": (1 + 2j, 1 + 2j, torch.tensor([1 + 2j], dtype=torch.complex64)),
    }


@pytest.mark.parametrize("op", list(BINARY))
def test_promotion_tensor_with_r_scalars(torch, op):
    r_op, t_op = BINARY[op]
    for name, (kind, (rs, wrapped, vector)) in itertools.product(NAMES, _scalar_kinds(torch).items()):
        for zero_dim in (False, True):
            if name == "Half" and kind == "complex" or name == "Bool" and op == "%/%":
                continue
            ra, ta = _pair(torch, name, _values_for(name), zero_dim)
            right = vector if op in VECTOR_RHS else wrapped
            ctx = f"{name}{'0d' * zero_dim} {op} {kind}"
            _check_both(torch, lambda: r_op(ra, rs), lambda: t_op(ta, right), ctx)
            if op != "!=":  # Python turns `2 != x` into `x != 2`
                _check_both(torch, lambda: r_op(rs, ra), lambda: t_op(vector, ta), f"{kind} {op} {name}")


def test_number_on_the_left_is_a_float_vector(torch):
    """R torch's `0.1 + x` is `torch_tensor(0.1) + x`: the number is rounded to float32 first."""
    x = torch_tensor(np.array([1.0, 2.0]), dtype="double")
    t = torch.tensor([1.0, 2.0], dtype=torch.float64)
    np.testing.assert_array_equal(np.asarray(0.1 + x), (torch.tensor([0.1]) + t).numpy())
    np.testing.assert_array_equal(np.asarray(x + 0.1), (t + 0.1).numpy())
    assert (0.1 + x).dtype.name == "Double"
    np.testing.assert_array_equal(np.asarray(x > 0.1), (t > torch.tensor([0.1])).numpy())
    h = torch_tensor(np.array([1.0, 2.0])).half()
    assert (2 * h).dtype.name == "Float" and (h * 2).dtype.name == "Half"
    z = torch_tensor(np.array([3.0])).sum()
    assert (2 * z).shape == (1,) and (z * 2).shape == () and (z > 1).shape == (1,)


@pytest.mark.parametrize("shapes", [((2,), (5,)), ((3, 2), (3,)), ((4, 3, 2), (4, 1, 3)), ((2, 1), (3, 1, 5)),
                                    ((1, 7), (6, 1)), ((2, 3), (2, 3)), ((), (4,))])
@pytest.mark.parametrize("op", ["+", "*", "-", "/", "==", "<"])
def test_broadcasting_values_shapes_and_errors(torch, shapes, op):
    r_op, t_op = BINARY[op]
    a = np.arange(1, 1 + int(np.prod(shapes[0])), dtype=np.float32).reshape(shapes[0])
    b = np.arange(2, 2 + int(np.prod(shapes[1])), dtype=np.float32).reshape(shapes[1])
    want, terr = _run(lambda: t_op(torch.from_numpy(a), torch.from_numpy(b)))
    got, rerr = _run(lambda: r_op(wrap(a.copy()), wrap(b.copy())))
    if terr is not None:
        assert type(rerr) is RuntimeError and str(rerr) == str(terr)
    else:
        _assert_same(torch, got, want, f"{shapes} {op}")


def test_in_place_promotion_and_cast_errors(torch):
    for a, b in itertools.product(REAL, REAL):
        ra, ta = _pair(torch, a, [1, 2, 3])
        rb, tb = _pair(torch, b, [1, 2, 3])
        for r_fn, t_fn in ((lambda: ra.add_(rb), lambda: ta.add_(tb)), (lambda: ra.mul_(rb), lambda: ta.mul_(tb))):
            want, terr = _run(t_fn)
            got, rerr = _run(r_fn)
            assert (terr is None) == (rerr is None), f"{a}.add_({b}): {terr!r} vs {rerr!r}"
            if terr is None:
                assert got is ra
                _assert_same(torch, ra, ta, f"{a} in place with {b}")


def test_integer_powers_with_negative_exponents(torch):
    base = np.array([0, 1, -1, 2, -2, 3, -1, 5])
    exponent = np.array([-1, -3, -3, -1, -1, -2, -2, 2])
    for a, b in itertools.product(("Byte", "Int", "Long", "Bool"), ("Int", "Long")):
        ra, ta = _pair(torch, a, np.abs(base) if a == "Byte" else base)
        rb, tb = _pair(torch, b, exponent)
        _check_both(torch, lambda: ra ** rb, lambda: ta ** tb, f"{a} ^ {b}")
    _check_both(torch, lambda: wrap(base.copy()) ** np.int32(-1), lambda: torch.from_numpy(base.copy()) ** -1, "scalar")


@pytest.mark.parametrize("fn", ["exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "neg", "floor", "ceil",
                                "trunc", "sign", "square", "reciprocal", "sin", "cos", "log2", "log10", "log1p",
                                "expm1", "rsqrt", "round"])
def test_unary_functions_dtypes_and_values(torch, fn):
    """Bool input, and complex input to relu, sign and round, are left out: libtorch refuses them, rtorch
    computes them."""
    for name in NAMES[1:] if fn not in ("relu", "sign", "round") else REAL:
        values = [True, False, True] if name == "Bool" else [0.5, 1.0, 2.5] if name in ("Half", "Float", "Double") \
            else [1, 2, 3]
        r, t = _pair(torch, name, values)
        _check_both(torch, lambda: getattr(r, fn)(), lambda: getattr(t, fn)(), f"{fn}({name})")


@pytest.mark.parametrize("name", REAL)
def test_clamp_promotes_with_its_bounds(torch, name):
    r, t = _pair(torch, name, [1, 2, 3])
    for lo, hi in ((2, None), (None, 2), (1.5, 2.5), (0.5, None), (np.int32(2), None)):
        t_lo = None if lo is None else (float(lo) if type(lo) in (int, float) else int(lo))
        t_hi = None if hi is None else float(hi)
        _check_both(torch, lambda: r.clamp(min=lo, max=hi), lambda: t.clamp(min=t_lo, max=t_hi), f"{name} {lo} {hi}")


# ---- reductions ---------------------------------------------------------------------------------

def _reduction_input(name, rng):
    if name == "Bool":
        return rng.permutation(24).reshape(2, 3, 4) % 3 == 0
    if name in ("Half", "Float", "Double"):
        return rng.standard_normal((2, 3, 4))
    if name.startswith("Complex"):
        return rng.standard_normal((2, 3, 4)) + 1j * rng.standard_normal((2, 3, 4))
    return rng.permutation(24).reshape(2, 3, 4) + 1


@pytest.mark.parametrize("fn", ["sum", "mean", "prod", "max", "min", "argmax", "argmin", "all", "any", "std", "var"])
def test_reductions_with_1_based_dims(torch, fn):
    rng = np.random.default_rng(1)
    for name, zero_dim in itertools.product(NAMES, (False, True)):
        r, t = _pair(torch, name, _reduction_input(name, rng), zero_dim)
        nd = r.ndim
        dims = [None, -1] + list(range(1, max(nd, 1) + 1))
        for dim, keepdim in itertools.product(dims, (False, True)):
            if dim is None and keepdim:
                continue
            r_args = {} if dim is None else {"dim": dim, "keepdim": keepdim}
            t_args = {} if dim is None else {"dim": dim - 1 if dim > 0 else dim, "keepdim": keepdim}
            want, terr = _run(lambda: getattr(t, fn)(**t_args))
            got, rerr = _run(lambda: getattr(r, fn)(**r_args))
            ctx = f"{name}{'0d' * zero_dim}.{fn}({r_args})"
            assert (terr is None) == (rerr is None), f"{ctx}: torch {terr!r} vs rtorch {rerr!r}"
            if terr is not None:
                continue
            if isinstance(want, tuple):
                assert isinstance(got, tuple) and len(got) == 2, ctx
                _assert_same(torch, got[0], want[0], ctx)
                _assert_same(torch, got[1], want[1], ctx + " indices", index_shift=1)
            else:
                _assert_same(torch, got, want, ctx, index_shift=1 if fn.startswith("arg") else 0)


def test_reduction_dim_errors_match_r_torch(torch):
    x = torch_tensor(np.ones((2, 2, 2)))
    for fn in ("sum", "mean", "max", "min", "prod", "argmax", "std", "var", "squeeze", "size"):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-3, 3\], but got 4\)"):
            getattr(x, fn)(dim=4)
        with pytest.raises(IndexError, match="Dimension is 1-based, but found 0."):
            getattr(x, fn)(dim=0)
    with pytest.raises(IndexError, match=r"\[-3, 3\], but got -4"):
        x.sum(dim=-4)
    with pytest.raises(IndexError, match=r"\[-3, 3\], but got 4"):
        x.sum(dim=[1, 4])


@pytest.mark.parametrize("name", REAL)
def test_sort_and_topk_return_1_based_indices(torch, name):
    rng = np.random.default_rng(2)
    data = rng.permutation(60).reshape(3, 4, 5) + 1
    r, t = _pair(torch, name, data)
    for dim, descending in itertools.product((1, 2, 3, -1), (False, True)):
        d0 = dim - 1 if dim > 0 else dim
        got, want = r.sort(dim=dim, descending=descending), t.sort(dim=d0, descending=descending)
        _assert_same(torch, got[0], want[0], f"sort {dim}")
        _assert_same(torch, got[1], want[1], f"sort {dim}", index_shift=1)
        for k, largest in itertools.product((1, 2), (True, False)):
            got, want = r.topk(k, dim=dim, largest=largest), t.topk(k, dim=d0, largest=largest)
            _assert_same(torch, got[0], want[0], f"topk {k} {dim}")
            _assert_same(torch, got[1], want[1], f"topk {k} {dim}", index_shift=1)


def test_stable_sort_with_ties_and_nan(torch):
    values = np.array([3.0, 1.0, np.nan, 1.0, 3.0, -np.inf, np.inf, 2.0], np.float32)
    r, t = wrap(values.copy()), torch.from_numpy(values.copy())
    for descending in (False, True):
        got, want = r.sort(descending=descending), t.sort(descending=descending, stable=True)
        _assert_same(torch, got[0], want[0], "values")
        _assert_same(torch, got[1], want[1], "indices", index_shift=1)
    _assert_same(torch, r.argmax(), t.argmax(), "argmax with NaN", index_shift=1)
    _assert_same(torch, r.max(dim=1)[1], t.max(dim=0)[1], "max with NaN", index_shift=1)


def test_cumulative_and_nonzero(torch):
    rng = np.random.default_rng(3)
    data = rng.integers(-2, 3, size=(3, 4))
    for name in ("Bool", "Int", "Long", "Float", "Double"):
        r, t = _pair(torch, name, data)
        for dim in (1, 2, -1):
            _check_both(torch, lambda: r.cumsum(dim=dim), lambda: t.cumsum(dim=dim - 1 if dim > 0 else dim), name)
            _check_both(torch, lambda: r.cumprod(dim=dim), lambda: t.cumprod(dim=dim - 1 if dim > 0 else dim), name)
        _assert_same(torch, torch_nonzero(r), torch.nonzero(t), f"nonzero {name}", index_shift=1)
        for got, want in zip(torch_where(r), torch.where(t)):
            _assert_same(torch, got, want, f"where {name}", index_shift=1)


# ---- views, strides, storage --------------------------------------------------------------------

def _shares(torch, t_view, t_base):
    return t_view.untyped_storage().data_ptr() == t_base.untyped_storage().data_ptr()


def _view_cases():
    """(name, rtorch op, torch op): R's 1-based dims on the left, 0-based on the right."""
    return [
        ("view", lambda x: x.view(6, 20), lambda t: t.view(6, 20)),
        ("view -1", lambda x: x.view(-1, 4), lambda t: t.view(-1, 4)),
        ("reshape", lambda x: x.reshape(c3(2, 60)), lambda t: t.reshape(2, 60)),
        ("t of 2-d", lambda x: x.view(20, 6).t(), lambda t: t.view(20, 6).t()),
        ("transpose", lambda x: x.transpose(1, 3), lambda t: t.transpose(0, 2)),
        ("permute", lambda x: x.permute(3, 1, 2), lambda t: t.permute(2, 0, 1)),
        ("unsqueeze", lambda x: x.unsqueeze(2), lambda t: t.unsqueeze(1)),
        ("unsqueeze -1", lambda x: x.unsqueeze(-1), lambda t: t.unsqueeze(-1)),
        ("squeeze", lambda x: x[:, 1:1, :].squeeze(), lambda t: t[:, 0:1, :].squeeze()),
        ("squeeze dim", lambda x: x[:, 1:1, :].squeeze(2), lambda t: t[:, 0:1, :].squeeze(1)),
        ("flatten", lambda x: x.flatten(), lambda t: t.flatten()),
        ("flatten 2..3", lambda x: x.flatten(start_dim=2), lambda t: t.flatten(start_dim=1)),
        ("expand", lambda x: x[:, 1:1, :].expand(4, 7, 6), lambda t: t[:, 0:1, :].expand(4, 7, 6)),
        ("narrow", lambda x: x.narrow(2, 2, 3), lambda t: t.narrow(1, 1, 3)),
        ("select", lambda x: x.select(3, 2), lambda t: t.select(2, 1)),
        ("slice step", lambda x: x[1:4:2, :, 2:N], lambda t: t[0:4:2, :, 1:]),
        ("negative", lambda x: x[-1, -2:N, :], lambda t: t[-1, -2:, :]),
        ("drop FALSE", lambda x: x[1, :, 2, drop(False)], lambda t: t[0:1, :, 1:2]),
        ("permute then reshape", lambda x: x.permute(3, 1, 2).reshape(6, 20), lambda t: t.permute(2, 0, 1).reshape(6, 20)),
        ("transpose then reshape", lambda x: x.transpose(1, 2).reshape(-1), lambda t: t.transpose(0, 1).reshape(-1)),
        ("contiguous", lambda x: x.transpose(1, 2).contiguous(), lambda t: t.transpose(0, 1).contiguous()),
        ("clone", lambda x: x.transpose(1, 2).clone(), lambda t: t.transpose(0, 1).clone()),
    ]


def c3(*v):
    return np.array(v, dtype=np.float64)


@pytest.mark.parametrize("case", _view_cases(), ids=lambda c: c[0])
def test_views_shapes_strides_contiguity_and_storage(torch, case):
    _, r_fn, t_fn = case
    data = np.arange(120, dtype=np.float32).reshape(4, 5, 6)
    base, tbase = wrap(data.copy()), torch.from_numpy(data.copy())
    got, want = r_fn(base), t_fn(tbase)
    _assert_same(torch, got, want, case[0])
    if want.numel() > 1:
        assert tuple(s for s, n in zip(got.stride(), got.shape) if n > 1) == \
            tuple(s for s, n in zip(want.stride(), want.shape) if n > 1)
    assert got.is_contiguous() == want.is_contiguous()
    shares = _shares(torch, want, tbase)
    assert (got.storage().data_ptr() == base.storage().data_ptr()) == shares
    assert np.shares_memory(np.asarray(got), np.asarray(base)) == shares


def test_view_on_incompatible_strides_raises_libtorchs_message(torch):
    x = wrap(np.zeros((4, 5), np.float32))
    with pytest.raises(RuntimeError) as got:
        x.t().view(20)
    with pytest.raises(RuntimeError) as want:
        torch.zeros(4, 5).t().view(20)
    assert str(got.value) == str(want.value)
    for shape in ((3, 7), (-1, -1)):
        with pytest.raises(RuntimeError) as got:
            x.view(*shape)
        with pytest.raises(RuntimeError) as want:
            torch.zeros(4, 5).view(*shape)
        assert str(got.value) == str(want.value)


def test_in_place_ops_write_through_views(torch):
    data = np.arange(24, dtype=np.float32).reshape(4, 6)
    steps = [
        (lambda x: x[2, :].add_(100), lambda t: t[1, :].add_(100)),
        (lambda x: x[:, 3].mul_(-1), lambda t: t[:, 2].mul_(-1)),
        (lambda x: x.t()[1:2, :].sub_(0.5), lambda t: t.t()[0:2, :].sub_(0.5)),
        (lambda x: x.view(2, 12)[2, :].div_(4), lambda t: t.view(2, 12)[1, :].div_(4)),
        (lambda x: x.narrow(2, 5, 2).clamp_(min=10), lambda t: t.narrow(1, 4, 2).clamp_(min=10)),
        (lambda x: x[-1, -2:N].zero_(), lambda t: t[-1, -2:].zero_()),
        (lambda x: x.transpose(1, 2)[1, :].fill_(7), lambda t: t.transpose(0, 1)[0, :].fill_(7)),
        (lambda x: x[1:2, 1:2].copy_(x[3:4, 3:4] * 2), lambda t: t[0:2, 0:2].copy_(t[2:4, 2:4] * 2)),
        (lambda x: x.select(1, 2).abs_().sqrt_(), lambda t: t.select(0, 1).abs_().sqrt_()),
        (lambda x: x.unsqueeze(1)[:, 1, 6].pow_(2), lambda t: t.unsqueeze(0)[:, 0, 5].pow_(2)),
    ]
    r, t = wrap(data.copy()), torch.from_numpy(data.copy())
    for i, (r_step, t_step) in enumerate(steps):
        r_step(r)
        t_step(t)
        _assert_same(torch, r, t, f"after step {i + 1}")


def test_assignment_through_indices(torch):
    data = np.arange(30, dtype=np.float32).reshape(5, 6)
    r, t = wrap(data.copy()), torch.from_numpy(data.copy())
    r[r > 20] = 0
    t[t > 20] = 0
    r[1, :] = np.arange(6, dtype=np.float64)
    t[0, :] = torch.arange(6, dtype=torch.float32)
    r[2:3, 2:N] = -1
    t[1:3, 1:] = -1
    r[[1, 5], 2] = 9
    t[[0, 4], 1] = 9
    r[..., -1] = torch_tensor(np.array([1.0, 2, 3, 4, 5]))
    t[..., -1] = torch.tensor([1.0, 2, 3, 4, 5])
    r[np.array([True, False, True, False, False]), 1] = 42
    t[torch.tensor([True, False, True, False, False]), 0] = 42
    _assert_same(torch, r, t, "after assignments")


# ---- indexing -----------------------------------------------------------------------------------

INDEX_CASES = [
    ((1,), (0,)), ((-1,), (-1,)), ((1, 2, 3), (0, 1, 2)), ((slice(2, 3),), (slice(1, 3),)),
    ((slice(None), 2), (slice(None), 1)), ((Ellipsis, 1), (Ellipsis, 0)), ((1, Ellipsis), (0, Ellipsis)),
    ((slice(2, N),), (slice(1, None),)), ((slice(-2, N),), (slice(-2, None),)), ((slice(2, -1),), (slice(1, None),)),
    ((slice(1, 4, 2),), (slice(0, 4, 2),)), ((slice(-3, -2),), (slice(-3, -1),)), ((slice(2, 10, 3),), (slice(1, 10, 3),)),
    ((None, 1), (None, 0)), ((slice(None), 2, None), (slice(None), 1, None)), ((1, None, 2), (0, None, 1)),
    ((1, slice(None), drop(False)), (slice(0, 1), slice(None))), ((Ellipsis, -1, drop(False)), (Ellipsis, slice(5, 6))),
    (([1, 3],), ([0, 2],)), ((slice(None), [2, 1]), (slice(None), [1, 0])), (([-1, 1],), ([-1, 0],)),
    ((np.array([True, False, True, False]),), ([True, False, True, False],)),
]


@pytest.mark.parametrize("case", INDEX_CASES, ids=[str(i) for i in range(len(INDEX_CASES))])
def test_r_indices_against_translated_pytorch_indices(torch, case):
    r_index, t_index = case
    data = np.arange(120, dtype=np.float32).reshape(4, 5, 6)
    if any(isinstance(i, list) and isinstance(i[0], bool) for i in t_index):
        t_index = tuple(torch.tensor(i) if isinstance(i, list) else i for i in t_index)
    got, want = wrap(data.copy())[r_index], torch.from_numpy(data.copy())[t_index]
    _assert_same(torch, got, want, str(r_index))


def test_several_vectors_select_per_dim_unlike_pytorch(torch):
    data = np.arange(120, dtype=np.float32).reshape(4, 5, 6)
    x, t = wrap(data.copy()), torch.from_numpy(data.copy())
    got = x[[1, 3], [2, 5], [6, 1]]
    want = t[[0, 2]][:, [1, 4]][:, :, [5, 0]]
    _assert_same(torch, got, want, "outer selection")
    got = x[torch_tensor(np.array([1, 3], np.int32)), :, [-1, 1]]
    _assert_same(torch, got, t[[0, 2]][:, :, [-1, 0]], "tensor and vector")


# ---- gather / index_select / scatter ------------------------------------------------------------

def test_gather_index_select_scatter_take_1_based_indices(torch):
    rng = np.random.default_rng(4)
    data = rng.standard_normal((4, 5)).astype(np.float32)
    r, t = wrap(data.copy()), torch.from_numpy(data.copy())
    for dim in (1, 2):
        size = data.shape[dim - 1]
        idx = rng.integers(0, size, size=(3, 3) if dim == 1 else (4, 2))
        r_idx, t_idx = torch_tensor(idx + 1, dtype="long"), torch.from_numpy(idx)
        _assert_same(torch, r.gather(dim, r_idx), t.gather(dim - 1, t_idx), f"gather {dim}")
        vec = rng.integers(0, size, size=6)
        _assert_same(torch, r.index_select(dim, torch_tensor(vec + 1, dtype="long")),
                     t.index_select(dim - 1, torch.from_numpy(vec)), f"index_select {dim}")
        perm = np.argsort(rng.random((2, 4 if dim == 2 else 5)), axis=dim - 1)[:, :3] if dim == 2 else \
            np.argsort(rng.random((4, 3)), axis=0)[:3]
        src = rng.standard_normal(perm.shape).astype(np.float32)
        _assert_same(torch, r.scatter(dim, torch_tensor(perm + 1, dtype="long"), wrap(src.copy())),
                     t.scatter(dim - 1, torch.from_numpy(perm), torch.from_numpy(src)), f"scatter {dim}")
        _assert_same(torch, r.scatter(dim, torch_tensor(perm + 1, dtype="long"), 2.5),
                     t.scatter(dim - 1, torch.from_numpy(perm), 2.5), f"scatter value {dim}")


# ---- linear algebra -----------------------------------------------------------------------------

MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                 ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)), ((1, 2, 3), (6, 3, 2)), ((7, 1, 2, 3), (5, 3, 4)),
                 ((3,), (4,)), ((2, 3), (4, 5)), ((5, 2, 3), (4, 3, 2)), ((2, 3), (2,)), ((3,), (2, 3))]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul_against_pytorch(torch, shapes):
    rng = np.random.default_rng(5)
    a, b = (rng.standard_normal(s).astype(np.float32) for s in shapes)
    ra, rb, ta, tb = wrap(a.copy()), wrap(b.copy()), torch.from_numpy(a.copy()), torch.from_numpy(b.copy())
    want, terr = _run(lambda: torch.matmul(ta, tb))
    got, rerr = _run(lambda: ra @ rb)
    if terr is not None:
        assert type(rerr) is RuntimeError and str(rerr) == str(terr)
    else:
        _assert_same(torch, got, want, str(shapes))


@pytest.mark.parametrize("shapes", [((2, 3), (3, 4)), ((2, 3), (2, 3)), ((3,), (3, 4)), ((2, 3, 4), (4, 2))], ids=str)
def test_mm_against_pytorch(torch, shapes):
    a, b = (np.ones(s, np.float32) for s in shapes)
    want, terr = _run(lambda: torch.mm(torch.from_numpy(a), torch.from_numpy(b)))
    got, rerr = _run(lambda: wrap(a).mm(wrap(b)))
    if terr is not None:
        assert type(rerr) is RuntimeError and str(rerr) == str(terr)
    else:
        _assert_same(torch, got, want, str(shapes))


def test_mm_dtype_mismatch_message(torch):
    with pytest.raises(RuntimeError) as want:
        torch.ones(2, 2).mm(torch.ones(2, 2, dtype=torch.float64))
    with pytest.raises(RuntimeError) as got:
        wrap(np.ones((2, 2), np.float32)).mm(wrap(np.ones((2, 2))))
    assert str(got.value) == str(want.value)


# ---- concatenation, where, creation -------------------------------------------------------------

def test_cat_and_stack_promote_and_report_errors(torch):
    for a, b in itertools.product(REAL, REAL):
        ra, ta = _pair(torch, a, [[1, 2], [3, 4]])
        rb, tb = _pair(torch, b, [[5, 6]])
        _check_both(torch, lambda: torch_cat([ra, rb], dim=1), lambda: torch.cat([ta, tb], dim=0), f"cat {a} {b}")
        _check_both(torch, lambda: torch_stack([ra, ra.to(dtype=rb.dtype)], dim=3),
                    lambda: torch.stack([ta, ta.to(tb.dtype)], dim=2), f"stack {a} {b}")
    with pytest.raises(RuntimeError) as got:
        torch_cat([wrap(np.ones((8, 2, 7))), wrap(np.ones((8, 3, 7)))], dim=1)
    assert str(got.value) == ("Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 "
                              "for tensor number 2 in the list.")


def test_where_promotes_and_broadcasts(torch):
    cond = np.array([[True, False, True]])
    for a, b in itertools.product(REAL, REAL):
        ra, ta = _pair(torch, a, [[1], [2]])
        rb, tb = _pair(torch, b, [4, 5, 6])
        _check_both(torch, lambda: torch_where(wrap(cond), ra, rb), lambda: torch.where(torch.from_numpy(cond), ta, tb),
                    f"where {a} {b}")


@pytest.mark.parametrize("args", [(1, 9), (0, 2, 0.5), (0, 2.5, 0.5), (0, 2.5, 0.51), (0, 2.5, 0.49), (0, 1, 1),
                                  (2.5, 1, -0.5), (2.5, 1, -1), (2.5, 1, -0.51), (2.5, 1, -0.49), (0, 1, 0.1),
                                  (0, 0.3, 0.1), (-1, 1, 0.25), (10, 1, -3)])
def test_arange_includes_end_as_r_torch_does(torch, args):
    start, end, step = (*args, 1) if len(args) == 2 else args
    stop = np.nextafter(np.float32(end), np.float32(end + np.sign(step)))
    want = torch.arange(start, float(stop), step)
    _assert_same(torch, torch_arange(*args), want, str(args), rtol=1e-6)


def test_arange_of_r_integers_is_long(torch):
    got = torch_arange(np.int32(0), np.int32(5))
    _assert_same(torch, got, torch.arange(0, 6), "0L:5L")
    _assert_same(torch, torch_arange(np.int32(10)), torch.arange(1, 11), "arange(10L)")


def test_linspace_logspace(torch):
    _assert_same(torch, torch_linspace(1, 10, 100), torch.linspace(1, 10, 100), "linspace", rtol=1e-6)
    _assert_same(torch, torch_linspace(-2, 2, 7, dtype="double"), torch.linspace(-2, 2, 7, dtype=torch.float64),
                 "linspace double", rtol=1e-12)
    _assert_same(torch, torch_logspace(0, 3, 4), torch.logspace(0, 3, 4), "logspace", rtol=1e-6)
    _assert_same(torch, torch_logspace(0, 3, 4, base=2), torch.logspace(0, 3, 4, base=2), "logspace base 2")


@pytest.mark.parametrize("r_index, py_index", [
    ((slice(None), None, slice(None)), (slice(None), None, slice(None))),
    ((None,), (None,)),
    ((1, None), (0, None)),
    ((None, slice(2, 3), None, slice(None)), (None, slice(1, 2), None, slice(None))),
    ((None, None), (None, None)),
    ((Ellipsis, None), (Ellipsis, None)),
    ((slice(1, 3, 2), None), (slice(0, 3, 2), None)),
])
def test_new_dims_from_none_get_libtorchs_strides(torch, r_index, py_index):
    """A `NULL` in an R torch index is libtorch's unsqueeze, applied left to right (NumPy's newaxis has
    stride 0); the result stays a view."""
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    x = wrap(data)
    got = x[r_index]
    assert tuple(got.stride()) == torch.from_numpy(data)[py_index].stride()
    assert np.shares_memory(got._data, data)

