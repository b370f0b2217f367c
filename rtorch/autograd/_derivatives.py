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
    "abs": ("AbsBackward0", lambda a, g, c: g * a.sign(), True, False),
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
}

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
