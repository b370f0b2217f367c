"""A short real exchange with R: simulate data (and initial weights) in R, bring them over, fit the blog's
network in rtorch, send the predictions back and let R summarise them.

    python scripts/exchange_with_r.py [--seed 777] [--epochs 200] [--n 100] [--hidden 32]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import rpy2.robjects as ro  # noqa: E402

from rtorch import torch_double, torch_tensor, torch_zeros  # noqa: E402
from rtorch.r import as_r  # noqa: E402

SIMULATE = """
function(seed, n, d_hidden) {
  set.seed(seed)
  d_in <- 3
  x <- matrix(rnorm(n * d_in), n, d_in)
  y <- x[, 1, drop = FALSE] * 0.2 - x[, 2, drop = FALSE] * 1.3 - x[, 3, drop = FALSE] * 0.5 + rnorm(n)
  list(x = x, y = y,
       w1 = matrix(rnorm(d_in * d_hidden), d_in, d_hidden),
       w2 = matrix(rnorm(d_hidden), d_hidden, 1))
}
"""

SUMMARISE = """
function(y_pred, y, x) {
  cat("summary(y_pred):\\n"); print(summary(as.vector(y_pred)))
  cat("cor(y_pred, y):", cor(as.vector(y_pred), as.vector(y)), "\\n")
  cat("cor(fitted(lm(y ~ x)), y):", cor(fitted(lm(y ~ x)), as.vector(y)), "\\n")
  cat("mean squared error:", mean((y_pred - y)^2), "\\n")
}
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=777)
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-4)
    args = p.parse_args(argv)

    print("== R: simulate the data and the initial weights")
    sim = ro.r(SIMULATE)(args.seed, args.n, args.hidden)
    ro.r("function(s) { cat('x:', dim(s$x), ' y:', dim(s$y), '\\n'); print(head(cbind(s$x, y = s$y), 3)) }")(sim)

    print("\n== Python: the same numbers as tensors (double -> Float, as in R torch)")
    x, y, w1, w2 = (torch_tensor(sim.rx2(name)) for name in ("x", "y", "w1", "w2"))
    print("x:", list(x.shape), x.dtype, " y:", list(y.shape), y.dtype)
    print(x[1, :])
    lossless = ro.baseenv["identical"](as_r(torch_tensor(sim.rx2("x"), dtype=torch_double())), sim.rx2("x"))[0]
    print("as_r(torch_tensor(x, dtype = torch_double())) identical to R's x:", lossless)

    print("\n== Python: fit the network (the blog's training loop, gradients by hand)")
    b1, b2 = torch_zeros(1, args.hidden), torch_zeros(1, 1)
    for t in range(1, args.epochs + 1):
        h = x.mm(w1) + b1
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2) + b2
        loss = float((y_pred - y).pow(2).sum())
        if t % 50 == 0 or t == 1:
            print(f"Epoch: {t} Loss: {loss}")
        grad_y_pred = 2 * (y_pred - y)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        grad_h = grad_y_pred.mm(w2.t()).clone()
        grad_h[h < 0] = 0
        grad_b2 = grad_y_pred.sum()
        grad_w1 = x.t().mm(grad_h)
        grad_b1 = grad_h.sum(dim=1)
        w2 = w2 - args.lr * grad_w2
        b2 = b2 - args.lr * grad_b2
        w1 = w1 - args.lr * grad_w1
        b1 = b1 - args.lr * grad_b1

    print("\n== R: summarise the predictions sent back with as_r()")
    ro.r(SUMMARISE)(as_r(y_pred), sim.rx2("y"), sim.rx2("x"))


if __name__ == "__main__":
    main()
