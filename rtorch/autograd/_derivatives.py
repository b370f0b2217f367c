"""The derivatives table: for each differentiable tensor method, libtorch's node name and the backward
that goes with the method's forward in the tensor core (one row each, libtorch's formulas from
`derivatives.yaml`, written on rtorch's own ops so that they record under `create_graph`).

A backward takes `(ctx, grad)` — `ctx.args`, `ctx.kwargs` are the call's arguments as given (R torch's
1-based dims), `ctx.result` its output — and returns one gradient per positional argument (None for
arguments that get none). The engine sums each gradient to its input's shape and casts it to its dtype.
A number goes on the right of an operator, and is compared through `.eq()`/`.gt()`..., in these formulas: on
the left of an operator or beside `==` it is R torch's `torch_tensor(x)`, a one-element Float tensor, which
would outrank a 0-d Double gradient and give it a dim.
"""
import math

import numpy as np

from .. import _linalg, _manipulation
from .. import _sampling
from .._indexing import dim0
from .._tensor import Tensor, wrap_as
from ._record import Derivative, wrap_method


def arg(ctx, pos, name, default=None):
    args = ctx.args
    return args[pos] if len(args) > pos else ctx.kwargs.get(name, default)


def _dims(ctx, pos, name, ndim):
    """The reduced dims of a call as sorted 0-based axes (None: all)."""
    d = arg(ctx, pos, name)
    if d is None:
        return None
    if isinstance(d, Tensor):
        d = d._data.tolist()
    if isinstance(d, np.ndarray):
        d = d.tolist()
    ds = d if isinstance(d, (list, tuple)) else [d]
    return sorted(dim0(x, ndim) for x in ds)


def _unreduce(g, axes, keepdim, shape):
    """`g` of a reduction over `axes` (None: all) brought back to broadcast against the input."""
    if axes is None:
        return g.reshape([1] * len(shape)) if shape else g
    if not keepdim:
        for a in axes:
            g = g.unsqueeze(a + 1)
    return g


def _expand(g, shape):
    return g.expand(*shape) if shape else g.reshape(())


def _const(x):
    return not isinstance(x, Tensor)


# -- arithmetic --------------------------------------------------------------------------------------------

def _add(ctx, g):
    alpha = arg(ctx, 2, "alpha", 1)
    return g, (g if alpha == 1 else g * alpha)


def _sub(ctx, g):
    alpha = arg(ctx, 2, "alpha", 1)
    return g, (None if not _needs(ctx.args[1]) else -g if alpha == 1 else g * -alpha)


def _rsub(ctx, g):
    return -g, g


def _needs(t):
    return isinstance(t, Tensor) and t._rg


