"""The post's "Operations on tensors" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. R auto-prints the value of
`t1$add_(t1)` (the modified `t1`); here that is `print(t1.add_(t1))`.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

t1 = torch_tensor(rbind(c(1, 2), c(3, 4), c(5, 6)))
t2 = t1.clone()

print(t1.add(t2))

print(t1)

print(t1.add_(t1))

# now t1 has been modified
print(t1)

t3 = t1.add(t1)

print(t3)
