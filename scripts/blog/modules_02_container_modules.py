"""The modules post's "Container modules ("models")" section, line for line.

Source: "Using torch modules", RStudio AI blog, 2020-10-07. The post calls the model on the preceding
section's `data`; here `data` is drawn first, after `torch_manual_seed(1)`. `model[[1]]` (R's 1-based
position in the sequential model) is `model[1]`. R's auto-print becomes `rprint()` for the named list
`model$parameters` and `print()` for tensors. `model$cuda()` runs only where `cuda_is_available()`;
elsewhere one line says it was skipped.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

torch_manual_seed(1)

data = torch_randn(10, 3)

model = nn_sequential(
    nn_linear(3, 16),
    nn_relu(),
    nn_linear(16, 1)
)

rprint(model.parameters)

print(model[1].bias)

out = model(data)

out.backward(gradient=torch_tensor(10).repeat(10).unsqueeze(1).t())

# e.g.
print(model[1].bias.grad)

if cuda_is_available():
    model.cuda()
    print(model[1].bias.grad)
else:
    print("[GPU snippet skipped: cuda_is_available() is FALSE]")
