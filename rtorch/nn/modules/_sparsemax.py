"""R torch's `nn_contrib_sparsemax(dim = -1)` (R/nn-activation.R): `nnf_contrib_sparsemax` along `dim`."""
from ..functional._sparsemax import nnf_contrib_sparsemax
from ._module import nn_Module

__all__ = ["nn_contrib_sparsemax"]


class nn_contrib_sparsemax(nn_Module):
    def initialize(self, dim=-1):
        self.dim = dim

    def forward(self, input):
        return nnf_contrib_sparsemax(input, self.dim)
