"""R torch's `nnf_embedding`, `nnf_embedding_bag` and `nnf_one_hot` (R/nnf-embedding.R).

Indices are 1-based, as R torch makes them (a 0 is "Indexing starts at 1 but found a 0."); so is
`padding_idx` (`NULL` is libtorch's -1, no padding; a negative one, passed on unchanged as R torch's
`nnf_embedding` does, matches no index). `nnf_embedding` is one recorded operation,
`EmbeddingBackward0`: the forward takes rows of `weight`; the backward (libtorch's
embedding_dense_backward, itself recorded, so double backward works) adds each output row's gradient
into its index's row (`np.add.at`), skipping `padding_idx`, divided by the index's count in the batch
when `scale_grad_by_freq`. `max_norm` first renormalises the rows used, in place and unrecorded
(libtorch's embedding_renorm_: a row whose `norm_type`-norm exceeds `max_norm` is scaled by
`max_norm / (norm + 1e-7)`). Sparse gradients are not supported (`sparse = TRUE` is an error).
"""
import numpy as np

from ..._creation import torch_zeros
from ..._dtypes import DTYPES
from ..._functions import torch_stack
from ..._tensor import wrap, wrap_as
from ...autograd._record import bump, differentiable
from ._checks import check_tensor

__all__ = ["nnf_embedding", "nnf_embedding_bag", "nnf_one_hot"]

_INDEX = (DTYPES["Long"], DTYPES["Int"])


def _index(input, name="indices", op="embedding"):
    """R torch's to_index_tensor, then libtorch's dtype check; 0-based indices as NumPy."""
    check_tensor(input, "input")
    t = input._data
    if t.size and not np.all(t):
        raise RuntimeError("Indexing starts at 1 but found a 0.")
    if input.dtype not in _INDEX:
        raise RuntimeError(f"Expected tensor for argument #1 '{name}' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{input.dtype.name}Tensor instead (while checking arguments "
                           f"for {op})")
    return np.where(t > 0, t - 1, t).astype(np.int64, copy=False)


def _padding(padding_idx):
    if padding_idx is None:
        return -1
    if padding_idx == 0:
        raise RuntimeError("Indexing starts at 1 but found a 0.")
    return padding_idx - 1 if padding_idx > 0 else padding_idx


def _check_range(idx, n):
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise IndexError("index out of range in self")
    return idx


def _embedding_forward(ctx, weight, idx, padding_idx, scale_grad_by_freq):
    return wrap_as(weight._data[idx], weight.dtype)


def _row_scale(idx, n, padding_idx, scale):
    """Each index's factor in the weight gradient: 0 for `padding_idx`, 1 / count with
    `scale_grad_by_freq`, else 1 (None when all are 1)."""
    flat = idx.reshape(-1)
    if not scale and padding_idx < 0:
        return None
    f = 1.0 / np.bincount(flat, minlength=n)[flat] if scale else np.ones(flat.size)
    if padding_idx >= 0:
        f[flat == padding_idx] = 0
    return f


def _dense_forward(ctx, g, idx, n, padding_idx, scale):
    d = g.shape[-1]
    rows = g._data.reshape(-1, d)
    f = _row_scale(idx, n, padding_idx, scale)
    if f is not None:
        rows = rows * f[:, None].astype(rows.dtype)
    out = np.zeros((n, d), rows.dtype)
    np.add.at(out, idx.reshape(-1), rows)
    return wrap_as(out, g.dtype)


def _dense_backward(ctx, gg):
    g, idx, n, padding_idx, scale = ctx.args
    out = _embedding(gg, idx, -1, False)
    f = _row_scale(idx, n, padding_idx, scale)
    if f is not None:
        out = out * wrap_as(f.reshape(idx.shape + (1,)).astype(gg._data.dtype), gg.dtype)
    return out, None, None, None, None


_embedding_dense_backward = differentiable("EmbeddingDenseBackwardBackward0", _dense_forward, _dense_backward)


def _embedding_backward(ctx, g):
    weight, idx, padding_idx, scale = ctx.args
    return _embedding_dense_backward(g, idx, weight.shape[0], padding_idx, scale), None, None, None


_embedding = differentiable("EmbeddingBackward0", _embedding_forward, _embedding_backward)


def _renorm_(weight, idx, max_norm, norm_type):
    rows = np.unique(idx.reshape(-1))
    w = weight._data
    sel = w[rows].astype(np.float64)
    norms = (np.abs(sel) ** norm_type).sum(axis=1) ** (1.0 / norm_type) if norm_type != np.inf else \
        np.abs(sel).max(axis=1)
    big = norms > max_norm
    if big.any():
        scale = max_norm / (norms[big] + 1e-7)
        w[rows[big]] = (w[rows[big]] * scale[:, None]).astype(w.dtype)
        bump(weight)


def nnf_embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  sparse=False):
    """Rows of `weight` at the (1-based) indices in `input`; the result has `input`'s shape plus
    `embedding_dim`."""
    check_tensor(weight, "weight")
    if sparse:
        raise NotImplementedError("rtorch: sparse embedding gradients are not supported; use sparse = FALSE")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    idx = _check_range(_index(input), weight.shape[0])
    if max_norm is not None:
        _renorm_(weight, idx, max_norm, norm_type)
    return _embedding(weight, idx, _padding(padding_idx), bool(scale_grad_by_freq))


def nnf_embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                      mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                      padding_idx=None):
    """Sums, means or maxima of bags of embeddings: a 2-D `input` is one bag per row; a 1-D `input` is cut
    into bags at the (0-based, as R torch passes them to libtorch) `offsets`. Composed of recorded
    operations (`nnf_embedding` per bag), so its gradient is right but its graph is not libtorch's."""
    check_tensor(weight, "weight")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be NULL")
        n_bags, size = input.shape
        starts = list(range(0, n_bags * size, size))
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    else:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got NULL")
        starts = [int(v) for v in np.asarray(offsets._data).reshape(-1)]
        if include_last_offset:
            starts = starts[:-1]
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode}")
    idx = _index(input)
    n = input.shape[0]
    pad = _padding(padding_idx)
    emb = nnf_embedding(input, weight, None, max_norm, norm_type, scale_grad_by_freq)
    if per_sample_weights is not None:
        emb = emb * per_sample_weights.unsqueeze(2)
    ends = starts[1:] + [n]
    out = []
    for s, e in zip(starts, ends):
        keep = [i for i in range(s, e) if idx[i] != pad]
        if not keep:
            out.append(torch_zeros(weight.shape[1], dtype=weight.dtype, device=weight.device))
            continue
        rows = emb.index_select(1, wrap(np.asarray(keep, np.int64) + 1))
        out.append(rows.sum(dim=1) if mode == "sum" else rows.mean(dim=1) if mode == "mean" else
                   rows.max(dim=1)[0])
    return torch_stack(out)


def nnf_one_hot(tensor, num_classes=-1):
    """One-hot Long encoding of 1-based class labels: label `k` sets column `k`; `num_classes = -1` takes
    the largest label."""
    idx = _index(tensor, "self", "one_hot")
    if tensor.dtype is not DTYPES["Long"]:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    elif idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(idx.shape + (num_classes,), np.int64)
    np.put_along_axis(out, idx[..., None], 1, axis=-1)
    return wrap(out)
