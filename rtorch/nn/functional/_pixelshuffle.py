"""R torch's `nnf_pixel_shuffle` and `torch_pixel_shuffle` (R/nnf-pixelshuffle.R): (*, C r^2, H, W) to
(*, C, H r, W r) as libtorch's reshape, permute, reshape, with libtorch's errors."""
from ._checks import check_tensor

__all__ = ["nnf_pixel_shuffle", "torch_pixel_shuffle"]


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
