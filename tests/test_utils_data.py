"""R torch's tests/testthat/test-utils-data*.R ported, and the seeded batch order checked against PyTorch
(R torch shuffles with `torch_randperm(n) + 1` from the default generator)."""
import numpy as np
import pytest

import rtorch as r
from rtorch import as_integer, length, seq, torch_manual_seed, torch_randn, torch_tensor
from rtorch.utils.data import (BatchSampler, RandomSampler, SequentialSampler, dataloader, dataloader_make_iter,
                               dataloader_next, dataset, dataset_subset, exhausted, get_worker_info,
                               is_dataloader, iterable_dataset, sampler, tensor_dataset,
                               utils_data_default_collate)
from tests._require import require


def _index_dataset(n):
    return dataset("idx", initialize=lambda self: None, getitem=lambda self, i: as_integer(i),
                   length=lambda self: n)()


# ---- test-utils-data.R ----

def test_tensor_dataset():
    data = tensor_dataset(torch_randn(1000, 10), torch_randn(1000))
    assert length(data) == 1000 and len(data) == 1000
    sub = data[seq(1, 2)]
    assert sub[0].shape == (2, 10) and sub[1].shape == (2,)
    assert data[1][0].shape == (1, 10)        # ds[1] goes through .getbatch (drop = FALSE), as in R
    assert data.getitem(1)[0].shape == (10,)  # R's ds[[1]]: .getitem drops the batch dim


def test_dataset_private_and_active():
    ds = dataset("my_dataset", initialize=lambda self: None, getitem=lambda self, i: self.pvt_method(),
                 length=lambda self: self.actv_len, private={"pvt_method": lambda self: seq(1, 10)},
                 active={"actv_len": lambda self: 10})
    d = ds()
    np.testing.assert_array_equal(d[1], seq(1, 10))
    assert length(d) == 10
    assert type(d).__name__ == "my_dataset"


def test_dataset_subset():
    data = tensor_dataset(torch_randn(50, 10), torch_randn(50))
    sub = dataset_subset(data, seq(1, 14))
    assert length(sub) == 14
    assert sub[seq(1, 4)][0].shape == (4, 10)
    with pytest.raises(IndexError):
        sub[15]


def test_getbatch_gets_integers():
    seen = []
    data = dataset(initialize=lambda self: None, getbatch=lambda self, idx: seen.append(idx) or True,
                   length=lambda self: 100)
    assert data()[[1, 2, 3, 4]]
    assert seen[0].dtype == np.int32 and list(seen[0]) == [1, 2, 3, 4]


def test_subset_without_getbatch():
    x = torch_randn(50)

    def getitem(self, i):
        if np.ndim(i) > 0 and len(i) > 1:
            raise RuntimeError("Can only get a single item!")
        return self.x[i]

    ds = dataset("my_dataset", initialize=lambda self, x: setattr(self, "x", x), getitem=getitem,
                 length=lambda self: length(self.x))
    data = ds(x)
    sub = dataset_subset(data, indices=seq(20, 30))
    assert data[20].item() == sub[1].item()
    assert len(list(dataloader(sub, batch_size=10))) == 2


def test_subset_with_getbatch():
    x = torch_randn(50)
    ds = dataset("my_dataset", initialize=lambda self, x: setattr(self, "x", x),
                 getbatch=lambda self, idx: self.x[idx], length=lambda self: length(self.x))
    data = ds(x)
    sub = dataset_subset(data, indices=seq(20, 30))
    assert r.torch_equal(data[r.c(20, 21, 22)], sub[r.c(1, 2, 3)])
    assert len(list(dataloader(sub, batch_size=5))) == 3


def test_dimensions_are_preserved():
    ds = tensor_dataset(r.torch_rand(11, 3), r.torch_rand(11, 1))
    it = dataloader_make_iter(dataloader(ds, batch_size=10, shuffle=True))
    x = dataloader_next(it)
    assert x[0].shape == (10, 3) and x[1].shape == (10, 1)
    x = dataloader_next(it)
    assert x[0].shape == (1, 3) and x[1].shape == (1, 1)
    assert dataloader_next(it) is None
    assert dataloader_next(it, completed="done") == "done"


def test_initialize_parameter_named_d():
    ds = dataset(name="issue1336", initialize=lambda self, d: setattr(self, "d", d),
                 getitem=lambda self, i: self.d[i - 1], length=lambda self: length(self.d))
    obj = ds(seq(1, 10))
    assert length(obj) == 10 and obj[1] == 1 and obj[5] == 5


# ---- test-utils-data-dataloader.R ----

