"""R torch's normalisation modules: `nn_batch_norm1d/2d/3d` (R/nn-batchnorm.R), `nn_layer_norm` and
`nn_group_norm` (R/nn-normalization.R). Affine weights start at ones, biases at zeros; batch norm keeps
`running_mean` (zeros), `running_var` (ones) and `num_batches_tracked` (Long 0) as buffers and, in
training, counts batches and updates the running statistics with `momentum` (`momentum = NULL`: the
cumulative average, factor `1 / num_batches_tracked`); in eval mode it normalises with them."""
from ..._creation import torch_empty, torch_ones, torch_tensor, torch_zeros
from ..._dtypes import DTYPES
from ...autograd import with_no_grad
from ...autograd._record import bump
from .. import init
from ..functional import nnf_batch_norm, nnf_group_norm, nnf_layer_norm
from ._module import nn_buffer, nn_Module, nn_parameter

__all__ = ["nn_batch_norm1d", "nn_batch_norm2d", "nn_batch_norm3d", "nn_layer_norm", "nn_group_norm"]


class nn_norm_base_(nn_Module):
    def initialize(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True):
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = nn_parameter(torch_empty(num_features))
            self.bias = nn_parameter(torch_empty(num_features))
        else:
            self.weight = None
            self.bias = None
        if track_running_stats:
            self.running_mean = nn_buffer(torch_zeros(num_features))
            self.running_var = nn_buffer(torch_ones(num_features))
            self.num_batches_tracked = nn_buffer(torch_tensor(0, dtype=DTYPES["Long"]))
        else:
            self.running_mean = None
            self.running_var = None
            self.num_batches_tracked = None
        self.reset_parameters()

    def reset_running_stats(self):
        if self.track_running_stats:
            with with_no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.affine:
            init.nn_init_ones_(self.weight)
            init.nn_init_zeros_(self.bias)

    def check_input_dim(self, input):
        raise NotImplementedError("not implemented")

    def load_state_dict(self, state_dict, strict=False, _prefix=""):
        """R torch's `.load_from_state_dict`: a state dict without `num_batches_tracked` loads with 0; a
        0-d count (PyTorch's) loads into R torch's 1-element one, as R torch's `copy_` broadcasts it.
        (Only when this module is the one loaded: nested modules load through the module system.)"""
        if self.track_running_stats:
            count = state_dict.get("num_batches_tracked")
            if count is None:
                count = torch_tensor(0, dtype=DTYPES["Long"])
            state_dict = dict(state_dict, num_batches_tracked=count.reshape(1))
        return nn_Module.load_state_dict(self, state_dict, strict, _prefix)


class nn_batch_norm_(nn_norm_base_):
    def forward(self, input):
        self.check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked._data += 1
            bump(self.num_batches_tracked)
            factor = 1 / int(self.num_batches_tracked.item()) if self.momentum is None else self.momentum
        bn_training = True if self.training else (self.running_mean is None and self.running_var is None)
        use_running = not self.training or self.track_running_stats
        return nnf_batch_norm(input, self.running_mean if use_running else None,
                              self.running_var if use_running else None, self.weight, self.bias, bn_training,
                              factor, self.eps)


def _dim_error(expected, input):
    return ValueError(f"expected {expected} input (got {input.dim()}D input)")


class nn_batch_norm1d(nn_batch_norm_):
    """Batch norm of (N, C) or (N, C, L) inputs."""

    def check_input_dim(self, input):
        if input.dim() not in (2, 3):
            raise _dim_error("2D or 3D", input)


class nn_batch_norm2d(nn_batch_norm_):
    """Batch norm of (N, C, H, W) inputs."""

    def check_input_dim(self, input):
        if input.dim() != 4:
            raise _dim_error("4D", input)


class nn_batch_norm3d(nn_batch_norm_):
    """Batch norm of (N, C, D, H, W) inputs."""

    def check_input_dim(self, input):
        if input.dim() != 5:
            raise _dim_error("5D", input)


class nn_layer_norm(nn_Module):
    """Layer norm over the trailing `normalized_shape` dims; `elementwise_affine` adds a weight and bias
    of that shape."""

    def initialize(self, normalized_shape, eps=1e-5, elementwise_affine=True):
        shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
        self.normalized_shape = [int(s) for s in shape]
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = nn_parameter(torch_empty(*self.normalized_shape))
            self.bias = nn_parameter(torch_empty(*self.normalized_shape))
        else:
            self.weight = None
            self.bias = None
        self.reset_parameters()

    def reset_parameters(self):
        if self.elementwise_affine:
            init.nn_init_ones_(self.weight)
            init.nn_init_zeros_(self.bias)

    def forward(self, input):
        return nnf_layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)


class nn_group_norm(nn_Module):
    """Group norm: `num_channels` split into `num_groups`; `affine` adds per-channel weight and bias."""

    def initialize(self, num_groups, num_channels, eps=1e-5, affine=True):
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        if affine:
            self.weight = nn_parameter(torch_empty(num_channels))
            self.bias = nn_parameter(torch_empty(num_channels))
        else:
            self.weight = None
            self.bias = None
        self.reset_parameters()

    def reset_parameters(self):
        if self.affine:
            init.nn_init_ones_(self.weight)
            init.nn_init_zeros_(self.bias)

    def forward(self, input):
        return nnf_group_norm(input, self.num_groups, self.weight, self.bias, self.eps)
