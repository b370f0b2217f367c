"""The post's "Conversion to built-in R data types" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. `as_array(t) %>% class()` is
written `class_(as_array(t))`; R's auto-print becomes `rprint(x)`. The `device = "cuda"` snippet runs only
where `cuda_is_available()`; elsewhere it prints one line saying it was skipped.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

t = torch_tensor(matrix(seq(1, 9), ncol=3, byrow=TRUE))
rprint(as_array(t))

t = torch_tensor(c(1, 2, 3))
rprint(class_(as_array(t)))

t = torch_ones(c(2, 2))
rprint(class_(as_array(t)))

t = torch_ones(c(2, 2, 2))
rprint(class_(as_array(t)))

if cuda_is_available():
    t = torch_tensor(2, device="cuda")
    rprint(as_integer(t.cpu()))
else:
    print("[GPU snippet skipped: cuda_is_available() is FALSE]")