def test_dataloader_works():
    dl = dataloader(dataset=tensor_dataset(torch_randn(1000, 100), torch_randn(1000, 1)), batch_size=32)
    assert length(dl) == 1000 // 32 + 1
    assert is_dataloader(dl)
    it = dl.iter()
    b = it.next()
    assert b[0].shape == (32, 100) and b[1].shape == (32, 1)
    it = dl.iter()
    for _ in range(32):
        it.next()
    assert it.next() is exhausted()


def test_dataloader_iteration_values():
    x = torch_randn(100, 100)
    dl = dataloader(tensor_dataset(x, torch_randn(100, 1)), batch_size=32)
    got = [b[0] for b in dl]
    assert [g.shape[0] for g in got] == [32, 32, 32, 4]
    assert r.torch_equal(r.torch_cat(got, dim=1), x)


def test_datasets_that_dont_return_tensors():
    ds = dataset(initialize=lambda self: None,
                 getitem=lambda self, index: [r.matrix(r.runif(10) if hasattr(r, "runif") else np.random.rand(10),
                                                       ncol=10), as_integer(index), seq(1, 10)],
                 length=lambda self: 100)
    batches = list(dataloader(ds(), batch_size=32, drop_last=True))
    assert len(batches) == 3
    for b in batches:
        assert b[0].shape == (32, 1, 10) and b[0].dtype == r.torch_float()
        assert b[1].shape == (32,) and b[1].dtype == r.torch_long()
        assert b[2].shape == (32, 10) and b[2].dtype == r.torch_long()


def test_dataloader_that_shuffles():
    d = tensor_dataset(torch_randn(100, 100), torch_randn(100, 1))
    assert [b[0].shape for b in dataloader(d, batch_size=50, shuffle=True)] == [(50, 100)] * 2
    assert [b[0].shape[0] for b in dataloader(d, batch_size=30, shuffle=True)] == [30, 30, 30, 10]


def test_named_outputs():
    ds = dataset(initialize=lambda self: None, getitem=lambda self, i: {"x": as_integer(i), "y": 2 * i},
                 length=lambda self: 1000)()
    assert list(ds[1]) == ["x", "y"]
    b = dataloader_next(dataloader_make_iter(dataloader(ds, batch_size=4)))
    assert list(b) == ["x", "y"]
    assert b["x"].dtype == r.torch_long() and b["y"].dtype == r.torch_float()
    assert list(b["x"]._data) == [1, 2, 3, 4] and list(b["y"]._data) == [2, 4, 6, 8]


def test_nested_named_lists_collate():
    items = [{"a": {"b": torch_tensor([i, i]), "c": "s%d" % i}, "d": [True, 1.5]} for i in range(3)]
    out = utils_data_default_collate(items)
    assert out["a"]["b"].shape == (3, 2)
    assert list(out["a"]["c"]) == ["s0", "s1", "s2"]
    assert out["d"][0].dtype == r.torch_bool() and out["d"][1].dtype == r.torch_float()


def test_uncollatable_item_is_a_clear_error():
    ds = dataset(getitem=lambda self, i: object(), length=lambda self: 4)()
    with pytest.raises(ValueError, match="Can't collate data of class"):
        list(dataloader(ds, batch_size=2))


def _worker_id_dataset():
    return dataset(length=lambda self: 20, getitem=lambda self, i: {"x": get_worker_info()["id"]})()


def test_dataloader_num_workers():
    dl = dataloader(_worker_id_dataset(), batch_size=10, num_workers=2)
    for i, batch in enumerate(dl, start=1):
        assert r.torch_equal(batch["x"], i * r.torch_ones(10))


def test_dataloader_catches_errors_on_workers():
    def getitem(self, i):
        raise RuntimeError("the error id is 5567")
    ds = dataset(length=lambda self: 20, getitem=getitem)()
    it = dataloader_make_iter(dataloader(ds, batch_size=10, num_workers=2))
    with pytest.raises(RuntimeError, match="5567"):
        dataloader_next(it)


def test_worker_init_fn():
    store = {}
    ds = dataset(length=lambda self: 20, getitem=lambda self, i: {"x": store["theid"]})()
    dl = dataloader(ds, batch_size=10, num_workers=2, worker_init_fn=lambda wid: store.update(theid=wid * 2))
    for i, batch in enumerate(dl, start=1):
        assert r.torch_equal(batch["x"], i * 2 * r.torch_ones(10))


def test_dataloader_timeout():
    import time
    ds = dataset(length=lambda self: 20, getitem=lambda self, i: time.sleep(3) or {"x": 1})()
    it = dataloader_make_iter(dataloader(ds, batch_size=10, num_workers=2, timeout=200))
    with pytest.raises(RuntimeError, match="timed out"):
        dataloader_next(it)


