"""libtorch's own tensor printer (``operator<<`` on ``at::Tensor``), for tests.

R torch prints a tensor by streaming it through libtorch's ``operator<<``;
this module compiles a tiny extension against the installed PyTorch that does
exactly that and returns the text, so rtorch's printer can be checked
against the real thing. Test-only: it needs PyTorch and a C++ compiler.
"""
import os
import pathlib

_BUILD_DIR = pathlib.Path(__file__).resolve().parent / ".build" / "libtorch_print"

_SOURCE = r"""
#include <torch/extension.h>
#include <sstream>

std::string libtorch_print(const at::Tensor& t) {
  std::ostringstream out;
  out << t;
  return out.str();
}

std::string libtorch_print_undefined() {
  std::ostringstream out;
  out << at::Tensor();
  return out.str();
}
"""

_module = None


def _load():
    global _module
    if _module is None:
        from torch.utils import cpp_extension

        _BUILD_DIR.mkdir(parents=True, exist_ok=True)
        _module = cpp_extension.load_inline(
            name="rtorch_libtorch_print",
            cpp_sources=[_SOURCE],
            functions=["libtorch_print", "libtorch_print_undefined"],
            build_directory=os.fspath(_BUILD_DIR),
            extra_cflags=["-O1"],
            verbose=False,
        )
    return _module


def libtorch_print(tensor=None) -> str:
    """Text libtorch's ``operator<<`` writes for ``tensor`` (undefined if None)."""
    mod = _load()
    if tensor is None:
        return mod.libtorch_print_undefined()
    return mod.libtorch_print(tensor)
