"""R torch's recurrent layers `nn_rnn`, `nn_lstm`, `nn_gru` (R/nn-rnn.R).

Parameters are registered as R torch names them, layers counted from 1: `weight_ih_l1`, `weight_hh_l1`,
`bias_ih_l1`, `bias_hh_l1`, then `..._reverse` for the second direction, layer by layer; PyTorch's
`weight_ih_l0` is R torch's `weight_ih_l1`. Every parameter is drawn uniform in +-1/sqrt(hidden_size)
in that order, so the same seed gives libtorch's weights.

The forward is libtorch's CPU recurrence (ATen RNN.cpp) on recorded tensor ops: per layer and direction
the input projection `x W_ih^T + b_ih` of the whole sequence at once, then per step `h W_hh^T + b_hh`
plus that step's projection, gates in libtorch's order (LSTM i, f, g, o; GRU r, z, n), dropout on the
outputs of every layer but the last (training only). It returns `list(output, h_n)`, for the LSTM
`list(output, list(h_n, c_n))`, as R torch. A `PackedSequence` input (`batch_first` then does not apply)
gives a `PackedSequence` output and the states in the sequences' original order, as libtorch's packed
layers: each run of steps with the same batch size is one fused recurrence (`_packed_fused`), the state
cut or extended between runs (the step-by-step ops, `_packed_direction`, where the fused path does not
apply).

The recurrence of one layer and direction is one recorded operation (`_fused`): the forward runs the
steps on the arrays, with the same NumPy calls in the same order as the step-by-step ops (so the same
values), and keeps the gates; the backward is backpropagation through time on the arrays, one matrix
product a step, the weight gradients in one product over all steps. A step-by-step graph of a dozen nodes a
step cost far more than the arithmetic at these sizes. Under `create_graph` the backward recomputes the
steps as recorded ops and differentiates those, so higher derivatives stay exact. Inputs the fused path
does not cover (mixed dtypes, arrays that are not NumPy's, an empty sequence) run the step-by-step ops.
"""
import math
import warnings

import numpy as np

from ..._creation import torch_empty, torch_zeros
from ..._functions import torch_cat, torch_split, torch_stack
from ..._operations import _sigmoid
from ..._tensor import Tensor, is_undefined_tensor, wrap_as
from ...autograd._record import differentiable
from .. import init
from ..functional import nnf_dropout, nnf_linear
from ._module import nn_Module, nn_parameter
from ._utils_rnn import PackedSequence, is_packed_sequence

__all__ = ["nn_rnn", "nn_lstm", "nn_gru"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}
_NONLINEARITY = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}


def _lstm_cell(xw, h, c, w_hh, b_hh):
    i, f, g, o = (nnf_linear(h, w_hh, b_hh) + xw).chunk(4, dim=2)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c.tanh(), c


def _gru_cell(xw, h, w_hh, b_hh):
    xr, xz, xn = xw.chunk(3, dim=2)
    hr, hz, hn = nnf_linear(h, w_hh, b_hh).chunk(3, dim=2)
    r = (hr + xr).sigmoid()
    z = (hz + xz).sigmoid()
    n = (xn + hn * r).tanh()
    return (h - n) * z + n


def _simple_cell(act):
    def cell(xw, h, w_hh, b_hh):
        return getattr(nnf_linear(h, w_hh, b_hh) + xw, act)()
    return cell


_CELLS = {"GRU": _gru_cell, "RNN_TANH": _simple_cell("tanh"), "RNN_RELU": _simple_cell("relu")}


def _lstm_steps(xw, h, c, w_hh, b_hh, steps):
    out = [None] * len(xw)
    for t in steps:
        h, c = _lstm_cell(xw[t], h, c, w_hh, b_hh)
        out[t] = h
    return out, h, c


def _cell_steps(cell):
    def run(xw, h, w_hh, b_hh, steps):
        out = [None] * len(xw)
        for t in steps:
            h = cell(xw[t], h, w_hh, b_hh)
            out[t] = h
        return out, h
    return run


_STEPS = {mode: _cell_steps(cell) for mode, cell in _CELLS.items()}


# -- the fused recurrence: one node per layer and direction -----------------------------------------------