def test_workers_return_tensors_and_same_batches_as_single_process():
    torch_manual_seed(3)
    ds = tensor_dataset(torch_randn(37, 4), torch_randn(37))
    torch_manual_seed(11)
    one = [b[0] for b in dataloader(ds, batch_size=5, shuffle=True)]
    torch_manual_seed(11)
    two = [b[0] for b in dataloader(ds, batch_size=5, shuffle=True, num_workers=2)]
    assert len(one) == len(two) == 8
    assert all(r.torch_equal(a, b) for a, b in zip(one, two))


def test_worker_seeds_reproducible():
    import random
    ds = dataset(length=lambda self: 4, getitem=lambda self, i: r.torch_randn(1).item())()
    random.seed(5)
    a = [b._data.tolist() for b in dataloader(ds, batch_size=2, num_workers=2)]
    random.seed(5)
    b = [b._data.tolist() for b in dataloader(ds, batch_size=2, num_workers=2)]
    assert a == b


def test_iterable_dataset():
    def it(self):
        return iter([as_integer(i) for i in range(1, 8)])
    ds = iterable_dataset("it", iter=it, length=lambda self: 7)()
    dl = dataloader(ds, batch_size=3)
    assert length(dl) == 3
    assert [list(b._data) for b in dl] == [[1, 2, 3], [4, 5, 6], [7]]
    assert [list(b._data) for b in dataloader(ds, batch_size=3, drop_last=True)] == [[1, 2, 3], [4, 5, 6]]


# ---- test-utils-data-sampler.R ----

def test_sampler_length():
    data = tensor_dataset(torch_randn(1000, 10), torch_randn(1000))
    assert length(SequentialSampler(data)) == 1000
    assert length(RandomSampler(data, num_samples=10)) == 10
    s = RandomSampler(data)
    assert length(s) == 1000
    for bs, dl, n in [(32, True, 1000 // 32), (32, False, 1000 // 32 + 1), (100, False, 10), (1000, False, 1),
                      (1001, False, 1), (1001, True, 0)]:
        assert length(BatchSampler(sampler=s, batch_size=bs, drop_last=dl)) == n


def test_random_sampler_replacement():
    x = RandomSampler(tensor_dataset(torch_randn(2, 10), torch_randn(2)), replacement=True)
    it = x.iter()
    for _ in range(length(x)):
        k = it()
        assert 1 <= k <= 2
    assert it() is exhausted()


def test_batch_sampler():
    x = BatchSampler(RandomSampler(tensor_dataset(torch_randn(100, 10), torch_randn(100))), 32, True)
    it = x.iter()
    for _ in range(3):
        assert len(it()) == 32
    assert it() is exhausted()
    x = BatchSampler(RandomSampler(tensor_dataset(torch_randn(100, 10), torch_randn(100))), 32, False)
    it = x.iter()
    assert [len(it()) for _ in range(4)] == [32, 32, 32, 4]
    assert it() is exhausted()


def test_custom_sampler():
    def it(self):
        return iter([3, 1, 2])
    s = sampler("rev", initialize=lambda self, ds: None, iter=it, length=lambda self: 3)(None)
    ds = _index_dataset(3)
    assert [list(b._data) for b in dataloader(ds, sampler=s, batch_size=2)] == [[3, 1], [2]]


# ---- seeded order vs PyTorch ----

def test_seeded_batch_order_equals_torch_randperm():
    torch = require("torch")
    for n in (1, 10, 100, 1000):
        ds = _index_dataset(n)
        for seed in range(21):
            torch_manual_seed(seed)
            got = np.concatenate([b._data for b in dataloader(ds, batch_size=7, shuffle=True)])
            torch.manual_seed(seed)
            np.testing.assert_array_equal(got, (torch.randperm(n) + 1).numpy(), err_msg=f"n={n} seed={seed}")


def test_second_epoch_draws_a_new_permutation_like_torch():
    torch = require("torch")
    ds = _index_dataset(50)
    dl = dataloader(ds, batch_size=8, shuffle=True)
    torch_manual_seed(7)
    e1 = np.concatenate([b._data for b in dl])
    e2 = np.concatenate([b._data for b in dl])
    torch.manual_seed(7)
    np.testing.assert_array_equal(e1, (torch.randperm(50) + 1).numpy())
    np.testing.assert_array_equal(e2, (torch.randperm(50) + 1).numpy())


def test_replacement_draws_equal_torch_randint():
    torch = require("torch")
    ds = _index_dataset(13)
    torch_manual_seed(4)
    got = list(RandomSampler(ds, replacement=True, num_samples=30).iter_batch(30)())
    torch.manual_seed(4)
    np.testing.assert_array_equal(got, torch.randint(1, 14, (30,)).numpy())
