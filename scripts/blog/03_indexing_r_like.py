"""The post's "Indexing and slicing: the R-like part" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. `t[1, ]` is written `t[1, :]`,
`drop = FALSE` is `drop(False)`; `t$size()` auto-printed becomes `rprint(t.size())`.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

t = torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))
print(t)

# a single value
print(t[1, 1])

# first row, all columns
print(t[1, :])

# first row, a subset of columns
print(t[1, 1:2])

t = torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))

# 2x3
rprint(t.size())

# just a single row: will be returned as a vector
rprint(t[1, 1:2].size())

# a single element
rprint(t[1, 1].size())

rprint(t[1, 1:2, drop(FALSE)].size())

rprint(t[1, 1, drop(FALSE)].size())
