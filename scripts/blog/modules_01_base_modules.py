"""The modules post's "Base modules ("layers")" section, line for line.

Source: "Using torch modules", RStudio AI blog, 2020-10-07 (R Markdown source in rstudio/ai-blog,
`_posts/2020-10-07-torch-modules/`). `torch_manual_seed(1)` comes first (the post set no seed). R's auto-print
becomes `rprint()` for the named list `l$parameters` and `print()` for tensors and the `grad_fn` node. The
failing `out$backward()` is caught and printed as `Error: <libtorch's message>`. `out$data()` is written
`out.detach()`: rtorch's tensors have no `data()` method yet (libtorch's `Tensor::data()` is the same tensor
without its graph, as `detach()` is).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

l = nn_linear(3, 1)

rprint(l.parameters)

data = torch_randn(10, 3)
out = l(data)

print(out.detach())

print(out.grad_fn)

print(l.weight.grad)
print(l.bias.grad)

try:
    out.backward()
except RuntimeError as e:
    print(f"Error: {e}")

d_avg_d_out = torch_tensor(10).repeat(10).unsqueeze(1).t()
out.backward(gradient=d_avg_d_out)

print(l.weight.grad)
print(l.bias.grad)
