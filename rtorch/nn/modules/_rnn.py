"""R torch's recurrent layers `nn_rnn`, `nn_lstm`, `nn_gru` (R/nn-rnn.R).

Parameters are registered as R torch names them, layers counted from 1: `weight_ih_l1`, `weight_hh_l1`,
`bias_ih_l1`, `bias_hh_l1`, then `..._reverse` for the second direction, layer by layer; PyTorch's
`weight_ih_l0` is R torch's `weight_ih_l1`. Every parameter is drawn uniform in +-1/sqrt(hidden_size)
in that order, so the same seed gives libtorch's weights.

The forward is libtorch's CPU recurrence (ATen RNN.cpp) on recorded tensor ops: per layer and direction
the input projection `x W_ih^T + b_ih` of the whole sequence at once, then per step `h W_hh^T + b_hh`
plus that step's projection, gates in libtorch's order (LSTM i, f, g, o; GRU r, z, n), dropout on the
outputs of every layer but the last (training only). It returns `list(output, h_n)`, for the LSTM
`list(output, list(h_n, c_n))`, as R torch. Packed sequences are not supported yet.
"""
import math
import warnings

from ..._creation import torch_empty, torch_zeros
from ..._functions import torch_cat, torch_stack
from ..._tensor import Tensor
from .. import init
from ..functional import nnf_dropout, nnf_linear
from ._module import nn_Module, nn_parameter

__all__ = ["nn_rnn", "nn_lstm", "nn_gru"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}
_NONLINEARITY = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}


def _lstm_steps(xw, h, c, w_hh, b_hh, steps):
    out = [None] * len(xw)
    for t in steps:
        i, f, g, o = (nnf_linear(h, w_hh, b_hh) + xw[t]).chunk(4, dim=2)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        out[t] = h
    return out, h, c


def _gru_steps(xw, h, w_hh, b_hh, steps):
    out = [None] * len(xw)
    for t in steps:
        xr, xz, xn = xw[t].chunk(3, dim=2)
        hr, hz, hn = nnf_linear(h, w_hh, b_hh).chunk(3, dim=2)
        r = (hr + xr).sigmoid()
        z = (hz + xz).sigmoid()
        n = (xn + hn * r).tanh()
        h = (h - n) * z + n
        out[t] = h
    return out, h


def _simple_steps(act):
    def run(xw, h, w_hh, b_hh, steps):
        out = [None] * len(xw)
        for t in steps:
            h = getattr(nnf_linear(h, w_hh, b_hh) + xw[t], act)()
            out[t] = h
        return out, h
    return run


_STEPS = {"GRU": _gru_steps, "RNN_TANH": _simple_steps("tanh"), "RNN_RELU": _simple_steps("relu")}


def _size_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


