"""R torch's samplers (R/utils-data-sampler.R). A sampler's `.iter()` returns an R-style iterator (a
function giving 1-based indices, then `exhausted()`); samplers with `.iter_batch(batch_size)` hand whole
chunks to `BatchSampler`. `RandomSampler` draws `torch_randperm(n) + 1` from the default generator each
time it is iterated, as R torch does (R torch ignores `generator=` there; so does this)."""
import numpy as np

from ..._sampling import torch_randint, torch_randperm
from ..._dtypes import torch_long
from ._classes import RClass, create_class
from ._iterator import RIterator, as_riterator


def _chunks(x, batch_size):
    """R torch's `as_batch_iterator`: consecutive chunks of `batch_size` (the last may be short)."""
    batch_size = int(batch_size)
    return RIterator(x[i:i + batch_size] for i in range(0, len(x), batch_size))


class Sampler(RClass):
    """R torch's `Sampler` class: subclass it with `sampler(...)` (`initialize`, `iter`, `length`)."""
    iter_batch = None
    _r_class = ("utils_sampler", "R6")

    def iter(self):
        raise NotImplementedError("not implemented")

    def __iter__(self):
        return iter(as_riterator(self.iter()))

    def __len__(self):
        return int(self.length())


def sampler(name=None, inherit=Sampler, private=None, active=None, parent_env=None, **methods):
    """`sampler(name, initialize=, iter=, length=)`: a sampler class."""
    return create_class(name, inherit, methods, private, active)


class SequentialSampler(Sampler):
    """Indices 1, ..., length(data_source)."""

    def __init__(self, data_source):
        self.data_source = data_source

    def iter_batch(self, batch_size):
        return _chunks(np.arange(1, len(self.data_source) + 1, dtype=np.int32), batch_size)

    def iter(self):
        return self.iter_batch(1)

    def length(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A fresh permutation (`torch_randperm(n) + 1`) per pass, or `num_samples` draws of
    `torch_randint(1, n + 1)` with `replacement=TRUE`."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def iter_batch(self, batch_size):
        n = len(self.data_source)
        if self.replacement:
            t = torch_randint(low=1, high=n + 1, size=(self.num_samples,), dtype=torch_long())
        else:
            return _chunks((torch_randperm(n)._data + 1).astype(np.int32), batch_size)
        return _chunks(np.asarray(t._data, dtype=np.int32), batch_size)

    def iter(self):
        return self.iter_batch(1)

    def length(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Groups a sampler's indices into batches of `batch_size`; `drop_last` drops a short last batch."""

    def __init__(self, sampler, batch_size, drop_last):
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = bool(drop_last)

    def _from_chunks(self, chunks):
        for batch in chunks:
            if len(batch) == self.batch_size or (len(batch) > 0 and not self.drop_last):
                yield batch

    def _from_items(self):
        batch = []
        for i in as_riterator(self.sampler.iter()):
            batch.append(int(np.asarray(i).reshape(-1)[0]) if not isinstance(i, int) else i)
            if len(batch) == self.batch_size:
                yield np.asarray(batch, dtype=np.int32)
                batch = []
        if batch and not self.drop_last:
            yield np.asarray(batch, dtype=np.int32)

    def iter(self):
        if getattr(self.sampler, "iter_batch", None) is not None:
            # the permutation is drawn now, when R torch draws it, not at the first batch
            return RIterator(self._from_chunks(self.sampler.iter_batch(self.batch_size)))
        return RIterator(self._from_items())

    def length(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else (n + self.batch_size - 1) // self.batch_size
