"""The post's "Putting it all together" network (RStudio AI blog, 2020-10-01), line for line in rtorch.

    python scripts/train_raw_network.py [--seed N] [--epochs 200] [--n 100] [--hidden 32] [--device cpu]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rtorch import *  # noqa: E402,F403


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=None, help="call torch_manual_seed(seed) first")
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--n", type=int, default=100, help="number of observations")
    p.add_argument("--hidden", type=int, default=32, help="hidden units")
    p.add_argument("--lr", type=float, default=1e-4, help="learning rate")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.seed is not None:
        torch_manual_seed(args.seed)
    device = torch_device(args.device)

    ### generate training data -----------------------------------------------------
    # input dimensionality (number of input features)
    d_in = 3
    # output dimensionality (number of predicted features)
    d_out = 1
    # number of observations in training set
    n = args.n

    # create random data
    x = torch_randn(n, d_in, device=device)
    y = x[:, 1, None] * 0.2 - x[:, 2, None] * 1.3 - x[:, 3, None] * 0.5 + torch_randn(n, 1, device=device)

    ### initialize weights ---------------------------------------------------------
    # dimensionality of hidden layer
    d_hidden = args.hidden
    # weights connecting input to hidden layer
    w1 = torch_randn(d_in, d_hidden, device=device)
    # weights connecting hidden to output layer
    w2 = torch_randn(d_hidden, d_out, device=device)

    # hidden layer bias
    b1 = torch_zeros(1, d_hidden, device=device)
    # output layer bias
    b2 = torch_zeros(1, d_out, device=device)

    ### network parameters ---------------------------------------------------------
    learning_rate = args.lr

    ### training loop --------------------------------------------------------------
    for t in seq(1, args.epochs):

        ### -------- Forward pass --------
        # compute pre-activations of hidden layers (dim: 100 x 32)
        h = x.mm(w1) + b1
        # apply activation function (dim: 100 x 32)
        h_relu = h.clamp(min=0)
        # compute output (dim: 100 x 1)
        y_pred = h_relu.mm(w2) + b2

        ### -------- compute loss --------
        loss = as_numeric((y_pred - y).pow(2).sum())
        if t % 10 == 0:
            cat("Epoch: ", t, "   Loss: ", loss, "\n")

        ### -------- Backpropagation --------
        # gradient of loss w.r.t. prediction (dim: 100 x 1)
        grad_y_pred = 2 * (y_pred - y)
        # gradient of loss w.r.t. w2 (dim: 32 x 1)
        grad_w2 = h_relu.t().mm(grad_y_pred)
        # gradient of loss w.r.t. hidden activation (dim: 100 x 32)
        grad_h_relu = grad_y_pred.mm(
            w2.t())
        # gradient of loss w.r.t. hidden pre-activation (dim: 100 x 32)
        grad_h = grad_h_relu.clone()

        grad_h[h < 0] = 0

        # gradient of loss w.r.t. b2 (shape: ())
        grad_b2 = grad_y_pred.sum()

        # gradient of loss w.r.t. w1 (dim: 3 x 32)
        grad_w1 = x.t().mm(grad_h)
        # gradient of loss w.r.t. b1 (shape: (32, ))
        grad_b1 = grad_h.sum(dim=1)

        ### -------- Update weights --------
        w2 = w2 - learning_rate * grad_w2
        b2 = b2 - learning_rate * grad_b2
        w1 = w1 - learning_rate * grad_w1
        b1 = b1 - learning_rate * grad_b1


if __name__ == "__main__":
    main()