class nn_rnn_base(nn_Module):
    """The shared body of `nn_rnn`, `nn_lstm` and `nn_gru` (R torch's `nn_rnn_base`)."""

    def initialize(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                   dropout=0., bidirectional=False):
        if mode not in _GATES:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.proj_size = 0
        num_directions = 2 if bidirectional else 1
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero "
                          f"dropout expects num_layers greater than 1, but got dropout={dropout} and "
                          f"num_layers={num_layers}")
        gate_size = _GATES[mode] * hidden_size
        names = []
        for layer in range(1, num_layers + 1):
            for direction in range(num_directions):
                layer_input_size = input_size if layer == 1 else hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = {f"weight_ih_l{layer}{suffix}": (gate_size, layer_input_size),
                          f"weight_hh_l{layer}{suffix}": (gate_size, hidden_size)}
                if bias:
                    shapes[f"bias_ih_l{layer}{suffix}"] = (gate_size,)
                    shapes[f"bias_hh_l{layer}{suffix}"] = (gate_size,)
                for name, shape in shapes.items():
                    self.register_parameter(name, nn_parameter(torch_empty(*shape)))
                names.extend(shapes)
        self.flat_weight_names_ = names
        self.all_weights_ = list(names)
        self.flatten_parameters()
        self.reset_parameters()

    @property
    def flat_weights_(self):
        return [self._parameters[name] for name in self.flat_weight_names_]

    def flatten_parameters(self):
        """A no-op: libtorch flattens weights for cuDNN only."""

    def reset_parameters(self):
        stdv = 1 / math.sqrt(self.hidden_size)
        for weight in self.parameters.values():
            init.nn_init_uniform_(weight, -stdv, stdv)

    def permute_hidden(self, hx, permutation):
        return hx if permutation is None else hx.index_select(2, permutation)

    def _check_input(self, input, hx):
        if not isinstance(input, Tensor):
            raise TypeError(f"`input` must be a torch_tensor, got {type(input).__name__}")
        if input.dim() != 3:
            raise RuntimeError(f"input must have 3 dimensions, got {input.dim()}")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")
        batch = input.shape[0] if self.batch_first else input.shape[1]
        expected = (self.num_layers * (2 if self.bidirectional else 1), batch, self.hidden_size)
        if hx is None:
            return expected
        if self.mode == "LSTM":
            if not isinstance(hx, (list, tuple)) or len(hx) != 2:
                raise TypeError("hx of an LSTM must be a list of two tensors, list(h_0, c_0)")
            labels = ("hidden[0]", "hidden[1]")
        else:
            hx = (hx,)
            labels = ("hidden",)
        for label, h in zip(labels, hx):
            if tuple(h.shape) != expected:
                raise RuntimeError(f"Expected {label} size {expected}, got {_size_text(h.shape)}")
        return expected

    def forward(self, input, hx=None):
        expected = self._check_input(input, hx)
        if hx is None:
            zeros = torch_zeros(*expected, dtype=input.dtype, device=input.device)
            hx = [zeros, zeros] if self.mode == "LSTM" else zeros
        lstm = self.mode == "LSTM"
        h0, c0 = hx if lstm else (hx, None)
        h_all, c_all = h0.unbind(1), (c0.unbind(1) if lstm else None)
        x = input.transpose(1, 2) if self.batch_first else input
        num_directions = 2 if self.bidirectional else 1
        params = self._parameters
        steps = _STEPS.get(self.mode)
        seq = range(x.shape[0])
        h_n, c_n = [], []
        for layer in range(1, self.num_layers + 1):
            outputs = []
            for direction in range(num_directions):
                suffix = "_reverse" if direction else ""
                k = (layer - 1) * num_directions + direction
                w_ih = params[f"weight_ih_l{layer}{suffix}"]
                w_hh = params[f"weight_hh_l{layer}{suffix}"]
                b_ih = params.get(f"bias_ih_l{layer}{suffix}")
                b_hh = params.get(f"bias_hh_l{layer}{suffix}")
                xw = nnf_linear(x, w_ih, b_ih).unbind(1)
                order = reversed(seq) if direction else seq
                if lstm:
                    out, h, c = _lstm_steps(xw, h_all[k], c_all[k], w_hh, b_hh, order)
                    c_n.append(c)
                else:
                    out, h = steps(xw, h_all[k], w_hh, b_hh, order)
                h_n.append(h)
                outputs.append(torch_stack(out, dim=1))
            x = outputs[0] if num_directions == 1 else torch_cat(outputs, dim=3)
            if self.dropout != 0 and self.training and layer < self.num_layers:
                x = nnf_dropout(x, p=self.dropout, training=True)
        output = x.transpose(1, 2) if self.batch_first else x
        hidden = torch_stack(h_n, dim=1)
        if lstm:
            hidden = [hidden, torch_stack(c_n, dim=1)]
        return [output, hidden]


class nn_rnn(nn_rnn_base):
    """Elman RNN, `h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)` (`nonlinearity = "relu"`:
    ReLU)."""

    def initialize(self, input_size, hidden_size, num_layers=1, nonlinearity=None, bias=True,
                   batch_first=False, dropout=0., bidirectional=False):
        self.nonlinearity = "tanh" if nonlinearity is None else nonlinearity
        if self.nonlinearity not in _NONLINEARITY:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'")
        super().initialize(_NONLINEARITY[self.nonlinearity], input_size=input_size,
                           hidden_size=hidden_size, num_layers=num_layers, bias=bias,
                           batch_first=batch_first, dropout=dropout, bidirectional=bidirectional)


class nn_lstm(nn_rnn_base):
    """Long short-term memory; `hx` and the returned state are `list(h, c)`."""

    def initialize(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.,
                   bidirectional=False):
        super().initialize("LSTM", input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                           bias=bias, batch_first=batch_first, dropout=dropout, bidirectional=bidirectional)

    def permute_hidden(self, hx, permutation):
        return hx if permutation is None else [h.index_select(2, permutation) for h in hx]


class nn_gru(nn_rnn_base):
    """Gated recurrent unit: `n = tanh(x W_in + b_in + r * (h W_hn + b_hn))`, `h' = (1 - z) n + z h`."""

    def initialize(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.,
                   bidirectional=False):
        super().initialize("GRU", input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                           bias=bias, batch_first=batch_first, dropout=dropout, bidirectional=bidirectional)