def _hidden_in(h0, out, order):
    """The hidden state each step read, in time order: h0 for the first step taken, else the output of the
    step before it."""
    hp = np.empty_like(out)
    first = order[0]
    hp[first] = h0
    if first == 0:
        hp[1:] = out[:-1]
    else:
        hp[:-1] = out[1:]
    return hp


def _lstm_forward(ctx, xw, h0, c0, w_hh, b_hh, mode):
    X, h, c = xw._data, h0._data, c0._data
    wt = w_hh._data.T
    b = None if b_hh is None else b_hh._data
    T, B, H = X.shape[0], h.shape[0], h.shape[1]
    dt = X.dtype
    S = np.empty((T, B, 4 * H), dt)     # sigmoid of every gate (the g block unused)
    G = np.empty((T, B, H), dt)         # tanh of the g gate
    C = np.empty((T, B, H), dt)         # the cell after each step
    TC = np.empty((T, B, H), dt)        # its tanh
    out = np.empty((T, B, H), dt)
    order = range(T - 1, -1, -1) if mode else range(T)
    H2, H3 = 2 * H, 3 * H
    for t in order:
        z = h @ wt
        if b is not None:
            z = z + b
        z = z + X[t]
        s = _sigmoid(z, out=S[t])
        g = np.tanh(z[:, H2:H3], out=G[t])
        c = np.add(s[:, H:H2] * c, s[:, :H] * g, out=C[t])
        h = np.multiply(s[:, H3:], np.tanh(c, out=TC[t]), out=out[t])
    ctx.saved_arrays = (S, G, C, TC, out, h0._data, c0._data, order)
    return (wrap_as(out.copy(), xw.dtype), wrap_as(h.copy(), xw.dtype), wrap_as(c.copy(), xw.dtype))


def _lstm_fast(ctx, g_out, g_h, g_c):
    S, G, C, TC, out, h0, c0, order = ctx.saved_arrays
    W = ctx.args[3]._data
    T, B, H = G.shape
    H3 = 3 * H
    I, F, O = S[..., :H], S[..., H:2 * H], S[..., H3:]
    CP = _hidden_in(c0, C, order)
    # dz = [dc, dc, dc, dh] * M: the factors of each gate's pre-activation gradient, for all steps at once
    M = np.empty_like(S)
    M4 = M.reshape(T, B, 4, H)
    np.multiply(G, I * (1 - I), out=M[..., :H])
    np.multiply(CP, F * (1 - F), out=M[..., H:2 * H])
    np.multiply(I, 1 - G * G, out=M[..., 2 * H:H3])
    np.multiply(TC, O * (1 - O), out=M[..., H3:])
    K = O * (1 - TC * TC)
    dZ = np.empty_like(S)
    dZ4 = dZ.reshape(T, B, 4, H)
    dh, dc = g_h, g_c
    for t in reversed(order):
        dh = dh + g_out[t]
        dc = dc + dh * K[t]
        np.multiply(M4[t, :, :3], dc[:, None, :], out=dZ4[t, :, :3])
        np.multiply(M[t, :, H3:], dh, out=dZ[t, :, H3:])
        dc = dc * F[t]
        dh = dZ[t] @ W
    return _weight_grads(ctx, dZ, dh, dc, _hidden_in(h0, out, order))


def _weight_grads(ctx, dZ, dh, dc, hp):
    """The gradients of (xw, h0, c0, w_hh, b_hh) from the pre-activation gradients of every step."""
    xw, h0, c0, w_hh, b_hh = ctx.args[:5]
    flat = dZ.reshape(-1, dZ.shape[-1])
    dw = flat.T @ hp.reshape(-1, hp.shape[-1]) if w_hh._rg else None
    db = flat.sum(axis=0) if b_hh is not None and b_hh._rg else None
    return dZ, dh, dc, dw, db


