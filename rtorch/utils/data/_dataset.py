"""R torch's map-style datasets (R/utils-data.R): `dataset()`, `tensor_dataset()`, `dataset_subset()`.

`ds[i]` calls `.getbatch(i)` where the dataset has one, else `.getitem(i)`; `i` is 1-based, as R passes it
(R's `as.integer()`: a whole number, or an int32 vector). `length(ds)` is `.length()`."""
import numbers

import numpy as np

from ..._tensor import Tensor
from ... import _indexing
from ._classes import RClass, create_class


def _as_r_integer(i):
    """R's `as.integer(y)` for an index: a Python int for a scalar, an int32 array for a vector."""
    if isinstance(i, Tensor):
        i = i._data
    if isinstance(i, (bool, np.bool_)):
        raise TypeError("dataset indices must be whole numbers, got a logical")
    if isinstance(i, numbers.Integral):
        return int(i)
    if isinstance(i, numbers.Real):
        if i != int(i):
            raise ValueError(f"dataset indices must be whole numbers, got {i}")
        return int(i)
    a = np.asarray(i)
    if a.ndim == 0:
        return _as_r_integer(a.item())
    if a.dtype.kind == "f" and np.any(a != np.trunc(a)):
        raise ValueError("dataset indices must be whole numbers")
    if a.dtype.kind not in "iuf":
        raise TypeError(f"dataset indices must be whole numbers, got {a.dtype}")
    return a.astype(np.int32).reshape(-1)


class Dataset(RClass):
    """R torch's `Dataset` R6 class: subclass it through `dataset(...)`."""
    getbatch = None
    _r_class = ("dataset", "R6")

    def getitem(self, index):
        raise NotImplementedError("not implemented")

    def __getitem__(self, i):
        i = _as_r_integer(i)
        if self.getbatch is not None:
            return self.getbatch(i)
        return self.getitem(i)

    def __len__(self):
        return int(self.length())

    def state_dict(self):
        """The tensors among the instance's own fields (flat), as R torch's default does."""
        return {k: v for k, v in vars(self).items() if isinstance(v, Tensor)}

    def load_state_dict(self, x, *args, _refer_to_state_dict=False, **kwargs):
        if not (_refer_to_state_dict or kwargs.get(".refer_to_state_dict")):
            raise RuntimeError("Loading the state_dict is only implemented when `.refer_to_state_dict` is TRUE")
        for k, v in x.items():
            setattr(self, k, v)


class IterableDataset(RClass):
    """R torch's `IterableDataset`: `.iter()` returns an iterator; `.length()` is NA unless given."""
    _r_class = ("iterable_dataset", "R6")

    def length(self):
        return None

    def __len__(self):
        n = self.length()
        if n is None:
            raise TypeError("this iterable_dataset has no length (NA)")
        return int(n)


def dataset(name=None, inherit=Dataset, private=None, active=None, parent_env=None, **methods):
    """`dataset(name, initialize=, getitem=, length=, getbatch=, ...)`: a dataset generator (a class);
    call it with `initialize`'s arguments to get a dataset."""
    return create_class(name, inherit, methods, private, active)


def iterable_dataset(name=None, inherit=IterableDataset, private=None, active=None, parent_env=None, **methods):
    """`iterable_dataset(name, initialize=, iter=, length=)`."""
    return create_class(name, inherit, methods, private, active)


def is_map_dataset(x):
    return isinstance(x, Dataset)


def is_iterable_dataset(x):
    return isinstance(x, IterableDataset)


def _td_initialize(self, *tensors, **named):
    tensors = list(tensors) + list(named.values())
    names = [None] * (len(tensors) - len(named)) + list(named)
    if not tensors:
        raise ValueError("all tensors must have the same size in the first dimension.")
    lens = {t.shape[0] for t in tensors}
    if len(lens) > 1:
        raise ValueError("all tensors must have the same size in the first dimension.")
    self.tensors = tensors
    self._names = names if any(n is not None for n in names) else None


def _td_getitem(self, index, drop=True):
    if isinstance(index, list):
        index = np.asarray(index, dtype=np.int32)
    sel = (index, Ellipsis, _indexing.drop(drop))
    out = [t[sel] for t in self.tensors]
    if self._names is not None:
        return {n if n is not None else "": o for n, o in zip(self._names, out)}
    return out


def _td_getbatch(self, index):
    return self.getitem(index, drop=False)


def _td_length(self):
    return self.tensors[0].shape[0]


tensor_dataset = dataset(name="tensor_dataset", initialize=_td_initialize, getitem=_td_getitem,
                         getbatch=_td_getbatch, length=_td_length)
tensor_dataset.__doc__ = """`tensor_dataset(x, y, ...)`: item `i` is the list of `x[i, ..]`, `y[i, ..]`
(a dict where the tensors were passed by name); `.getbatch` takes several rows at once."""


def _sub_initialize(self, dataset, indices):
    self.dataset = dataset
    self.indices = np.asarray(_as_r_integer(indices)).reshape(-1)
    if dataset.getbatch is not None:
        self.getbatch = self.getitem


def _sub_getitem(self, idx):
    idx = _as_r_integer(idx)
    pos = np.asarray(idx) - 1
    if np.any(pos < 0) or np.any(pos >= len(self.indices)):
        raise IndexError(f"index {idx} out of bounds for a subset of length {len(self.indices)}")
    picked = self.indices[pos]
    return self.dataset[int(picked) if np.ndim(picked) == 0 else picked]


def _sub_length(self):
    return len(self.indices)


dataset_subset = dataset(name="dataset_subset", initialize=_sub_initialize, getitem=_sub_getitem,
                         length=_sub_length)
dataset_subset.__doc__ = "`dataset_subset(ds, indices)`: the items of `ds` at the 1-based `indices`."
