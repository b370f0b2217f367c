"""Shape, combination and indexing functions and the products beside mm/matmul against PyTorch as the oracle
for libtorch: values, dtypes, shapes, views sharing storage, and error messages.

R torch's 1-based dims and indices are translated to PyTorch's 0-based ones in the test: an R `dim = 2` is
`dim=1` in PyTorch, an R index tensor `c(1L, 3L)` is `[0, 2]` (negatives pass through unchanged). Where R torch
passes an argument to libtorch unconverted (`swapaxes`' axes, `diag`'s `diagonal`, offsets) the test passes
the same number to both. libtorch's messages are expected as R torch shows them: its message translator adds 1
to the dims of "Dimension out of range" and "inputs dimension N must have length", and leaves others alone.
"""
import re
import warnings

import numpy as np
import pytest

from rtorch import (as_integer, c, torch_addbmm, torch_addmm, torch_addmv, torch_baddbmm, torch_block_diag,
                    torch_broadcast_tensors, torch_broadcast_to, torch_cartesian_prod, torch_chain_matmul,
                    torch_column_stack, torch_combinations, torch_cross, torch_diag, torch_diag_embed,
                    torch_diagonal, torch_dstack, torch_ger, torch_hstack, torch_index_add, torch_index_copy,
                    torch_index_fill, torch_inner, torch_masked_scatter, torch_meshgrid, torch_mv, torch_outer,
                    torch_roll, torch_rot90, torch_row_stack, torch_swapaxes, torch_swapdims, torch_take,
                    torch_tensor, torch_trace, torch_unflatten, torch_vander, torch_vdot, torch_view_as_complex,
                    torch_view_as_real, torch_vstack)
from rtorch._dtypes import DTYPES
from rtorch._tensor import Tensor, wrap
from tests._require import require

REAL = ["Float", "Double", "Half", "Long", "Int", "Short", "Char", "Byte"]
NUMERIC = ["Float", "Double", "Long", "Int"]


@pytest.fixture(scope="module")
def torch():
    return require("torch")


def pair(torch, values, name="Float", shape=None):
    """The same values as an rtorch tensor and a PyTorch tensor of dtype `name`."""
    arr = np.asarray(values).astype(DTYPES[name].numpy)
    if shape is not None:
        arr = arr.reshape(shape)
    return wrap(arr.copy()), torch.from_numpy(arr.copy())


def arange(torch, shape, name="Float", start=1):
    n = int(np.prod(shape))
    values = (np.arange(n) % 2).astype(bool) if name == "Bool" else np.arange(start, start + n)
    return pair(torch, values, name, shape)


def same(torch, got, want, context=""):
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want), context
        for g, w in zip(got, want):
            same(torch, g, w, context)
        return
    assert isinstance(got, Tensor), context
    want_name = str(want.dtype).removeprefix("torch.")
    assert got.dtype.numpy.name == want_name, f"{context}: dtype {got.dtype.name} vs torch.{want_name}"
    assert got.shape == tuple(want.shape), f"{context}: shape {got.shape} vs {tuple(want.shape)}"
    actual, expected = np.asarray(got), want.numpy()
    if actual.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected, err_msg=context)
    else:
        np.testing.assert_allclose(actual.astype(complex), expected.astype(complex), rtol=2e-3, atol=1e-5,
                                   equal_nan=True, err_msg=context)


