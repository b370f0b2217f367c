"""A small convolutional classifier in rtorch, as one would write it with R torch: 28x28 grey images of
four shapes (square, disc, triangle, cross: sizes, positions and noise drawn from rtorch's seeded
generator), served by a `dataset` with `.getbatch` and a `dataloader`, a CNN of `nn_conv2d`, `nn_relu`,
`nn_max_pool2d` and `nn_linear`, `nnf_cross_entropy` on 1-based labels, `optim_adam`, a tqdm bar per epoch,
and the held-out accuracy at the end.

    python scripts/train_conv_classifier.py [--epochs 8] [--seed 1] [--n 2000] [--batch-size 64] [--lr 0.003]

Its matrices are small: BLAS runs on one thread (OPENBLAS_NUM_THREADS etc. default to 1; set them to
override), which on a shared 2-core machine is much faster than BLAS's own threads.
"""
import argparse
import os
import sys
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from tqdm import tqdm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from rtorch import *  # noqa: E402,F403

CLASSES = ("square", "disc", "triangle", "cross")
SIZE = 28


def draw_shapes(n):
    """`n` images (n, 1, 28, 28) and their 1-based labels; every number comes from torch_rand/torch_randn."""
    labels = torch_randint(1, len(CLASSES) + 1, size=c(n), dtype=torch_long())
    params = torch_rand(n, 3)
    noise = torch_randn(n, 1, SIZE, SIZE) * 0.15
    lab = as_array(labels)
    p = as_array(params)
    half = 4 + p[:, 0] * 5                       # half-size 4..9 pixels
    cy = half + 1 + p[:, 1] * (SIZE - 2 * half - 2)
    cx = half + 1 + p[:, 2] * (SIZE - 2 * half - 2)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    dy = yy[None] - cy[:, None, None]
    dx = xx[None] - cx[:, None, None]
    h = half[:, None, None]
    masks = {
        1: (np.abs(dy) <= h) & (np.abs(dx) <= h),
        2: dy ** 2 + dx ** 2 <= h ** 2,
        3: (dy <= h) & (dy >= -h) & (np.abs(dx) <= (dy + h) / 2),
        4: ((np.abs(dy) <= h) & (np.abs(dx) <= h / 3)) | ((np.abs(dx) <= h) & (np.abs(dy) <= h / 3)),
    }
    img = np.zeros((n, SIZE, SIZE), dtype=np.float32)
    for k, m in masks.items():
        img[lab == k] = m[lab == k]
    x = torch_tensor(img).unsqueeze(2) + noise
    return x, labels


def _init(self, x, y):
    self.x, self.y = x, y


def _getbatch(self, i):
    idx = torch_tensor(as_array(i) if is_torch_tensor(i) else list(i), dtype=torch_long())
    return {"x": self.x.index_select(1, idx), "y": self.y.index_select(1, idx)}


shapes_dataset = dataset("shapes_dataset", initialize=_init, getbatch=_getbatch, length=lambda self: self.x.size(1))


def make_model():
    return nn_sequential(
        nn_conv2d(1, 16, kernel_size=3, padding=1),
        nn_relu(),
        nn_max_pool2d(2),
        nn_conv2d(16, 32, kernel_size=3, padding=1),
        nn_relu(),
        nn_max_pool2d(2),
        nn_flatten(),
        nn_linear(32 * 7 * 7, 64),
        nn_relu(),
        nn_linear(64, len(CLASSES)),
    )


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n", type=int, default=2000, help="training images (a quarter as many are held out)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    return p.parse_args(argv)


def accuracy(model, x, y):
    model.eval()
    with with_no_grad():
        pred = model(x).argmax(dim=2)
    model.train()
    return (pred == y).to(dtype=torch_float()).mean().item()


def main(argv=None):
    args = parse_args(argv)
    torch_manual_seed(args.seed)
    x, y = draw_shapes(args.n)
    x_test, y_test = draw_shapes(args.n // 4)
    train_dl = dataloader(shapes_dataset(x, y), batch_size=args.batch_size, shuffle=True)

    model = make_model()
    optimizer = optim_adam(model.parameters, lr=args.lr)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        losses = []
        bar = tqdm(train_dl, desc=f"epoch {epoch}", leave=True, file=sys.stdout)
        for b in bar:
            optimizer.zero_grad()
            loss = nnf_cross_entropy(model(b["x"]), b["y"])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            bar.set_postfix(loss=f"{np.mean(losses):.4f}")
        bar.close()
    elapsed = time.perf_counter() - start
    acc = accuracy(model, x_test, y_test)
    print(f"held-out accuracy: {acc:.4f} ({args.n // 4} images), training {elapsed:.1f}s")
    return acc


if __name__ == "__main__":
    main()
