"""The post's "Running on GPU" section, line for line.

Source: "Getting familiar with torch tensors", RStudio AI blog, 2020-10-01. `cuda_is_available()` and
`cuda_device_count()` run everywhere; the snippets that put tensors on the GPU run only where
`cuda_is_available()`, and elsewhere one line says they were skipped.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

rprint(cuda_is_available())

rprint(cuda_device_count())

if cuda_is_available():
    device = torch_device("cuda")

    t = torch_ones(c(2, 2), device=device)

    t2 = t.cuda()
    rprint(t2.device)

    t3 = t2.cpu()
    rprint(t3.device)
else:
    print("[GPU snippet skipped: cuda_is_available() is FALSE]")
