"""R torch's `nn_embedding` and `nn_embedding_bag` (R/nn-sparse.R): a (num_embeddings, embedding_dim)
weight drawn `normal(0, 1)` as libtorch, the `padding_idx` row (1-based) then zeroed. A negative
`padding_idx` becomes `num_embeddings + padding_idx`, as R torch computes it (a 1-based row, so -1 is
row `num_embeddings - 1`, where PyTorch's -1 is the last row)."""
from ..._creation import torch_empty
from ...autograd import with_no_grad
from .. import init
from ..functional import nnf_embedding, nnf_embedding_bag
from ._module import nn_Module, nn_parameter

__all__ = ["nn_embedding", "nn_embedding_bag"]


def _padding_idx(padding_idx, num_embeddings):
    if padding_idx is None:
        return None
    if padding_idx > 0 and padding_idx > num_embeddings:
        raise ValueError("`padding_idx` must be within num_embeddings")
    if padding_idx < 0:
        if padding_idx <= -num_embeddings:
            raise ValueError("`padding_idx` must be within num_embeddings")
        padding_idx = num_embeddings + padding_idx
    return padding_idx


class _embedding_base(nn_Module):
    def _setup(self, num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq,
               weight):
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _padding_idx(padding_idx, num_embeddings)
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        if weight is None:
            self.weight = nn_parameter(torch_empty(num_embeddings, embedding_dim))
            self.reset_parameters()
        else:
            if tuple(weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError("Shape of `.weight` does not match num_embeddings and embedding_dim")
            self.weight = nn_parameter(weight)

    def reset_parameters(self):
        init.nn_init_normal_(self.weight)
        if self.padding_idx is not None:
            with with_no_grad():
                self.weight[self.padding_idx, ...].fill_(0)


class nn_embedding(_embedding_base):
    """A lookup table: `module(input)` gives the weight rows at the 1-based Long indices in `input`."""

    def initialize(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2,
                   scale_grad_by_freq=False, sparse=False, _weight=None):
        self._setup(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, _weight)
        self.sparse = sparse

    def forward(self, input):
        return nnf_embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                             self.scale_grad_by_freq, self.sparse)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2,
                        scale_grad_by_freq=False, sparse=False):
        rows, cols = embeddings.shape
        m = cls(rows, cols, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=embeddings)
        m.weight.requires_grad_(not freeze)
        return m


class nn_embedding_bag(_embedding_base):
    """Sums, means or maxima of bags of embeddings (see `nnf_embedding_bag`)."""

    def initialize(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                   mode="mean", sparse=False, include_last_offset=False, padding_idx=None, _weight=None):
        self._setup(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, _weight)
        self.mode, self.sparse, self.include_last_offset = mode, sparse, include_last_offset

    def forward(self, input, offsets=None, per_sample_weights=None):
        return nnf_embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                                 self.scale_grad_by_freq, self.mode, self.sparse, per_sample_weights,
                                 self.include_last_offset, self.padding_idx)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                        mode="mean", sparse=False, include_last_offset=False, padding_idx=None):
        rows, cols = embeddings.shape
        m = cls(rows, cols, max_norm=max_norm, norm_type=norm_type, scale_grad_by_freq=scale_grad_by_freq,
                mode=mode, sparse=sparse, include_last_offset=include_last_offset, padding_idx=padding_idx,
                _weight=embeddings)
        m.weight.requires_grad_(not freeze)
        return m
