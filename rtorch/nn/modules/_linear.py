"""R torch's `nn_linear`, `nn_bilinear`, `nn_identity`, `nn_flatten`, `nn_unflatten` (R/nn-linear.R,
R/nn-flatten.R). Default init is libtorch's: kaiming-uniform weights with `a = sqrt(5)`, biases uniform
in +-1/sqrt(fan_in), drawn weight first."""
import math

from ..._creation import torch_empty
from .. import init
from ..functional import nnf_bilinear, nnf_linear
from ._module import nn_Module, nn_parameter

__all__ = ["nn_linear", "nn_bilinear", "nn_identity", "nn_flatten", "nn_unflatten"]


def _reset_linear(self, fan_in):
    init.nn_init_kaiming_uniform_(self.weight, a=math.sqrt(5))
    if self.bias is not None:
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.nn_init_uniform_(self.bias, -bound, bound)


class nn_linear(nn_Module):
    """`y = x W^T + b` with `W` of shape (out_features, in_features)."""

    def initialize(self, in_features, out_features, bias=True):
        self.in_features = in_features
        self.out_features = out_features
        self.weight = nn_parameter(torch_empty(out_features, in_features))
        self.bias = nn_parameter(torch_empty(out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        _reset_linear(self, self.in_features)

    def forward(self, input):
        return nnf_linear(input, self.weight, self.bias)


class nn_bilinear(nn_Module):
    """`y = x1^T A x2 + b`; weight (out, in1, in2), init uniform in +-1/sqrt(in1), as libtorch."""

    def initialize(self, in1_features, in2_features, out_features, bias=True):
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        self.weight = nn_parameter(torch_empty(out_features, in1_features, in2_features))
        self.bias = nn_parameter(torch_empty(out_features)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.nn_init_uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.nn_init_uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return nnf_bilinear(input1, input2, self.weight, self.bias)


class nn_identity(nn_Module):
    def initialize(self, *args, **kwargs):
        pass

    def forward(self, input):
        return input


class nn_flatten(nn_Module):
    """Flattens dims `start_dim`..`end_dim` (1-based, R torch's defaults 2 and -1)."""

    def initialize(self, start_dim=2, end_dim=-1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input):
        return input.flatten(start_dim=self.start_dim, end_dim=self.end_dim)


class nn_unflatten(nn_Module):
    def initialize(self, dim, unflattened_size):
        self.dim, self.unflattened_size = dim, list(unflattened_size)

    def forward(self, input):
        return input.unflatten(self.dim, self.unflattened_size)
