"""R torch's `nnf_instance_norm` (R/nnf-instancenorm.R) and `nnf_local_response_norm`
(R/nnf-normalization.R).

Instance norm is libtorch's: the (N, C, ...) input seen as (1, N C, ...), weight, bias and running
statistics repeated N times, `nnf_batch_norm` in training mode when `use_input_stats`; the running
statistics then become the mean over the batch of the updated copies. Local response norm is R torch's
code line for line: the squares padded and average-pooled over `size` neighbouring channels.
"""
from ...autograd._grad_mode import with_no_grad
from ._checks import check_tensor
from ._normalization import nnf_batch_norm
from ._padding import nnf_pad
from ._pooling import nnf_avg_pool2d
from ._pooling3d import nnf_avg_pool3d

__all__ = ["nnf_instance_norm", "nnf_local_response_norm"]


def nnf_instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                      momentum=0.1, eps=1e-5):
    """Normalises each channel of each sample over its spatial dims."""
    check_tensor(input)
    if input.dim() < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.dim()} dimensions)")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = input.shape[:2]
    rep = [None if t is None else t.repeat(n) for t in (weight, bias, running_mean, running_var)]
    if rep[2] is not None:
        rep[2], rep[3] = rep[2].detach(), rep[3].detach()
    out = nnf_batch_norm(input.reshape([1, n * c] + list(input.shape[2:])), rep[2], rep[3], rep[0], rep[1],
                         training=use_input_stats, momentum=momentum, eps=eps)
    if use_input_stats:
        with with_no_grad():
            for run, upd in ((running_mean, rep[2]), (running_var, rep[3])):
                if run is not None:
                    run.copy_(upd.view([n, c]).mean(dim=1))
    return out.view(list(input.shape))


def nnf_local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1):
    """`input / (k + alpha * mean of squares over `size` channels) ^ beta`."""
    check_tensor(input)
    dim = input.dim()
    if dim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {dim} dimensions)")
    div = input.mul(input).unsqueeze(1)
    if dim == 3:
        div = nnf_pad(div, [0, 0, int(size / 2), int((size - 1) / 2)])
        div = nnf_avg_pool2d(div, [size, 1], stride=1).squeeze(1)
    else:
        sizes = list(input.shape)
        div = div.view([sizes[0], 1, sizes[1], sizes[2], -1])
        div = nnf_pad(div, [0, 0, 0, 0, int(size / 2), int((size - 1) / 2)])
        div = nnf_avg_pool3d(div, [size, 1, 1], stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div
