"""One recorded node for a function composed of recorded ops: the forward runs the composition with
recording off, the backward runs it again recorded and differentiates it with the engine (under
`create_graph` too), so the node carries libtorch's name and an input the composition does not reach
gets a zero gradient, as libtorch's fused kernels give."""
from ..._tensor import Tensor, is_undefined_tensor
from ...autograd._grad_mode import STATE, with_enable_grad
from ...autograd._record import differentiable


def recomputed(name, fn):
    """`fn(*args)` (positional tensors and constants) as one node named `name`."""
    def forward(ctx, *args):
        return fn(*args)

    def backward(ctx, *grads):
        from ...autograd import autograd_grad
        from ..._creation import torch_zeros_like
        create = STATE.enabled
        args = ctx.args
        wanted = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a._rg]
        with with_enable_grad():
            out = fn(*args)
            got = autograd_grad([out], [args[i] for i in wanted], grad_outputs=list(grads), retain_graph=create,
                                create_graph=create, allow_unused=True)
        result = [None] * len(args)
        for i, g in zip(wanted, got):
            result[i] = torch_zeros_like(args[i]) if not isinstance(g, Tensor) or is_undefined_tensor(g) else g
        return tuple(result)

    op = differentiable(name, forward, backward)
    op.__name__ = getattr(fn, "__name__", name)
    return op