def _gru_forward(ctx, xw, h0, c0, w_hh, b_hh, mode):
    X, h = xw._data, h0._data
    wt = w_hh._data.T
    b = None if b_hh is None else b_hh._data
    T, B, H = X.shape[0], h.shape[0], h.shape[1]
    dt = X.dtype
    RZ = np.empty((T, B, 2 * H), dt)
    HN = np.empty((T, B, H), dt)
    N = np.empty((T, B, H), dt)
    out = np.empty((T, B, H), dt)
    order = range(T - 1, -1, -1) if mode[0] else range(T)
    H2 = 2 * H
    for t in order:
        hw = h @ wt
        if b is not None:
            hw = hw + b
        x = X[t]
        rz = _sigmoid(hw[:, :H2] + x[:, :H2], out=RZ[t])
        hn = hw[:, H2:]
        HN[t] = hn
        n = np.tanh(x[:, H2:] + hn * rz[:, :H], out=N[t])
        h = np.add((h - n) * rz[:, H:], n, out=out[t])
    ctx.saved_arrays = (RZ, HN, N, out, h0._data, order)
    return wrap_as(out.copy(), xw.dtype), wrap_as(h.copy(), xw.dtype)


def _gru_fast(ctx, g_out, g_h):
    RZ, HN, N, out, h0, order = ctx.saved_arrays
    W = ctx.args[3]._data
    T, B, H = N.shape
    H2 = 2 * H
    R, Z = RZ[..., :H], RZ[..., H:]
    hp = _hidden_in(h0, out, order)
    A1 = (1 - Z) * (1 - N * N)           # d(pre-tanh n) / dh'
    P = (hp - N) * (Z * (1 - Z))         # d(pre-sigmoid z) / dh'
    Q = HN * (R * (1 - R))               # d(pre-sigmoid r) / d(pre-tanh n)
    dX = np.empty((T, B, 3 * H), N.dtype)
    D = np.empty_like(dX)                # the gradient of h W_hh^T + b_hh
    dh = g_h
    for t in reversed(order):
        dh = dh + g_out[t]
        dan = np.multiply(dh, A1[t], out=dX[t, :, H2:])
        np.multiply(dan, Q[t], out=dX[t, :, :H])
        np.multiply(dh, P[t], out=dX[t, :, H:H2])
        D[t, :, :H2] = dX[t, :, :H2]
        np.multiply(dan, R[t], out=D[t, :, H2:])
        dh = dh * Z[t] + D[t] @ W
    xw, h0, c0, w_hh, b_hh = ctx.args[:5]
    flat = D.reshape(-1, 3 * H)
    dw = flat.T @ hp.reshape(-1, H) if w_hh._rg else None
    db = flat.sum(axis=0) if b_hh is not None and b_hh._rg else None
    return dX, dh, None, dw, db


def _simple_forward(ctx, xw, h0, c0, w_hh, b_hh, mode):
    X, h = xw._data, h0._data
    wt = w_hh._data.T
    b = None if b_hh is None else b_hh._data
    T = X.shape[0]
    out = np.empty((T,) + h.shape, X.dtype)
    order = range(T - 1, -1, -1) if mode[0] else range(T)
    tanh = mode[1] == "tanh"
    for t in order:
        a = h @ wt
        if b is not None:
            a = a + b
        a = a + X[t]
        h = np.tanh(a, out=out[t]) if tanh else np.maximum(a, 0, out=out[t])
    ctx.saved_arrays = (out, h0._data, order, tanh)
    return wrap_as(out.copy(), xw.dtype), wrap_as(h.copy(), xw.dtype)


def _simple_fast(ctx, g_out, g_h):
    out, h0, order, tanh = ctx.saved_arrays
    W = ctx.args[3]._data
    D = (1 - out * out) if tanh else (out > 0).astype(out.dtype)
    dA = np.empty_like(out)
    dh = g_h
    for t in reversed(order):
        dh = np.multiply(dh + g_out[t], D[t], out=dA[t])
        dh = dh @ W
    return _weight_grads(ctx, dA, dh, None, _hidden_in(h0, out, order))


