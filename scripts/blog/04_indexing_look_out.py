"""The post's "Indexing and slicing: What to look out for" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. `t[ , -2:-1]` is written
`t[:, -2:-1]`, `t[.., 1]` is `t[..., 1]`. The post set no seed, so the values of `torch_randint(-7, 7, ...)`
differ from the post's; `torch_manual_seed(1)` makes them reproducible.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

t = torch_tensor(rbind(c(1, 2, 3), c(4, 5, 6)))

print(t[1, -1])

print(t[:, -2:-1])

t = torch_tensor(seq(1, 10))
print(t[2:10:2])

t = torch_randint(-7, 7, size=c(2, 2, 2))
print(t)

print(t[..., 1])

print(t[2, ...])
