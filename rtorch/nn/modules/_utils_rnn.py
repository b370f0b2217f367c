"""R torch's packed sequences (R/nn-utils-rnn.R): `nn_utils_rnn_pad_sequence`, `nn_utils_rnn_pack_sequence`,
`nn_utils_rnn_pack_padded_sequence`, `nn_utils_rnn_pad_packed_sequence` and the `PackedSequence` they
make, which `nn_rnn`, `nn_lstm` and `nn_gru` take as input.

R torch wraps libtorch's torch::nn::utils::rnn; here each function is one `index_select` of recorded ops (a
gather, so gradients flow back to the padded input or the sequences). A sequence order is sorted as
libtorch's sort, stably: ties keep their order. `sorted_indices` and `unsorted_indices` are 1-based, as R
torch shows them. Where R torch differs: with `enforce_sorted = TRUE` libtorch keeps no indices and R torch's
fields then raise ("Expected a proper Tensor but got None", mlverse/torch#1156), so an `nn_rnn` cannot take
such a sequence; here those fields are NULL (None) and the layers take it.
"""
import numpy as np

from ..._creation import torch_full, torch_tensor
from ..._dtypes import torch_long
from ..._functions import torch_cat
from ..._tensor import Tensor

__all__ = ["nn_utils_rnn_pad_sequence", "nn_utils_rnn_pack_sequence", "nn_utils_rnn_pack_padded_sequence",
           "nn_utils_rnn_pad_packed_sequence"]

_SORT_MESSAGE = ("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
                 "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
                 "requirement if you do not need ONNX exportability.")


def _index(values, device=None):
    return torch_tensor(np.asarray(values, dtype=np.int64) + 1, dtype=torch_long(), device=device)


class PackedSequence:
    """R torch's `PackedSequence` (an R6 object): `data` holds the steps one after another, each step the
    sequences still running (longest first); `batch_sizes` (int64, on the CPU) how many each step holds;
    `sorted_indices` the 1-based batch position of each sorted sequence and `unsorted_indices` its inverse,
    or NULL (None) when the sequences came sorted. Made by the `nn_utils_rnn_pack_*` functions, not by hand
    (R torch exports no constructor)."""

    def __init__(self, data, batch_sizes, sorted_indices=None, unsorted_indices=None):
        self._data_t = data
        self._batch_sizes = batch_sizes
        if unsorted_indices is None and sorted_indices is not None:
            order = np.asarray(sorted_indices._data) - 1
            inverse = np.empty_like(order)
            inverse[order] = np.arange(order.size)
            unsorted_indices = _index(inverse, sorted_indices.device)
        self._sorted = sorted_indices
        self._unsorted = unsorted_indices

    @property
    def data(self):
        return self._data_t

    @property
    def batch_sizes(self):
        return self._batch_sizes

    @property
    def sorted_indices(self):
        return self._sorted

    @property
    def unsorted_indices(self):
        return self._unsorted

    def __repr__(self):
        members = {"batch_sizes": "active binding", "clone": "function (deep = FALSE) ", "data": "active binding",
                   "initialize": "function (ptr = NULL) ", "ptr": "externalptr",
                   "sorted_indices": "active binding", "unsorted_indices": "active binding"}
        return "\n".join(["<PackedSequence>", "  Public:"] + [f"    {k}: {v}" for k, v in members.items()])


def is_packed_sequence(x):
    return isinstance(x, PackedSequence)


def _lengths_array(lengths):
    if not isinstance(lengths, Tensor):
        lengths = torch_tensor(lengths, dtype=torch_long())
    lens = np.asarray(lengths._data)
    if lens.ndim != 1:
        raise RuntimeError(f"'lengths' argument should be a 1D CPU int64 tensor, but got {lens.ndim}D cpu Long tensor")
    return lens.astype(np.int64)


def _check_batch_dim(input):
    n = input.dim()
    if n < 2:
        if n == 0:
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got 1)")


