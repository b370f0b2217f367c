"""R torch's `nnf_affine_grid` and `nnf_grid_sample` (R/nnf-vision.R), which call libtorch's
`affine_grid_generator` and `grid_sampler`.

The grid is libtorch's: `[x, y(, z), 1]` per output position, each axis `linspace(-1, 1, n)` (times
`(n - 1) / n` without `align_corners`), multiplied by `t(theta)`. Sampling follows libtorch's CPU
kernels: grid coordinates (x for W, y for H, z for D) unnormalized to pixel positions, then padded
("border" clips, "reflection" reflects, then clips) with libtorch's gradient factors (a clipped border
position has gradient 0); "bilinear" weighs the 2^d neighbours, "nearest" rounds half to even,
"bicubic" (4-D only) weighs 4 x 4 taps with libtorch's cubic convolution (A = -0.75), padding applied to
each tap. Neighbours outside the input read 0. Both functions are one recorded node each
(`AffineGridGeneratorBackward0`, `GridSampler2DBackward0` / `GridSampler3DBackward0`), composed of
recorded ops, so `create_graph` works; the grid of "nearest" gets a zero gradient, as libtorch's.
"""
import itertools
import math

import numpy as np

from ..._creation import torch_linspace
from ..._dtypes import BY_NUMPY
from ..._tensor import wrap_as
from ...autograd._ops import take_flat
from ...autograd._record import differentiable
from ._checks import check_tensor
from ._recompute import recomputed

__all__ = ["nnf_affine_grid", "nnf_grid_sample"]

_MODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PADDINGS = {"zeros": 0, "border": 1, "reflection": 2}
_A = -0.75


def _sizes(t):
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


# ---- affine grid ----------------------------------------------------------------------------------

def _linspace(n, align_corners, dtype):
    if n <= 1:
        return np.zeros(1, dtype=dtype)
    r = torch_linspace(-1, 1, n, dtype=BY_NUMPY[np.dtype(dtype)])._data
    if not align_corners:
        r = (r * dtype.type(n - 1)) / dtype.type(n)
    return r


def _base_grid(size, align_corners, dtype):
    """libtorch's base grid, (N, prod(spatial), d + 1): `[x, y(, z), 1]` with x along the last dim."""
    spatial = list(size[2:])
    axes = [_linspace(n, align_corners, dtype) for n in spatial]
    mesh = np.meshgrid(*axes, indexing="ij")
    cols = [mesh[i] for i in reversed(range(len(spatial)))] + [np.ones(spatial, dtype=dtype)]
    base = np.stack(cols, axis=-1).reshape(1, -1, len(spatial) + 1)
    return np.ascontiguousarray(np.broadcast_to(base, (size[0],) + base.shape[1:]))


def _affine_grid(theta, size, align_corners):
    base = wrap_as(_base_grid(size, align_corners, theta._data.dtype), theta.dtype)
    return base.matmul(theta.transpose(2, 3)).reshape(*size[:1], *size[2:], len(size) - 2)


_affine_grid_node = recomputed("AffineGridGeneratorBackward0", _affine_grid)


def nnf_affine_grid(theta, size, align_corners=False):
    """The sampling grid (N, H, W, 2) or (N, D, H, W, 3) of affine matrices `theta` (N, 2, 3) or (N, 3, 4)
    for an output of `size` (N, C, H, W) or (N, C, D, H, W); libtorch's checks and messages."""
    check_tensor(theta)
    size = [int(s) for s in (size.tolist() if hasattr(size, "tolist") else size)]
    if len(size) not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")
    d = len(size) - 2
    if theta.dim() < 3:
        nd = max(theta.dim(), 1)
        bad = 1 if nd < 2 else 2
        raise RuntimeError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], but got {bad})")
    if theta.dim() > 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if list(theta.shape[:1]) + [theta.shape[2]] != [size[0], d + 1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{size[0]}, {d + 1}] "
                           f"but got: [{theta.shape[0]}, {theta.shape[2]}].")
    if theta._data.dtype.kind != "f":
        raise RuntimeError(f"\"affine_grid_generator\" not implemented for '{theta.dtype.name}'")
    return _affine_grid_node(theta, tuple(size), bool(align_corners))


# ---- grid sample ----------------------------------------------------------------------------------

