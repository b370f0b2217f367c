"""R torch's `nn_adaptive_log_softmax_with_loss` (R/nn_adaptive.R), the adaptive softmax of Grave et al.

R torch's constructor sets up the fields, then stops with "not yet implemented"; this is the module its
documentation describes, PyTorch's `AdaptiveLogSoftmaxWithLoss`: the same fields, the same layers made
in the same order (so the same seeded weights), the same forward, `log_prob` and `predict`. Targets and
predicted classes are 1-based, as R's class labels: `cutoffs = c(10, 100)` puts classes 1-10 in the
head, 11-100 in the first cluster and 101-`n_classes` in the second. The forward returns a named tuple
`(output, loss)` (R torch documents a list with those names)."""
from collections import namedtuple

import numpy as np

from ..._dtypes import DTYPES
from ..._functions import torch_cat
from ..._tensor import wrap_as
from ...autograd._ops import scatter_flat, take_flat
from ..functional._activation import nnf_log_softmax
from ..functional._loss import _index_target
from ._container import nn_module_list, nn_sequential
from ._linear import nn_linear
from ._module import nn_Module

__all__ = ["nn_adaptive_log_softmax_with_loss"]

ASMoutput = namedtuple("ASMoutput", ["output", "loss"])

_LONG = DTYPES["Long"]


def _rows(x, rows):
    """Rows `rows` (0-based) of matrix `x`, through autograd's gather."""
    width = x.shape[1]
    return take_flat(x, rows[:, None] * width + np.arange(width, dtype=np.int64)[None, :])


class nn_adaptive_log_softmax_with_loss(nn_Module):
    def initialize(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False):
        cutoffs = [cutoffs] if np.ndim(cutoffs) == 0 else list(np.asarray(cutoffs).tolist())
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1
                or len(set(cutoffs)) != len(cutoffs) or any(int(c) != c for c in cutoffs)):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted in an increasing "
                             "order, where each value is between 1 and n_classes-1")
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = [int(c) for c in cutoffs] + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = nn_linear(in_features, self.head_size, bias=head_bias)
        tail = []
        for i in range(self.n_clusters):
            hsz = int(in_features // (div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            tail.append(nn_sequential(nn_linear(in_features, hsz, bias=False), nn_linear(hsz, osz, bias=False)))
        self.tail = nn_module_list(tail)

    def reset_parameters(self):
        self.head.reset_parameters()
        for projection in self.tail:
            for layer in projection:
                layer.reset_parameters()

    def forward(self, input, target):
        """Each target's log probability (`output`) and their negated mean (`loss`); `input` (N, in_features)
        with 1-based `target` (N), or (in_features) with a scalar target."""
        if target.dim() == 1:
            if input.shape[0] != target.shape[0]:
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input.dim() != 2:
                raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with size "
                                   f"{list(input.shape)}")
        elif target.dim() == 0:
            if input.dim() != 1:
                raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with size "
                                   f"{list(input.shape)}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = target.dim() > 0
        if not batched:
            input = input.unsqueeze(1)
        t0 = _index_target(target).reshape(-1)
        n = t0.shape[0]
        if n and (t0.min() < 0 or t0.max() >= self.n_classes):
            tv = np.asarray(target._data).reshape(-1)
            raise RuntimeError(f"Target values should be in [1, {self.n_classes}], but values in range "
                               f"[{int(tv.min())}, {int(tv.max())}] were found. ")
        gather = t0.copy()
        output = None
        bounds = [0] + self.cutoffs
        for i in range(1, len(bounds) - 1):
            low, high = bounds[i], bounds[i + 1]
            rows = np.nonzero((t0 >= low) & (t0 < high))[0]
            if rows.size == 0:
                continue
            gather[rows] = self.shortlist_size + i - 1
            logprob = nnf_log_softmax(self.tail[i](_rows(input, rows)), dim=2)
            local = take_flat(logprob, np.arange(rows.size) * logprob.shape[1] + (t0[rows] - low))
            placed = scatter_flat(local, rows, (n,))
            output = placed if output is None else output + placed
        head_logprob = nnf_log_softmax(self.head(input), dim=2)
        picked = take_flat(head_logprob, np.arange(n) * self.head_size + gather)
        output = picked if output is None else output + picked
        loss = (-output).mean()
        return ASMoutput(output if batched else output.squeeze(1), loss)

    def _full_log_prob(self, input, head_output):
        head_logprob = nnf_log_softmax(head_output, dim=2)
        parts = [head_logprob[:, 1:self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster = nnf_log_softmax(self.tail[i + 1](input), dim=2)
            parts.append(cluster + head_logprob[:, self.shortlist_size + i + 1].unsqueeze(2))
        return torch_cat(parts, dim=2)

    def log_prob(self, input):
        """Log probabilities of all `n_classes` classes, (N, n_classes) for (N, in_features) input."""
        batched = input.dim() > 1
        x = input if batched else input.unsqueeze(1)
        out = self._full_log_prob(x, self.head(x))
        return out if batched else out.squeeze(1)

    def predict(self, input):
        """The most likely 1-based class of each row, as `log_prob(input)$argmax(dim = 2)`, computing the
        clusters only for rows whose head's best entry is a cluster."""
        batched = input.dim() > 1
        x = input if batched else input.unsqueeze(1)
        head_output = self.head(x)
        best = np.argmax(np.asarray(head_output._data), axis=1)
        outside = best >= self.shortlist_size
        if outside.any():
            rows = np.nonzero(outside)[0]
            full = self._full_log_prob(_rows(x, rows), _rows(head_output, rows))
            best[rows] = np.argmax(np.asarray(full._data), axis=1)
        out = wrap_as((best + 1).astype(np.int64), _LONG)
        return out if batched else out.squeeze(1)