def nn_utils_rnn_pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded `T x B x *` batch (`B x T x *` with `batch_first`) whose sequence `b` has `lengths[b]`
    steps; `lengths` is a tensor or a vector (made `torch_long()`). With `enforce_sorted = FALSE` the
    sequences are sorted by decreasing length first and the order kept in the result."""
    if not isinstance(input, Tensor):
        raise TypeError(f"`input` must be a torch_tensor, got {type(input).__name__}")
    _check_batch_dim(input)
    lens = _lengths_array(lengths)
    shape = tuple(input.shape)
    T, B = (shape[1], shape[0]) if batch_first else (shape[0], shape[1])
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    if lens.size != B:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {lens.size} (batch_size={B})")
    order = None
    if not enforce_sorted:
        order = np.argsort(-lens, kind="stable")
        lens = lens[order]
    if lens[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if np.any(lens[1:] > lens[:-1]):
        raise RuntimeError(_SORT_MESSAGE)
    if lens[0] > T:
        raise RuntimeError(f"Expected all lengths to be at most the padded length {T}, but found a length of "
                           f"{lens[0]}")
    steps = np.arange(lens[0])
    batch_sizes = (lens[None, :] > steps[:, None]).sum(axis=1)
    t_idx = np.repeat(steps, batch_sizes)
    column = np.concatenate([np.arange(n) for n in batch_sizes])
    b_idx = column if order is None else order[column]
    flat = b_idx * T + t_idx if batch_first else t_idx * B + b_idx
    data = input.reshape(T * B, *shape[2:]).index_select(1, _index(flat, input.device))
    sizes = torch_tensor(batch_sizes.astype(np.int64), dtype=torch_long())
    return PackedSequence(data, sizes, None if order is None else _index(order, input.device))


def nn_utils_rnn_pad_sequence(sequences, batch_first=False, padding_value=0):
    """Stack a list of `L_i x *` tensors into `T x B x *` (`B x T x *` with `batch_first`), `T` the longest
    `L_i`, filling the rest with `padding_value`; the result has the first sequence's dtype."""
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    first = sequences[0]
    if any(not isinstance(s, Tensor) for s in sequences):
        raise TypeError("`sequences` must be a list of torch_tensors")
    if any(s.dim() == 0 for s in sequences):
        raise RuntimeError("pad_sequence: every sequence needs a first (time) dimension, got a 0-d tensor")
    trailing = tuple(first.shape[1:])
    for s in sequences[1:]:
        for k, (a, b) in enumerate(zip(trailing, s.shape[1:])):
            if a != b:
                raise RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                                   f"non-singleton dimension {k + 1}")
        if s.dim() != first.dim():
            raise RuntimeError(f"pad_sequence: every sequence needs the trailing size {list(trailing)}, got "
                               f"{list(s.shape[1:])}")
    lens = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    B, T = len(sequences), int(lens.max())
    pad = torch_full((1, *trailing), padding_value, dtype=first.dtype, device=first.device)
    parts = [s if s.dtype == first.dtype else s.to(dtype=first.dtype) for s in sequences] + [pad]
    joined = torch_cat(parts, dim=1)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    t = np.arange(T)[:, None]
    idx = np.where(t < lens[None, :], starts[None, :] + t, lens.sum())
    if batch_first:
        idx = idx.T
    out = joined.index_select(1, _index(idx.ravel(), first.device))
    return out.reshape(*idx.shape, *trailing)


def nn_utils_rnn_pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of `L_i x *` tensors: `nn_utils_rnn_pad_sequence` then `nn_utils_rnn_pack_padded_sequence`
    with the lengths `L_i`, as libtorch."""
    padded = nn_utils_rnn_pad_sequence(sequences)
    lengths = torch_tensor(np.array([s.shape[0] for s in sequences], dtype=np.int64), dtype=torch_long())
    return nn_utils_rnn_pack_padded_sequence(padded, lengths, batch_first=False, enforce_sorted=enforce_sorted)


def nn_utils_rnn_pad_packed_sequence(sequence, batch_first=False, padding_value=0, total_length=None):
    """Unpack a `PackedSequence`: `list(padded, lengths)`, `padded` of `T x B x *` (`B x T x *` with
    `batch_first`) in the batch order the sequences had before packing, `T` the longest length or
    `total_length`, and `lengths` (int64) each sequence's length."""
    if not is_packed_sequence(sequence):
        raise TypeError(f"`sequence` must be a PackedSequence, got {type(sequence).__name__}")
    data = sequence.data
    sizes = np.asarray(sequence.batch_sizes._data).astype(np.int64)
    T = sizes.size
    if total_length is not None:
        if total_length < T:
            raise ValueError("Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {T}")
        T = int(total_length)
    B = int(sizes[0])
    lens = (sizes[None, :] > np.arange(B)[:, None]).sum(axis=1)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    t = np.arange(T)[:, None]
    idx = np.full((T, B), sizes.sum(), dtype=np.int64)
    live = t < lens[None, :]
    idx[live] = (starts[:, None] + np.arange(B)[None, :])[np.nonzero(live)]
    if sequence.unsorted_indices is not None:
        u = np.asarray(sequence.unsorted_indices._data) - 1
        idx, lens = idx[:, u], lens[u]
    if batch_first:
        idx = idx.T
    trailing = tuple(data.shape[1:])
    pad = torch_full((1, *trailing), padding_value, dtype=data.dtype, device=data.device)
    out = torch_cat([data, pad], dim=1).index_select(1, _index(idx.ravel(), data.device))
    return [out.reshape(*idx.shape, *trailing), torch_tensor(lens.astype(np.int64), dtype=torch_long())]
