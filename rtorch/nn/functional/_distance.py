"""R torch's distances (R/nnf-distance.R): `nnf_cosine_similarity`, `nnf_pairwise_distance`, `nnf_pdist`
and the `torch_*` forms R torch exports with them, composed of recorded operations as libtorch's are.

`nnf_cosine_similarity` divides each input by its 2-norm first (libtorch's numerically stable order); the
norms are clamped below at `eps` without the clamp entering the gradient, as libtorch clamps them in place
under no-grad. `nnf_pairwise_distance` is `||x1 - x2 + eps||_p` over the last dimension. `nnf_pdist`
takes the rows of each pair (i < j, row-major order) with `index_select` and their p-norm distance.
`dim` is 1-based.
"""
from ..._creation import torch_triu_indices
from ._checks import check_tensor

__all__ = ["nnf_cosine_similarity", "nnf_pairwise_distance", "nnf_pdist", "torch_cosine_similarity",
           "torch_pairwise_distance", "torch_pdist"]


def _stable_norm(x, dim, eps):
    norm = x.norm(p=2, dim=dim, keepdim=True)
    return norm + (norm.clamp(min=eps) - norm).detach()


def nnf_cosine_similarity(x1, x2, dim=2, eps=1e-8):
    """`sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))` along the 1-based `dim`."""
    check_tensor(x1, "x1")
    check_tensor(x2, "x2")
    nd = max(x1.dim(), x2.dim())
    if not -nd <= dim <= nd or dim == 0:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd}], but got {dim})")
    if x1.shape != x2.shape:
        shape = _broadcast_shape(x1.shape, x2.shape)
        x1, x2 = x1.expand(shape), x2.expand(shape)
    if not x1.is_floating_point():
        x1, x2 = x1.float(), x2.float()
    return ((x1 / _stable_norm(x1, dim, eps)) * (x2 / _stable_norm(x2, dim, eps))).sum(dim=dim)


def _broadcast_shape(a, b):
    a, b = list(a), list(b)
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    out = []
    for i, (u, v) in enumerate(zip(a, b)):
        if u != v and 1 not in (u, v):
            raise RuntimeError(f"The size of tensor a ({u}) must match the size of tensor b ({v}) at "
                               f"non-singleton dimension {i}")
        out.append(max(u, v))
    return out


def nnf_pairwise_distance(x1, x2, p=2, eps=1e-6, keepdim=False):
    """The p-norm of `x1 - x2 + eps` over the last dimension (of the broadcast inputs)."""
    check_tensor(x1, "x1")
    check_tensor(x2, "x2")
    return (x1 - x2 + eps).norm(p=p, dim=max(x1.dim(), x2.dim(), 1), keepdim=keepdim)


def nnf_pdist(input, p=2):
    """The p-norm distances between the rows of an N x M `input`: the N (N - 1) / 2 pairs i < j."""
    check_tensor(input)
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    if n < 2:
        return input.new_zeros(0)
    ij = torch_triu_indices(n, n, 1)
    return (input.index_select(1, ij[1]) - input.index_select(1, ij[2])).norm(p=p, dim=2)


torch_cosine_similarity = nnf_cosine_similarity
torch_pairwise_distance = nnf_pairwise_distance
torch_pdist = nnf_pdist
