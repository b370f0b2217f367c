"""The optimizers post's final network ("Optimizers in torch", RStudio AI blog, 2020-10-09), line for line in
rtorch: `nn_sequential` of two `nn_linear` layers and `nn_relu`, the loss from `nnf_mse_loss(reduction =
"sum")`, the updates from `optim_adam(lr = 0.08)`.

    python scripts/train_nn_network.py [--seed N] [--epochs 200] [--n 100] [--hidden 32] [--lr 0.08]
                                       [--device cpu]

The flags are scripts/train_raw_network.py's (the learning rate defaults to the post's 0.08). The post set
no seed; `--seed 1` makes the run reproducible (compat/golden/train_nn_network_seed1.txt is PyTorch's run).
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
    p.add_argument("--lr", type=float, default=0.08, help="learning rate")
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



    ### define the network ---------------------------------------------------------

    # dimensionality of hidden layer
    d_hidden = args.hidden

    model = nn_sequential(
        nn_linear(d_in, d_hidden),
        nn_relu(),
        nn_linear(d_hidden, d_out)
    ).to(device=device)

    ### network parameters ---------------------------------------------------------

    # for adam, need to choose a much higher learning rate in this problem
    learning_rate = args.lr

    optimizer = optim_adam(model.parameters, lr=learning_rate)

    ### training loop --------------------------------------------------------------

    for t in seq(1, args.epochs):

        ### -------- Forward pass --------

        y_pred = model(x)

        ### -------- compute loss --------
        loss = nnf_mse_loss(y_pred, y, reduction="sum")
        if t % 10 == 0:
            cat("Epoch: ", t, "   Loss: ", loss.item(), "\n")

        ### -------- Backpropagation --------

        # Still need to zero out the gradients before the backward pass, only this time,
        # on the optimizer object
        optimizer.zero_grad()

        # gradients are still computed on the loss tensor (no change here)
        loss.backward()

        ### -------- Update weights --------

        # use the optimizer to update model parameters
        optimizer.step()


if __name__ == "__main__":
    main()
