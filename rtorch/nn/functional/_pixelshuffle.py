"""R torch's `nnf_pixel_shuffle` and `torch_pixel_shuffle` (R/nnf-pixelshuffle.R): (*, C r^2, H, W) to
(*, C, H r, W r) as libtorch's reshape, permute, reshape, with libtorch's errors."""
from ..._scalars import _shape_text
from ..._tensor import wrap_as
from ...autograd._record import differentiable
from ._checks import check_tensor

__all__ = ["nnf_pixel_shuffle", "torch_pixel_shuffle", "torch_channel_shuffle"]


def nnf_pixel_shuffle(input, upscale_factor):
    check_tensor(input)
    r = int(upscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
                           f"of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    n = len(lead)
    x = input.reshape(lead + [c // (r * r), r, r, h, w])
    perm = list(range(1, n + 2)) + [n + 4, n + 2, n + 5, n + 3]
    return x.permute(perm).reshape(lead + [c // (r * r), h * r, w * r])


torch_pixel_shuffle = nnf_pixel_shuffle


def _shuffle(data, g):
    n, c = data.shape[:2]
    rest = data.shape[2:]
    return data.reshape((n, g, c // g) + rest).swapaxes(1, 2).reshape(data.shape)


def _channel_shuffle_forward(ctx, input, groups):
    return wrap_as(_shuffle(input._data, groups).copy(), input.dtype)


def _channel_shuffle_backward(ctx, g):
    c = ctx.args[0].shape[1]
    return _channel_shuffle(g, c // ctx.args[1]), None


_channel_shuffle = differentiable("ChannelShuffleBackward0", _channel_shuffle_forward, _channel_shuffle_backward)


def torch_channel_shuffle(self, groups):
    """R torch's `torch_channel_shuffle(self, groups)`: the channels (dim 2) of an (N, C, *) input split in
    `groups` and interleaved, as libtorch's reshape, transpose, reshape; its backward is the shuffle by
    C / groups."""
    check_tensor(self)
    g = int(groups)
    if g <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{g}")
    if self.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input with > 2 dims, but got input with sizes "
                           f"{_shape_text(self.shape)}")
    c = self.shape[1]
    if c % g:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and {g} groups.")
    return _channel_shuffle(self, g)
