"""The autograd post's "Autograd basics" section, line for line.

Source: "Introducing torch autograd", RStudio AI blog, 2020-10-05 (R Markdown source in rstudio/ai-blog,
`_posts/2020-10-05-torch-network-with-autograd/`). Nothing here is random. R's auto-print becomes
`print(t)` for tensors and for the `grad_fn` node (R torch's node prints its libtorch name).
`y$backward()` returns invisibly in R, so it prints nothing.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

x = torch_ones(2, 2, requires_grad=TRUE)

y = x.mean()

print(y.grad_fn)

y.backward()

print(x.grad)