def _coord_forward(ctx, x, ix, mult):
    return wrap_as(ix, x.dtype)


def _coord_backward(ctx, g):
    return g * wrap_as(ctx.args[2], g.dtype), None, None


_coord = differentiable("GridSamplerCoordinateBackward", _coord_forward, _coord_backward)


def _clip(ix, mult, size):
    hi = ix.dtype.type(size - 1)
    lo = np.maximum(ix, ix.dtype.type(0))
    res = np.minimum(lo, hi)
    return res, mult * ((lo != 0) & (res != hi)).astype(ix.dtype)


def _reflect(ix, mult, twice_low, twice_high):
    ft = ix.dtype.type
    if twice_low == twice_high:
        return np.zeros_like(ix), np.zeros_like(mult)
    lo = ft(twice_low) / ft(2)
    span = ft(twice_high - twice_low) / ft(2)
    d = ix - lo
    a = np.abs(d)
    extra = np.fmod(a, span)
    odd = np.fmod(np.floor(a / span), ft(2)) != 0
    res = np.where(odd, span - extra + lo, extra + lo)
    sign = np.where(d < 0, ft(-1), ft(1)) * np.where(odd, ft(-1), ft(1))
    return res, mult * sign


def _pad(ix, mult, size, padding, align_corners):
    if padding == "border":
        return _clip(ix, mult, size)
    if padding == "reflection":
        if align_corners:
            ix, mult = _reflect(ix, mult, 0, 2 * (size - 1))
        else:
            ix, mult = _reflect(ix, mult, -1, 2 * size - 1)
        return _clip(ix, mult, size)
    return ix, mult


def _unnormalize(x, size, align_corners):
    ft = x.dtype.type
    if align_corners:
        s = ft(size - 1) / ft(2)
        return (x + ft(1)) * s, np.full_like(x, s)
    s = ft(size) / ft(2)
    return (x + ft(1)) * s - ft(0.5), np.full_like(x, s)


class _Gather:
    """Reads input values at integer spatial positions (one array per spatial dim, shape (N, *out)),
    0 where a position is outside."""

    def __init__(self, input):
        self.input = input
        self.spatial = input.shape[2:]
        N, C = input.shape[:2]
        plane = math.prod(self.spatial)
        self.offs = (np.arange(N * C, dtype=np.int64) * plane).reshape((N, C) + (1,) * len(self.spatial))

    def __call__(self, pos):
        valid = np.ones(pos[0].shape, dtype=bool)
        flat = np.zeros(pos[0].shape, dtype=np.int64)
        for p, L in zip(pos, self.spatial):
            valid &= (p >= 0) & (p < L)
            flat = flat * L + np.where((p >= 0) & (p < L), p, 0)
        v = take_flat(self.input, self.offs + flat[:, None])
        mask = valid[:, None]
        if mask.all():
            return v
        return v * wrap_as(mask.astype(self.input._data.dtype), self.input.dtype)


def _cubic(t):
    """libtorch's four cubic-convolution coefficients for fraction `t` (recorded ops)."""
    def cc1(x):
        return ((_A + 2) * x - (_A + 3)) * x * x + 1

    def cc2(x):
        return ((_A * x - 5 * _A) * x + 8 * _A) * x - 4 * _A
    return [cc2(t + 1), cc1(t), cc1(1 - t), cc2(2 - t)]


