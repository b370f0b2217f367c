"""The post's "Creation" section (Tensors), line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. The post set no seed, so the
values of `torch_randn(3, 3)` differ from the post's; `torch_manual_seed(1)` makes them reproducible (they are
what libtorch draws after that seed, see compat/golden). R's auto-print becomes `print(t)` for tensors and
`rprint(x)` for everything else. The `device = "cuda"` snippet runs only where `cuda_is_available()`;
elsewhere it prints one line saying it was skipped.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

# a 1d vector of length 2
t = torch_tensor(c(1, 2))
print(t)

# also 1d, but of type boolean
t = torch_tensor(c(TRUE, FALSE))
print(t)

# a 3x3 tensor (matrix)
t = torch_tensor(rbind(c(1, 2, 0), c(3, 0, 0), c(4, 5, 6)))
print(t)

# also 3x3
t = torch_tensor(matrix(seq(1, 9), ncol=3, byrow=TRUE))
print(t)

# a 3x3 tensor of standard-normally distributed values
t = torch_randn(3, 3)
print(t)

# a 4x2x2 (3d) tensor of zeroes
t = torch_zeros(4, 2, 2)
print(t)

t = torch_tensor(c(3, 5, 7))
rprint(t.dtype)

t = torch_tensor(as_integer(1))
rprint(t.dtype)

t = torch_tensor(2, dtype=torch_double())
rprint(t.dtype)

rprint(t.device)

if cuda_is_available():
    t = torch_tensor(2, device="cuda")
    rprint(t.device)
else:
    print("[GPU snippet skipped: cuda_is_available() is FALSE]")
