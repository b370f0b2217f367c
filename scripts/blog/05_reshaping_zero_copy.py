"""The post's "Zero-copy reshaping" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. The post set no seed;
`torch_manual_seed(1)` makes `torch_randint()` reproducible (only sizes of it are printed). The post prints
the two `data_ptr()` strings, memory addresses that differ from run to run; this port prints whether they are
equal instead (`[1] TRUE`: the view shares the storage).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

t1 = torch_randint(low=3, high=7, size=c(3, 3, 3))
rprint(t1.size())

t2 = t1.unsqueeze(dim=1)
rprint(t2.size())

t3 = t1.unsqueeze(dim=2)
rprint(t3.size())

t4 = t3.squeeze()
rprint(t4.size())

t1 = torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
print(t1)

t2 = t1.view(c(2, 3))
print(t2)

t4 = t1.view(c(-1, 6))

rprint(t4.size())

print(t4)

ptr1 = t1.storage().data_ptr()

ptr2 = t2.storage().data_ptr()
rprint(ptr1 == ptr2)

rprint(t1.stride())

rprint(t2.stride())

t1 = torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
print(t1)
rprint(t1.stride())

t2 = t1.t()
print(t2)
rprint(t2.stride())
