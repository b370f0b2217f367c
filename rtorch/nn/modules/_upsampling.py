"""R torch's `nn_upsample` (R/nn-upsampling.R): `nnf_interpolate` with `recompute_scale_factor = FALSE`."""
from ..functional._upsampling import nnf_interpolate
from ._module import nn_Module

__all__ = ["nn_upsample"]


class nn_upsample(nn_Module):
    def initialize(self, size=None, scale_factor=None, mode="nearest", align_corners=None):
        self.size, self.scale_factor, self.mode, self.align_corners = size, scale_factor, mode, align_corners

    def forward(self, input):
        return nnf_interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                               recompute_scale_factor=False)
