"""R torch's `dataloader()` (R/utils-data-dataloader.R, -fetcher.R): batches from a dataset through a
sampler and a collate function; `for b in dl:` or `dataloader_make_iter(dl)` + `dataloader_next(it)`.

With `num_workers > 0` the batches are fetched in worker processes (fork) and come back in order. R torch
seeds worker `i` with `sample.int(1e6, 1)` drawn from R's own RNG and calls `torch_manual_seed(seed)` and
`set.seed(seed)` there; rtorch draws the seed from Python's `random` module (its analogue of R's RNG, so
rtorch's torch stream is untouched, as in R), then seeds rtorch's generator, `random` and NumPy's legacy
RNG with it in the worker. `get_worker_info()` gives `list(id, workers, seed)` inside a worker."""
import multiprocessing as mp
import queue
import random
import sys
import traceback

from ._collate import utils_data_default_collate, utils_data_default_convert
from ._dataset import is_iterable_dataset, is_map_dataset
from ._iterator import as_riterator, exhausted, is_exhausted
from ._sampler import BatchSampler, RandomSampler, SequentialSampler

_worker_info = None


def get_worker_info():
    """Inside a dataloader worker: a dict with `id` (1-based), `workers` and `seed`; None elsewhere."""
    return _worker_info


class DataLoader:
    """R torch's `DataLoader` R6 class; build it with `dataloader()`."""
    _r_class = ("dataloader", "R6")

    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=-1, worker_init_fn=None,
                 worker_globals=None, worker_packages=None, progress=None):
        if is_map_dataset(dataset):
            self._kind = "map"
        elif is_iterable_dataset(dataset):
            self._kind = "iterable"
        else:
            raise TypeError(f"Unknown dataset type with class <{type(dataset).__name__}>")
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative")
        self.dataset = dataset
        self.num_workers = int(num_workers)
        self.pin_memory = pin_memory
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.worker_globals = worker_globals
        self.progress = progress
        if sampler is None and self._kind == "map":
            sampler = RandomSampler(dataset) if shuffle else SequentialSampler(dataset)
        self._has_getbatch = self._kind == "map" and dataset.getbatch is not None
        if batch_size is not None and batch_sampler is None and sampler is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        # an iterable dataset batches through R torch's InfiniteSampler: collated whenever batch_size is set
        self._auto_collation = (batch_size is not None if self._kind == "iterable"
                                else batch_sampler is not None and not self._has_getbatch)
        if collate_fn is None:
            collate_fn = utils_data_default_collate if self._auto_collation else utils_data_default_convert
        self.collate_fn = collate_fn

    @property
    def _index_sampler(self):
        return self.batch_sampler if (self._auto_collation or self._has_getbatch) else self.sampler

    def iter(self):
        return DataLoaderIter(self)

    def __iter__(self):
        it = DataLoaderIter(self)
        return _with_progress(it, self) if _progress_wanted(self) else it

    def length(self):
        if self._kind == "iterable":
            n = self.dataset.length()
            if n is None:
                return None
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self._index_sampler)

    def __len__(self):
        n = self.length()
        if n is None:
            raise TypeError("this dataloader's length is NA (an iterable dataset without a length)")
        return int(n)


def dataloader(dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0,
               collate_fn=None, pin_memory=False, drop_last=False, timeout=-1, worker_init_fn=None,
               worker_globals=None, worker_packages=None, progress=None):
    """`dataloader(dataset, batch_size = 1, shuffle = FALSE, ...)`, R torch's arguments and defaults.
    `progress=` (rtorch extra): show a tqdm bar while iterating; None means "when stderr is a terminal"."""
    return DataLoader(dataset, batch_size, shuffle, sampler, batch_sampler, num_workers, collate_fn, pin_memory,
                      drop_last, timeout, worker_init_fn, worker_globals, worker_packages, progress)


def _fetch(dataset, auto_collation, collate_fn, index):
    """R torch's MapDatasetFetcher$fetch."""
    if auto_collation:
        return collate_fn([dataset[int(i)] for i in index])
    return collate_fn(dataset[index])


def _iterable_batches(loader):
    """R torch's IterableDatasetFetcher: items from `.iter()`, `batch_size` at a time."""
    items = as_riterator(loader.dataset.iter())
    if loader.batch_size is None:
        for d in items:
            yield loader.collate_fn(d)
        return
    while True:
        data = []
        for _ in range(loader.batch_size):
            d = items()
            if is_exhausted(d):
                break
            data.append(d)
        if not data or (len(data) < loader.batch_size and loader.drop_last):
            return
        yield loader.collate_fn(data)
        if len(data) < loader.batch_size:
            return


