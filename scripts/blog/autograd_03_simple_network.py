"""The autograd post's "The simple network, now using autograd" snippet: forward pass, loss and backward pass
in three lines.

Source: "Introducing torch autograd", RStudio AI blog, 2020-10-05. The snippet uses the data and weights of
the post's complete code, which the post shows after it; they are created first here, from
`torch_manual_seed(1)` (the post set no seed), as the complete code creates them. Nothing prints in R
(assignments, and `loss$backward()` returns invisibly), so the golden is empty; the gradients the snippet
leaves in `w1$grad`, ... are checked against PyTorch in tests/test_blog_autograd.py. The complete code, its
training loop included, is scripts/train_autograd_network.py.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

# the complete code's data and weights (n = 100, 3 inputs, 32 hidden units, 1 output)
x = torch_randn(100, 3)
y = x[:, 1, None] * 0.2 - x[:, 2, None] * 1.3 - x[:, 3, None] * 0.5 + torch_randn(100, 1)
w1 = torch_randn(3, 32, requires_grad=TRUE)
w2 = torch_randn(32, 1, requires_grad=TRUE)
b1 = torch_zeros(1, 32, requires_grad=TRUE)
b2 = torch_zeros(1, 1, requires_grad=TRUE)

y_pred = x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2)

loss = (y_pred - y).pow(2).sum()

loss.backward()