def _grid_sample(input, grid, mode, padding_mode, align_corners):
    spatial = input.shape[2:]
    nd = len(spatial)
    gather = _Gather(input)
    # grid coordinate k addresses spatial dim nd - 1 - k; lists below are in spatial order (D, H, W)
    comps = [grid.select(grid.dim(), nd - i) for i in range(nd)]
    raw = [c._data for c in comps]
    if mode == "bicubic":
        ix = [_unnormalize(x, L, align_corners)[0] for x, L in zip(raw, spatial)]
        mult = [_unnormalize(x, L, align_corners)[1] for x, L in zip(raw, spatial)]
        f = [np.floor(v) for v in ix]
        t = [(_coord(c, v, m) - wrap_as(fl, input.dtype)).unsqueeze(2) for c, v, m, fl in zip(comps, ix, mult, f)]
        cy, cx = _cubic(t[0]), _cubic(t[1])
        rows = []
        for j in range(4):
            py = _pad(f[0] - 1 + j, np.zeros_like(f[0]), spatial[0], padding_mode, align_corners)[0]
            acc = None
            for i in range(4):
                px = _pad(f[1] - 1 + i, np.zeros_like(f[1]), spatial[1], padding_mode, align_corners)[0]
                term = gather([py.astype(np.int64), px.astype(np.int64)]) * cx[i]
                acc = term if acc is None else acc + term
            rows.append(acc * cy[j])
        out = rows[0]
        for r_ in rows[1:]:
            out = out + r_
        return out
    coords = []
    for c, x, L in zip(comps, raw, spatial):
        ix, m = _unnormalize(x, L, align_corners)
        ix, m = _pad(ix, m, L, padding_mode, align_corners)
        coords.append((c, ix, m))
    if mode == "nearest":
        return gather([np.rint(ix).astype(np.int64) for _, ix, _ in coords])
    f = [np.floor(ix) for _, ix, _ in coords]
    t = [(_coord(c, ix, m) - wrap_as(fl, input.dtype)).unsqueeze(2) for (c, ix, m), fl in zip(coords, f)]
    fi = [fl.astype(np.int64) for fl in f]
    out = None
    for corner in itertools.product((0, 1), repeat=nd):
        w = None
        for b, tt in zip(corner, t):
            wd = tt if b else 1 - tt
            w = wd if w is None else w * wd
        term = gather([p + b for p, b in zip(fi, corner)]) * w
        out = term if out is None else out + term
    return out


_NODES = {4: recomputed("GridSampler2DBackward0", _grid_sample), 5: recomputed("GridSampler3DBackward0", _grid_sample)}


def _check_grid_sample(input, grid, mode):
    if input.dtype is not grid.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype.name} but found {grid.dtype.name}")
    if input.device != grid.device:
        raise RuntimeError(f"grid_sampler(): expected input and grid to be on same device, but input is on "
                           f"{input.device} and grid is on {grid.device}")
    if input.dim() == 0 or grid.dim() == 0 or input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {_sizes(input)} and grid with sizes {_sizes(grid)}")
    if grid.shape[-1] != input.dim() - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.dim() - 2} in last dimension, but "
                           f"got grid with sizes {_sizes(grid)}")
    for i in range(2, input.dim()):
        if input.shape[i] <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input "
                               f"has sizes {_sizes(input)} with dimension {i} being empty")
    nd = 4 if input.dim() == 4 else 5
    if input.dim() != nd or grid.dim() != nd:
        raise RuntimeError(f"grid_sampler(): expected {nd}D input and grid with same number of dimensions, but got "
                           f"input with sizes {_sizes(input)} and grid with sizes {_sizes(grid)}")
    if nd == 5 and mode == "bicubic":
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"\"grid_sampler_{nd - 2}d_cpu\" not implemented for '{input.dtype.name}'")


def _one(choice):
    """R's `if (mode == ...)`: a length-1 vector is its element; a longer one is R's error."""
    if isinstance(choice, (list, tuple)):
        if len(choice) != 1:
            raise ValueError("the condition has length > 1")
        choice = choice[0]
    return choice


def nnf_grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    """`input` (N, C, H, W) or (N, C, D, H, W) sampled at `grid` (N, H', W', 2) or (N, D', H', W', 3),
    coordinates in [-1, 1] (x first). R torch's signature has `mode = c("bilinear", "nearest")` and
    compares it with `==`, so only a single string works there; here the defaults are the first choices.
    R torch's wrapper knows "bilinear" and "nearest"; this port also takes libtorch's "bicubic" (4-D)."""
    check_tensor(input)
    check_tensor(grid)
    mode, padding_mode = _one(mode), _one(padding_mode)
    if mode not in _MODES:
        raise ValueError(f"Unknown mode name '{mode}'. Supported modes are 'bilinear' and 'nearest'.")
    if padding_mode not in _PADDINGS:
        raise ValueError(f"Unknown padding mode name '{padding_mode}'. Supported modes are 'zeros', 'border' "
                         f"and 'reflection'.")
    _check_grid_sample(input, grid, mode)
    return _NODES[input.dim()](input, grid, mode, padding_mode, bool(align_corners))