class DataLoaderIter:
    """R torch's `SingleProcessDataLoaderIter` / `MultiProcessingDataLoaderIter`: `.next()` (R's `.next`)
    gives the next batch or `exhausted()`; it is a Python iterator too."""

    def __init__(self, loader):
        self._loader = loader
        self._num_yielded = 0
        if loader._kind == "iterable":
            if loader.num_workers > 0:
                raise NotImplementedError("Multi-process dataloader not implemented yet for Iterable datasets.")
            self._batches = _iterable_batches(loader)
        elif loader.num_workers > 0:
            self._batches = _multiprocess_batches(loader, iter(as_riterator(loader._index_sampler.iter())))
        else:
            self._batches = (_fetch(loader.dataset, loader._auto_collation, loader.collate_fn, index)
                             for index in as_riterator(loader._index_sampler.iter()))

    def next(self):
        b = next(self._batches, exhausted())
        if not is_exhausted(b):
            self._num_yielded += 1
        return b

    def __iter__(self):
        return self

    def __next__(self):
        b = self.next()
        if is_exhausted(b):
            raise StopIteration
        return b

    def __len__(self):
        return len(self._loader)


def dataloader_make_iter(dataloader):
    """`dataloader_make_iter(dl)`: a fresh iterator (a new shuffle for a RandomSampler)."""
    return dataloader.iter()


def dataloader_next(iter, completed=None):
    """`dataloader_next(it, completed = NULL)`: the next batch, or `completed` once exhausted."""
    b = iter.next()
    return completed if is_exhausted(b) else b


def is_dataloader(x):
    return isinstance(x, DataLoader)


# ---- worker processes ----------------------------------------------------------------------------------

def _worker_main(wid, num_workers, seed, loader, tasks, results):
    global _worker_info
    from ..._sampling import torch_manual_seed
    import numpy as np
    _worker_info = {"id": wid, "workers": num_workers, "seed": seed}
    random.seed(seed)
    np.random.seed(seed)
    torch_manual_seed(seed)
    try:
        if loader.worker_globals:
            sys.modules["__main__"].__dict__.update(loader.worker_globals)
        if loader.worker_init_fn is not None:
            loader.worker_init_fn(wid)
    except Exception:  # noqa: BLE001  (reported to the main process)
        results.put((None, "error", traceback.format_exc()))
        return
    while True:
        task = tasks.get()
        if task is None:
            return
        k, index = task
        try:
            results.put((k, "ok", _fetch(loader.dataset, loader._auto_collation, loader.collate_fn, index)))
        except Exception:  # noqa: BLE001  (re-raised in the main process)
            results.put((k, "error", traceback.format_exc()))


def _multiprocess_batches(loader, indices):
    ctx = mp.get_context("fork")
    n = loader.num_workers
    seeds = [random.randint(1, 10 ** 6) for _ in range(n)]
    tasks = [ctx.Queue() for _ in range(n)]
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker_main, args=(w + 1, n, seeds[w], loader, tasks[w], results), daemon=True)
             for w in range(n)]
    for p in procs:
        p.start()
    sent = 0
    done = {}
    wanted = 0
    # R torch's timeout is in milliseconds; -1 (or 0) waits forever
    timeout = None if loader.timeout is None or loader.timeout <= 0 else loader.timeout / 1000
    try:
        def send():
            nonlocal sent
            index = next(indices, None)
            if index is None:
                return False
            tasks[sent % n].put((sent, index))
            sent += 1
            return True
        for _ in range(2 * n):
            if not send():
                break
        while wanted < sent:
            while wanted not in done:
                try:
                    k, status, value = results.get(timeout=timeout)
                except queue.Empty:
                    raise RuntimeError(f"dataloader worker timed out after {loader.timeout} ms") from None
                if status == "error":
                    raise RuntimeError(f"Error when getting dataset item (in a dataloader worker):\n{value}")
                done[k] = value
            batch = done.pop(wanted)
            wanted += 1
            send()
            yield batch
    finally:
        for q in tasks:
            q.put(None)
        for p in procs:
            p.join(timeout=1)
            if p.is_alive():
                p.terminate()


# ---- progress ------------------------------------------------------------------------------------------

def _progress_wanted(loader):
    if loader.progress is not None:
        return bool(loader.progress)
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _with_progress(it, loader):
    try:
        from tqdm import tqdm
    except ImportError:
        return it
    try:
        total = len(loader)
    except TypeError:
        total = None
    return tqdm(it, total=total, leave=False)