def both(torch, r_fn, t_fn, context="", message=True):
    """Both engines give the same tensor, or both fail (with libtorch's first message line, unless
    `message` is False)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want, terr = t_fn(), None
        except Exception as exc:  # noqa: BLE001 - the two engines must agree
            want, terr = None, exc
        try:
            got, rerr = r_fn(), None
        except Exception as exc:  # noqa: BLE001
            got, rerr = None, exc
    if terr is not None or rerr is not None:
        assert terr is not None and rerr is not None, f"{context}: torch {terr!r} vs rtorch {rerr!r}"
        if message:
            assert str(rerr).split("\n")[0] == r_message(str(terr).split("\n")[0]), context
        return
    same(torch, got, want, context)


# R torch's translate_error_msg(): these numbers in libtorch's messages are 0-based dims or positions, and
# R torch adds 1 to each that is not negative
_R_TRANSLATED = [r"Dimension out of range \(expected to be in range of \[-?[0-9]+, ([0-9]+)\], but got (-?[0-9]+)\)",
                 r"inputs dimension ([0-9]+) must have length",
                 r"Expected size [0-9]+ but got size [0-9]+ for tensor number ([0-9]+) in the list",
                 r"Sizes of tensors must match except in dimension ([0-9]+)",
                 r"index (-?[0-9]+) is out of bounds for dimension ([0-9]+) with size 0"]


def r_message(msg):
    for pattern in _R_TRANSLATED:
        m = re.search(pattern, msg)
        if m:
            for i in range(len(m.groups()), 0, -1):
                v = int(m.group(i))
                if v >= 0:
                    msg = msg[:m.start(i)] + str(v + 1) + msg[m.end(i):]
    return msg


def shares(a, b):
    """`b` is a view of `a`: a write through `b` shows in `a`, and their storages are one."""
    assert a.storage().data_ptr() == b.storage().data_ptr()
    before = np.asarray(a).copy()
    flat = b._data.reshape(-1) if b._data.ndim else b._data[...]
    if flat.size:
        first = (0,) * b._data.ndim
        b._data[first] = (not b._data[first]) if b.dtype.name == "Bool" else 42 if b.dtype.category < 2 else 42.5
        assert not np.array_equal(np.asarray(a), before)


# ---- products ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("a", ["Float", "Long", "Bool", "Double", "Int"])
@pytest.mark.parametrize("b", ["Float", "Long", "Bool"])
def test_outer_and_ger_promote(torch, a, b):
    ra, ta = arange(torch, (3,), a)
    rb, tb = arange(torch, (4,), b)
    both(torch, lambda: torch_outer(ra, rb), lambda: torch.outer(ta, tb), f"outer {a} {b}")
    both(torch, lambda: ra.ger(rb), lambda: ta.ger(tb), f"ger {a} {b}")


def test_outer_errors(torch):
    r2, t2 = arange(torch, (2, 2))
    r1, t1 = arange(torch, (3,))
    both(torch, lambda: torch_outer(r2, r1), lambda: torch.outer(t2, t1))
    both(torch, lambda: r1.outer(r2), lambda: t1.outer(t2))
    with pytest.raises(RuntimeError, match="outer: Expected 1-D argument vec2, but got 0-D"):
        torch_outer(r1, wrap(np.array(2, np.float32)))
    both(torch, lambda: torch_outer(wrap(np.zeros(0, np.float32)), r1),
         lambda: torch.outer(torch.zeros(0), t1), "empty")


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Bool", "Int"])
def test_inner_vdot(torch, name):
    for sa, sb in [((3,), (3,)), ((2, 3), (4, 3)), ((2, 3), (3,)), ((), (3,)), ((2, 1, 3), (2, 3)), ((2, 3), (4, 2))]:
        ra, ta = arange(torch, sa, name)
        rb, tb = arange(torch, sb, name)
        both(torch, lambda: torch_inner(ra, rb), lambda: torch.inner(ta, tb), f"inner {name} {sa} {sb}")
        both(torch, lambda: ra.vdot(rb), lambda: ta.vdot(tb), f"vdot {name} {sa} {sb}")
    rf, tf = arange(torch, (3,), "Float")
    ri, ti = arange(torch, (3,), "Long")
    both(torch, lambda: torch_inner(rf, ri), lambda: torch.inner(tf, ti))
    both(torch, lambda: torch_vdot(rf, ri), lambda: torch.vdot(tf, ti))
    both(torch, lambda: torch_inner(wrap(np.array(2, np.float32)), ri), lambda: torch.inner(torch.tensor(2.), ti))
    both(torch, lambda: torch_inner(torch_tensor(2), ri), lambda: torch.inner(torch.tensor([2.]), ti))
    rc, tc = pair(torch, [1 + 2j, 3 - 1j], "ComplexFloat")
    both(torch, lambda: torch_vdot(rc, rc), lambda: torch.vdot(tc, tc), "complex vdot conjugates")


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Half", "Bool"])
def test_mv_addmv(torch, name):
    rm, tm = arange(torch, (2, 3), name)
    rv, tv = arange(torch, (3,), name)
    rs, ts = arange(torch, (2,), name)
    both(torch, lambda: torch_mv(rm, rv), lambda: torch.mv(tm, tv), f"mv {name}")
    both(torch, lambda: rm.mv(rv), lambda: tm.mv(tv), f"mv {name}")
    both(torch, lambda: torch_addmv(rs, rm, rv), lambda: torch.addmv(ts, tm, tv), f"addmv {name}")
    for beta, alpha in [(2, 3), (0.5, 2.5), (0, 1)]:
        both(torch, lambda: rs.addmv(rm, rv, beta=beta, alpha=alpha),
             lambda: ts.addmv(tm, tv, beta=beta, alpha=alpha), f"addmv {name} {beta} {alpha}")
    r1, t1 = arange(torch, (1,), name)
    both(torch, lambda: torch_addmv(r1, rm, rv), lambda: torch.addmv(t1, tm, tv), f"addmv broadcast {name}")


def test_mv_addmv_errors(torch):
    cases = [((2, 3), "Float", (3,), "Double"), ((2, 3), "Double", (3,), "Float"), ((2, 3), "Float", (4,), "Float"),
             ((3,), "Float", (3,), "Float"), ((2, 3), "Float", (3, 1), "Float"), ((2, 3), "Double", (4,), "Float")]
    for sm, dm, sv, dv in cases:
        rm, tm = arange(torch, sm, dm)
        rv, tv = arange(torch, sv, dv)
        both(torch, lambda: torch_mv(rm, rv), lambda: torch.mv(tm, tv), f"mv {sm} {dm} {sv} {dv}")
    rm, tm = arange(torch, (2, 3))
    rv, tv = arange(torch, (3,))
    for ss, ds in [((3,), "Float"), ((2, 2), "Float"), ((2,), "Long"), ((), "Float")]:
        rs, ts = arange(torch, ss, ds)
        both(torch, lambda: torch_addmv(rs, rm, rv), lambda: torch.addmv(ts, tm, tv), f"addmv {ss} {ds}")
    rz, tz = arange(torch, (2,))
    rnan = wrap(np.full(2, np.nan, np.float32))
    both(torch, lambda: rnan.addmv(rm, rv, beta=0), lambda: torch.full((2,), float("nan")).addmv(tm, tv, beta=0))
    out = rz.addmv_(rm, rv, beta=2)
    want = tz.addmv_(tm, tv, beta=2)
    same(torch, out, want)
    assert out is rz


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Half", "Bool"])
def test_addmm(torch, name):
    rs, ts = arange(torch, (2, 2), name)
    ra, ta = arange(torch, (2, 3), name)
    rb, tb = arange(torch, (3, 2), name)
    both(torch, lambda: torch_addmm(rs, ra, rb), lambda: torch.addmm(ts, ta, tb), f"addmm {name}")
    for beta, alpha in [(2, 3), (0.5, 1), (1, 0.5), (0, 2)]:
        both(torch, lambda: rs.addmm(ra, rb, beta=beta, alpha=alpha),
             lambda: ts.addmm(ta, tb, beta=beta, alpha=alpha), f"addmm {name} {beta} {alpha}")
        both(torch, lambda: torch_addmm(rs, ra, rb, beta=beta, alpha=alpha),
             lambda: torch.addmm(ts, ta, tb, beta=beta, alpha=alpha), f"torch_addmm {name} {beta} {alpha}")
    rv, tv = arange(torch, (2,), name)
    both(torch, lambda: torch_addmm(rv, ra, rb), lambda: torch.addmm(tv, ta, tb), f"addmm broadcast {name}")
    rr, tr = arange(torch, (0, 2), name)
    re_, te = arange(torch, (0, 3), name)
    both(torch, lambda: torch_addmm(rr, re_, rb), lambda: torch.addmm(tr, te, tb), f"addmm empty {name}")


def test_addmm_errors_and_in_place(torch):
    specs = [((3, 3), "Float", (2, 3), "Float", (3, 2), "Float"),
             ((2, 2), "Long", (2, 3), "Float", (3, 2), "Float"),
             ((2, 2), "Float", (2, 3), "Double", (3, 2), "Float"),
             ((2, 2), "Float", (2, 3), "Float", (3, 2), "Double"),
             ((2, 2), "Float", (2, 3), "Float", (4, 2), "Float"),
             ((2, 2), "Long", (2, 3), "Float", (4, 2), "Float"),
             ((3, 3), "Float", (2, 3), "Float", (4, 2), "Float"),
             ((2, 2), "Float", (3,), "Float", (3, 2), "Float"),
             ((2, 2), "Float", (2, 3), "Long", (3,), "Float"),
             ((2, 2, 2), "Float", (2, 3), "Float", (3, 2), "Float")]
    for ss, ds, sa, da, sb, db in specs:
        rs, ts = arange(torch, ss, ds)
        ra, ta = arange(torch, sa, da)
        rb, tb = arange(torch, sb, db)
        both(torch, lambda: torch_addmm(rs, ra, rb), lambda: torch.addmm(ts, ta, tb), f"{ss} {sa} {sb}",
             message=len(ss) < 3)
    rnan = wrap(np.full((2, 2), np.nan, np.float32))
    ra, ta = arange(torch, (2, 3))
    rb, tb = arange(torch, (3, 2))
    both(torch, lambda: rnan.addmm(ra, rb, beta=0),
         lambda: torch.full((2, 2), float("nan")).addmm(ta, tb, beta=0), "beta = 0 ignores self")
    rs, ts = arange(torch, (2, 2))
    assert rs.addmm_(ra, rb, alpha=2) is rs
    same(torch, rs, ts.addmm_(ta, tb, alpha=2))
    with pytest.raises(RuntimeError, match="out_dtype"):
        torch_addmm(rs, ra, rb, torch_tensor(1).dtype)


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Half", "Bool"])
def test_addbmm_baddbmm(torch, name):
    ra, ta = arange(torch, (4, 2, 3), name)
    rb, tb = arange(torch, (4, 3, 2), name)
    for shape in [(2, 2), (2,), (1, 2)]:
        rs, ts = arange(torch, shape, name)
        both(torch, lambda: torch_addbmm(rs, ra, rb), lambda: torch.addbmm(ts, ta, tb), f"addbmm {name} {shape}")
        both(torch, lambda: rs.addbmm(ra, rb, beta=2, alpha=3),
             lambda: ts.addbmm(ta, tb, beta=2, alpha=3), f"addbmm {name} {shape}")
    for shape in [(4, 2, 2), (2,), (1, 2, 2)]:
        rs, ts = arange(torch, shape, name)
        both(torch, lambda: torch_baddbmm(rs, ra, rb), lambda: torch.baddbmm(ts, ta, tb), f"baddbmm {name} {shape}")
        both(torch, lambda: rs.baddbmm(ra, rb, beta=0.5, alpha=2),
             lambda: ts.baddbmm(ta, tb, beta=0.5, alpha=2), f"baddbmm {name} {shape}")


def test_addbmm_baddbmm_errors_and_in_place(torch):
    specs = [((2, 2), "Float", (4, 2, 3), "Float", (5, 3, 2), "Float"),
             ((2, 2), "Float", (4, 2, 3), "Float", (4, 4, 2), "Float"),
             ((2, 2), "Long", (4, 2, 3), "Float", (4, 3, 2), "Float"),
             ((2, 2), "Float", (4, 2, 3), "Long", (4, 3, 2), "Float"),
             ((3, 2), "Float", (4, 2, 3), "Float", (4, 3, 2), "Float")]
    for ss, ds, sa, da, sb, db in specs:
        rs, ts = arange(torch, ss, ds)
        ra, ta = arange(torch, sa, da)
        rb, tb = arange(torch, sb, db)
        both(torch, lambda: torch_addbmm(rs, ra, rb), lambda: torch.addbmm(ts, ta, tb), f"addbmm {ss} {sa} {sb}")
    specs = [((5, 2, 2), "Float", (4, 2, 3), "Float", (4, 3, 2), "Float"),
             ((4, 2, 2), "Float", (4, 2, 3), "Float", (5, 3, 2), "Float"),
             ((4, 2, 2), "Float", (4, 2, 3), "Float", (4, 4, 2), "Float"),
             ((4, 2, 2), "Long", (4, 2, 3), "Float", (4, 3, 2), "Float"),
             ((2, 2), "Long", (4, 2, 3), "Float", (5, 3, 2), "Float"),
             ((4, 2, 2), "Float", (4, 2, 3), "Long", (4, 3, 2), "Long")]
    for ss, ds, sa, da, sb, db in specs:
        rs, ts = arange(torch, ss, ds)
        ra, ta = arange(torch, sa, da)
        rb, tb = arange(torch, sb, db)
        both(torch, lambda: torch_baddbmm(rs, ra, rb), lambda: torch.baddbmm(ts, ta, tb), f"baddbmm {ss} {sa} {sb}")
    ra, ta = arange(torch, (4, 2, 3))
    rb, tb = arange(torch, (4, 3, 2))
    rs, ts = arange(torch, (4, 2, 2))
    assert rs.baddbmm_(ra, rb, beta=2) is rs
    same(torch, rs, ts.baddbmm_(ta, tb, beta=2))
    rs, ts = arange(torch, (2, 2))
    assert rs.addbmm_(ra, rb) is rs
    same(torch, rs, ts.addbmm_(ta, tb))
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        rs.baddbmm(rs, rb)


def test_chain_matmul(torch):
    for name in ["Float", "Double", "Long", "Bool"]:
        mats = [arange(torch, s, name) for s in [(2, 3), (3, 4), (4, 1)]]
        both(torch, lambda: torch_chain_matmul([m[0] for m in mats]),
             lambda: torch.chain_matmul(*[m[1] for m in mats]), f"chain_matmul {name}")
        r, t = arange(torch, (2, 3), name)
        both(torch, lambda: torch_chain_matmul([r]), lambda: torch.chain_matmul(t), f"one matrix {name}")
    for specs in [[((2, 3), "Float"), ((3, 4), "Double")], [((2, 3), "Float"), ((4, 4), "Float")],
                  [((2, 3), "Float"), ((3,), "Float")], [((2, 3), "Long"), ((3, 2), "Float")]]:
        mats = [arange(torch, s, n) for s, n in specs]
        both(torch, lambda: torch_chain_matmul([m[0] for m in mats]),
             lambda: torch.chain_matmul(*[m[1] for m in mats]), str(specs))
    with pytest.raises(RuntimeError, match=re.escape("chain_matmul(): Expected one or more matrices")):
        torch_chain_matmul([])


@pytest.mark.parametrize("name", REAL + ["Bool", "ComplexFloat"])
def test_trace(torch, name):
    for shape in [(2, 3), (3, 3), (0, 3), (4, 2)]:
        r, t = arange(torch, shape, name)
        both(torch, lambda: torch_trace(r), lambda: torch.trace(t), f"trace {name} {shape}")
        both(torch, lambda: r.trace(), lambda: t.trace(), f"trace {name} {shape}")
    r, t = arange(torch, (3,), name)
    both(torch, lambda: torch_trace(r), lambda: torch.trace(t))


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Char", "Half", "Bool"])
def test_cross(torch, name):
    ra, ta = pair(torch, [[1, 2, 3], [4, 5, 6]], name)
    rb, tb = pair(torch, [[7, 8, 9], [1, 0, 2]], name)
    for rdim, tdim in [(2, 1), (-1, -1)]:
        both(torch, lambda: torch_cross(ra, rb, dim=rdim), lambda: torch.cross(ta, tb, dim=tdim), f"{name} {rdim}")
        both(torch, lambda: ra.cross(rb, rdim), lambda: ta.cross(tb, tdim), f"{name} {rdim}")
    both(torch, lambda: torch_cross(ra.t(), rb.t(), dim=1), lambda: torch.cross(ta.t(), tb.t(), dim=0))
    both(torch, lambda: torch_cross(ra, rb[1, :, drop_false()], dim=2),
         lambda: torch.cross(ta, tb[0:1], dim=1), f"broadcast {name}")
    if name != "Bool":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = torch_cross(ra, rb)
            want = torch.cross(ta, tb)
        assert any("without specifying the dim" in str(w.message) for w in caught)
        same(torch, got, want)


def drop_false():
    from rtorch import drop
    return drop(False)


def test_cross_errors(torch):
    ra, ta = arange(torch, (2, 4))
    rb, tb = arange(torch, (2, 3), "Long")
    with pytest.raises(RuntimeError, match=re.escape("linalg.cross: inputs dimension 2 must have length 3. "
                                                     "Got 4 and 3")):
        torch_cross(ra, rb, dim=2)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Long"):
        torch_cross(arange(torch, (2, 3))[0], rb, dim=2)
    with pytest.raises(RuntimeError, match="no dimension of size 3 in input"):
        torch_cross(ra, ra)
    with pytest.raises(RuntimeError, match="inputs must have the same number of dimensions"):
        torch_cross(ra, arange(torch, (3,))[0], dim=1)
    with pytest.raises(IndexError, match=re.escape("Dimension out of range (expected to be in range of [-2, 2], "
                                                   "but got 3)")):
        torch_cross(rb, rb, dim=3)
    r3, t3 = arange(torch, (4, 3))
    r2, t2 = arange(torch, (2, 3))
    both(torch, lambda: torch_cross(r2, r3, dim=2), lambda: torch.cross(t2, t3, dim=1))


# ---- diagonals -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "Double"])
def test_diag(torch, name):
    for shape in [(3,), (2, 3), (3, 2), (0,), (), (2, 2, 2)]:
        r, t = arange(torch, shape, name)
        for k in [0, 1, -1, 2, -5, 5]:
            both(torch, lambda: torch_diag(r, k), lambda: torch.diag(t, k), f"diag {name} {shape} {k}")
            both(torch, lambda: r.diag(diagonal=k), lambda: t.diag(diagonal=k), f"diag {name} {shape} {k}")
    r, t = arange(torch, (2, 3), name)
    d = r.diag()
    d._data[0] = d._data[1]
    same(torch, r, t, "diag of a matrix is a copy")


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_diagonal_is_a_view(torch, name):
    r, t = arange(torch, (2, 3, 4), name)
    for rd1, rd2, td1, td2 in [(1, 2, 0, 1), (1, 3, 0, 2), (-1, 1, -1, 0), (3, 2, 2, 1), (2, 2, 1, 1),
                               (1, 4, 0, 3), (0, 1, None, None)]:
        for k in [0, 1, -1, 3, -7]:
            tf = (lambda: torch.diagonal(t, k, td1, td2)) if td1 is not None else (lambda: 1 / 0)
            both(torch, lambda: torch_diagonal(r, dim1=rd1, dim2=rd2, offset=k), tf, f"{rd1} {rd2} {k}",
                 message=td1 is not None and abs(rd2) <= 3)
    with pytest.raises(IndexError, match=re.escape("Dimension out of range (expected to be in range of [-3, 3], "
                                                   "but got 4)")):
        r.diagonal(dim1=1, dim2=4)
    with pytest.raises(IndexError, match="Dimension is 1-based, but found 0"):
        r.diagonal(dim1=0)
    m, tm = arange(torch, (3, 4), name)
    both(torch, lambda: m.diagonal(), lambda: tm.diagonal())
    both(torch, lambda: m.diagonal(offset=1), lambda: tm.diagonal(1))
    v = m.diagonal(offset=1)
    shares(m, v)
    f, tf = arange(torch, (3,), name)
    both(torch, lambda: f.diagonal(), lambda: 1 / 0, message=False)
    with pytest.raises(TypeError, match="named dims"):
        m.diagonal("a")


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_diag_embed(torch, name):
    for shape in [(3,), (2, 3), (0,), (2, 0)]:
        r, t = arange(torch, shape, name)
        for k in [0, 1, -2]:
            both(torch, lambda: torch_diag_embed(r, k), lambda: torch.diag_embed(t, k), f"{shape} {k}")
            n = len(shape) + 1
            for rd1, rd2 in [(1, 2), (1, n), (-1, 1), (n, 1), (2, 2)]:
                td1, td2 = (d - 1 if d > 0 else d for d in (rd1, rd2))
                both(torch, lambda: r.diag_embed(k, rd1, rd2), lambda: t.diag_embed(k, td1, td2),
                     f"{shape} {k} {rd1} {rd2}")
    r, t = arange(torch, (), name)
    with pytest.raises(IndexError, match=re.escape("Dimension out of range (expected to be in range of [-1, 1], "
                                                   "but got -2)")):
        torch_diag_embed(r)


# ---- rolling, rotating, swapping, reshaping ------------------------------------------------------

@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_roll(torch, name):
    r, t = arange(torch, (2, 3), name)
    for shifts, rdims, tdims in [(1, (), ()), (1, 1, 0), (-4, 2, 1), (c(1, -1), c(1, 2), (0, 1)),
                                 (as_integer(c(2, 1)), c(-1, -2), (-1, -2)), (7, -1, -1)]:
        tshift = tuple(np.ravel(shifts).astype(int).tolist())
        tshift = tshift[0] if len(tshift) == 1 else tshift
        tdim = tdims if not isinstance(tdims, tuple) or len(tdims) != 1 else tdims[0]
        both(torch, lambda: torch_roll(r, shifts, rdims), lambda: torch.roll(t, tshift, tdim),
             f"roll {shifts} {rdims}")
        both(torch, lambda: r.roll(shifts, rdims), lambda: t.roll(tshift, tdim), f"roll {shifts} {rdims}")
    both(torch, lambda: torch_roll(r, c(1, -1), 1), lambda: torch.roll(t, (1, -1), (0,)))
    both(torch, lambda: torch_roll(r, c(1, -1)), lambda: torch.roll(t, (1, -1)))
    both(torch, lambda: torch_roll(r, 1, ()), lambda: torch.roll(t, 1))
    r0, t0 = arange(torch, (), name)
    both(torch, lambda: torch_roll(r0, 1), lambda: torch.roll(t0, 1))
    both(torch, lambda: torch_roll(r0, 1, 1), lambda: torch.roll(t0, 1, 0))
    re_, te = arange(torch, (0,), name)
    both(torch, lambda: torch_roll(re_, 2), lambda: torch.roll(te, 2))
    with pytest.raises(IndexError, match=re.escape("Dimension out of range (expected to be in range of [-2, 2], "
                                                   "but got 3)")):
        torch_roll(r, 1, 3)
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0"):
        torch_roll(r, 1, 0)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_rot90(torch, name):
    r, t = arange(torch, (2, 3, 4), name)
    for k in [1, 2, 3, 4, -1, 5, 0]:
        for rdims in [c(1, 2), c(2, 1), c(1, -1), c(3, 2), c(-1, -3)]:
            tdims = [d - 1 if d > 0 else d for d in rdims.astype(int).tolist()]
            both(torch, lambda: torch_rot90(r, k, rdims), lambda: torch.rot90(t, k, tdims), f"{k} {rdims}")
            both(torch, lambda: r.rot90(k, rdims), lambda: t.rot90(k, tdims), f"{k} {rdims}")
    for rdims in [c(1, 1), c(1, 2, 3), c(1, 4), c(1, -3)]:
        tdims = [d - 1 if d > 0 else d for d in rdims.astype(int).tolist()]
        both(torch, lambda: torch_rot90(r[1, :, :], 1, rdims), lambda: torch.rot90(t[0], 1, tdims), str(rdims))
    rv, tv = arange(torch, (3,), name)
    both(torch, lambda: torch_rot90(rv, 1, c(1, 2)), lambda: torch.rot90(tv, 1, [0, 1]))
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0"):
        torch_rot90(r)  # R torch's default dims = c(0, 1) is its own error
    out = r.rot90(4, c(1, 2))
    out._data.reshape(-1)[0] = out._data.reshape(-1)[1]
    same(torch, r, t, "rot90 is a copy")


def test_swapaxes_swapdims_are_views(torch):
    r, t = arange(torch, (2, 3, 4))
    for a, b in [(0, 2), (0, -1), (1, 1), (-3, 2)]:
        both(torch, lambda: torch_swapaxes(r, a, b), lambda: torch.swapaxes(t, a, b), f"swapaxes {a} {b}")
        both(torch, lambda: r.swapaxes(a, b), lambda: t.swapaxes(a, b), f"swapaxes {a} {b}")
    for a, b, ta, tb in [(1, 3, 0, 2), (-1, 1, -1, 0), (2, 2, 1, 1)]:
        both(torch, lambda: torch_swapdims(r, a, b), lambda: torch.swapdims(t, ta, tb), f"swapdims {a} {b}")
        both(torch, lambda: r.swapdims(a, b), lambda: t.swapdims(ta, tb), f"swapdims {a} {b}")
    v = r.swapaxes(0, 2)
    assert v.stride() == tuple(t.swapaxes(0, 2).stride())
    shares(r, v)
    with pytest.raises(IndexError, match=re.escape("Dimension out of range (expected to be in range of [-3, 3], "
                                                   "but got 4)")):
        r.swapaxes(0, 3)  # libtorch's 0-based 3, as R torch's message translator shows it
    with pytest.raises(IndexError, match="Dimension is 1-based, but found 0"):
        r.swapdims(0, 1)
    r0, t0 = arange(torch, ())
    both(torch, lambda: torch_swapaxes(r0, 0, -1), lambda: torch.swapaxes(t0, 0, -1))
    x = arange(torch, (2, 3))[0]
    assert x.swapdims_(1, 2) is x and x.shape == (3, 2)
    assert x.swapaxes_(0, 1) is x and x.shape == (2, 3)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_unflatten_is_a_view(torch, name):
    r, t = arange(torch, (6, 2), name)
    for rdim, tdim, sizes in [(1, 0, c(2, 3)), (1, 0, c(-1, 3)), (-1, -1, c(2, 1)), (2, 1, c(1, 2, 1)),
                              (1, 0, c(4, -1)), (1, 0, c(4, 2)), (1, 0, c(-1, -1)), (1, 0, c(-2, -3)),
                              (1, 0, c(0, -1))]:
        tsizes = tuple(sizes.astype(int).tolist())
        both(torch, lambda: torch_unflatten(r, rdim, sizes), lambda: torch.unflatten(t, tdim, tsizes),
             f"{rdim} {sizes}")
        both(torch, lambda: r.unflatten(rdim, sizes), lambda: t.unflatten(tdim, tsizes), f"{rdim} {sizes}")
    v = r.unflatten(1, c(3, 2))
    shares(r, v)
    with pytest.raises(RuntimeError, match="unflatten: sizes must be non-empty"):
        r.unflatten(1, [])
    re_, te = arange(torch, (0,), name)
    both(torch, lambda: re_.unflatten(1, c(0, -1)), lambda: te.unflatten(0, (0, -1)))
    both(torch, lambda: re_.unflatten(1, c(0, 5)), lambda: te.unflatten(0, (0, 5)))


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_broadcast_to_and_tensors_are_views(torch, name):
    r, t = arange(torch, (3,), name)
    for size in [c(2, 3), c(2, -1), c(2, 4), c(-1, 3), c(1), c(3), c(2, 1, 3)]:
        ts = tuple(size.astype(int).tolist())
        both(torch, lambda: torch_broadcast_to(r, size), lambda: torch.broadcast_to(t, ts), str(size))
        both(torch, lambda: r.broadcast_to(size), lambda: t.broadcast_to(ts), str(size))
    v = r.broadcast_to(c(2, 3))
    assert v.stride() == tuple(t.broadcast_to((2, 3)).stride())
    assert v.storage().data_ptr() == r.storage().data_ptr()
    r2, t2 = arange(torch, (2, 1), "Long")
    r0, t0 = arange(torch, (), name)
    both(torch, lambda: torch_broadcast_tensors([r, r2, r0]), lambda: torch.broadcast_tensors(t, t2, t0))
    rb, tb = arange(torch, (2,), name)
    both(torch, lambda: torch_broadcast_tensors([r, rb]), lambda: torch.broadcast_tensors(t, tb))
    out = torch_broadcast_tensors([r, r2])
    assert out[0].storage().data_ptr() == r.storage().data_ptr()
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        out[0].add_(1)


# ---- stacking and combining ----------------------------------------------------------------------

STACKS = [("hstack", torch_hstack), ("vstack", torch_vstack), ("row_stack", torch_row_stack),
          ("dstack", torch_dstack), ("column_stack", torch_column_stack)]


@pytest.mark.parametrize("fname, fn", STACKS)
def test_stacks(torch, fname, fn):
    tfn = getattr(torch, fname)
    cases = [[((3,), "Float"), ((3,), "Long")], [((2, 2), "Float"), ((2, 3), "Long")],
             [((), "Float"), ((), "Long")], [((2, 3), "Bool"), ((2, 3), "Bool")],
             [((2, 2), "Float"), ((3, 3), "Float")], [((0,), "Float"), ((3,), "Float")],
             [((2, 3, 4), "Double"), ((2, 3, 1), "Int")], [((3,), "Float"), ((3, 2), "Float")],
             [((), "Float"), ((3,), "Float")], [((3, 2, 2), "Float"), ((3,), "Float")],
             [((2, 3), "Float"), ((3,), "Float")], [((3,), "Float"), ((2,), "Float")]]
    for specs in cases:
        pairs = [arange(torch, s, n) for s, n in specs]
        both(torch, lambda: fn([p[0] for p in pairs]), lambda: tfn([p[1] for p in pairs]), f"{fname} {specs}")
    with pytest.raises(RuntimeError, match=f"{'vstack' if fname == 'row_stack' else fname} expects a non-empty "
                                           "TensorList"):
        fn([])
    r, t = arange(torch, (3,))
    both(torch, lambda: fn([r, c(4, 5, 6)]), lambda: tfn([t, torch.tensor([4., 5., 6.])]), "an R vector")


def test_stack_error_numbers_are_one_based(torch):
    a, b = arange(torch, (2, 2))[0], arange(torch, (3, 3))[0]
    with pytest.raises(RuntimeError, match=re.escape("Sizes of tensors must match except in dimension 2. Expected "
                                                     "size 2 but got size 3 for tensor number 2 in the list.")):
        torch_hstack([a, b])


def test_block_diag(torch):
    cases = [[((2, 2), "Float"), ((1, 3), "Long")], [((3,), "Float"), ((), "Long")], [((3,), "Bool"), ((3,), "Bool")],
             [((3,), "Bool"), ((2, 2), "Int")], [((0, 2), "Float"), ((1, 1), "Float")], [((2, 2, 2), "Float")],
             [((2, 3), "Double")]]
    for specs in cases:
        pairs = [arange(torch, s, n) for s, n in specs]
        both(torch, lambda: torch_block_diag([p[0] for p in pairs]), lambda: torch.block_diag(*[p[1] for p in pairs]),
             str(specs))
    both(torch, lambda: torch_block_diag([]), lambda: torch.block_diag())


def test_cartesian_prod_and_combinations(torch):
    for specs in [[((3,), "Float"), ((2,), "Float")], [((3,), "Long")], [((2,), "Bool")] * 3,
                  [((3,), "Float"), ((2,), "Long")], [((2, 2), "Float")], [((), "Float")],
                  [((3,), "Float"), ((0,), "Float")]]:
        pairs = [arange(torch, s, n) for s, n in specs]
        both(torch, lambda: torch_cartesian_prod([p[0] for p in pairs]),
             lambda: torch.cartesian_prod(*[p[1] for p in pairs]), str(specs))
    for name in ["Float", "Long", "Bool"]:
        for shape in [(4,), (0,), (2, 2)]:
            r, t = arange(torch, shape, name)
            for k in [2, 3, 0, 1, 5, -1]:
                for rep in [False, True]:
                    both(torch, lambda: torch_combinations(r, k, rep), lambda: torch.combinations(t, k, rep),
                         f"{name} {shape} {k} {rep}")
    both(torch, lambda: torch_combinations(c(1, 2, 3)), lambda: torch.combinations(torch.tensor([1., 2., 3.])))


def test_meshgrid(torch):
    for name in ["Float", "Long", "Bool"]:
        rx, tx = arange(torch, (3,), name)
        ry, ty = arange(torch, (2,), name)
        rz, tz = arange(torch, (), name)
        rw, tw = arange(torch, (4,), name)
        for indexing in ["ij", "xy"]:
            both(torch, lambda: torch_meshgrid([rx, ry], indexing=indexing),
                 lambda: torch.meshgrid(tx, ty, indexing=indexing), f"{name} {indexing}")
            both(torch, lambda: torch_meshgrid([rx, rz, ry, rw], indexing),
                 lambda: torch.meshgrid(tx, tz, ty, tw, indexing=indexing), f"{name} {indexing}")
            both(torch, lambda: torch_meshgrid([rx], indexing), lambda: torch.meshgrid(tx, indexing=indexing))
        both(torch, lambda: torch_meshgrid([rx, ry]), lambda: torch.meshgrid(tx, ty, indexing="ij"), "default ij")
    rx, tx = arange(torch, (3,))
    ri, ti = arange(torch, (3,), "Long")
    both(torch, lambda: torch_meshgrid([rx, ri], "xy"), lambda: torch.meshgrid(tx, ti, indexing="xy"))
    both(torch, lambda: torch_meshgrid([rx, rx], "ab"), lambda: torch.meshgrid(tx, tx, indexing="ab"))
    both(torch, lambda: torch_meshgrid([], "ij"), lambda: torch.meshgrid([], indexing="ij"))
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        torch_meshgrid([rx, arange(torch, (2, 2))[0]], "ij")
    grid = torch_meshgrid([rx, arange(torch, (2,))[0]], "ij")[0]
    assert grid.stride() == (1, 0) and grid.storage().data_ptr() == rx.storage().data_ptr()


# ---- indexing --------------------------------------------------------------------------------------

def r_index(values, name="Long"):
    """An R index vector (1-based) as a Long tensor, and its 0-based PyTorch twin (negatives unchanged)."""
    import torch as _torch
    v = np.asarray(values)
    arr = v.astype(DTYPES[name].numpy)
    zero = np.where(v > 0, v - 1, v)
    return wrap(arr.copy()), _torch.from_numpy(zero.astype(DTYPES[name].numpy))


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Bool"])
def test_index_add(torch, name):
    rs, ts = arange(torch, (3, 4), name)
    for rdim, tdim, idx, src_shape in [(1, 0, [1, 3], (2, 4)), (1, 0, [1, 1], (2, 4)), (2, 1, [4, 1, 2], (3, 3)),
                                       (-1, -1, [2], (3, 1)), (1, 0, [1, 4], (2, 4)), (1, 0, [1, -1], (2, 4)),
                                       (1, 0, [1, 2], (3, 4)), (1, 0, [1, 2], (2, 3)), (1, 0, [[1, 2]], (2, 4)),
                                       (1, 0, [], (0, 4))]:
        ri, ti = r_index(idx)
        rsrc, tsrc = arange(torch, src_shape, name, start=5)
        both(torch, lambda: torch_index_add(rs, rdim, ri, rsrc), lambda: torch.index_add(ts, tdim, ti, tsrc),
             f"{name} {rdim} {idx} {src_shape}")
        both(torch, lambda: rs.index_add(rdim, ri, rsrc, alpha=2),
             lambda: ts.index_add(tdim, ti, tsrc, alpha=2), f"{name} {rdim} {idx} {src_shape}")
    if name in ("Long", "Int"):
        ri, ti = r_index([1, 2])
        rsrc, tsrc = arange(torch, (2, 4), name)
        both(torch, lambda: rs.index_add(1, ri, rsrc, alpha=2.5), lambda: ts.index_add(0, ti, tsrc, alpha=2.5))
    ri, ti = r_index([1, 2], "Int")
    rsrc, tsrc = arange(torch, (2, 4), name)
    both(torch, lambda: rs.index_add(1, ri, rsrc), lambda: ts.index_add(0, ti.long(), tsrc), "Int index")
    rl, tl = arange(torch, (2, 4), "Long" if name != "Long" else "Float")
    both(torch, lambda: rs.index_add(1, ri, rl), lambda: ts.index_add(0, ti.long(), tl), "source dtype")
    x = rs.clone()
    assert x.index_add_(1, ri, rsrc) is x
    same(torch, x, ts.clone().index_add_(0, ti.long(), tsrc))
    r0, t0 = arange(torch, (), name)
    rsrc0, tsrc0 = arange(torch, (), name, start=5)
    both(torch, lambda: r0.index_add(1, r_index([1])[0], rsrc0), lambda: t0.index_add(0, torch.tensor([0]), tsrc0))


def test_index_add_errors_as_r_torch_shows_them(torch):
    rs, _ = arange(torch, (3, 4))
    src = arange(torch, (2, 4))[0]
    with pytest.raises(RuntimeError, match=re.escape("index 3 is out of bounds for dimension 0 with size 3")):
        rs.index_add(1, as_integer(c(1, 4)), src)
    with pytest.raises(RuntimeError, match=re.escape("index_add_(): Expected dtype int32/int64 for index but got: "
                                                     "Float")):
        rs.index_add(1, c(1, 2), src)  # R doubles make a Float index, which libtorch refuses
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0"):
        rs.index_add(1, as_integer(c(0, 1)), src)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_index_copy(torch, name):
    rs, ts = arange(torch, (3, 4), name)
    for rdim, tdim, idx, src_shape in [(1, 0, [1, 3], (2, 4)), (2, 1, [4, 1], (3, 2)), (-1, -1, [2], (3, 1)),
                                       (1, 0, [1, 4], (2, 4)), (1, 0, [1, -1], (2, 4)), (1, 0, [1, 2], (3, 4)),
                                       (1, 0, [1, 4], (2, 3)), (1, 0, [1, 4], (3, 3)), (1, 0, [[1, 4]], (3, 3)),
                                       (1, 0, [1, 2], (2, 4, 1))]:
        ri, ti = r_index(idx)
        rsrc, tsrc = arange(torch, src_shape, name, start=7)
        both(torch, lambda: torch_index_copy(rs, rdim, ri, rsrc), lambda: torch.index_copy(ts, tdim, ti, tsrc),
             f"{name} {rdim} {idx} {src_shape}")
    ri, ti = r_index([2, 1], "Int")
    rsrc, tsrc = arange(torch, (2, 4), name, start=7)
    both(torch, lambda: rs.index_copy(1, ri, rsrc), lambda: ts.index_copy(0, ti.long(), tsrc), "Int index")
    x = rs.clone()
    assert x.index_copy_(1, ri, rsrc) is x
    same(torch, x, ts.clone().index_copy_(0, ti.long(), tsrc))
    rv, tv = arange(torch, (3,), name)
    r0, t0 = arange(torch, (), name, start=9)
    both(torch, lambda: rv.index_copy(1, torch_tensor(as_integer(2)), r0),
         lambda: tv.index_copy(0, torch.tensor(1), t0), "scalar source")
    both(torch, lambda: r0.index_copy(1, r_index([1])[0], rv[1:1]), lambda: t0.index_copy(0, torch.tensor([0]),
                                                                                           tv[0:1]), "0-d self")
    with pytest.raises(RuntimeError, match=re.escape("index_copy_(): Expected a long tensor for index, but got "
                                                     "Float")):
        rs.index_copy(1, c(1, 2), rsrc)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "Half"])
def test_index_fill(torch, name):
    rs, ts = arange(torch, (3, 4), name)
    value = False if name == "Bool" else 5
    for rdim, tdim, idx in [(1, 0, [1, 3]), (2, 1, [4, -1]), (-1, -1, [2]), (1, 0, [1, 4]), (1, 0, [1, -4]),
                            (1, 0, [[1, 2]]), (1, 0, [])]:
        ri, ti = r_index(idx)
        both(torch, lambda: torch_index_fill(rs, rdim, ri, value), lambda: torch.index_fill(ts, tdim, ti, value),
             f"{name} {rdim} {idx}")
        both(torch, lambda: rs.index_fill(rdim, ri, wrap(np.array(7, np.float32))),
             lambda: ts.index_fill(tdim, ti, torch.tensor(7.)), f"{name} {rdim} {idx}")
    ri, ti = r_index([1, 3])
    both(torch, lambda: rs.index_fill(1, ri, 2.5), lambda: ts.index_fill(0, ti, 2.5), "fractional value")
    both(torch, lambda: rs.index_fill(1, ri, torch_tensor(c(1))), lambda: ts.index_fill(0, ti, torch.tensor([1.])))
    x = rs.clone()
    assert x.index_fill_(2, ri, value) is x
    same(torch, x, ts.clone().index_fill_(1, ti, value))
    r0, t0 = arange(torch, (), name)
    both(torch, lambda: r0.index_fill(1, r_index([1])[0], value), lambda: t0.index_fill(0, torch.tensor([0]), value))
    with pytest.raises(IndexError, match=re.escape("index_fill_(): Expected dtype int64 for index.")):
        rs.index_fill(1, c(1, 2), value)


@pytest.mark.parametrize("name", ["Float", "Long", "Bool", "ComplexDouble"])
def test_take(torch, name):
    rs, ts = arange(torch, (2, 3), name)
    for idx in [[1, 6, -1], [[1, 6], [2, -6]], [7], [-7], 3, []]:
        ri, ti = r_index(idx)
        both(torch, lambda: torch_take(rs, ri), lambda: torch.take(ts, ti), f"{name} {idx}")
        both(torch, lambda: rs.take(ri), lambda: ts.take(ti), f"{name} {idx}")
    r0, t0 = arange(torch, (), name)
    both(torch, lambda: torch_take(r0, r_index([1, 1])[0]), lambda: torch.take(t0, torch.tensor([0, 0])))
    re_, te = arange(torch, (0,), name)
    both(torch, lambda: torch_take(re_, r_index([1])[0]), lambda: torch.take(te, torch.tensor([0])))
    both(torch, lambda: torch_take(re_, r_index([])[0]), lambda: torch.take(te, torch.tensor([], dtype=torch.long)))
    both(torch, lambda: torch_take(rs, as_integer(c(2, 5))), lambda: torch.take(ts, torch.tensor([1, 4])))
    with pytest.raises(RuntimeError, match=re.escape("take(): Expected a long tensor for index, but got Float")):
        torch_take(rs, c(1, 2))
    with pytest.raises(IndexError, match="Indexing starts at 1 but found a 0"):
        torch_take(rs, as_integer(0))


@pytest.mark.parametrize("name", ["Float", "Long", "Bool"])
def test_masked_scatter(torch, name):
    rs, ts = arange(torch, (2, 3), name)
    rsrc, tsrc = arange(torch, (2, 3), name, start=10)
    for mask in [[[True, False, True], [False, True, False]], [True, False, True], [[True], [False]],
                 [True, True], [[True, True, True], [True, True, True]]]:
        rm, tm = pair(torch, mask, "Bool")
        both(torch, lambda: torch_masked_scatter(rs, rm, rsrc), lambda: torch.masked_scatter(ts, tm, tsrc),
             f"{name} {mask}")
        both(torch, lambda: rs.masked_scatter(rm, rsrc), lambda: ts.masked_scatter(tm, tsrc), f"{name} {mask}")
    rm, tm = pair(torch, [True, False, True], "Bool")
    rshort, tshort = arange(torch, (2,), name)
    both(torch, lambda: rs.masked_scatter(rm, rshort), lambda: ts.masked_scatter(tm, tshort), "short source")
    rl, tl = pair(torch, [1, 0, 1], "Long")
    both(torch, lambda: rs.masked_scatter(rl, rsrc), lambda: ts.masked_scatter(tl, tsrc), "Long mask")
    ro, to = arange(torch, (2, 3), "Double" if name != "Double" else "Float")
    both(torch, lambda: rs.masked_scatter(rm, ro), lambda: ts.masked_scatter(tm, to), "source dtype")
    rv, tv = arange(torch, (3,), name)
    rbig, tbig = pair(torch, np.ones((2, 3), bool), "Bool")
    both(torch, lambda: rv.masked_scatter(rbig, rsrc), lambda: tv.masked_scatter(tbig, tsrc), "broadcast self")
    x = rs.clone()
    assert x.masked_scatter_(rm, rsrc) is x
    same(torch, x, ts.clone().masked_scatter_(tm, tsrc))
    with pytest.raises(RuntimeError, match=re.escape("the number of sizes provided (1) must be greater or equal")):
        rv.clone().masked_scatter_(rbig, rsrc)


@pytest.mark.parametrize("name", ["Float", "Double", "Long", "Int", "Byte", "Bool", "Half", "ComplexFloat"])
def test_vander(torch, name):
    r, t = pair(torch, [1, 2, 3] if name != "Bool" else [True, False, True], name)
    for n in [None, 0, 1, 2, 4, -1]:
        for inc in [False, True]:
            both(torch, lambda: torch_vander(r, n, inc), lambda: torch.vander(t, n, inc), f"{name} {n} {inc}")
    r2, t2 = arange(torch, (2, 2), name)
    both(torch, lambda: torch_vander(r2), lambda: torch.vander(t2))
    re_, te = arange(torch, (0,), name)
    both(torch, lambda: torch_vander(re_), lambda: torch.vander(te))
    both(torch, lambda: torch_vander(c(2, 3), N=5), lambda: torch.vander(torch.tensor([2., 3.]), 5))


def test_view_as_real_and_complex_share_storage(torch):
    for name in ["ComplexFloat", "ComplexDouble"]:
        for shape in [(3,), (2, 2), ()]:
            vals = (np.arange(int(np.prod(shape))) + 1j * np.arange(int(np.prod(shape)))[::-1]).reshape(shape)
            r, t = pair(torch, vals, name)
            both(torch, lambda: torch_view_as_real(r), lambda: torch.view_as_real(t), f"{name} {shape}")
            v = torch_view_as_real(r)
            both(torch, lambda: torch_view_as_complex(v), lambda: torch.view_as_complex(torch.view_as_real(t)))
            shares(r, v)
        r, t = pair(torch, np.arange(4) + 1j, name)
        both(torch, lambda: torch_view_as_real(r[c(1, 3)] if False else wrap(r._data[::2])),
             lambda: torch.view_as_real(t[::2]), "strided")
    rf, tf = arange(torch, (3,))
    both(torch, lambda: torch_view_as_real(rf), lambda: torch.view_as_real(tf))
    for name in ["Float", "Double", "Long"]:
        for shape in [(3, 2), (2,), (3, 3), (2, 2, 2)]:
            r, t = arange(torch, shape, name)
            both(torch, lambda: torch_view_as_complex(r), lambda: torch.view_as_complex(t), f"{name} {shape}")
    r, t = arange(torch, (3, 2))
    z = torch_view_as_complex(r)
    shares(r, z)
    r2, t2 = arange(torch, (2, 3))
    both(torch, lambda: torch_view_as_complex(r2.t()), lambda: torch.view_as_complex(t2.t()))
    r3, t3 = arange(torch, (3, 3))
    both(torch, lambda: torch_view_as_complex(wrap(r3._data[:, 1:])), lambda: torch.view_as_complex(t3[:, 1:]))
    r5, t5 = arange(torch, (10,))
    both(torch, lambda: torch_view_as_complex(wrap(r5._data[1:9].reshape(4, 2))),
         lambda: torch.view_as_complex(t5[1:9].reshape(4, 2)))
    both(torch, lambda: torch_view_as_complex(wrap(r5._data[2:10].reshape(4, 2))),
         lambda: torch.view_as_complex(t5[2:10].reshape(4, 2)))


def test_view_and_reshape_take_r_torchs_argument_names():
    """R torch's `x$view(size = ...)`, `x$reshape(shape = ...)`, `torch_reshape(x, shape = ...)`."""
    from rtorch import c, torch_arange, torch_reshape
    x = torch_arange(1, 6)
    assert x.view(size=c(2, 3)).shape == (2, 3)
    assert x.reshape(shape=c(3, -1)).shape == (3, 2)
    assert torch_reshape(x, shape=c(6, 1)).shape == (6, 1)
    with pytest.raises(TypeError, match="both positional sizes and shape ="):
        x.reshape(2, shape=c(3, 2))
