"""The optimizers post's "Losses and loss functions" section, line for line.

Source: "Optimizers in torch", RStudio AI blog, 2020-10-09 (R Markdown source in rstudio/ai-blog,
`_posts/2020-10-09-torch-optim/`). `torch_manual_seed(1)` comes first (the post set no seed). R's auto-print
becomes `print()`.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

x = torch_randn(c(3, 2, 3))
y = torch_zeros(c(3, 2, 3))

print(nnf_mse_loss(x, y))

loss = nn_mse_loss()

print(loss(x, y))
