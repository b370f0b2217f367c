"""The post's "Reshape with copy" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. The failing `t2$view(6)` is
caught and printed as `Error: <libtorch's message>`; R shows `Error in (function (self, size)  :` followed by
the same message and, with current libtorch, a C++ backtrace that differs per machine. The post prints the
two `data_ptr()` strings, memory addresses that differ from run to run; this port prints whether they are
equal instead (`[1] FALSE`: `reshape()` had to copy).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

t1 = torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))

t2 = t1.t()

try:
    t2.view(6)  # error!
except RuntimeError as e:
    print(f"Error: {e}")

t3 = t2.contiguous()

print(t3.view(6))

ptr2 = t2.storage().data_ptr()

t4 = t2.reshape(6)

ptr4 = t4.storage().data_ptr()
rprint(ptr2 == ptr4)
