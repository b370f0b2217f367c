"""R torch's `nn_aum_loss()` (R/nn-loss.R): an `nn_loss` whose forward is `nnf_area_under_min_fpr_fnr`."""
from ..functional._aum import nnf_area_under_min_fpr_fnr
from ._loss import nn_loss

__all__ = ["nn_aum_loss"]


class nn_aum_loss(nn_loss):
    def initialize(self):
        nn_loss.initialize(self)

    def forward(self, input, target):
        return nnf_area_under_min_fpr_fnr(input, target)
