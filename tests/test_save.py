"""torch_save / torch_load / torch_serialize in R torch's safetensors format (R/save.R), R torch's
test-save.R where it applies, R's side of the format checked through rpy2, and bad input."""
import json
import os
import struct

import numpy as np
import pytest

import rtorch as r
from rtorch.serialization import _rds, load_state_dict, torch_load, torch_save, torch_serialize
from tests._require import require

DTYPES = ["torch_bool", "torch_uint8", "torch_int8", "torch_int16", "torch_int32", "torch_int64", "torch_float16",
          "torch_float32", "torch_float64", "torch_cfloat", "torch_cdouble"]
SHAPES = [(), (3,), (2, 3), (2, 1, 3), (2, 3, 1, 2), (1, 2, 3, 2, 2), (0,), (2, 0, 3)]


def _tensor(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    np_dtype = getattr(r, dtype)().numpy
    if np_dtype.kind == "b":
        a = rng.random(shape) > 0.5
    elif np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        a = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=np_dtype)
    elif np_dtype.kind == "c":
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np_dtype)
    else:
        a = rng.standard_normal(shape).astype(np_dtype)
    return _wrap(np.asarray(a, dtype=np_dtype).reshape(shape))


def _wrap(a):
    from rtorch._tensor import wrap
    return wrap(np.array(a, order="C"))


def _same(a, b):
    assert a.dtype == b.dtype and tuple(a.shape) == tuple(b.shape)
    assert np.asarray(a._data).tobytes() == np.asarray(b._data).tobytes()


def _header(buf):
    (n,) = struct.unpack("<Q", bytes(buf[:8]))
    return json.loads(bytes(buf[8:8 + n]))


# ---- round trips ----

@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_every_dtype_and_rank(dtype, tmp_path):
    for k, shape in enumerate(SHAPES):
        x = _tensor(dtype, shape, seed=k)
        torch_save(x, tmp_path / "x.pt")
        _same(torch_load(tmp_path / "x.pt"), x)
        _same(torch_load(torch_serialize(x)), x)


def test_save_tensor(tmp_path):                     # test-save.R "save tensor"
    x = r.torch_randn(10, 10)
    torch_save(x, str(tmp_path / "f.pt"))
    assert r.torch_equal(torch_load(str(tmp_path / "f.pt")), x)


def test_non_contiguous_tensor(tmp_path):
    x = r.torch_randn(4, 6).t()
    _same(torch_load(torch_serialize(x)), _wrap(x._data))


def test_requires_grad_is_maintained(tmp_path):
    x = r.torch_randn(10, 10, requires_grad=True)
    assert torch_load(torch_serialize(x)).requires_grad
    assert not torch_load(torch_serialize(r.torch_randn(10, 10))).requires_grad


def test_lists(tmp_path):                           # test-save.R "can save and load from lists"
    l = {1: r.torch_tensor(1), "a": r.torch_tensor(2), "b": {"x": r.torch_tensor(3), "y": 4}, "c": 5}
    torch_save(l, tmp_path / "l")
    del l
    l = torch_load(tmp_path / "l")
    assert list(l) == [1, "a", "b", "c"]
    assert r.torch_equal(l[1], r.torch_tensor(1)) and r.torch_equal(l["a"], r.torch_tensor(2))
    assert r.torch_equal(l["b"]["x"], r.torch_tensor(3))
    np.testing.assert_array_equal(l["b"]["y"], r.c(4)) and np.testing.assert_array_equal(l["c"], r.c(5))


def test_lists_ser3():                              # test-save.R "saving lists with ser3"
    z = r.torch_randn(10, 10)
    x = {"x": r.torch_randn(10, 10, requires_grad=True), 2: r.torch_randn(10, 10), 3: z, 4: z}
    l = torch_load(torch_serialize(x))
    assert list(l) == ["x", 2, 3, 4]
    assert r.torch_equal(l["x"], x["x"]) and l["x"].requires_grad
    assert r.torch_equal(l[2], x[2]) and not l[2].requires_grad
    assert l[3] is l[4]                             # one tensor saved once, as R torch's addresses
    h = _header(torch_serialize(x))
    assert len([k for k in h if k not in ("__metadata__", "__robj__")]) == 3


