"""The autograd post's complete network ("Introducing torch autograd", RStudio AI blog, 2020-10-05), line for
line in rtorch: the forward pass and loss written by hand, gradients from `loss$backward()`, the weights
updated under `with_no_grad()` and the gradients zeroed after each pass.

    python scripts/train_autograd_network.py [--seed N] [--epochs 200] [--n 100] [--hidden 32] [--lr 1e-4]
                                             [--device cpu]

The flags are scripts/train_raw_network.py's. R's `with_no_grad({ ... })` is `with with_no_grad(): ...`;
R's `w1 <- w1$sub_(...)` keeps the same tensor (sub_ returns it), as it does here.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rtorch import *  # noqa: E402,F403
from scripts.train_raw_network import parse_args  # noqa: E402


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
    w1 = torch_randn(d_in, d_hidden, requires_grad=TRUE, device=device)
    # weights connecting hidden to output layer
    w2 = torch_randn(d_hidden, d_out, requires_grad=TRUE, device=device)

    # hidden layer bias
    b1 = torch_zeros(1, d_hidden, requires_grad=TRUE, device=device)
    # output layer bias
    b2 = torch_zeros(1, d_out, requires_grad=TRUE, device=device)

    ### network parameters ---------------------------------------------------------

    learning_rate = args.lr

    ### training loop --------------------------------------------------------------

    for t in seq(1, args.epochs):
        ### -------- Forward pass --------

        y_pred = x.mm(w1).add(b1).clamp(min=0).mm(w2).add(b2)

        ### -------- compute loss --------
        loss = (y_pred - y).pow(2).sum()
        if t % 10 == 0:
            cat("Epoch: ", t, "   Loss: ", loss.item(), "\n")

        ### -------- Backpropagation --------

        # compute gradient of loss w.r.t. all tensors with requires_grad = TRUE
        loss.backward()

        ### -------- Update weights --------

        # Wrap in with_no_grad() because this is a part we DON'T
        # want to record for automatic gradient computation
        with with_no_grad():
            w1 = w1.sub_(learning_rate * w1.grad)
            w2 = w2.sub_(learning_rate * w2.grad)
            b1 = b1.sub_(learning_rate * b1.grad)
            b2 = b2.sub_(learning_rate * b2.grad)

            # Zero gradients after every pass, as they'd accumulate otherwise
            w1.grad.zero_()
            w2.grad.zero_()
            b1.grad.zero_()
            b2.grad.zero_()


if __name__ == "__main__":
    main()
