"""R torch's `nnf_ctc_loss` (R/nnf-loss.R), the Connectionist Temporal Classification loss.

R torch passes `blank` and `targets` to libtorch unchanged, so both are libtorch's 0-based class
indices (the default `blank = 0` is the first column of `log_probs`), unlike the 1-based labels of the
other classification losses. The per-sequence negative log likelihood is one recorded op,
`CtcLossBackward0`: libtorch's alpha recursion forward, the beta recursion and libtorch's gradient
`exp(lp) - exp(log(alpha beta) + nll - lp)` backward (the gradient libtorch gives, which assumes
`log_probs` came from a log-softmax), all on arrays in float64; the reduction is composed as libtorch's
`ctc_loss`: infinite losses zeroed with `zero_infinity`, "mean" divides each loss by its target length
(at least 1) and averages.
"""
import numpy as np

from ..._functions import torch_where
from ..._tensor import Tensor, wrap_as
from ...autograd._record import differentiable
from ._checks import check_reduction, check_tensor

__all__ = ["nnf_ctc_loss"]

_ALLOC = "(while checking arguments for ctc_loss_allocate_outputs)"


def _lengths(x, name):
    if isinstance(x, Tensor):
        if x.dtype.category >= 2:
            raise RuntimeError(f"{name} must be integral")
        return np.asarray(x._data, dtype=np.int64).reshape(-1)
    a = np.asarray(x)
    if a.dtype.kind not in "iu":
        if a.size and not np.all(a == np.floor(a)):
            raise RuntimeError(f"{name} must be integral")
    return a.astype(np.int64).reshape(-1)


def _lse3(a, b, c):
    m = np.maximum(np.maximum(a, b), c)
    m0 = np.where(np.isneginf(m), 0.0, m)
    with np.errstate(divide="ignore"):
        return np.log(np.exp(a - m0) + np.exp(b - m0) + np.exp(c - m0)) + m0


def _shift(x, k):
    """`x` moved k places along its last axis (towards higher s), -inf filling the start."""
    out = np.full_like(x, -np.inf)
    out[..., k:] = x[..., :x.shape[-1] - k]
    return out


def _ctc_forward(ctx, log_probs, prime, il, tl, zero_infinity):
    lp = np.asarray(log_probs._data, dtype=np.float64)
    T, N, C = lp.shape
    S = prime.shape[1]
    s = np.arange(S)
    valid = s[None, :] <= 2 * tl[:, None]
    skip = np.zeros((N, S), bool)
    skip[:, 2:] = prime[:, 2:] != prime[:, :-2]
    rows = np.arange(N)[:, None]
    emit = lp[:, rows, prime]  # (T, N, S)
    alpha = np.full((T, N, S), -np.inf)
    start = valid & (s[None, :] < 2)
    alpha[0] = np.where(start & (il[:, None] > 0), emit[0], -np.inf)
    for t in range(1, T):
        a = alpha[t - 1]
        new = _lse3(a, _shift(a, 1), np.where(skip, _shift(a, 2), -np.inf)) + emit[t]
        alpha[t] = np.where(valid & (t < il)[:, None], new, -np.inf)
    last = np.maximum(il - 1, 0)
    at_end = alpha[last, np.arange(N)]
    l1 = at_end[np.arange(N), 2 * tl]
    l2 = np.where(tl > 0, at_end[np.arange(N), np.maximum(2 * tl - 1, 0)], -np.inf)
    m = np.maximum(l1, l2)
    m = np.where(np.isneginf(m), 0.0, m)
    with np.errstate(divide="ignore"):
        nll = -(np.log(np.exp(l1 - m) + np.exp(l2 - m)) + m)
    nll = np.where(il == 0, np.where(tl == 0, 0.0, np.inf), nll)
    ctx.alpha, ctx.emit, ctx.nll, ctx.valid, ctx.skip = alpha, emit, nll, valid, skip
    return wrap_as(nll.astype(log_probs._data.dtype), log_probs.dtype)


def _ctc_backward(ctx, g):
    log_probs, prime, il, tl, zero_infinity = ctx.args
    alpha, emit, nll, valid, skip = ctx.alpha, ctx.emit, ctx.nll, ctx.valid, ctx.skip
    lp = np.asarray(log_probs._data, dtype=np.float64)
    T, N, C = lp.shape
    S = prime.shape[1]
    s = np.arange(S)
    end = valid & (s[None, :] >= 2 * tl[:, None] - 1)
    skip_up = np.zeros((N, S), bool)
    skip_up[:, :-2] = skip[:, 2:]
    beta = np.full((T, N, S), -np.inf)
    nxt = np.full((N, S), -np.inf)
    for t in range(T - 1, -1, -1):
        rec = _lse3(nxt, _shift(nxt[..., ::-1], 1)[..., ::-1],
                    np.where(skip_up, _shift(nxt[..., ::-1], 2)[..., ::-1], -np.inf)) + emit[t]
        here = np.where((t == il - 1)[:, None] & end, emit[t], np.where((t < il - 1)[:, None] & valid, rec, -np.inf))
        beta[t] = here
        nxt = here
    ab = alpha + beta
    m = ab.max(axis=2, keepdims=True)
    m = np.where(np.isneginf(m), 0.0, m)
    onehot = np.zeros((N, S, C))
    onehot[np.arange(N)[:, None], s[None, :], prime] = valid
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lcab = np.log(np.einsum("tns,nsc->tnc", np.exp(ab - m), onehot)) + m
        grad = np.exp(lp) - np.exp(lcab + nll[None, :, None] - lp)
    active = (np.arange(T)[:, None] < il[None, :])
    if zero_infinity:
        active = active & ~np.isinf(nll)[None, :]
    grad = np.where(active[..., None], grad, 0.0)
    gd = np.asarray(g._data, dtype=np.float64).reshape(1, N, 1)
    out = (grad * gd).astype(log_probs._data.dtype)
    return (wrap_as(out, log_probs.dtype), None, None, None, None)


