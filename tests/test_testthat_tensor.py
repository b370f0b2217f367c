"""R torch's tests/testthat/test-tensor.R, the tests not already in test_rtorch_testthat_ports.py.

Snapshots (`expect_snapshot`) are R torch's recorded text (tests/testthat/_snaps/tensor.md). An R raw vector
is a uint8 array (as an R integer vector is an int32 array). Parts that need autograd (`grad_fn`) or sparse
tensors are left out of the port.
"""
import numpy as np

from rtorch import (as_array, as_numeric, buffer_from_torch_tensor, cbind, head, length, seq, tail,
                    torch_allclose, torch_arange, torch_complex, torch_rand, torch_stack, torch_tensor,
                    torch_tensor_from_buffer, torch_uint8)
from tests.test_rtorch_testthat_ports import expect_equal, expect_equal_to_r, expect_equal_to_tensor, randn, runif

TRUNCATED = "... [the output was truncated (use n=-1 to disable)]\n"
COMPLEX_HINT = "\u2139 Use `$real` or `$imag` to print the contents of this tensor.\n"


def _arange_print(shown, total, truncated):
    body = "".join(f"{i:3d}\n" for i in range(shown))
    return f"torch_tensor\n{body}{TRUNCATED if truncated else ''}[ CPUFloatType{{{total}}} ]\n"


def test_tensor__print_tensor_is_truncated(capsys):
    print(torch_arange(0, 99))
    assert capsys.readouterr().out == _arange_print(30, 100, True)
    print(torch_arange(0, 24))
    assert capsys.readouterr().out == _arange_print(25, 25, False)
    torch_arange(0, 99).print(n=50)
    assert capsys.readouterr().out == _arange_print(50, 100, True)
    torch_arange(0, 99).print(n=-1)
    assert capsys.readouterr().out == _arange_print(100, 100, False)


def test_tensor__is_leaf():
    a = torch_rand(10, requires_grad=True)
    assert a.is_leaf


def test_tensor__print_tensors_with_grad_fn_and_requires_grad(capsys):
    x = torch_tensor(np.array([1.0, 2.0, 3.0]))
    y = torch_tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    print(x)
    print(y)
    assert capsys.readouterr().out == ("torch_tensor\n 1\n 2\n 3\n[ CPUFloatType{3} ]\n"
                                       "torch_tensor\n 1\n 2\n 3\n[ CPUFloatType{3} ][ requires_grad = TRUE ]\n")


def test_tensor__print_complex_tensors(capsys):
    x = torch_complex(randn(10), randn(10))
    print(x)
    assert capsys.readouterr().out == f"torch_tensor\n{COMPLEX_HINT}[ CPUComplexFloatType{{10}} ]\n"
    x.requires_grad_(True)
    print(x)
    assert capsys.readouterr().out == (f"torch_tensor\n{COMPLEX_HINT}[ CPUComplexFloatType{{10}} ]"
                                       "[ requires_grad = TRUE ]\n")


def test_tensor__complex_tensors_modifications_and_acessing():
    real = randn(10, 10)
    imag = randn(10, 10)
    x = torch_complex(real, imag)
    expect_equal_to_tensor(x.real, real)
    expect_equal_to_tensor(x.imag, imag)

    real = randn(10, 10)
    imag = randn(10, 10)
    x.real = real
    x.imag = imag
    expect_equal_to_tensor(x.real, real)
    expect_equal_to_tensor(x.imag, imag)


def test_tensor__can_make_a_byte_tensor_from_a_raw_vector():
    x = np.frombuffer(b"hello world", dtype=np.uint8)
    ten = torch_tensor(x)
    assert ten.dtype.name == "Byte" and ten.dtype == torch_uint8()
    assert length(x) == length(ten)
    out = as_array(ten)
    assert out.dtype == np.uint8
    expect_equal(out, x)
    assert out.tobytes().decode() == "hello world"


def test_tensor__can_create_tensor_from_a_buffer():
    x = runif(10)
    y = torch_tensor_from_buffer(x, shape=10, dtype="float64")
    expect_equal(as_numeric(y), x)
    y.add_(1)
    expect_equal(as_numeric(y), x)


def test_tensor__can_create_a_buffer_from_a_tensor():
    x = randn(10, 10)
    y = buffer_from_torch_tensor(x)
    z = torch_tensor_from_buffer(y, shape=np.array([10.0, 10.0]), dtype="float")
    assert torch_allclose(x, z)


def test_tensor__head_and_tail_works():
    x = torch_tensor(seq(1, 10))
    expect_equal_to_r(head(x), seq(1, 6))
    expect_equal_to_r(tail(x), seq(5, 10))

    x = torch_stack([x, x], dim=2)
    expect_equal_to_r(head(x, n=3), cbind(seq(1, 3), seq(1, 3)))
    expect_equal_to_r(tail(x, n=4), cbind(seq(7, 10), seq(7, 10)))
