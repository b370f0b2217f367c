"""R torch's `backends_*_is_available()`: what the library computing the tensors was built with. R torch
asks libtorch; rtorch answers for its own backends, NumPy on the CPU and CuPy on CUDA: MKL when NumPy's
BLAS is MKL; no oneDNN (MKL-DNN), OpenMP, MPS or cuDNN kernels, which rtorch never calls."""
import functools

import numpy as np


@functools.lru_cache(maxsize=None)
def _blas_name():
    try:
        config = np.show_config(mode="dicts")
        return str(config["Build Dependencies"]["blas"]["name"]).lower()
    except Exception:
        return ""


def backends_mkl_is_available():
    """Whether the CPU kernels' BLAS is Intel MKL."""
    return "mkl" in _blas_name()


def backends_mkldnn_is_available():
    return False


def backends_openmp_is_available():
    return False


def backends_mps_is_available():
    return False


def backends_cudnn_is_available():
    return False


def backends_cudnn_version():
    """R torch's cuDNN version, which needs cuDNN: "CuDNN is not available." otherwise, as in R torch."""
    if not backends_cudnn_is_available():
        raise RuntimeError("CuDNN is not available.")


__all__ = ["backends_cudnn_is_available", "backends_cudnn_version", "backends_mkl_is_available",
           "backends_mkldnn_is_available", "backends_mps_is_available", "backends_openmp_is_available"]
