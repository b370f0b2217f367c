"""The post's "Broadcasting" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. The post set no seed, so the
values of the `torch_randn()` snippets differ from the post's; `torch_manual_seed(1)` makes them
reproducible. The post shows no output for `t1 + torch_tensor(c(22))` and for the second `t1$add(t2)` with
mismatched sizes; R prints both (a tensor, an error), and so does this port. Errors are caught and printed as
`Error: <libtorch's message>`; R shows `Error in (function (self, other, alpha)  :` followed by the same
message and, with current libtorch, a C++ backtrace that differs per machine.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

t1 = torch_randn(c(3, 5))

print(t1 + 22)

t1 = torch_randn(c(3, 5))

print(t1 + torch_tensor(c(22)))

t1 = torch_randn(c(3, 5))
t2 = torch_randn(c(5, 5))

try:
    t1.add(t2)  # error
except RuntimeError as e:
    print(f"Error: {e}")

# t1, shape:     8  1  6  1
# t2, shape:        7  1  5

# t1, shape:     8  1  6  1
# t2, shape:        7  6  5

# t1, shape:     8  1  6  1
# t2, shape:     1  7  1  5

# t1, shape:     8  1  6  1
# t2, shape:     8  7  1  5

t1 = torch_randn(c(3, 5))
t2 = torch_randn(c(5, 5))

try:
    t1.add(t2)
except RuntimeError as e:
    print(f"Error: {e}")

t1 = torch_randn(c(3, 5))
t2 = torch_randn(c(1, 5))

print(t1.add(t2))

t1 = torch_randn(c(3, 5))
t2 = torch_randn(c(5))

print(t1.add(t2))

t1 = torch_randn(c(1, 5))
t2 = torch_randn(c(3, 1))

print(t1.add(t2))

t1 = torch_tensor(c(0, 10, 20, 30))

t2 = torch_tensor(c(1, 2, 3))

print(t1.view(c(4, 1)) * t2)