def test_unnamed_list_and_r_values():
    l = torch_load(torch_serialize([r.torch_ones(2), "s", r.seq(1, 3), True, None, r.matrix(r.seq(1, 6), ncol=2)]))
    assert isinstance(l, list) and len(l) == 6
    np.testing.assert_array_equal(l[2], r.seq(1, 3)) and l[2].dtype == np.int32
    assert l[4] is None and l[1][0] == "s" and bool(l[3][0])
    np.testing.assert_array_equal(l[5], r.matrix(r.seq(1, 6), ncol=2))


def test_complex_and_scalar():                      # test-save.R "can save a complex tensor", "scalar tensor"
    z = r.torch_randn(10, 10).to(dtype=r.torch_cfloat())
    x = torch_load(torch_serialize(z))
    assert r.torch_equal(x.real, z.real) and r.torch_equal(x.imag, z.imag)
    s = r.torch_scalar_tensor(1) if hasattr(r, "torch_scalar_tensor") else r.torch_tensor(1).squeeze()
    _same(torch_load(torch_serialize(s)), s)


def test_r_torch_metadata_layout():
    """What R torch's torch_load reads: the tensor name, the `__r__` JSON keys, complex as raw bytes."""
    z = r.torch_randn(2, 3).to(dtype=r.torch_cfloat())
    h = _header(torch_serialize(z))
    meta = json.loads(h["__metadata__"]["__r__"])
    assert set(h) == {"__metadata__", "...unnamed..."}
    assert meta["type"] == "tensor" and meta["version"] == 3 and meta["requires_grad"] == []
    assert meta["special_dtype"] == {"...unnamed...": {"shape": [2, 3], "dtype": "cfloat"}}
    assert h["...unnamed..."]["dtype"] == "U8" and h["...unnamed..."]["shape"] == [48]


def test_device_null_is_an_error():
    with pytest.raises(ValueError, match="Unexpected device"):
        torch_load(torch_serialize(r.torch_ones(1)), device=None)


# ---- R's side of the format, through rpy2 ----

def _r():
    require("rpy2")
    import rpy2.robjects as ro
    return ro


def test_robj_is_what_r_unserializes():
    ro = _r()
    z = r.torch_randn(2)
    buf = torch_serialize({1: r.torch_ones(3), "a": z, "b": {"x": z, "y": 4}, "c": "txt", "d": r.seq(1, 3)})
    h = _header(buf)
    start = 8 + struct.unpack("<Q", buf[:8])[0]
    b, e = h["__robj__"]["data_offsets"]
    check = ro.r("""function(b, names) {
      l <- unserialize(b)
      stopifnot(identical(names(l), c("", "a", "b", "c", "d")),
                inherits(l[[1]], "torch_tensor_address"), inherits(l$a, "torch_tensor_address"),
                identical(unclass(l$a), unclass(l$b$x)), identical(l$b$y, 4), identical(l$c, "txt"),
                identical(l$d, 1:3), all(c(unclass(l[[1]]), unclass(l$a)) %in% names))
      TRUE }""")
    names = ro.StrVector([k for k in h if k not in ("__metadata__", "__robj__")])
    assert check(ro.vectors.ByteVector(buf[start + b:start + e]), names)[0]


def test_metadata_json_is_what_jsonlite_reads():
    ro = _r()
    from rpy2.robjects.packages import isinstalled
    if not isinstalled("jsonlite"):
        pytest.skip("R package jsonlite not installed (R torch reads `__r__` with jsonlite::fromJSON)")
    x = {"w": r.torch_randn(2, 3, requires_grad=True), "c": r.torch_randn(4).to(dtype=r.torch_cdouble()),
         "s": r.torch_randn(2, 2).to(dtype=r.torch_cfloat())}
    meta = _header(torch_serialize(x))["__metadata__"]["__r__"]
    h = _header(torch_serialize(x))
    addr = {k: next(n for n in h if n not in ("__metadata__", "__robj__") and h[n]["dtype"] == d)
            for k, d in (("w", "F32"),)}
    check = ro.r("""function(m, w) {
      meta <- jsonlite::fromJSON(m)
      sd <- meta$special_dtype
      shapes <- lapply(sd, function(s) s$shape)
      stopifnot(meta$type == "list", meta$version == 3, isTRUE(meta$requires_grad[[w]]),
                length(sd) == 2, any(sapply(shapes, identical, 4L)), any(sapply(shapes, identical, c(2L, 2L))),
                setequal(sapply(sd, function(s) s$dtype), c("cdouble", "cfloat")))
      TRUE }""")
    assert check(meta, addr["w"])[0]
    # and what jsonlite writes for R torch's own metadata is what rtorch reads
    r_meta = ro.r('jsonlite::toJSON(list(type = "tensor", version = 3, requires_grad = list("...unnamed..." = TRUE),'
                  ' special_dtype = list("...unnamed..." = list(shape = c(2L, 2L), dtype = "cfloat"))),'
                  ' auto_unbox = TRUE)')[0]
    from safetensors.numpy import save
    raw = r.torch_randn(2, 2).to(dtype=r.torch_cfloat())
    buf = save({"...unnamed...": np.ascontiguousarray(raw._data).reshape(-1).view(np.uint8)},
               metadata={"__r__": str(r_meta)})
    y = torch_load(buf)
    assert y.requires_grad and y.dtype == r.torch_cfloat() and r.torch_equal(y.detach(), raw)


