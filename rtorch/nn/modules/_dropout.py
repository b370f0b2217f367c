"""R torch's dropout modules (R/nn-dropout.R): `p` and `inplace` kept, the module's training flag
passed to the functional form (identity in eval mode). `nn_alpha_dropout` is libtorch's (R torch has
the functional form only)."""
from ..functional import nnf_alpha_dropout, nnf_dropout, nnf_dropout2d, nnf_dropout3d
from ._module import nn_Module

__all__ = ["nn_dropout", "nn_dropout2d", "nn_dropout3d", "nn_alpha_dropout"]


class nn_dropout_nd(nn_Module):
    def initialize(self, p=0.5, inplace=False):
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1 but got {p}")
        self.p = p
        self.inplace = inplace


class nn_dropout(nn_dropout_nd):
    def forward(self, input):
        return nnf_dropout(input, self.p, self.training, self.inplace)


class nn_dropout2d(nn_dropout_nd):
    def forward(self, input):
        return nnf_dropout2d(input, self.p, self.training, self.inplace)


class nn_dropout3d(nn_dropout_nd):
    def forward(self, input):
        return nnf_dropout3d(input, self.p, self.training, self.inplace)


class nn_alpha_dropout(nn_dropout_nd):
    def forward(self, input):
        return nnf_alpha_dropout(input, self.p, self.training, self.inplace)
