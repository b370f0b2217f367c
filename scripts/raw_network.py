"""The blog's raw two-layer network, one epoch, written once for any tensor library that spells its
methods as R torch and PyTorch do (rtorch on NumPy or CuPy, PyTorch on CPU or CUDA).

The benchmarks, the GPU tests and the golden generator use it; `train_raw_network.py` keeps the post's
code line for line instead.
"""
import time


def epoch(x, y, w1, w2, b1, b2, learning_rate, first_dim):
    """Forward pass, loss, hand-written gradients and the update. `first_dim` is the first dimension in
    the library's numbering: 1 for rtorch (R's), 0 for PyTorch. Returns the loss tensor and new weights."""
    h = x.mm(w1) + b1
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2) + b2
    loss = (y_pred - y).pow(2).sum()
    grad_y_pred = 2 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_b2 = grad_y_pred.sum()
    grad_w1 = x.t().mm(grad_h)
    grad_b1 = grad_h.sum(dim=first_dim)
    w2 = w2 - learning_rate * grad_w2
    b2 = b2 - learning_rate * grad_b2
    w1 = w1 - learning_rate * grad_w1
    b1 = b1 - learning_rate * grad_b1
    return loss, w1, w2, b1, b2


def timed_epochs(x, y, w1, w2, b1, b2, epochs, learning_rate, first_dim, sync=lambda: None):
    """Run `epochs` epochs, reading each loss back as a Python float (as the post's `as.numeric` does);
    returns the seconds each epoch took and the losses."""
    times, losses = [], []
    for _ in range(epochs):
        sync()
        start = time.perf_counter()
        loss, w1, w2, b1, b2 = epoch(x, y, w1, w2, b1, b2, learning_rate, first_dim)
        losses.append(float(loss))
        sync()
        times.append(time.perf_counter() - start)
    return times, losses
