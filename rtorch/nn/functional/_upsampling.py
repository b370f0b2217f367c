"""R torch's `nnf_interpolate` (R/nnf-upsampling.R), on recorded operations.

R torch's argument handling, line for line: exactly one of `size` and `scale_factor` (a number is
repeated over the spatial dims), "area" mode and `recompute_scale_factor = TRUE` turn the scale factors
into an output size, `as.integer(floor(input$size(i + 1)) * scale_factors[i])` — R torch reads the size of
1-based dim `i + 1` there (the channels for the first spatial dim), and so does this port. Then libtorch's
kernels: "nearest" picks input position `min(floor(j * scale), in - 1)` (`scale` = 1 / scale_factor when
one is given, else in / out; float arithmetic, as libtorch's) with `index_select` per spatial dim;
"linear", "bilinear" and "trilinear" are separable, one (out x in) matrix of libtorch's two weights per
output position and dim (`align_corners` or half-pixel source indices), applied with `matmul`; "area" is
adaptive average pooling. "bicubic" is not built.
"""
import numpy as np

from ..._tensor import wrap, wrap_as
from ._checks import check_tensor
from ._pooling import nnf_adaptive_avg_pool1d, nnf_adaptive_avg_pool2d
from ._pooling3d import nnf_adaptive_avg_pool3d

__all__ = ["nnf_interpolate"]

_LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5}
_NAMES = {3: "linear", 4: "bilinear", 5: "trilinear"}


def _as_list(v):
    if hasattr(v, "tolist"):
        v = v.tolist()
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _per_dim(v, dim, name, shown):
    """A number repeated over the spatial dims, or one per dim (R torch's message shows `length(size)`)."""
    v = _as_list(v)
    if len(v) == 1:
        return v * dim
    if len(v) != dim:
        raise ValueError(f"{name} shape must match input shape. Input is {dim}D, size is {shown}")
    return v


def _sizes(input, size, scale_factor, mode, recompute_scale_factor):
    dim = input.dim() - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out, scales = [int(v) for v in _per_dim(size, dim, "size", len(_as_list(size)))], None
    elif scale_factor is not None:
        out, scales = None, [float(v) for v in _per_dim(scale_factor, dim, "scale_factor", 0)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if mode == "area" and out is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        # R torch: input$size(i + 1), 1-based, for spatial dim i
        out = [int(np.floor(input.shape[i]) * scales[i]) for i in range(dim)]
        scales = None
    if out is None:
        out = [int(input.shape[i + 2] * scales[i]) for i in range(dim)]
    if any(o <= 0 for o in out):
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(map(str, input.shape[2:]))}) and output ({', '.join(map(str, out))})")
    return out, scales


def _float(input):
    return np.float32 if input._data.dtype != np.float64 else np.float64


def _nearest_index(L, O, scale, ft):
    if O == L:
        return np.arange(O)
    if O == 2 * L:
        return np.arange(O) >> 1
    s = ft(1.0 / scale) if scale is not None and scale > 0 else ft(L) / ft(O)
    return np.minimum(np.floor(np.arange(O).astype(ft) * s).astype(np.int64), L - 1)


def _linear_matrix(L, O, scale, align_corners, ft):
    """libtorch's linear weights: row j holds (1 - t) at i0 and t at i1 for output position j."""
    j = np.arange(O).astype(ft)
    if align_corners:
        s = ft(L - 1) / ft(O - 1) if O > 1 else ft(0)
        src = s * j
    else:
        s = ft(1.0 / scale) if scale is not None and scale > 0 else ft(L) / ft(O)
        src = np.maximum(s * (j + ft(0.5)) - ft(0.5), ft(0))
    i0 = src.astype(np.int64)
    i1 = i0 + (i0 < L - 1)
    t = np.minimum(src - i0.astype(ft), ft(1))
    A = np.zeros((O, L), dtype=ft)
    np.add.at(A, (np.arange(O), i0), ft(1) - t)
    np.add.at(A, (np.arange(O), i1), t)
    return A


def nnf_interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=False,
                    recompute_scale_factor=None):
    """Up- or down-samples `input` (N, C, *spatial) to `size` or by `scale_factor` with `mode`
    "nearest", "linear" (3D), "bilinear" (4D), "trilinear" (5D) or "area"."""
    check_tensor(input)
    nd = input.dim()
    if align_corners is None:
        align_corners = False
    if mode == "bicubic" and nd == 4:
        raise NotImplementedError("rtorch: nnf_interpolate's bicubic mode is not built")
    if mode in _LINEAR and nd in _NAMES and nd != _LINEAR[mode]:
        need = {3: "3D", 4: "4D", 5: "5D"}[_LINEAR[mode]]
        name = "trilinear" if mode == "linear" else mode  # R torch's own wording
        raise NotImplementedError(f"Got {nd}D input, but {name} mode needs {need} input")
    if nd not in (3, 4, 5) or mode not in ("nearest", "area") + tuple(_LINEAR):
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the "
                                  f"modes: nearest | linear | bilinear | bicubic | trilinear (got {mode})")
    out_size, scales = _sizes(input, size, scale_factor, mode, recompute_scale_factor)
    if mode == "area":
        if nd == 5:
            return nnf_adaptive_avg_pool3d(input, out_size)
        return (nnf_adaptive_avg_pool1d if nd == 3 else nnf_adaptive_avg_pool2d)(input, out_size)
    ft = _float(input)
    out = input
    for i, O in enumerate(out_size):
        L = input.shape[i + 2]
        scale = scales[i] if scales is not None else None
        if mode == "nearest":
            out = out.index_select(i + 3, wrap(_nearest_index(L, O, scale, ft) + 1))
        else:
            A = wrap_as(_linear_matrix(L, O, scale, align_corners, ft).T.copy(), input.dtype)
            out = out.transpose(i + 3, nd).matmul(A).transpose(i + 3, nd)
    return out
