"""The optimizers post's "Optimizers" section, line for line.

Source: "Optimizers in torch", RStudio AI blog, 2020-10-09. `torch_manual_seed(1)` comes first (the post set
no seed). R's auto-print becomes `print()` for the optimizer and `rprint()` for the named lists and for
`optimizer$step()`'s value (NULL, which R prints). `optimizer$param_groups[[1]]$params` is
`optimizer.param_groups[0]["params"]`: param groups are a Python list of dicts.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

data = torch_randn(1, 3)

model = nn_linear(3, 1)
rprint(model.parameters)

optimizer = optim_adam(model.parameters, lr=0.01)
print(optimizer)

rprint(optimizer.param_groups[0]["params"])

out = model(data)
out.backward()

rprint(optimizer.param_groups[0]["params"])
rprint(model.parameters)

rprint(optimizer.step())

rprint(optimizer.param_groups[0]["params"])
rprint(model.parameters)