def _recomputed_backward(steps, lstm):
    """The backward under `create_graph`: the steps again as recorded ops, differentiated by the engine."""
    def backward(ctx, *grads):
        from ...autograd import autograd_grad
        xw, h0, c0, w_hh, b_hh, mode = ctx.args
        reverse = mode if lstm else mode[0]
        seq = range(xw.shape[0])
        order = reversed(seq) if reverse else seq
        if lstm:
            out, h, c = _lstm_steps(xw.unbind(1), h0, c0, w_hh, b_hh, order)
            outputs = [torch_stack(out, dim=1), h, c]
        else:
            out, h = steps(xw.unbind(1), h0, w_hh, b_hh, order)
            outputs = [torch_stack(out, dim=1), h]
        args = (xw, h0, c0, w_hh, b_hh)
        wanted = [i for i, t in enumerate(args) if isinstance(t, Tensor) and t._rg]
        got = autograd_grad(outputs, [args[i] for i in wanted], grad_outputs=list(grads), retain_graph=True,
                            create_graph=True, allow_unused=True)
        result = [None] * 5
        for i, g in zip(wanted, got):
            if isinstance(g, Tensor) and not is_undefined_tensor(g):
                result[i] = g
        return tuple(result)
    return backward


def _saves(ctx):
    return [ctx.args[3]]


_FUSED = {
    "LSTM": differentiable("LstmRecurrenceBackward", _lstm_forward, _recomputed_backward(None, True),
                           saves=_saves, fast=_lstm_fast),
    "GRU": differentiable("GruRecurrenceBackward", _gru_forward, _recomputed_backward(_STEPS["GRU"], False),
                          saves=_saves, fast=_gru_fast),
    "RNN_TANH": differentiable("RnnTanhRecurrenceBackward", _simple_forward,
                               _recomputed_backward(_STEPS["RNN_TANH"], False), saves=_saves, fast=_simple_fast),
    "RNN_RELU": differentiable("RnnReluRecurrenceBackward", _simple_forward,
                               _recomputed_backward(_STEPS["RNN_RELU"], False), saves=_saves, fast=_simple_fast),
}


def _fusable(xw, h, c, w_hh, b_hh):
    dt = xw._data.dtype
    if xw.shape[0] == 0 or dt.kind != "f":
        return False
    for t in (xw, h, c, w_hh, b_hh):
        if t is not None and (type(t._data) is not np.ndarray or t._data.dtype != dt):
            return False
    return True


def _packed_runs(mode, xw, h0, c0, w_hh, b_hh, sizes, reverse, run):
    """One layer and direction over packed steps, as libtorch's PackedLayer (ReversedPackedLayer): step `t`
    runs the first `sizes[t]` sequences; going forward a sequence's state is set aside when it ends, going
    backward a sequence's initial state joins when it starts. Steps of the same batch size lie one after
    another in the packed data: `run(block, h, c)` computes such a run (`k x n x gates`), giving
    (outputs, h, c)."""
    lstm = mode == "LSTM"
    runs = []
    t = 0
    while t < len(sizes):
        start, n = t, sizes[t]
        while t < len(sizes) and sizes[t] == n:
            t += 1
        runs.append((t - start, n))
    blocks = torch_split(xw, [k * n for k, n in runs], dim=1)
    gates = xw.shape[-1]
    out = [None] * len(runs)
    done_h, done_c = [], []
    last = runs[-1][1] if reverse else runs[0][1]
    h = h0.narrow(1, 1, last) if reverse else h0
    c = (c0.narrow(1, 1, last) if reverse else c0) if lstm else None
    for i in (reversed(range(len(runs))) if reverse else range(len(runs))):
        k, n = runs[i]
        if n > last:
            h = torch_cat([h, h0.narrow(1, last + 1, n - last)], dim=1)
            if lstm:
                c = torch_cat([c, c0.narrow(1, last + 1, n - last)], dim=1)
        elif n < last:
            done_h.append(h.narrow(1, n + 1, last - n))
            h = h.narrow(1, 1, n)
            if lstm:
                done_c.append(c.narrow(1, n + 1, last - n))
                c = c.narrow(1, 1, n)
        last = n
        o, h, c = run(blocks[i].reshape(k, n, gates), h, c)
        out[i] = o.reshape(k * n, o.shape[-1])
    if done_h:
        h = torch_cat([h] + done_h[::-1], dim=1)
        if lstm:
            c = torch_cat([c] + done_c[::-1], dim=1)
    return (out[0] if len(out) == 1 else torch_cat(out, dim=1)), h, c