def _mul(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    return (g * b if _needs(a) else None), (g * a if _needs(b) else None)


def _div(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    if arg(ctx, 2, "rounding_mode") is not None:
        return g * 0, (g * 0 if _needs(b) else None)
    return (g / b if _needs(a) else None), (-g * a / (b * b) if _needs(b) else None)


def _rdiv(ctx, g):
    a, b = ctx.args[0], ctx.args[1]  # b / a
    return -g * b / (a * a), None


def _pow(ctx, g):
    a, e = ctx.args[0], ctx.args[1]
    if _const(e):
        e = float(np.asarray(e).reshape(-1)[0]) if not isinstance(e, (int, float)) else e
        return (g * 0 if e == 0 else g * (a.pow(e - 1) * e)), None
    ga = (g * (e * a.pow(e - 1))).masked_fill(e.eq(0), 0) if a._rg else None
    gb = None
    if e._rg:
        wide = a.to(dtype=ctx.result.dtype)  # libtorch takes the log in the result's dtype
        gb = (g * (ctx.result * wide.log())).masked_fill(a.eq(0) & e.ge(0), 0)
    return ga, gb


def _rpow(ctx, g):
    a, base = ctx.args[0], ctx.args[1]  # base ^ a
    return g * (ctx.result * float(np.log(float(base))) if _const(base) else ctx.result * base.log()), None


def _operand_name(stem):
    """libtorch's node for `x op other`: R torch passes an R number of length one on the right as a Scalar
    (`mul.Scalar`: MulBackward1), a tensor or longer vector as a Tensor (MulBackward0); `div` with a
    rounding mode is DivBackward2 (Tensor) or DivBackward3 (Scalar)."""
    def name(ctx, result):
        other = arg(ctx, 1, "other")
        scalar = not isinstance(other, Tensor) and np.size(other) == 1
        n = int(scalar)
        if stem == "Div" and arg(ctx, 2, "rounding_mode") is not None:
            n += 2
        return f"{stem}Backward{n}"
    return name


def _pow_name(ctx, result):
    return "PowBackward0" if _const(ctx.args[1]) else "PowBackward1"


# -- element-wise functions of one tensor ------------------------------------------------------------------

def _unary(formula):
    return lambda ctx, g: (formula(ctx.args[0], g, ctx),)


_UNARY = {
    "neg": ("NegBackward0", lambda a, g, c: -g, False, False),
    "exp": ("ExpBackward0", lambda a, g, c: g * c.result, False, True),
    "log": ("LogBackward0", lambda a, g, c: g / a, True, False),
    "log2": ("Log2Backward0", lambda a, g, c: g / (a * math.log(2.0)), True, False),
    "log10": ("Log10Backward0", lambda a, g, c: g / (a * math.log(10.0)), True, False),
    "log1p": ("Log1PBackward0", lambda a, g, c: g / (a + 1), True, False),
    "expm1": ("Expm1Backward0", lambda a, g, c: g * (c.result + 1), False, True),
    "sqrt": ("SqrtBackward0", lambda a, g, c: g / (c.result * 2), False, True),
    "rsqrt": ("RsqrtBackward0", lambda a, g, c: g * c.result.pow(3) * -0.5, False, True),
    "sin": ("SinBackward0", lambda a, g, c: g * a.cos(), True, False),
    "cos": ("CosBackward0", lambda a, g, c: g * -a.sin(), True, False),
    "tan": ("TanBackward0", lambda a, g, c: g * (c.result.pow(2) + 1), False, True),
    "sinh": ("SinhBackward0", lambda a, g, c: g * a.cosh(), True, False),
    "cosh": ("CoshBackward0", lambda a, g, c: g * a.sinh(), True, False),
    "asin": ("AsinBackward0", lambda a, g, c: g * (-a * a + 1).rsqrt(), True, False),
    "acos": ("AcosBackward0", lambda a, g, c: g * -((-a * a + 1).rsqrt()), True, False),
    "atan": ("AtanBackward0", lambda a, g, c: g / (a * a + 1), True, False),
    "tanh": ("TanhBackward0", lambda a, g, c: g * (-(c.result * c.result) + 1), False, True),
    "sigmoid": ("SigmoidBackward0", lambda a, g, c: g * (-c.result + 1) * c.result, False, True),
    "relu": ("ReluBackward0", lambda a, g, c: g * c.result.gt(0), False, True),
    "abs": ("AbsBackward0", lambda a, g, c: g * a.sgn(), True, False),
    "square": ("PowBackward0", lambda a, g, c: g * (a * 2), True, False),
    "reciprocal": ("ReciprocalBackward0", lambda a, g, c: -g * (c.result * c.result), False, True),
    "sign": ("SignBackward0", lambda a, g, c: g * 0, False, False),
    "floor": ("FloorBackward0", lambda a, g, c: g * 0, False, False),
    "ceil": ("CeilBackward0", lambda a, g, c: g * 0, False, False),
    "round": ("RoundBackward0", lambda a, g, c: g * 0, False, False),
    "trunc": ("TruncBackward0", lambda a, g, c: g * 0, False, False),
    "erf": ("ErfBackward0", lambda a, g, c: g * (2 / math.sqrt(math.pi)) * (-a * a).exp(), True, False),
    "lgamma": ("LgammaBackward0", lambda a, g, c: g * a.digamma(), True, False),
    "digamma": ("DigammaBackward0", lambda a, g, c: g * _polygamma_of(1, a), True, False),
}


def _standard_gamma(ctx, g):
    return g * _sampling.torch__standard_gamma_grad(ctx.args[0], ctx.result),


def _clamp(ctx, g):
    a = ctx.args[0]
    lo, hi = arg(ctx, 1, "min"), arg(ctx, 2, "max")
    keep = None
    if lo is not None:
        keep = a.ge(lo)
    if hi is not None:
        keep = a.le(hi) if keep is None else keep & a.le(hi)
    out = g if keep is None else g * keep
    both = lo is not None and hi is not None
    glo = None if _const(lo) else g * (a.lt(lo) & lo.lt(hi)) if both else g * a.lt(lo)
    ghi = None if _const(hi) else g * (a.gt(hi) | hi.lt(lo)) if both else g * a.gt(hi)
    return out, glo, ghi


def _clamp_name(ctx, result):
    lo, hi = arg(ctx, 1, "min"), arg(ctx, 2, "max")
    return "ClampBackward0" if isinstance(lo, Tensor) or isinstance(hi, Tensor) else "ClampBackward1"


def _extremum(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    first = ctx.result == a
    both = first & (ctx.result == b)
    ga = g * first
    ga = ga - g * both * 0.5
    gb = g * (ctx.result == b) - g * both * 0.5
    return ga, (None if _const(b) else gb)


# -- reductions --------------------------------------------------------------------------------------------

def _sum(ctx, g):
    a = ctx.args[0]
    axes = _dims(ctx, 1, "dim", a.ndim)
    return _expand(_unreduce(g, axes, arg(ctx, 2, "keepdim", False), a.shape), a.shape),


def _mean(ctx, g):
    a = ctx.args[0]
    axes = _dims(ctx, 1, "dim", a.ndim)
    n = a._data.size if axes is None else int(np.prod([a.shape[i] for i in axes]))
    return _expand(_unreduce(g, axes, arg(ctx, 2, "keepdim", False), a.shape), a.shape) / n,


def _reduction_name(prefix):
    return lambda ctx, result: prefix + ("0" if arg(ctx, 1, "dim") is None else "1")


def _var_terms(ctx, name_pos=2):
    a = ctx.args[0]
    axes = _dims(ctx, 1, "dim", a.ndim)
    unbiased = arg(ctx, 2, "unbiased", True)
    if "correction" in ctx.kwargs:
        correction = ctx.kwargs["correction"]
    else:
        correction = 1 if unbiased else 0
    keepdim = arg(ctx, 3, "keepdim", False)
    n = a._data.size if axes is None else int(np.prod([a.shape[i] for i in axes]))
    dims = None if axes is None else [i + 1 for i in axes]
    centred = a - (a.mean() if dims is None else a.mean(dim=dims, keepdim=True))
    return a, axes, keepdim, centred, max(n - correction, 0)


def _var(ctx, g):
    a, axes, keepdim, centred, d = _var_terms(ctx)
    return _unreduce(g, axes, keepdim, a.shape) * centred * (2.0 / d),


def _std(ctx, g):
    a, axes, keepdim, centred, d = _var_terms(ctx)
    std = _unreduce(ctx.result, axes, keepdim, a.shape)
    return (_unreduce(g, axes, keepdim, a.shape) * centred / (std * d)).masked_fill(std.eq(0), 0),


def _prod(ctx, g):
    a = ctx.args[0]
    d = arg(ctx, 1, "dim")
    if d is None:
        flat = a.reshape(-1)
        return (g * _prod_others(flat, 0)).reshape(a.shape),
    axis = dim0(d, a.ndim)
    return _unreduce(g, [axis], arg(ctx, 2, "keepdim", False), a.shape) * _prod_others(a, axis),


def _prod_others(a, axis):
    """The product of all other elements along `axis`, for each element (correct with zeros too)."""
    n = a.shape[axis]
    ones_shape = list(a.shape)
    ones_shape[axis] = 1
    one = a.new_ones(ones_shape)
    d = axis + 1
    left = one if n == 1 else _cat([one, a.narrow(d, 1, n - 1).cumprod(d)], d)
    right = one if n == 1 else _cat([a.flip(d).narrow(d, 1, n - 1).cumprod(d).flip(d), one], d)
    return left * right


def _cat(ts, d):
    return _recorded("cat")(ts, dim=d)


_RECORDED = {}


def _recorded(name):
    """The recorded `torch_<name>()` (so that a create_graph backward records it too), made here from the
    core's function and its row of FUNCTIONS: rtorch._functions, which holds the same, imports autograd."""
    fn = _RECORDED.get(name)
    if fn is None:
        from ._record import wrap_method
        fn = _RECORDED[name] = wrap_method(getattr(_manipulation, name), FUNCTIONS["torch_" + name])
    return fn


def _extreme_all(ctx, g):
    a = ctx.args[0]
    hits = a == ctx.result
    return hits * (g / hits.sum()),


def _max(ctx, g, *rest):
    a = ctx.args[0]
    d = arg(ctx, 1, "dim")
    other = arg(ctx, 3, "other")
    if other is not None:
        ga, gb = _extremum(_Ctx((a, other), {}, ctx.result), g)
        return ga, None, None, gb
    if isinstance(d, Tensor):
        return _extremum(_Ctx((a, d), {}, ctx.result), g)
    if d is None:
        return _extreme_all(ctx, g)
    return _select_back(g, ctx.aux[1], dim0(d, a.ndim), arg(ctx, 2, "keepdim", False), a),


def _max_name(prefix):
    def name(ctx, result):
        d, other = arg(ctx, 1, "dim"), arg(ctx, 3, "other")
        if isinstance(d, Tensor) or other is not None:
            return "MaximumBackward0" if prefix == "Max" else "MinimumBackward0"
        return prefix + ("Backward1" if d is None else "Backward0")
    return name


def _select_back(g, indices, axis, keepdim, a):
    """Gradient of taking `indices` (1-based) along `axis`: zeros with `g` put at those positions."""
    if not keepdim:
        g = g.unsqueeze(axis + 1)
        indices = indices.unsqueeze(axis + 1)
    return a.new_zeros(a.shape, dtype=g.dtype).scatter(axis + 1, indices, g)


def _amax(ctx, g):
    a = ctx.args[0]
    axes = _dims(ctx, 1, "dim", a.ndim)
    keepdim = arg(ctx, 2, "keepdim", False)
    r = _unreduce(ctx.result, axes, keepdim, a.shape)
    hits = a == r
    count = hits.sum() if axes is None else hits.sum(dim=[i + 1 for i in axes], keepdim=True)
    return hits * (_unreduce(g, axes, keepdim, a.shape) / count),


def _logsumexp(ctx, g):
    a = ctx.args[0]
    axes = _dims(ctx, 1, "dim", a.ndim)
    keepdim = arg(ctx, 2, "keepdim", False)
    return _unreduce(g, axes, keepdim, a.shape) * (a - _unreduce(ctx.result, axes, keepdim, a.shape)).exp(),


def _cumsum(ctx, g):
    d = dim0(arg(ctx, 1, "dim"), ctx.args[0].ndim) + 1
    return g.flip(d).cumsum(d).flip(d),


def _softmax(ctx, g):
    d = arg(ctx, 1, "dim")
    y = ctx.result
    return y * (g - (g * y).sum(dim=d, keepdim=True)),


def _log_softmax(ctx, g):
    d = arg(ctx, 1, "dim")
    return g - ctx.result.exp() * g.sum(dim=d, keepdim=True),


def _norm(ctx, g):
    a = ctx.args[0]
    p = arg(ctx, 1, "p", 2)
    axes = _dims(ctx, 2, "dim", a.ndim)
    keepdim = arg(ctx, 3, "keepdim", False)
    n = _unreduce(ctx.result, axes, keepdim, a.shape)
    gg = _unreduce(g, axes, keepdim, a.shape)
    if p == 2 or p == "fro":
        return (gg * a / n).masked_fill(n.eq(0), 0),
    if p == 1:
        return gg * a.sign(),
    if p == float("inf"):
        hits = a.abs() == n
        count = hits.sum() if axes is None else hits.sum(dim=[i + 1 for i in axes], keepdim=True)
        return gg * a.sign() * hits / count,
    return (gg * a * a.abs().pow(p - 2) / n.pow(p - 1)).masked_fill(n.eq(0), 0),


# -- products ----------------------------------------------------------------------------------------------

def _mm(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    return (g.mm(b.t()) if a._rg else None), (a.t().mm(g) if b._rg else None)


def _bmm(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    return (g.bmm(b.transpose(2, 3)) if a._rg else None), (a.transpose(2, 3).bmm(g) if b._rg else None)


def _dot(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    return g * b, g * a


def _mv(ctx, g):
    m, v = ctx.args[0], ctx.args[1]
    return g.unsqueeze(2) * v.unsqueeze(1), m.t().mv(g)


def _matmul(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    if a.ndim == 1 and b.ndim == 1:
        return g * b, g * a
    a2 = a.unsqueeze(1) if a.ndim == 1 else a
    b2 = b.unsqueeze(2) if b.ndim == 1 else b
    g2 = g
    if a.ndim == 1:
        g2 = g2.unsqueeze(-2)
    if b.ndim == 1:
        g2 = g2.unsqueeze(-1)
    ga = g2.matmul(b2.transpose(-1, -2)) if a._rg else None
    gb = a2.transpose(-1, -2).matmul(g2) if isinstance(b, Tensor) and b._rg else None
    if ga is not None and a.ndim == 1:
        ga = ga.squeeze(-2)
        ga = ga.reshape(-1, a.shape[0]).sum(dim=1) if ga.ndim > 1 else ga
    if gb is not None and b.ndim == 1:
        gb = gb.squeeze(-1)
        gb = gb.reshape(-1, b.shape[0]).sum(dim=1) if gb.ndim > 1 else gb
    return ga, gb


def _rmatmul(ctx, g):  # other @ self
    a, b = ctx.args[0], ctx.args[1]
    inner = _Ctx((b, a), {})
    gb, ga = _matmul(inner, g)
    return ga, gb


class _Ctx:
    """A stand-in context, to reuse one backward for a call spelled another way."""
    def __init__(self, args, kwargs, result=None):
        self.args, self.kwargs, self.result = args, kwargs, result


def _matmul_name(ctx, result):
    a, b = ctx.args[0], ctx.args[1]
    if not isinstance(b, Tensor):
        return "MmBackward0"
    if ctx.args[0].ndim == 1 and b.ndim == 1:
        return "DotBackward0"
    if a.ndim == 2 and b.ndim == 1:
        return "MvBackward0"
    if a.ndim <= 2 and b.ndim <= 2:
        return "MmBackward0" if a.ndim == 2 else "SqueezeBackward4"
    if a._rg and (a.ndim == 2 or a.ndim == 3 and b.ndim == 3 and a.shape[0] == 1 and b.shape[0] != 1):
        # libtorch folds b's batch into a matrix when a requires grad: (b^T a^T)^T, made contiguous (a
        # copy unless a side is 1)
        return "TransposeBackward0" if a.shape[-2] == 1 or b.shape[-1] == 1 else "CloneBackward0"
    return "UnsafeViewBackward0"


# -- shapes and views --------------------------------------------------------------------------------------

def _as_input(ctx, g):
    return g.reshape(ctx.args[0].shape) if ctx.args[0].shape else g.reshape(()),


def _identity(ctx, g):
    return g,


def _view_name(ctx, result):
    a = ctx.args[0]
    return "ViewBackward0" if np.shares_memory(result._data, a._data) else "UnsafeViewBackward0"


def _squeeze_name(ctx, result):
    d = arg(ctx, 1, "dim")
    return "SqueezeBackward0" if d is None else "SqueezeBackward2" if isinstance(d, (list, tuple)) else \
        "SqueezeBackward1"


def _flatten_alias(a, result):
    """libtorch's flatten returns its input itself when start_dim == end_dim (the shape is unchanged)."""
    return a._data.ndim > 0 and result._data.shape == a._data.shape


def _transpose(ctx, g):
    a = ctx.args[0]
    if a.ndim < 2:
        return g,
    return g.transpose(arg(ctx, 1, "dim0_"), arg(ctx, 2, "dim1")),


def _t(ctx, g):
    return (g.t() if g.ndim == 2 else g),


def _permute(ctx, g):
    a = ctx.args[0]
    dims = ctx.args[1:] if len(ctx.args) > 1 else ctx.kwargs.get("dims")
    if len(dims) == 1 and isinstance(dims[0], (list, tuple, np.ndarray)):
        dims = dims[0]
    axes = [dim0(int(d), a.ndim) for d in dims]
    inverse = np.argsort(axes)
    return g.permute(*[int(i) + 1 for i in inverse]),


def _movedim(ctx, g):
    a = ctx.args[0]
    src, dst = arg(ctx, 1, "source"), arg(ctx, 2, "destination")
    return g.movedim(dst, src),


def _flip(ctx, g):
    return g.flip(arg(ctx, 1, "dims")),


def _roll(ctx, g):
    shifts = arg(ctx, 1, "shifts")
    dims = arg(ctx, 2, "dims", ())
    neg = [-s for s in shifts] if isinstance(shifts, (list, tuple)) else -shifts
    return (g.roll(neg, dims) if dims != () else g.roll(neg)),


def _repeat(ctx, g):
    a = ctx.args[0]
    reps = [int(r) for r in (ctx.args[1:] if len(ctx.args) > 1 else ctx.kwargs.get("sizes"))]
    if len(reps) == 1 and isinstance(reps[0], (list, tuple)):
        reps = list(reps[0])
    shape = list(a.shape)
    shape = [1] * (len(reps) - len(shape)) + shape
    split = []
    for r, s in zip(reps, shape):
        split += [r, s]
    g = g.reshape(split)
    g = g.sum(dim=list(range(1, 2 * len(reps), 2)))
    return g.reshape(a.shape) if a.shape else g.reshape(()),


def _triu(ctx, g):
    return g.triu(arg(ctx, 1, "diagonal", 0)),


def _tril(ctx, g):
    return g.tril(arg(ctx, 1, "diagonal", 0)),


def _split_back(ctx, *grads):
    a = ctx.args[0]
    pos = 2
    d = arg(ctx, pos, "dim", 1)
    return _cat(list(grads), d),


def _unbind_back(ctx, *grads):
    return _recorded("stack")(list(grads), dim=arg(ctx, 1, "dim", 1)),


def _cat_back(ctx, g):
    ts = ctx.args[0]
    d = arg(ctx, 1, "dim", 1)
    nd = max(t.ndim for t in ts)
    axis = dim0(d, nd) + 1
    out, start = [], 1
    for t in ts:
        if t.ndim == 1 and t.shape[0] == 0 and nd > 1:  # libtorch skips empty 1-d tensors in cat
            out.append(None)
            continue
        n = t.shape[axis - 1]
        out.append(g.narrow(axis, start, n) if n else t.new_zeros(t.shape))
        start += n
    return out,


def _stack_back(ctx, g):
    ts = ctx.args[0]
    axis = dim0(arg(ctx, 1, "dim", 1), ts[0].ndim + 1) + 1
    return [g.select(axis, i + 1) for i in range(len(ts))],


def _narrow(ctx, g):
    a = ctx.args[0]
    return _positions_back(ctx, g, a),


def _positions_back(ctx, g, a):
    """Gradient of any read of `a`'s elements (a view or a gather of them): each output element's
    gradient is added at the position it was read from."""
    pos = _positions(ctx, a)
    return _scatter_positions(g, pos, a.shape)


def _positions(ctx, a):
    """Where in `a` (flat, 0-based) each element of the result was read from: the same operation applied
    to the positions themselves."""
    ids = wrap_as(np.arange(a._data.size, dtype=np.int64).reshape(a.shape), _long())
    from ._record import _forward
    return _forward(ctx.core, (ids,) + tuple(ctx.args[1:]), ctx.kwargs)._data


def _long():
    from .._dtypes import torch_long
    return torch_long()


def _scatter_positions(g, pos, shape):
    from ._ops import scatter_flat
    return scatter_flat(g, pos, tuple(shape))


def _index_select(ctx, g):
    a = ctx.args[0]
    return _positions_back(ctx, g, a),


def _gather(ctx, g):
    a = ctx.args[0]
    return _positions_back(ctx, g, a),


def _by_tensor_arg(pos, name, tensor, other):
    """libtorch's node by overload: one name when argument `name` is a tensor, another for a Scalar."""
    return lambda ctx, result: tensor if isinstance(arg(ctx, pos, name), Tensor) else other


def _split_name(ctx, result):
    size = arg(ctx, 1, "split_size")
    return "SplitWithSizesBackward0" if isinstance(size, (list, tuple, np.ndarray)) else "SplitBackward0"


def _masked_fill(ctx, g):
    mask, value = arg(ctx, 1, "mask"), arg(ctx, 2, "value")
    gv = None if _const(value) else (g * mask).sum()
    return g.masked_fill(mask, 0), None, gv


def _where(ctx, g):
    cond, a, b = ctx.args[0], arg(ctx, 1, "self"), arg(ctx, 2, "other")
    return None, (None if _const(a) else g * cond), (None if _const(b) else g * ~cond)


def _scatter(ctx, g):
    d, index, src = arg(ctx, 1, "dim"), arg(ctx, 2, "index"), arg(ctx, 3, "src")
    gsrc = None if _const(src) else g.gather(d, index)
    return g.scatter(d, index, 0), None, None, gsrc


def _to(ctx, g):
    return g,


def _to_name(ctx, result):
    return "ToCopyBackward0"


def _getitem(ctx, g):
    return _positions_back(ctx, g, ctx.args[0]), None


def _getitem_name(ctx, result):
    index = ctx.args[1]
    items = index if type(index) is tuple else (index,)
    last = None
    for item in items:
        if item is None:
            last = "UnsqueezeBackward0"
        elif isinstance(item, slice):
            last = "SliceBackward0" if last != "IndexBackward0" else last
        elif item is Ellipsis or type(item).__name__ == "drop":
            continue
        elif isinstance(item, (int, float, np.integer, np.floating)) and not isinstance(item, bool):
            last = "SelectBackward0" if last != "IndexBackward0" else last
        else:
            last = "IndexBackward0"
    return last or "AliasBackward0"


def _setitem(ctx, g):
    a, index, value = ctx.args[0], ctx.args[1], ctx.args[2]
    pos = _set_positions(ctx, a)
    flat = g.reshape(-1)
    keep = np.ones(a._data.size, dtype=bool)
    keep[pos.reshape(-1)] = False
    ga = (flat * wrap_as(keep, _bool())).reshape(a.shape) if a.shape else g * bool(keep.all())
    gv = None
    if isinstance(value, Tensor) and value._rg:
        from ._ops import take_flat
        gv = take_flat(g, pos)
    return ga, None, gv


def _bool():
    from .._dtypes import torch_bool
    return torch_bool()


def _set_positions(ctx, a):
    """The flat positions an assignment `a[index] <- value` wrote, read as `a[index]` of the positions."""
    from .._indexing import getitem
    ids = wrap_as(np.arange(a._data.size, dtype=np.int64).reshape(a.shape), _long())
    return getitem(ids, ctx.args[1])._data


def _setitem_name(ctx, result):
    index = ctx.args[1]
    items = index if type(index) is tuple else (index,)
    if any(isinstance(i, (Tensor, list, np.ndarray)) for i in items):
        return "IndexPutBackward0"
    return "CopySlices"


def _masked_scatter_like(ctx, g):
    return _positions_back(ctx, g, ctx.args[0]), None


def _clone(ctx, g):
    return g,


# -- spectral: the adjoint transform, in the other direction with the adjoint mode's normalisation; the
# adjoint of the forward's cut or zero-padding to `n` points; the real part for a real input

def _recorded_in(module, name, key):
    fn = _RECORDED.get(key)
    if fn is None:
        from ._record import wrap_method
        fn = _RECORDED[key] = wrap_method(getattr(module, name), FUNCTIONS[key])
    return fn


def _spectral(name):
    from .. import _spectral as sp
    return _recorded_in(sp, name, name)


def _real(g):
    return _recorded_in(_manipulation, "real", "real")(g)


def _fft_call(ctx):
    from .._spectral import ADJOINT, mode
    x = ctx.args[0]
    return x, arg(ctx, 1, "n"), dim0(arg(ctx, 2, "dim", -1), x.ndim), ADJOINT[mode(arg(ctx, 3, "norm"))]


def _fit(g, axis, m):
    """`g` cut or zero-padded to `m` points along `axis`."""
    k = g.shape[axis]
    if k > m:
        return g.narrow(axis + 1, 1, m)
    if k < m:
        shape = list(g.shape)
        shape[axis] = m - k
        return _cat([g, g.new_zeros(shape)], axis + 1)
    return g


def _c2c(other):
    """fft_fft / fft_ifft: the transform in the other direction (libtorch's FftC2C / FftR2C backward)."""
    def backward(ctx, g):
        x, _, axis, norm = _fft_call(ctx)
        gi = _spectral(other)(g, dim=axis + 1, norm=norm)
        if x.dtype.category < 3:
            gi = _real(gi)
        return _fit(gi, axis, x.shape[axis]),
    return backward


def _rfft(ctx, g):
    """The one-sided spectrum zero-padded to the full `n` points, transformed back; its real part."""
    x, n, axis, norm = _fft_call(ctx)
    n = x.shape[axis] if n is None else int(n)
    return _fit(_real(_spectral("fft_ifft")(g, n=n, dim=axis + 1, norm=norm)), axis, x.shape[axis]),


def _irfft(ctx, g):
    """libtorch's fft_c2r_backward: the one-sided transform of the gradient, its frequencies that stand
    for two (all but zero and Nyquist) doubled."""
    x, n, axis, norm = _fft_call(ctx)
    half = x.shape[axis]
    n = 2 * (half - 1) if n is None else int(n)
    gi = _spectral("fft_rfft")(g, dim=axis + 1, norm=norm)
    k = n // 2 + 1
    twice = np.ones((k,) + (1,) * (g.ndim - axis - 1), dtype=g._data.dtype)
    twice[1:n - k + 1] = 2
    from .._creation import torch_tensor
    return _fit(gi * torch_tensor(twice, dtype=g.dtype, device=g.device), axis, half),


def _fft_name(real_input):
    return lambda ctx, result: "FftC2CBackward0" if ctx.args[0].dtype.category == 3 else real_input


def _stft_call(ctx):
    """The stft call's input and plan, its arguments bound by name (`torch_stft` passes no `pad_mode`)."""
    import inspect
    from .. import _spectral as sp
    kw = dict(inspect.signature(ctx.core).bind(*ctx.args, **ctx.kwargs).arguments)
    if ctx.core is sp.torch_stft:
        kw.pop("pad_mode", None)
        kw["self"] = kw.pop("input")
    return kw["self"], sp.stft_plan(**kw)


def _stft_name(ctx, result):
    x, plan = _stft_call(ctx)
    return ("ViewAsRealBackward0" if not plan.return_complex else "SqueezeBackward4" if plan.one_signal
            else "TransposeBackward1")


def _stft_window(plan, like):
    """The n_fft-point window the frames were multiplied by, as a (recorded) tensor, or None."""
    w = plan.window
    if w is None:
        from .. import _spectral as sp
        from .._devices import array_module
        arr = sp.padded_window(plan, array_module(like.device))
        return None if arr is None else wrap_as(arr, plan.dtype)
    left = (plan.n_fft - plan.win) // 2
    right = plan.n_fft - plan.win - left
    parts = ([w.new_zeros([left])] if left else []) + [w] + ([w.new_zeros([right])] if right else [])
    return _cat(parts, 1) if len(parts) > 1 else w


def _stft(ctx, g):
    """The frames' gradient is the adjoint transform of the output's; it is added back where each frame
    read the (padded) input, times the window; the window's is summed over the frames."""
    from .. import _spectral as sp
    from .._devices import array_module
    from ._ops import scatter_flat, take_flat
    x, plan = _stft_call(ctx)
    if not plan.return_complex:
        g = _recorded_in(_manipulation, "view_as_complex", "view_as_complex")(g.contiguous())
    if plan.one_signal:
        g = g.unsqueeze(1)
    gf = _spectral("fft_ifft")(g.transpose(2, 3), n=plan.n_fft if plan.onesided else None, dim=3,
                               norm="ortho" if plan.normalized else "forward")
    xp = array_module(x.device)
    pos = sp.framed(xp.arange(x._data.size, dtype=np.int64).reshape(x.shape), plan, xp, fill=-1)
    keep = pos >= 0
    pos = xp.where(keep, pos, 0)
    real = sp._REAL_OF.get(gf.dtype.name, gf.dtype)
    mask = None if bool(keep.all()) else wrap_as(keep.astype(real.numpy), real)
    w = _stft_window(plan, x)
    gx = gw = None
    if x._rg:
        gx = gf if w is None else gf * (w.conj() if w.dtype.category == 3 else w)
        gx = gx if mask is None else gx * mask
        gx = scatter_flat(gx if x.dtype.category == 3 else _real(gx), pos, tuple(x.shape))
    if plan.window is not None and plan.window._rg:
        fx = take_flat(x, pos)
        fx = fx if mask is None else fx * mask
        gw = (gf * (fx.conj() if fx.dtype.category == 3 else fx)).sum(dim=[1, 2])
        gw = gw if plan.window.dtype.category == 3 else _real(gw)
        if plan.win < plan.n_fft:
            gw = gw.narrow(1, (plan.n_fft - plan.win) // 2 + 1, plan.win)
    return gx, None, None, None, gw


def _istft_call(ctx):
    import inspect
    from .. import _spectral as sp
    kw = dict(inspect.signature(ctx.core).bind(*ctx.args, **ctx.kwargs).arguments)
    return kw["self"], sp.istft_plan(**kw)


def _istft_name(ctx, result):
    _, p = _istft_call(ctx)
    return "ConstantPadNdBackward0" if p.end > p.expected else "DivBackward0" if p.batched else "SqueezeBackward1"


def _conj(t):
    return t.conj() if t.dtype.category == 3 else t


def _istft(ctx, g):
    """Through the division by the overlap-added squared window, the overlap-add (a gather of the
    gradient at each frame's points), the window and the adjoint transform of the frames; the window's
    gradient gathers both of its uses."""
    from .. import _spectral as sp
    from .._devices import array_module
    from ._ops import scatter_flat, take_flat
    x, p = _istft_call(ctx)
    xp = array_module(x.device)
    k, stop = p.n_fft // 2 + 1, min(p.end, p.expected)
    m = stop - p.start
    if not p.batched:
        g = g.unsqueeze(1)
    batch = g.shape[0]
    g = g.narrow(2, 1, m) if g.shape[1] > m else g
    pos_frames = (np.arange(p.n_frames)[:, None] * p.hop + np.arange(p.n_fft)[None, :])
    pos = xp.asarray(np.arange(batch)[:, None, None] * p.expected + pos_frames[None])
    w = _stft_window(p, x) if p.window is not None else wrap_as(sp.istft_window(p, xp), _real_dtype(p.dtype))
    w2 = w * w
    envelope = scatter_flat(w2.expand(p.n_frames, p.n_fft), xp.asarray(pos_frames), (p.expected,))
    envelope = envelope.narrow(1, p.start + 1, m)
    norm = "ortho" if p.normalized else "backward"
    xb = x if p.batched else x.unsqueeze(1)
    gs = _fit(_cat([g.new_zeros([batch, p.start]), g / _conj(envelope)], 2) if p.start else g / _conj(envelope),
              1, p.expected)
    gz = take_flat(gs, pos)
    gx = gw = None
    if x._rg:
        gy = gz * _conj(w)
        if p.return_complex:
            gt = _spectral("fft_fft")(gy, dim=3, norm=sp.ADJOINT[norm])
        else:
            twice = np.ones(k, dtype=_real_dtype(gy.dtype).numpy)
            twice[1:p.n_fft - k + 1] = 2
            from .._creation import torch_tensor
            gt = _spectral("fft_rfft")(gy, dim=3, norm=sp.ADJOINT[norm])
            gt = _fit(gt * torch_tensor(twice, dtype=_real_dtype(gy.dtype), device=gy.device), 2, xb.shape[1])
        gx = gt.transpose(2, 3).reshape(x.shape)
    if p.window is not None and p.window._rg:
        frames = xb.transpose(2, 3)
        if p.return_complex:
            y = _spectral("fft_ifft")(frames, dim=3, norm=norm)
        else:
            y = _spectral("fft_irfft")(frames.narrow(3, 1, k) if frames.shape[2] > k else frames, n=p.n_fft, dim=3,
                                       norm=norm)
        signal = scatter_flat(y * w, pos, (batch, p.expected)).narrow(2, p.start + 1, m)
        out = signal / envelope
        g_env = -(g * _conj(out) / _conj(envelope)).sum(dim=1)
        g_env = _fit(_cat([g_env.new_zeros([p.start]), g_env], 1) if p.start else g_env, 0, p.expected)
        gw = (gz * _conj(y)).sum(dim=[1, 2]) + take_flat(g_env, xp.asarray(pos_frames)).sum(dim=1) * _conj(w * 2)
        gw = gw if p.window.dtype.category == 3 else _real(gw)
        if p.win < p.n_fft:
            gw = gw.narrow(1, (p.n_fft - p.win) // 2 + 1, p.win)
    return gx, None, None, None, gw


def _real_dtype(d):
    from .._spectral import _REAL_OF
    return _REAL_OF.get(d.name, d)


def _imag(ctx, g):
    """The gradient as imaginary parts: libtorch's imag is view_as_real(x)[..., 1]."""
    parts = _recorded("stack")([g * 0, g], dim=-1)
    return _recorded_in(_manipulation, "view_as_complex", "view_as_complex")(parts),


def _view_as_complex_back(ctx, g):
    return _recorded_in(_manipulation, "view_as_real", "view_as_real")(g),


def _view_as_real_back(ctx, g):
    return _recorded_in(_manipulation, "view_as_complex", "view_as_complex")(g.contiguous()),


_D = Derivative
TABLE = {
    "add": _D(_operand_name("Add"), _add), "__add__": _D(_operand_name("Add"), _add),
    "__radd__": _D("AddBackward0", _add),
    "sub": _D(_operand_name("Sub"), _sub), "__sub__": _D(_operand_name("Sub"), _sub),
    "subtract": _D(_operand_name("Sub"), _sub),
    "__rsub__": _D("SubBackward0", _rsub),  # R torch: torch_sub(torch_tensor(e1), e2)
    "mul": _D(_operand_name("Mul"), _mul, saves=(0, 1)), "__mul__": _D(_operand_name("Mul"), _mul, saves=(0, 1)),
    "__rmul__": _D("MulBackward0", _mul, saves=(0, 1)), "multiply": _D(_operand_name("Mul"), _mul, saves=(0, 1)),
    "div": _D(_operand_name("Div"), _div, saves=(0, 1)), "__truediv__": _D(_operand_name("Div"), _div, saves=(0, 1)),
    "divide": _D(_operand_name("Div"), _div, saves=(0, 1)), "__rtruediv__": _D("DivBackward0", _rdiv, saves=(0, 1)),
    "pow": _D(_pow_name, _pow, saves=(0, 1), saves_result=True),
    "__pow__": _D(_pow_name, _pow, saves=(0, 1), saves_result=True),
    "__rpow__": _D("PowBackward1", _rpow, saves=(0,), saves_result=True),  # torch_pow(torch_tensor(e1), e2)
    "clamp": _D(_clamp_name, _clamp, saves=(0,)), "clip": _D(_clamp_name, _clamp, saves=(0,)),
    "maximum": _D("MaximumBackward0", _extremum, saves=(0, 1), saves_result=True),
    "minimum": _D("MinimumBackward0", _extremum, saves=(0, 1), saves_result=True),
    "sum": _D(_reduction_name("SumBackward"), _sum), "mean": _D(_reduction_name("MeanBackward"), _mean),
    "prod": _D(_reduction_name("ProdBackward"), _prod, saves=(0,)),
    "var": _D("VarBackward0", _var, saves=(0,)), "std": _D("StdBackward0", _std, saves=(0,), saves_result=True),
    "max": _D(_max_name("Max"), _max, saves=(0,), saves_result=True),
    "min": _D(_max_name("Min"), _max, saves=(0,), saves_result=True),
    "amax": _D("AmaxBackward0", _amax, saves=(0,), saves_result=True),
    "amin": _D("AminBackward0", _amax, saves=(0,), saves_result=True),
    "logsumexp": _D("LogsumexpBackward0", _logsumexp, saves=(0,), saves_result=True),
    "cumsum": _D("CumsumBackward0", _cumsum), "norm": _D(_reduction_name("NormBackward"), _norm, saves=(0,),
                                                         saves_result=True),
    "softmax": _D("SoftmaxBackward0", _softmax, saves_result=True),
    "log_softmax": _D("LogSoftmaxBackward0", _log_softmax, saves_result=True),
    "mm": _D("MmBackward0", _mm, saves=(0, 1)), "bmm": _D("BmmBackward0", _bmm, saves=(0, 1)),
    "matmul": _D(_matmul_name, _matmul, saves=(0, 1)), "__matmul__": _D(_matmul_name, _matmul, saves=(0, 1)),
    "__rmatmul__": _D(_matmul_name, _rmatmul, saves=(0, 1)),
    "dot": _D("DotBackward0", _dot, saves=(0, 1)), "mv": _D("MvBackward0", _mv, saves=(0, 1)),
    "view": _D("ViewBackward0", _as_input, view=True), "view_as": _D("ViewBackward0", _as_input, view=True),
    "reshape": _D(_view_name, _as_input, view=True), "flatten": _D(_view_name, _as_input, view=True, alias=_flatten_alias),
    "squeeze": _D(_squeeze_name, _as_input, view=True),
    "unsqueeze": _D("UnsqueezeBackward0", _as_input, view=True),
    "unflatten": _D("ViewBackward0", _as_input, view=True),
    "expand": _D("ExpandBackward0", _identity, view=True), "expand_as": _D("ExpandBackward0", _identity, view=True),
    "broadcast_to": _D("ExpandBackward0", _identity, view=True),
    "t": _D("TBackward0", _t, view=True), "transpose": _D("TransposeBackward0", _transpose, view=True),
    "permute": _D("PermuteBackward0", _permute, view=True), "movedim": _D("PermuteBackward0", _movedim, view=True),
    "contiguous": _D("CloneBackward0", _clone), "clone": _D("CloneBackward0", _clone),
    "narrow": _D("SliceBackward0", _narrow, view=True), "select": _D("SelectBackward0", _narrow, view=True),
    "flip": _D("FlipBackward0", _flip), "roll": _D("RollBackward0", _roll), "repeat": _D("RepeatBackward0", _repeat),
    "triu": _D("TriuBackward0", _triu), "tril": _D("TrilBackward0", _tril),
    "diagonal": _D("DiagonalBackward0", _narrow, view=True),
    "take": _D("TakeBackward0", _narrow), "masked_select": _D("MaskedSelectBackward0", _narrow),
    "index_select": _D("IndexSelectBackward0", _index_select), "gather": _D("GatherBackward0", _gather),
    "scatter": _D(_by_tensor_arg(3, "src", "ScatterBackward0", "ScatterBackward1"), _scatter),
    "masked_fill": _D(_by_tensor_arg(2, "value", "MaskedFillBackward1", "MaskedFillBackward0"), _masked_fill),
    "chunk": _D("SplitBackward0", _split_back, view=True),
    "split": _D(_split_name, _split_back, view=True),
    "unbind": _D("UnbindBackward0", _unbind_back, view=True),
    "to": _D(_to_name, _to), "float": _D(_to_name, _to), "double": _D(_to_name, _to), "half": _D(_to_name, _to),
    "type_as": _D(_to_name, _to), "cpu": _D(_to_name, _to), "cuda": _D(_to_name, _to),
    "__getitem__": _D(_getitem_name, _getitem, view=True),
    "__neg__": _D("NegBackward0", _unary(_UNARY["neg"][1])), "negative": _D("NegBackward0", _unary(_UNARY["neg"][1])),
    "__abs__": _D("AbsBackward0", _unary(_UNARY["abs"][1]), saves=(0,)),
}
for _name, (_node, _formula, _saves_input, _saves_result) in _UNARY.items():
    TABLE[_name] = _D(_node, _unary(_formula), saves=(0,) if _saves_input else (), saves_result=_saves_result)

# -- array backwards ----------------------------------------------------------------------------------------
# The formulas above, in the same order of operations, on the arrays themselves: what the engine runs when
# the backward builds no graph. Only for NumPy float32/float64 gradients whose tensor operands have the
# gradient's dtype; anything else returns NotImplemented and takes the tensor formula (promotion, devices).

def _ok(g):
    return type(g) is np.ndarray and (g.dtype.char == "f" or g.dtype.char == "d")


def _operand(x, g):
    """`x`'s array if it is a tensor of `g`'s dtype, `x` if it is a Python number, else None."""
    if type(x) is Tensor:
        d = x._data
        return d if type(d) is np.ndarray and d.dtype == g.dtype else None
    if type(x) is float or type(x) is int:
        return x
    return None


def _res(ctx):
    ref, data = ctx._result[0], ctx._result[1]
    t = ref()
    return data if t is None else t._data


def _scalar(x):
    return type(x) is int or type(x) is float


def _add_fast(ctx, g):
    if not _ok(g):
        return NotImplemented
    alpha = arg(ctx, 2, "alpha", 1)
    if not _scalar(alpha):
        return NotImplemented
    return g, (None if not _needs(ctx.args[1]) else g if alpha == 1 else g * alpha)


def _sub_fast(ctx, g):
    if not _ok(g):
        return NotImplemented
    alpha = arg(ctx, 2, "alpha", 1)
    if not _scalar(alpha):
        return NotImplemented
    return g, (None if not _needs(ctx.args[1]) else -g if alpha == 1 else g * -alpha)


def _rsub_fast(ctx, g):
    return (-g, g) if _ok(g) else NotImplemented


def _mul_fast(ctx, g):
    if not _ok(g):
        return NotImplemented
    a, b = ctx.args[0], ctx.args[1]
    ga = gb = None
    if _needs(a):
        x = _operand(b, g)
        if x is None:
            return NotImplemented
        ga = g * x
    if _needs(b):
        x = _operand(a, g)
        if x is None:
            return NotImplemented
        gb = g * x
    return ga, gb


def _div_fast(ctx, g):
    if not _ok(g) or arg(ctx, 2, "rounding_mode") is not None:
        return NotImplemented
    a, b = ctx.args[0], ctx.args[1]
    x, y = _operand(a, g), _operand(b, g)
    if x is None or y is None:
        return NotImplemented
    return (g / y if _needs(a) else None), (-g * x / (y * y) if _needs(b) else None)


def _pow_fast(ctx, g):
    e = arg(ctx, 1, "exponent")
    if not _ok(g) or not _scalar(e):
        return NotImplemented
    a = _operand(ctx.args[0], g)
    if a is None:
        return NotImplemented
    if e == 0:
        return g * 0, None
    return g * ((a if e == 2 else np.power(a, e - 1)) * e), None  # a^1 is a, exactly


def _unreduced(ctx, g):
    a = ctx.args[0]
    shape = a._data.shape
    axes = _dims(ctx, 1, "dim", len(shape))
    if axes is None:
        g = g.reshape((1,) * len(shape))
    elif not arg(ctx, 2, "keepdim", False):
        g = np.expand_dims(g, tuple(axes))
    return _broadcast(g, shape), axes, shape


def _broadcast(g, shape):
    """`np.broadcast_to` (a read-only view, stride 0 on the broadcast dims) for the same-rank case,
    without its overhead."""
    if g.shape == shape:
        return g
    if not g.flags.c_contiguous:
        return np.broadcast_to(g, shape)
    view = np.ndarray(shape, g.dtype, g, 0, tuple(0 if n == 1 and m != 1 else st
                                                   for n, m, st in zip(g.shape, shape, g.strides)))
    view.flags.writeable = False
    return view


def _sum_fast(ctx, g):
    if not _ok(g) or arg(ctx, 3, "dtype") is not None:
        return NotImplemented
    return _unreduced(ctx, g)[0],


def _mean_fast(ctx, g):
    if not _ok(g) or arg(ctx, 3, "dtype") is not None:
        return NotImplemented
    g, axes, shape = _unreduced(ctx, g)
    n = int(np.prod(shape)) if axes is None else int(np.prod([shape[i] for i in axes]))
    return g / n,


def _mm_fast(ctx, g):
    a, b = ctx.args[0], ctx.args[1]
    if not _ok(g) or type(b) is not Tensor:
        return NotImplemented
    x, y = _operand(a, g), _operand(b, g)
    if x is None or y is None or x.ndim != 2 or y.ndim != 2:
        return NotImplemented
    return (g.dot(y.T) if a._rg else None), (x.T.dot(g) if b._rg else None)


def _clamp_fast(ctx, g):
    lo, hi = arg(ctx, 1, "min"), arg(ctx, 2, "max")
    if not _ok(g) or not (lo is None or _scalar(lo)) or not (hi is None or _scalar(hi)):
        return NotImplemented
    a = _operand(ctx.args[0], g)
    if a is None:
        return NotImplemented
    keep = None
    if lo is not None:
        keep = a >= lo
    if hi is not None:
        keep = a <= hi if keep is None else keep & (a <= hi)
    return (g if keep is None else g * keep), None, None


def _unary_fast(formula, uses_result):
    def fast(ctx, g):
        if not _ok(g):
            return NotImplemented
        x = _res(ctx) if uses_result else _operand(ctx.args[0], g)
        if x is None or x.dtype != g.dtype:
            return NotImplemented
        return formula(x, g),
    return fast


def _reshaped_fast(ctx, g):
    return (g.reshape(ctx.args[0]._data.shape),) if _ok(g) else NotImplemented


def _t_fast(ctx, g):
    return ((g.T if g.ndim == 2 else g),) if _ok(g) else NotImplemented


_UNARY_FAST = {  # name -> (formula on arrays, whether it reads the result)
    "neg": (lambda x, g: -g, False), "exp": (lambda r, g: g * r, True), "log": (lambda a, g: g / a, False),
    "sqrt": (lambda r, g: g / (r * 2), True), "tanh": (lambda r, g: g * (-(r * r) + 1), True),
    "sigmoid": (lambda r, g: g * (-r + 1) * r, True), "relu": (lambda r, g: g * (r > 0), True),
    "abs": (lambda a, g: g * np.sign(a), False), "square": (lambda a, g: g * (a * 2), False),
}

for _names, _fast in (
        (("add", "__add__", "__radd__"), _add_fast), (("sub", "__sub__", "subtract"), _sub_fast),
        (("__rsub__",), _rsub_fast), (("mul", "__mul__", "__rmul__", "multiply"), _mul_fast),
        (("div", "__truediv__", "divide"), _div_fast), (("pow", "__pow__"), _pow_fast),
        (("sum",), _sum_fast), (("mean",), _mean_fast), (("mm", "matmul", "__matmul__"), _mm_fast),
        (("clamp", "clip"), _clamp_fast), (("view", "view_as", "reshape", "flatten", "squeeze", "unsqueeze",
                                             "unflatten"), _reshaped_fast), (("t",), _t_fast)):
    for _n in _names:
        TABLE[_n].fast = _fast
for _n, (_formula, _uses_result) in _UNARY_FAST.items():
    TABLE[_n].fast = _unary_fast(_formula, _uses_result)
TABLE["__neg__"].fast = TABLE["negative"].fast = TABLE["neg"].fast
TABLE["__abs__"].fast = TABLE["abs"].fast


FUNCTIONS = {
    "torch_cat": _D("CatBackward0", _cat_back), "torch_stack": _D("StackBackward0", _stack_back),
    "torch_where": _D("WhereBackward0", _where, saves=(0,)), "torch_bmm": TABLE["bmm"],
    "fft_fft": _D(_fft_name("FftR2CBackward0"), _c2c("fft_ifft")),
    "fft_ifft": _D(_fft_name("ConjBackward0"), _c2c("fft_fft")),
    "fft_rfft": _D("FftR2CBackward0", _rfft), "fft_irfft": _D("FftC2RBackward0", _irfft),
    "real": _D("SelectBackward0", _as_input, view=True),
    "imag": _D("SelectBackward0", _imag, view=True),
    "torch_stft": _D(_stft_name, _stft),  # libtorch: view_as_real(x)[..., 0]
    "view_as_real": _D("ViewAsRealBackward0", _view_as_real_back, view=True),
    "view_as_complex": _D("ViewAsComplexBackward0", _view_as_complex_back, view=True),
}
TABLE["real"], TABLE["imag"] = FUNCTIONS["real"], FUNCTIONS["imag"]
TABLE["stft"] = FUNCTIONS["torch_stft"]
TABLE["istft"] = _D(_istft_name, _istft)
TABLE["conj"] = _D("ConjBackward0", lambda ctx, g: (g.conj(),))

# -- linear algebra (FunctionsManual's cholesky_backward, linalg_solve_triangular_backward)

def _solve_triangular_back(ctx, g):
    A, X = ctx.args[0], ctx.result
    upper, left = arg(ctx, 2, "upper"), arg(ctx, 3, "left", True)
    unit = bool(arg(ctx, 4, "unitriangular", False))
    gB = _solve_triangular(A.transpose(-2, -1), g, upper=not upper, left=left, unitriangular=unit)
    gA = None
    if _needs(A):
        gA = -gB.matmul(X.transpose(-2, -1)) if left else -X.transpose(-2, -1).matmul(gB)
        gA = gA.triu(int(unit)) if upper else gA.tril(-int(unit))
    return (gA, gB) + (None,) * (len(ctx.args) - 2)


def _cholesky_back(ctx, g):
    L = ctx.result
    Lh = L.transpose(-2, -1)
    gA = Lh.matmul(g).tril()
    gA = (gA + gA.tril(-1).transpose(-2, -1)) * 0.5
    gA = _solve_triangular(Lh, gA, upper=True, left=True)
    return _solve_triangular(L, gA, upper=False, left=False),


FUNCTIONS.update({
    "linalg_solve_triangular": _D("LinalgSolveTriangularBackward0", _solve_triangular_back, saves=(0,),
                                  saves_result=True),
    "linalg_cholesky": _D("LinalgCholeskyExBackward0", _cholesky_back, saves_result=True),
})
_solve_triangular = wrap_method(_linalg.linalg_solve_triangular, FUNCTIONS["linalg_solve_triangular"])

# -- gamma draws
FUNCTIONS.update({
    "_standard_gamma": _D("StandardGammaBackward0", _standard_gamma, saves=(0,), saves_result=True),
})

# in-place forms: the node of the out-of-place operation
INPLACE = {name + "_": TABLE[name] for name in (
    "add", "sub", "mul", "div", "pow", "clamp", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "neg",
    "sin", "cos", "reciprocal", "floor", "ceil", "round", "trunc", "sign", "square", "masked_fill", "scatter",
    "clip", "asin", "acos", "atan", "sinh", "cosh", "expm1", "log1p", "log2", "log10", "rsqrt", "t", "transpose",
    "squeeze", "unsqueeze", "triu", "tril")}
# in-place view operations have nodes of their own in libtorch
INPLACE.update({
    "squeeze_": _D(lambda ctx, r: {"SqueezeBackward0": "SqueezeBackward3", "SqueezeBackward1": "SqueezeBackward4",
                                   "SqueezeBackward2": "SqueezeBackward5"}[_squeeze_name(ctx, r)], _as_input),
    "unsqueeze_": _D("UnsqueezeBackward1", _as_input), "t_": _D("TBackward1", _t),
    "transpose_": _D("TransposeBackward1", _transpose),
})
INPLACE.update({
    "__iadd__": TABLE["add"], "__isub__": TABLE["sub"], "__imul__": TABLE["mul"], "__itruediv__": TABLE["div"],
    "__setitem__": _D(_setitem_name, _setitem),
    "zero_": _D("ZeroBackward0", lambda ctx, g: (g * 0,)),
    "fill_": _D("FillBackward0", lambda ctx, g: (g * 0, None)),
    "copy_": _D("CopyBackward0", lambda ctx, g: (g * 0, g)),
})


# -- addcmul/addcdiv, the arc* aliases, i0, polygamma, mvlgamma, renorm, fliplr/flipud, diagflat,
# take_along_dim, as_strided, unsafe_chunk/unsafe_split ---------------------------------------------------

def _addcmul(ctx, g):
    t1, t2, v = ctx.args[1], ctx.args[2], arg(ctx, 3, "value", 1)
    return g, (g * t2 * v if _needs(t1) else None), (g * t1 * v if _needs(t2) else None)


def _addcdiv(ctx, g):
    t1, t2, v = ctx.args[1], ctx.args[2], arg(ctx, 3, "value", 1)
    return g, (g * v / t2 if _needs(t1) else None), (-g * v * t1 / (t2 * t2) if _needs(t2) else None)


def _i1_forward(ctx, x):
    from .. import _pointwise
    return _pointwise.i1(x)


def _i1_backward(ctx, g):
    x = ctx.args[0]
    safe = x.masked_fill(x.eq(0), 1)
    return g * (x.i0() - _i1(x) / safe).masked_fill(x.eq(0), 0.5),


_i1 = None


def _i0(ctx, g):
    global _i1
    if _i1 is None:
        from ._record import differentiable
        _i1 = differentiable("SpecialI1Backward0", _i1_forward, _i1_backward)
    return g * _i1(ctx.args[0]),


def _polygamma_of(n, x):
    fn = _RECORDED.get("polygamma")
    if fn is None:
        from .. import _pointwise
        from ._record import wrap_method
        fn = _RECORDED["polygamma"] = wrap_method(_pointwise.torch_polygamma, FUNCTIONS["torch_polygamma"])
    return fn(n, x)


def _polygamma_fn(ctx, g):
    n, x = ctx.args[0], arg(ctx, 1, "input")
    return None, g * _polygamma_of(int(n) + 1, x)


def _polygamma_inplace(ctx, g):
    return g * _polygamma_of(int(ctx.args[1]) + 1, ctx.args[0]), None


def _mvlgamma(ctx, g):
    x, p = ctx.args[0], int(arg(ctx, 1, "p"))
    total = x.digamma()
    for i in range(1, p):
        total = total + (x - i / 2).digamma()
    return g * total, None


def _renorm(ctx, g):
    a, p, d, maxnorm = ctx.args[0], float(arg(ctx, 1, "p")), arg(ctx, 2, "dim"), float(arg(ctx, 3, "maxnorm"))
    axis = dim0(d, a.ndim)
    others = [i + 1 for i in range(a.ndim) if i != axis]
    wide = a.double() if a.dtype.name != "Double" else a  # libtorch takes the norm in the accumulate type
    norm = wide.norm(p, dim=others, keepdim=True)
    dot = (wide * g.double()).sum(dim=others, keepdim=True)
    if math.isinf(p):
        hit = wide.abs().eq(norm)
        nb = dot * wide.sign() * hit / hit.sum(dim=others, keepdim=True)
    else:
        nb = dot * wide.sign() * wide.abs().pow(p - 1) / norm.pow(p - 1)
    inv = (norm + 1e-7).reciprocal()
    factor = inv * maxnorm
    out = _recorded_where(norm > maxnorm, factor * g.double() - (factor * inv) * nb, g.double())
    return out.to(dtype=a.dtype), None, None, None


def _recorded_where(cond, a, b):
    return a * cond + b * ~cond


def _diagflat(ctx, g):
    a = ctx.args[0]
    return g.diagonal(dim1=1, dim2=2, offset=int(arg(ctx, 1, "offset", 0))).reshape(a.shape if a.shape else ()),


def _take_along_dim(ctx, g):
    return _positions_back(ctx, g, ctx.args[0]), None, None


def _as_strided(ctx, g):
    """Each output element's gradient added where, in the input, its storage element sits."""
    a = ctx.args[0]
    from .._manipulation import Storage, _storage_offset
    data = a._data
    n = int(Storage(data)._root.size)
    where = np.full(n, -1, np.int64)
    item = data.itemsize
    own = np.lib.stride_tricks.as_strided(np.arange(n, dtype=np.int64)[_storage_offset(a):], data.shape,
                                          tuple(s // item * 8 for s in data.strides))
    where[own.reshape(-1)] = np.arange(data.size, dtype=np.int64)
    size, stride = arg(ctx, 1, "size"), arg(ctx, 2, "stride")
    offset = arg(ctx, 3, "storage_offset")
    offset = _storage_offset(a) if offset is None else int(offset)
    shape, strides = tuple(int(s) for s in np.ravel(size)), tuple(int(s) for s in np.ravel(stride))
    read = np.lib.stride_tricks.as_strided(np.arange(n, dtype=np.int64)[offset:], shape,
                                           tuple(s * 8 for s in strides))
    pos = where[read]
    if (pos < 0).any():
        raise RuntimeError("as_strided: the backward of a view that reads storage outside its input is not "
                           "supported in rtorch")
    return _scatter_positions(g, pos, a.shape), None, None, None


TABLE.update({
    "addcmul": _D("AddcmulBackward0", _addcmul, saves=(1, 2)),
    "addcdiv": _D("AddcdivBackward0", _addcdiv, saves=(1, 2)),
    "arccos": TABLE["acos"], "arcsin": TABLE["asin"], "arctan": TABLE["atan"],
    "acosh": _D("AcoshBackward0", _unary(lambda a, g, c: g * (a * a - 1).rsqrt()), saves=(0,)),
    "asinh": _D("AsinhBackward0", _unary(lambda a, g, c: g * (a * a + 1).rsqrt()), saves=(0,)),
    "atanh": _D("AtanhBackward0", _unary(lambda a, g, c: g / (-a * a + 1)), saves=(0,)),
    "i0": _D("I0Backward0", _i0, saves=(0,)),
    "mvlgamma": _D("MvlgammaBackward0", _mvlgamma, saves=(0,)),
    "renorm": _D("RenormBackward0", _renorm, saves=(0,)),
    "fliplr": _D("FlipBackward0", lambda ctx, g: (g.fliplr(),)),
    "flipud": _D("FlipBackward0", lambda ctx, g: (g.flipud(),)),
    "diagflat": _D("DiagEmbedBackward0", _diagflat),
    "take_along_dim": _D("GatherBackward0", _take_along_dim),
    "as_strided": _D("AsStridedBackward0", _as_strided, view=True),
    "unsafe_chunk": _D("UnsafeSplitBackward0", _split_back),
    "unsafe_split": _D("UnsafeSplitBackward0", _split_back),
})
TABLE.update({"arccosh": TABLE["acosh"], "arcsinh": TABLE["asinh"], "arctanh": TABLE["atanh"]})
FUNCTIONS["torch_polygamma"] = _D("PolygammaBackward0", _polygamma_fn, saves=(1,))
INPLACE.update({name + "_": TABLE[name] for name in (
    "addcmul", "addcdiv", "arccos", "arcsin", "arctan", "i0", "mvlgamma", "renorm")})
# libtorch's in-place acosh_, asinh_, atanh_ have no derivative (their nodes raise "not implemented"): here
# they raise when recorded; polygamma_ has a node of its own
INPLACE["polygamma_"] = _D("PolygammaBackward1", _polygamma_inplace, saves=(0,))

# -- linear algebra (_linalg, _linalg_legacy) ----------------------------------------------------------------
# libtorch's formulas (FunctionsManual.cpp) for real matrices; a backward that needs a factorization's
# outputs recomputes them through the tensor's methods, so that a create_graph backward records them too.

def _mT(x):
    return x.transpose(-2, -1)


def _mat(g):
    """A batch of scalars as a batch of 1 x 1 matrices (to scale a batch of matrices)."""
    return g.unsqueeze(-1).unsqueeze(-1)


def _diag(v):
    """diag_embed(v) from recorded ops (diag_embed has no derivative here)."""
    return v.unsqueeze(-1) * v.detach().new_ones(tuple(v.shape)).diag_embed()


def _real_only(name, backward):
    def real(ctx, *grads):
        if ctx.args[0].dtype.is_complex:
            raise NotImplementedError(f"rtorch: the derivative of '{name}' is implemented for real inputs only")
        return backward(ctx, *grads)
    return real


def _det_back(ctx, g):
    A = ctx.args[0]
    return _mat(g * ctx.result) * _mT(A.inverse()),


def _logdet_back(ctx, g):
    A = ctx.args[0]
    return _mat(g.masked_fill(ctx.result.isnan(), 0)) * _mT(A.inverse()),


def _slogdet_back(ctx, g_sign, g_logabs):
    A = ctx.args[0]
    return _mat(g_logabs) * _mT(A.inverse()),


def _inverse_back(ctx, g):
    inv_t = _mT(ctx.result)
    return -(inv_t.matmul(g).matmul(inv_t)),


def _pinv_back(ctx, g):
    A, pinv = ctx.args[0], ctx.result
    m, n = A.shape[-2:]
    pinv_t, g_t = _mT(pinv), _mT(g)
    if m <= n:
        K = g_t.matmul(pinv)
        KpinvAh = K.matmul(pinv_t)
        out = (-_mT(pinv.matmul(K)) + KpinvAh - A.matmul(pinv).matmul(KpinvAh)
               + pinv_t.matmul(pinv).matmul(g_t - K.matmul(A)))
    else:
        K = pinv.matmul(g_t)
        pinvAhK = pinv_t.matmul(K)
        out = (-_mT(K.matmul(pinv)) + (g_t - A.matmul(K)).matmul(pinv).matmul(pinv_t) + pinvAhK
               - pinvAhK.matmul(pinv).matmul(A))
    return out,


def _power_back(A, n, g):
    """The gradient of A^n (n >= 0) with respect to A: the sum over k of (A^T)^k g (A^T)^(n-1-k)."""
    if n == 0:
        return g * 0
    At = _mT(A)
    powers = [None] + [At.matrix_power(k) for k in range(1, n)]
    out = None
    for k in range(n):
        term = g if k == 0 else powers[k].matmul(g)
        if n - 1 - k:
            term = term.matmul(powers[n - 1 - k])
        out = term if out is None else out + term
    return out


def _matrix_power_back(ctx, g):
    A, n = ctx.args[0], int(arg(ctx, 1, "n"))
    if n >= 0:
        return _power_back(A, n, g), None
    inv_t = _mT(A.inverse())
    return -(inv_t.matmul(_power_back(_mT(inv_t), -n, g)).matmul(inv_t)), None


def _matrix_power_name(ctx, result):
    n = int(arg(ctx, 1, "n"))
    if n in (0, 1, -1):
        return {0: "CopyBackwards", 1: "CloneBackward0", -1: "LinalgInvExBackward0"}[n]
    return "MmBackward0" if ctx.args[0].ndim == 2 else "UnsafeViewBackward0"


def _matrix_exp_back(ctx, g):
    A = ctx.args[0]
    n = A.shape[-1]
    At = _mT(A)
    block = _cat([_cat([At, g], -1), _cat([g * 0, At], -1)], -2)
    return block.matrix_exp().narrow(-2, 1, n).narrow(-1, n + 1, n),


def _cholesky_factor_back(L, gL):
    """libtorch's cholesky_backward for the lower factor L of A = L L^T."""
    gA = _mT(L).matmul(gL).tril()
    gA = (gA + _mT(gA.tril(-1))) * 0.5
    gA = gA.triangular_solve(L, upper=False, transpose=True)[0]
    return _mT(_mT(gA).triangular_solve(L, upper=False, transpose=True)[0])


def _cholesky_back(ctx, g):
    upper = arg(ctx, 1, "upper", False)
    L = ctx.result
    return (_cholesky_factor_back(_mT(L), _mT(g)) if upper else _cholesky_factor_back(L, g)), None


def _linalg_cholesky_back(ctx, g):
    return _cholesky_factor_back(ctx.result, g),


def _triangle(x, upper, unitriangular):
    return x.triu(1 if unitriangular else 0) if upper else x.tril(-1 if unitriangular else 0)


def _triangular_solve_back(ctx, g_x, g_m):
    B, A = ctx.args[0], ctx.args[1]
    upper, transpose = arg(ctx, 2, "upper", True), arg(ctx, 3, "transpose", False)
    unitriangular = arg(ctx, 4, "unitriangular", False)
    X = B.triangular_solve(A, upper, transpose, unitriangular)[0]
    gB = g_x.triangular_solve(A, upper, not transpose, unitriangular)[0]
    gA = -X.matmul(_mT(gB)) if transpose else -gB.matmul(_mT(X))
    return gB, _triangle(gA, upper, unitriangular) + g_m


def _solve_triangular_back(ctx, g):
    A = ctx.args[0]
    upper, left = arg(ctx, 2, "upper"), arg(ctx, 3, "left", True)
    unitriangular = arg(ctx, 4, "unitriangular", False)
    X = ctx.result
    if left:
        gB = g.triangular_solve(A, upper, True, unitriangular)[0]
        gA = -gB.matmul(_mT(X))
    else:
        gB = _mT(_mT(g).triangular_solve(A, upper, False, unitriangular)[0])
        gA = -_mT(X).matmul(gB)
    return _triangle(gA, upper, unitriangular), gB


def _solve_back(ctx, g):
    A, B, X = ctx.args[0], ctx.args[1], ctx.result
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vector:
        g, X = g.unsqueeze(-1), X.unsqueeze(-1)
    gB = _mT(A.inverse()).matmul(g)
    gA = -gB.matmul(_mT(X))
    return gA, (gB.squeeze(-1) if vector else gB)


def _svd_core(A, U, S, V, gU, gS, gV):
    """libtorch's svd_backward on the reduced factors (U: m x k, V: n x k)."""
    m, n = A.shape[-2:]
    k = S.shape[-1]
    UhgU = U.transpose(-2, -1).matmul(gU)
    VhgV = V.transpose(-2, -1).matmul(gV)
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + S.new_ones(tuple(S.shape)).diag_embed()
    ret = ((UhgU - _mT(UhgU)) * S.unsqueeze(-2) + S.unsqueeze(-1) * (VhgV - _mT(VhgV))) / E
    ret = ret + _diag(gS)
    if m > k:
        gA = (U.matmul(ret) + (gU - U.matmul(UhgU)) / S.unsqueeze(-2)).matmul(_mT(V))
    elif n > k:
        gA = U.matmul(ret.matmul(_mT(V)) + _mT((gV - V.matmul(VhgV)) / S.unsqueeze(-2)))
    else:
        gA = U.matmul(ret).matmul(_mT(V))
    return gA


def _svd_back(ctx, gU, gS, gV):
    A = ctx.args[0]
    k = min(A.shape[-2:])
    U, S, V = A.svd()
    if not arg(ctx, 2, "compute_uv", True):
        return _svd_core(A, U, S, V, U * 0, gS, V * 0), None, None
    return _svd_core(A, U, S, V, gU.narrow(-1, 1, k), gS, gV.narrow(-1, 1, k)), None, None


def _linalg_svd_back(ctx, gU, gS, gVh):
    A = ctx.args[0]
    k = min(A.shape[-2:])
    U, S, V = A.svd()
    return _svd_core(A, U, S, V, gU.narrow(-1, 1, k), gS, _mT(gVh.narrow(-2, 1, k))), None


def _svdvals_back(ctx, gS):
    A = ctx.args[0]
    U, S, V = A.svd()
    return _svd_core(A, U, S, V, U * 0, gS, V * 0),


def _qr_square(Q, R, gQ, gR):
    """The gradient of A = Q R with R square: (gQ + Q copyltu(M)) R^-T, M = R gR^T - gQ^T Q."""
    M = R.matmul(_mT(gR)) - _mT(gQ).matmul(Q)
    sym = M.tril() + _mT(M.tril(-1))
    b = gQ + Q.matmul(sym)
    return _mT(_mT(b).triangular_solve(R, upper=True)[0])


def _qr_back_from(A, complete, gQ, gR):
    m, n = A.shape[-2:]
    if complete and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    Q, R = A.qr(not complete)
    if m >= n:
        return _qr_square(Q, R, gQ, gR)
    U, gU = R.narrow(-1, 1, m), gR.narrow(-1, 1, m)
    Y, gV = A.narrow(-1, m + 1, n - m), gR.narrow(-1, m + 1, n - m)
    gX = _qr_square(Q, U, gQ + Y.matmul(_mT(gV)), gU)
    return _cat([gX, Q.matmul(gV)], -1)


def _qr_back(ctx, gQ, gR):
    return _qr_back_from(ctx.args[0], not arg(ctx, 1, "some", True), gQ, gR), None


def _linalg_qr_back(ctx, gQ, gR):
    mode = arg(ctx, 1, "mode", "reduced")
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                           "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
                           "linalg.qr.")
    return _qr_back_from(ctx.args[0], mode == "complete", gQ, gR), None


def _cholesky_solve_back(ctx, g):
    B, F = ctx.args[0], ctx.args[1]
    upper = arg(ctx, 2, "upper", False)
    gB = g.cholesky_solve(F, upper)
    common = gB.matmul(_mT(ctx.result))
    common = common + _mT(common)
    return gB, (-F.matmul(common) if upper else -common.matmul(F))


def _cholesky_inverse_back(ctx, g):
    F, inv = ctx.args[0], ctx.result
    upper = arg(ctx, 1, "upper", False)
    common = inv.matmul((g + _mT(g)).matmul(inv))
    return (-F.matmul(common) if upper else -common.matmul(F)),


def _recorded_function(fn):
    """The recorded form of a function row of FUNCTIONS (so that a create_graph backward records it too)."""
    key = fn.__name__
    out = _RECORDED.get(key)
    if out is None:
        from ._record import wrap_method
        out = _RECORDED[key] = wrap_method(fn, FUNCTIONS[key])
    return out


def _lu_back(ctx, gLU, *rest):
    """libtorch's linalg_lu_backward for square A = P L U: P L^-T [tril(L^T gL, -1) + triu(gU U^T)] U^-T."""
    from .. import _linalg_legacy
    A = ctx.args[0]
    m, n = A.shape[-2:]
    if m != n:
        raise NotImplementedError("rtorch: the derivative of 'torch_lu' is implemented for square matrices only")
    LU, piv = _recorded_function(_linalg_legacy.torch_lu)(A)
    P = _linalg_legacy.lu_unpack(LU.detach(), piv, unpack_data=False)[0]
    L = LU.tril(-1) + LU.new_ones(tuple(LU.shape[:-1])).diag_embed()
    U = LU.triu()
    gA = _mT(L).matmul(gLU.tril(-1)).tril(-1) + gLU.triu().matmul(_mT(U)).triu()
    gA = _mT(_mT(gA).triangular_solve(U, upper=True)[0])
    gA = gA.triangular_solve(L, upper=False, transpose=True, unitriangular=True)[0]
    return P.matmul(gA),


def _lu_factors(LU):
    """The unit-lower L (m x k) and upper U (k x n) packed in LU, as recorded ops on it."""
    m, n = LU.shape[-2:]
    k = min(m, n)
    L = LU.narrow(-1, 1, k).tril(-1) + _eye(LU, m, k)
    return L, LU.narrow(-2, 1, k).triu()


def _eye(x, m, k):
    eye = x.new_ones(tuple(x.shape[:-2]) + (k,)).diag_embed()
    return eye if m == k else _cat([eye, x.new_zeros(tuple(x.shape[:-2]) + (m - k, k))], -2)


def _lu_unpack_back(ctx, gP, gL, gU):
    LU = ctx.args[0]
    if not arg(ctx, 2, "unpack_data", True):
        return LU * 0, None
    m, n = LU.shape[-2:]
    k = min(m, n)
    lower, upper = gL.tril(-1), gU.triu()
    if m > k:
        upper = _cat([upper, upper.new_zeros(tuple(upper.shape[:-2]) + (m - k, n))], -2)
    if n > k:
        lower = _cat([lower, lower.new_zeros(tuple(lower.shape[:-2]) + (m, n - k))], -1)
    return lower + upper, None


def _lu_solve_back(ctx, g):
    """X = A^-1 B with A = P L U: gB = P L^-T U^-T g; gA = -gB X^T reaches L and U as
    tril(P^T gA U^T, -1) + triu(L^T P^T gA)."""
    from .. import _linalg_legacy
    B, LU, piv = ctx.args[0], ctx.args[1], ctx.args[2]
    P = _linalg_legacy.lu_unpack(LU.detach(), piv, unpack_data=False)[0]
    L, U = _lu_factors(LU)
    gB = g.triangular_solve(U, upper=True, transpose=True)[0]
    gB = P.matmul(gB.triangular_solve(L, upper=False, transpose=True, unitriangular=True)[0])
    PtgA = _mT(P).matmul(-gB.matmul(_mT(ctx.result)))
    return gB, PtgA.matmul(_mT(U)).tril(-1) + _mT(L).matmul(PtgA).triu(), None


def _vector_norm_back(ctx, g):
    """`x$norm()`'s backward; `ord = 0` gives no gradient (libtorch's undefined one), `-Inf` spreads it over
    the smallest entries."""
    a = ctx.args[0]
    ord = float(arg(ctx, 1, "ord", 2))
    if ord == 0:
        return None,
    call = (a, math.inf if ord == -math.inf else ord, arg(ctx, 2, "dim"), arg(ctx, 3, "keepdim", False))
    return _norm(_Ctx(call, {}, ctx.result), g)


def _eigh_back(ctx, gw, gV):
    """libtorch's linalg_eig_backward for Hermitian A = V diag(w) V^T: V (skew(V^T gV) / E + diag(gw)) V^T,
    E[i, j] = w_j - w_i (1 on the diagonal)."""
    from .. import _linalg
    A = ctx.args[0]
    w, V = _recorded_function(_linalg.linalg_eigh)(A, arg(ctx, 1, "UPLO", "L"))
    VhgV = V.transpose(-2, -1).matmul(gV)
    VhgV = (VhgV - _mT(VhgV)) * 0.5
    E = w.unsqueeze(-2) - w.unsqueeze(-1) + w.new_ones(tuple(w.shape)).diag_embed()
    ret = VhgV / E + _diag(gw)
    return V.matmul(ret).matmul(_mT(V)), None


def _eigvalsh_back(ctx, gw):
    from .. import _linalg
    A = ctx.args[0]
    w, V = _recorded_function(_linalg.linalg_eigh)(A, arg(ctx, 1, "UPLO", "L"))
    return (V * gw.unsqueeze(-2)).matmul(_mT(V)), None


_LINALG = {  # method: (node, backward, saves_result)
    "det": ("LinalgDetBackward0", _det_back, True),
    "logdet": ("WhereBackward0", _logdet_back, True),
    "slogdet": ("LinalgSlogdetBackward0", _slogdet_back, False),
    "inverse": ("LinalgInvExBackward0", _inverse_back, True),
    "pinverse": ("LinalgPinvBackward0", _pinv_back, True),
    "matrix_power": (_matrix_power_name, _matrix_power_back, False),
    "matrix_exp": ("LinalgMatrixExpBackward0", _matrix_exp_back, False),
    "cholesky": ("CholeskyBackward0", _cholesky_back, True),
    "triangular_solve": ("TriangularSolveBackward0", _triangular_solve_back, False),
    "svd": ("LinalgSvdBackward0", _svd_back, False),
    "qr": ("LinalgQrBackward0", _qr_back, False),
    "cholesky_solve": ("CholeskySolveBackward0", _cholesky_solve_back, True),
    "cholesky_inverse": ("CholeskyInverseBackward0", _cholesky_inverse_back, True),
    "lu_solve": ("LinalgLuSolveBackward0", _lu_solve_back, True),
}
TABLE.update({name: _D(node, _real_only(name, back), saves=(0,), saves_result=res)
              for name, (node, back, res) in _LINALG.items()})
_LINALG_FUNCTIONS = {  # linalg_* function: (node, backward, saves_result)
    "linalg_det": ("LinalgDetBackward0", _det_back, True),
    "linalg_slogdet": ("LinalgSlogdetBackward0", _slogdet_back, False),
    "linalg_inv": ("LinalgInvExBackward0", _inverse_back, True),
    "linalg_pinv": ("LinalgPinvBackward0", _pinv_back, True),
    "linalg_matrix_power": (_matrix_power_name, _matrix_power_back, False),
    "linalg_cholesky": ("LinalgCholeskyExBackward0", _linalg_cholesky_back, True),
    "linalg_solve_triangular": ("LinalgSolveTriangularBackward0", _solve_triangular_back, True),
    "linalg_solve": ("LinalgSolveExBackward0", _solve_back, True),
    "linalg_svd": ("LinalgSvdBackward0", _linalg_svd_back, False),
    "linalg_svdvals": ("LinalgSvdBackward0", _svdvals_back, False),
    "linalg_qr": ("LinalgQrBackward0", _linalg_qr_back, False),
    "torch_lu": ("LinalgLuFactorExBackward0", _lu_back, False),
    "torch_lu_unpack": ("LuUnpackBackward0", _lu_unpack_back, False),
    "linalg_vector_norm": ("LinalgVectorNormBackward0", _vector_norm_back, True),
    "linalg_eigh": ("LinalgEighBackward0", _eigh_back, False),
    "linalg_eigvalsh": ("LinalgEighBackward0", _eigvalsh_back, False),
}
FUNCTIONS.update({name: _D(node, _real_only(name, back), saves=(0,), saves_result=res)
                  for name, (node, back, res) in _LINALG_FUNCTIONS.items()})