def test_file_built_like_r_torch_loads():
    """A list file as R torch writes it: the R object serialized by R itself."""
    ro = _r()
    robj = bytes(ro.r("""serialize(list(structure("0x5581", class = "torch_tensor_address"),
        a = structure("0x5582", class = "torch_tensor_address"),
        b = list(x = structure("0x5581", class = "torch_tensor_address"), y = 4), c = 5L), NULL)"""))
    from safetensors.numpy import save
    t1, t2 = np.arange(6, dtype=np.float32).reshape(2, 3), np.array([1, 2], dtype=np.float64)
    meta = '{"type":"list","version":3,"requires_grad":{"0x5582":true},"special_dtype":[]}'
    buf = save({"0x5581": t1, "0x5582": t2, "__robj__": np.frombuffer(robj, np.uint8)}, metadata={"__r__": meta})
    l = torch_load(buf)
    assert list(l) == [1, "a", "b", "c"]
    np.testing.assert_array_equal(l[1]._data, t1) and np.testing.assert_array_equal(l["a"]._data, t2)
    assert l["a"].requires_grad and not l[1].requires_grad and l["b"]["x"] is l[1]
    np.testing.assert_array_equal(l["c"], np.array([5], np.int32))


def test_r_module_file_closure_is_never_read():
    ro = _r()
    robj = bytes(ro.r('serialize(function(x) system("touch /tmp/never"), NULL)'))
    from safetensors.numpy import save
    meta = '{"type":"module","version":3,"requires_grad":{"weight":true},"special_dtype":[]}'
    w = np.ones((2, 2), np.float32)
    sd = torch_load(save({"weight": w, "__robj__": np.frombuffer(robj, np.uint8)}, metadata={"__r__": meta}))
    assert list(sd) == ["weight"] and sd["weight"].requires_grad
    with pytest.raises(ValueError, match="never loaded"):
        _rds.read_robj(robj)


# ---- bad input ----

def test_missing_path():
    with pytest.raises(FileNotFoundError, match="cannot open file 'no/such.pt'"):
        torch_load("no/such.pt")
    with pytest.raises(FileNotFoundError, match="No such file"):
        torch_save(r.torch_ones(1), "no/such/dir/x.pt")


def test_truncated_and_corrupt_files(tmp_path):
    good = torch_serialize({"a": r.torch_randn(20, 20), "b": r.torch_ones(3)})
    n = struct.unpack("<Q", good[:8])[0]
    for cut in (0, 4, 8, 8 + n // 2, 8 + n, len(good) - 1):
        with pytest.raises(ValueError, match="truncated|too short|corrupt"):
            torch_load(good[:cut])
    with pytest.raises(ValueError, match="not valid JSON"):
        torch_load(good[:8] + b"{" * n + good[8 + n:])
    with pytest.raises(ValueError, match="corrupt|truncated"):
        torch_load(os.urandom(1000))
    p = tmp_path / "bad.pt"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match="truncated"):
        torch_load(p)


def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    p = tmp_path / "keep.pt"
    torch_save(r.torch_ones(3), p)
    before = p.read_bytes()
    from rtorch.serialization import _safetensors

    def broken(arrays, meta, path):
        with open(path, "wb") as f:
            f.write(b"half")
        raise OSError("disk full")
    monkeypatch.setattr(_safetensors, "save_file", broken)
    with pytest.raises(OSError, match="disk full"):
        torch_save(r.torch_zeros(3), p)
    assert p.read_bytes() == before and os.listdir(tmp_path) == ["keep.pt"]
    with pytest.raises(TypeError, match="no applicable method"):
        torch_save(object(), p)
    with pytest.raises(TypeError, match="cannot save"):
        torch_save({"a": object()}, p)
    assert p.read_bytes() == before and os.listdir(tmp_path) == ["keep.pt"]