_ctc = differentiable("CtcLossBackward0", _ctc_forward, _ctc_backward, saves=lambda ctx: ctx.args[:1])


def _primes(targets, tl, N, blank, C):
    """(N, 2 max(tl) + 1) labels of the extended sequences: blank, l1, blank, l2, ..., blank."""
    tg = np.asarray(targets._data)
    if tg.ndim == 1:
        if tg.shape[0] != tl.sum():
            raise RuntimeError(f"Expected tensor to have size {int(tl.sum())} at dimension 0, but got size "
                               f"{tg.shape[0]} for argument #2 'targets' {_ALLOC}")
        offs = np.concatenate([[0], np.cumsum(tl)[:-1]])
        rows = [tg[o:o + n] for o, n in zip(offs, tl)]
    else:
        if tg.ndim != 2:
            raise RuntimeError(f"Expected 2-dimensional tensor, but got {tg.ndim}-dimensional tensor for "
                               f"argument #2 'targets' {_ALLOC}")
        if tg.shape[0] != N:
            raise RuntimeError(f"Expected tensor to have size {N} at dimension 0, but got size {tg.shape[0]} "
                               f"for argument #2 'targets' {_ALLOC}")
        for n in tl:
            if n > tg.shape[1]:
                raise RuntimeError(f"Expected tensor to have size at least {int(n)} at dimension 1, but got "
                                   f"size {tg.shape[1]} for argument #2 'targets' {_ALLOC}")
        rows = [tg[b, :n] for b, n in enumerate(tl)]
    L = int(tl.max()) if N else 0
    prime = np.full((N, 2 * L + 1), blank, dtype=np.int64)
    for b, r in enumerate(rows):
        r = r.astype(np.int64)
        if r.size and (r.min() < 0 or r.max() >= C):
            bad = r[(r < 0) | (r >= C)][0]
            raise IndexError(f"Target {int(bad)} is out of bounds: ctc_loss targets are 0-based class indices "
                             f"in [0, {C - 1}] (as libtorch's)")
        prime[b, 1:2 * r.size:2] = r
    return prime


def nnf_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
                 zero_infinity=False):
    """CTC loss of `log_probs` (T, N, C) (or unbatched (T, C)) against `targets`, padded (N, S) or
    concatenated (sum(target_lengths)); `blank` and targets are 0-based class indices, as in R torch.
    `input_lengths` and `target_lengths` are integer vectors or tensors."""
    check_tensor(log_probs, "log_probs")
    check_tensor(targets, "targets")
    check_reduction(reduction)
    batched = log_probs.dim() == 3
    if log_probs.dim() == 2:
        log_probs = log_probs.unsqueeze(2)
        if targets.dim() == 1:
            targets = targets.unsqueeze(1)
    elif log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional tensor for "
                           f"argument #1 'log_probs' {_ALLOC}")
    if log_probs.dtype.category < 2:
        raise NotImplementedError(f'"ctc_loss_cpu" not implemented for \'{log_probs.dtype.name}\'')
    il = _lengths(input_lengths, "input_lengths")
    tl = _lengths(target_lengths, "target_lengths")
    T, N, C = log_probs.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if il.shape[0] != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if tl.shape[0] != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    for name, v in (("input_lengths", il), ("target_lengths", tl)):
        if v.size and v.min() < 0:
            raise RuntimeError(f"Expected {name} to have value at least 0, but got value {int(v.min())} {_ALLOC}")
    if il.size and il.max() > T:
        raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got value {int(il.max())} "
                           f"{_ALLOC}")
    prime = _primes(targets, tl, N, blank, C)
    res = _ctc(log_probs, prime, il, tl, bool(zero_infinity))
    if zero_infinity:
        res = torch_where(res == float("inf"), wrap_as(np.zeros((), res._data.dtype), res.dtype), res)
    if reduction == "mean":
        denom = wrap_as(np.maximum(tl, 1).astype(res._data.dtype), res.dtype)
        return (res / denom).mean()
    if reduction == "sum":
        return res.sum()
    return res if batched else res.squeeze(1)