def _packed_fused(mode, xw, h0, c0, w_hh, b_hh, sizes, reverse):
    """`_packed_runs` with each run one `_FUSED` call."""
    fused = _FUSED[mode]
    lstm = mode == "LSTM"
    how = int(reverse) if lstm else (int(reverse), mode[4:].lower())

    def run(block, h, c):
        if lstm:
            return fused(block, h, c, w_hh, b_hh, how)
        o, h = fused(block, h, None, w_hh, b_hh, how)
        return o, h, None
    return _packed_runs(mode, xw, h0, c0, w_hh, b_hh, sizes, reverse, run)


def _packed_direction(mode, xw, h0, c0, w_hh, b_hh, sizes, reverse):
    """`_packed_runs` on recorded ops, step by step."""
    cell = _CELLS.get(mode)

    def run(block, h, c):
        outs = [None] * block.shape[0]
        for t in (reversed(range(len(outs))) if reverse else range(len(outs))):
            if c is not None:
                h, c = _lstm_cell(block[t + 1], h, c, w_hh, b_hh)
            else:
                h = cell(block[t + 1], h, w_hh, b_hh)
            outs[t] = h
        return torch_stack(outs), h, c
    return _packed_runs(mode, xw, h0, c0, w_hh, b_hh, sizes, reverse, run)


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

    def _check_input(self, input, hx, sizes=None):
        if not isinstance(input, Tensor):
            raise TypeError(f"`input` must be a torch_tensor, got {type(input).__name__}")
        want = 3 if sizes is None else 2
        if input.dim() != want:
            raise RuntimeError(f"input must have {want} dimensions, got {input.dim()}")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")
        if sizes is not None:
            batch = sizes[0]
        else:
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
        packed = is_packed_sequence(input)
        sizes = None
        if packed:
            packed_input = input
            sizes = [int(n) for n in np.asarray(input.batch_sizes._data)]
            input = input.data
        expected = self._check_input(input, hx, sizes)
        if hx is None:
            zeros = torch_zeros(*expected, dtype=input.dtype, device=input.device)
            hx = [zeros, zeros] if self.mode == "LSTM" else zeros
        elif packed:
            hx = self.permute_hidden(hx, packed_input.sorted_indices)
        lstm = self.mode == "LSTM"
        h0, c0 = hx if lstm else (hx, None)
        h_all, c_all = h0.unbind(1), (c0.unbind(1) if lstm else None)
        x = input.transpose(1, 2) if self.batch_first and not packed else input
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
                xw = nnf_linear(x, w_ih, b_ih)
                h0, c0 = h_all[k], (c_all[k] if lstm else None)
                if packed:
                    run = _packed_fused if _fusable(xw, h0, c0, w_hh, b_hh) else _packed_direction
                    out, h, c = run(self.mode, xw, h0, c0, w_hh, b_hh, sizes, direction)
                    h_n.append(h)
                    if lstm:
                        c_n.append(c)
                    outputs.append(out)
                    continue
                if _fusable(xw, h0, c0, w_hh, b_hh):
                    if lstm:
                        out, h, c = _FUSED["LSTM"](xw, h0, c0, w_hh, b_hh, direction)
                        c_n.append(c)
                    else:
                        mode = (direction, self.mode[4:].lower())
                        out, h = _FUSED[self.mode](xw, h0, None, w_hh, b_hh, mode)
                    h_n.append(h)
                    outputs.append(out)
                    continue
                xw = xw.unbind(1)
                order = reversed(seq) if direction else seq
                if lstm:
                    out, h, c = _lstm_steps(xw, h0, c0, w_hh, b_hh, order)
                    c_n.append(c)
                else:
                    out, h = steps(xw, h0, w_hh, b_hh, order)
                h_n.append(h)
                outputs.append(torch_stack(out, dim=1))
            x = outputs[0] if num_directions == 1 else torch_cat(outputs, dim=x.dim())
            if self.dropout != 0 and self.training and layer < self.num_layers:
                x = nnf_dropout(x, p=self.dropout, training=True)
        hidden = torch_stack(h_n, dim=1)
        if lstm:
            hidden = [hidden, torch_stack(c_n, dim=1)]
        if packed:
            output = PackedSequence(x, packed_input.batch_sizes, packed_input.sorted_indices,
                                    packed_input.unsorted_indices)
            return [output, self.permute_hidden(hidden, packed_input.unsorted_indices)]
        output = x.transpose(1, 2) if self.batch_first else x
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
