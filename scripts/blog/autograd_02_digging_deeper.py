"""The autograd post's "Digging deeper" section, line for line: a small graph, its `grad_fn` walk, and the
gradients `out$backward()` leaves in every tensor that retains them.

Source: "Introducing torch autograd", RStudio AI blog, 2020-10-05. R's auto-print becomes `print(t)` for
tensors and nodes and `rprint(l)` for the R lists `next_functions` returns (`[[1]]`, the node, a blank
line). R's `l[[1]]` is `l[0]` (the porting contract's rule for lists). `retain_grad()` and `backward()`
return invisibly in R and print nothing. Nothing here is random.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rtorch import *  # noqa: E402,F403

x1 = torch_ones(2, 2, requires_grad=TRUE)
x2 = torch_tensor(1.1, requires_grad=TRUE)

y = x1 * (x2 + 2)

z = y.pow(2) * 3

out = z.mean()

y.retain_grad()

z.retain_grad()

# how to compute the gradient for mean, the last operation executed
print(out.grad_fn)

# how to compute the gradient for the multiplication by 3 in z = y.pow(2) * 3
rprint(out.grad_fn.next_functions)

# how to compute the gradient for pow in z = y.pow(2) * 3
rprint(out.grad_fn.next_functions[0].next_functions)

# how to compute the gradient for the multiplication in y = x * (x + 2)
rprint(out.grad_fn.next_functions[0].next_functions[0].next_functions)

# how to compute the gradient for the two branches of y = x * (x + 2),
# where the left branch is a leaf node (AccumulateGrad for x1)
rprint(out.grad_fn.next_functions[0].next_functions[0].next_functions[0].next_functions)

# here we arrive at the other leaf node (AccumulateGrad for x2)
rprint(out.grad_fn.next_functions[0].next_functions[0].next_functions[0].next_functions[1].next_functions)

out.backward()

print(z.grad)
print(y.grad)
print(x2.grad)
print(x1.grad)
